// Bench child: reads the big-event and small-events workflow streams with AppClient.streamWorkflow, in a fresh
// process (--expose-gc), so the memory it reports belongs to the read alone. First a small read (code loaded, the
// connection open), then one big read with memory sampled every 2 ms and at every event, then timed rounds of both,
// interleaved; last, the JSON.parse floor of the big data line. argv: baseUrl, text bytes, warm-ups, runs, the two sha256.
import { setTimeout as sleep } from 'node:timers/promises';
import { AppClient } from '../src/dify/index.js';
import { buildBigEventStreams, type BigEventShape } from './big-event-fixture.js';
import { sendToParent } from './child-process.js';

const [baseUrl = '', textBytes = '0', warmups = '1', runs = '5', bigSha256 = '', smallSha256 = ''] = process.argv.slice(2);
const client = new AppClient({ baseUrl, apiKey: 'app-bench0000000000000000', user: 'bench-user' });
const MiB = 2 ** 20;

interface Read {
  ms: number;
  events: number;
  textChars: number;
}

interface Peak {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  arrayBuffers: number;
  external: number;
}

let peak: Peak | undefined;
function sample(): void {
  if (!peak) return;
  const usage = process.memoryUsage();
  for (const key of Object.keys(peak) as (keyof Peak)[]) if (usage[key] > peak[key]) peak[key] = usage[key];
}

/** What a consumer does: count the events, and take the text (the big output, or each text_chunk's). */
async function read(shape: BigEventShape): Promise<Read> {
  const started = performance.now();
  const stream = await client.streamWorkflow({ inputs: { shape } });
  let events = 0;
  let textChars = 0;
  for await (const event of stream) {
    events++;
    if (event.event === 'text_chunk') textChars += event.data.text.length;
    else if (event.event === 'workflow_finished' && shape === 'big') textChars += String(event.data.outputs?.summary ?? '').length;
    sample(); // while the event is alive: the big one holds its string now
  }
  return { ms: performance.now() - started, events, textChars };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const reads: Record<BigEventShape, Read[]> = { big: [], small: [] };
  reads.small.push(await read('small'));
  gc?.();
  await sleep(100);
  const baseline = process.memoryUsage();
  peak = { rss: baseline.rss, heapUsed: baseline.heapUsed, heapTotal: baseline.heapTotal, arrayBuffers: baseline.arrayBuffers, external: baseline.external };
  const sampler = setInterval(sample, 2);
  const first = await read('big');
  clearInterval(sampler);
  sample();
  const memoryPeak: Peak = peak;
  peak = undefined;
  reads.big.push(first);

  const times: Record<BigEventShape, number[]> = { big: [], small: [] };
  const rounds = Number(warmups) + Number(runs);
  for (let round = 0; round < rounds; round++) {
    // Alternated, so drift (other load, GC state) hits both alike.
    for (const shape of round % 2 ? (['small', 'big'] as const) : (['big', 'small'] as const)) {
      const r = await read(shape);
      reads[shape].push(r);
      if (round >= Number(warmups)) times[shape].push(r.ms);
    }
  }

  const fixture = buildBigEventStreams(Number(textBytes));
  if (fixture.big.sha256 !== bigSha256 || fixture.small.sha256 !== smallSha256) throw new Error('the server built other streams than the reader');
  for (const shape of ['big', 'small'] as const) {
    for (const r of reads[shape]) {
      if (r.events !== fixture[shape].events || r.textChars !== fixture[shape].textChars) {
        throw new Error(`a ${shape} read saw ${r.events} events / ${r.textChars} chars; the stream has ${fixture[shape].events} / ${fixture[shape].textChars}`);
      }
    }
  }
  const floor: number[] = [];
  for (let i = 0; i < Number(warmups) + Number(runs); i++) {
    const started = performance.now();
    JSON.parse(fixture.bigLine);
    if (i >= Number(warmups)) floor.push(performance.now() - started);
  }

  sendToParent({
    type: 'read',
    bigMs: times.big,
    smallMs: times.small,
    floorMs: median(floor),
    firstBigMs: first.ms,
    bigBytes: fixture.big.body.length,
    smallBytes: fixture.small.body.length,
    bigEvents: fixture.big.events,
    smallEvents: fixture.small.events,
    bigLineBytes: fixture.big.longestLine,
    segmentBytes: fixture.segmentBytes,
    textChars: fixture.big.textChars,
    growthMiB: {
      rss: (memoryPeak.rss - baseline.rss) / MiB,
      heapUsed: (memoryPeak.heapUsed - baseline.heapUsed) / MiB,
      heapTotal: (memoryPeak.heapTotal - baseline.heapTotal) / MiB,
      arrayBuffers: (memoryPeak.arrayBuffers - baseline.arrayBuffers) / MiB,
      external: (memoryPeak.external - baseline.external) / MiB,
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
