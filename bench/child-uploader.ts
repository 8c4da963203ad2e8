// Bench child: a fresh process that uploads one file and samples its own memory every few ms, so the growth it
// reports belongs to the upload alone. argv: baseUrl, warm-up file, measured file, mode.
//   mode "client": AppClient.uploadFile({ path }) — what is measured.
//   mode "raw":    node:http + fs.createReadStream in a hand-written multipart body — a reference for what any
//                  streamed upload costs in Node, with no client library at all.
// With BENCH_FORCE_GC=1 (and --expose-gc) it collects garbage every 10 ms: what is left is live memory only.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppClient } from '../src/dify/index.js';
import { sendToParent } from './child-process.js';

const [baseUrl = '', warmupPath = '', filePath = '', mode = 'client'] = process.argv.slice(2);
const SAMPLE_MS = 2;
const API_KEY = 'app-bench0000000000000000';
const USER = 'bench-user';
const collect = process.env.BENCH_FORCE_GC === '1' ? gc : undefined;

const client = new AppClient({ baseUrl, apiKey: API_KEY, user: USER });

async function uploadRaw(path: string): Promise<number> {
  const boundary = `----dify-bench-${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(path)}"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="user"\r\n\r\n${USER}\r\n--${boundary}--\r\n`);
  const { size } = await stat(path);
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/files/upload`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${API_KEY}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { size?: unknown };
        resolve(typeof body.size === 'number' ? body.size : -1);
      });
    });
    req.write(head);
    const file = createReadStream(path);
    file.on('error', reject);
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

async function upload(path: string): Promise<number> {
  return mode === 'raw' ? uploadRaw(path) : (await client.uploadFile({ path })).size;
}

async function main(): Promise<void> {
  const rssCold = process.memoryUsage.rss();
  // A small upload first, so lazily loaded code and the connection are in the baseline.
  await upload(warmupPath);
  collect?.();
  await sleep(100);
  const baseline = process.memoryUsage();
  let peak = baseline.rss;
  let peakArrayBuffers = baseline.arrayBuffers;
  let peakHeapTotal = baseline.heapTotal;
  let samples = 0;
  const sampler = setInterval(() => {
    if (collect && samples % 5 === 0) collect();
    const usage = process.memoryUsage();
    samples++;
    if (usage.rss > peak) peak = usage.rss;
    if (usage.arrayBuffers > peakArrayBuffers) peakArrayBuffers = usage.arrayBuffers;
    if (usage.heapTotal > peakHeapTotal) peakHeapTotal = usage.heapTotal;
  }, SAMPLE_MS);
  const started = performance.now();
  const responseSize = await upload(filePath);
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  sendToParent({
    type: 'uploaded',
    ms,
    rssCold,
    rssBaseline: baseline.rss,
    rssPeak: peak,
    arrayBuffersBaseline: baseline.arrayBuffers,
    peakArrayBuffers,
    heapTotalBaseline: baseline.heapTotal,
    peakHeapTotal,
    samples,
    responseSize,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
