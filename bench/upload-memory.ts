// Upload memory: a fresh child uploads a 100 MiB temp file with AppClient.uploadFile to a counting server (another
// child) and reports its peak RSS growth. A streamed upload stays flat; a buffered one grows by the file size.
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectMessage, numberField, startChild, stringField, type BenchChild } from './child-process.js';

export const UPLOAD_BYTES = 100 * 1024 * 1024;
const MiB = 1024 * 1024;

export interface UploadRun {
  serverReceivedBytes: number;
  responseSize: number;
  uploadMs: number;
  rssBaselineMiB: number;
  rssPeakMiB: number;
  /** Peak − baseline; the baseline is taken after a small warm-up upload in the same fresh process. */
  rssGrowthMiB: number;
  /** Peak − RSS before any request (adds undici's first-request code and state). */
  rssGrowthFromColdMiB: number;
  /** Growth of Buffer/ArrayBuffer memory (live or not yet collected) and of the JS heap, for attribution. */
  arrayBuffersGrowthMiB: number;
  heapTotalGrowthMiB: number;
  samples: number;
}

export interface UploadResult {
  fileBytes: number;
  runs: UploadRun[];
  /** The run with the median RSS growth. */
  median: UploadRun;
  /** One more run that collects garbage every 10 ms: the growth left is memory the upload really holds. */
  liveOnly: UploadRun;
  /** The same file through node:http + fs.createReadStream, no client library: what any streamed upload costs. */
  reference: { runs: UploadRun[]; median: UploadRun };
  allReceivedExactly: boolean;
}

export type UploadMode = 'client' | 'raw';

async function writeTempFile(path: string, bytes: number): Promise<void> {
  const block = randomBytes(MiB);
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      await handle.write(block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}

async function uploadOnce(
  server: BenchChild,
  baseUrl: string,
  warmupPath: string,
  filePath: string,
  mode: UploadMode,
  forceGc: boolean,
): Promise<UploadRun> {
  const uploader = startChild(
    'child-uploader.ts',
    [baseUrl, warmupPath, filePath, mode],
    forceGc ? { execArgv: ['--expose-gc'], env: { BENCH_FORCE_GC: '1' } } : {},
  );
  try {
    expectMessage(await server.next(), 'received'); // the warm-up
    const up = expectMessage(await uploader.next(), 'uploaded');
    const received = expectMessage(await server.next(), 'received');
    if (stringField(received, 'filename') !== 'bench-upload.mp4' || numberField(received, 'parts') !== 1) {
      throw new Error('the server did not get the bench file as one part');
    }
    const rssPeak = numberField(up, 'rssPeak');
    return {
      serverReceivedBytes: numberField(received, 'fileBytes'),
      responseSize: numberField(up, 'responseSize'),
      uploadMs: numberField(up, 'ms'),
      rssBaselineMiB: numberField(up, 'rssBaseline') / MiB,
      rssPeakMiB: rssPeak / MiB,
      rssGrowthMiB: (rssPeak - numberField(up, 'rssBaseline')) / MiB,
      rssGrowthFromColdMiB: (rssPeak - numberField(up, 'rssCold')) / MiB,
      arrayBuffersGrowthMiB: (numberField(up, 'peakArrayBuffers') - numberField(up, 'arrayBuffersBaseline')) / MiB,
      heapTotalGrowthMiB: (numberField(up, 'peakHeapTotal') - numberField(up, 'heapTotalBaseline')) / MiB,
      samples: numberField(up, 'samples'),
    };
  } finally {
    await uploader.stop();
  }
}

function medianRun(runs: UploadRun[]): UploadRun {
  const sorted = [...runs].sort((a, b) => a.rssGrowthMiB - b.rssGrowthMiB);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('no upload runs');
  return median;
}

export async function measureUploadMemory(repeats: number, referenceRepeats: number): Promise<UploadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'dify-bench-'));
  const server = startChild('child-upload-server.ts');
  try {
    // .mp4: Dify's 100 MB video limit is the one a file this size fits under (CONTRACT.md §3.8).
    const filePath = join(dir, 'bench-upload.mp4');
    const warmupPath = join(dir, 'warmup.txt');
    await writeTempFile(filePath, UPLOAD_BYTES);
    await writeFile(warmupPath, 'warm-up upload\n'.repeat(1024));
    const baseUrl = `http://127.0.0.1:${numberField(expectMessage(await server.next(), 'ready'), 'port')}/v1`;
    const once = (mode: UploadMode, forceGc = false) => uploadOnce(server, baseUrl, warmupPath, filePath, mode, forceGc);
    const runs: UploadRun[] = [];
    const referenceRuns: UploadRun[] = [];
    // Alternated, so load from elsewhere on the machine hits both alike.
    for (let i = 0; i < Math.max(repeats, referenceRepeats); i++) {
      if (i < repeats) runs.push(await once('client'));
      if (i < referenceRepeats) referenceRuns.push(await once('raw'));
    }
    const liveOnly = await once('client', true);
    const all = [...runs, liveOnly, ...referenceRuns];
    return {
      fileBytes: UPLOAD_BYTES,
      runs,
      median: medianRun(runs),
      liveOnly,
      reference: { runs: referenceRuns, median: medianRun(referenceRuns) },
      allReceivedExactly: all.every((r) => r.serverReceivedBytes === UPLOAD_BYTES && r.responseSize === UPLOAD_BYTES),
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
