// One big event against many small ones: a workflow run whose `workflow_finished` outputs hold a 16 MiB string
// (Dify sends a run over a large file so: one data line of many MB) against the same text in ~4,000 `text_chunk`
// events of 4 KiB, both served in 16 KiB writes over a real socket by a child process and read with
// AppClient.streamWorkflow in another fresh child, which also reports its peak memory growth while reading the big
// one. Linear framing keeps big ÷ small small; joining the pending tail to every chunk would make it quadratic.
import { expectMessage, numberField, startChild, stringField } from './child-process.js';
import { TARGETS } from './report.js';

export interface BigEventResults {
  textBytes: number;
  writeSize: number;
  warmups: number;
  runs: number;
  big: { bytes: number; events: number; lineBytes: number; medianMs: number; runsMs: number[]; firstMs: number };
  small: { bytes: number; events: number; segmentBytes: number; medianMs: number; runsMs: number[] };
  /** JSON.parse of the big data line alone, in memory (median). */
  floorMs: number;
  bigOverSmall: number;
  /** Peak − baseline while reading the big stream the first time in a fresh process (MiB). */
  growthMiB: { rss: number; heapUsed: number; heapTotal: number; arrayBuffers: number; external: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function numbers(message: Record<string, unknown>, key: string): number[] {
  const value = message[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) throw new Error(`bench child message has no number list "${key}"`);
  return value as number[];
}

export async function measureBigEvent(options: { textBytes: number; writeSize: number; warmups: number; runs: number }): Promise<BigEventResults> {
  const server = startChild('child-big-event-server.ts', [String(options.textBytes), String(options.writeSize)]);
  try {
    const ready = expectMessage(await server.next(), 'ready');
    const baseUrl = `http://127.0.0.1:${numberField(ready, 'port')}/v1`;
    const reader = startChild(
      'child-big-event-reader.ts',
      [baseUrl, String(options.textBytes), String(options.warmups), String(options.runs), stringField(ready, 'bigSha256'), stringField(ready, 'smallSha256')],
      { execArgv: ['--expose-gc'] },
    );
    try {
      const r = expectMessage(await reader.next(), 'read');
      const growth = r.growthMiB as BigEventResults['growthMiB'];
      const bigMs = numbers(r, 'bigMs');
      const smallMs = numbers(r, 'smallMs');
      return {
        ...options,
        big: {
          bytes: numberField(r, 'bigBytes'),
          events: numberField(r, 'bigEvents'),
          lineBytes: numberField(r, 'bigLineBytes'),
          medianMs: median(bigMs),
          runsMs: bigMs.map((t) => Math.round(t * 10) / 10),
          firstMs: numberField(r, 'firstBigMs'),
        },
        small: {
          bytes: numberField(r, 'smallBytes'),
          events: numberField(r, 'smallEvents'),
          segmentBytes: numberField(r, 'segmentBytes'),
          medianMs: median(smallMs),
          runsMs: smallMs.map((t) => Math.round(t * 10) / 10),
        },
        floorMs: numberField(r, 'floorMs'),
        bigOverSmall: median(bigMs) / median(smallMs),
        growthMiB: growth,
      };
    } finally {
      await reader.stop();
    }
  } finally {
    await server.stop();
  }
}

export function printBigEvent(r: BigEventResults): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const mb = (bytes: number) => f(bytes / 1e6, 2);
  const ok = r.bigOverSmall < TARGETS.bigEventOverSmall;
  console.log(
    `\nBIG EVENT  AppClient.streamWorkflow over a socket, served by a child process in ${r.writeSize / 1024} KiB writes; ` +
      `median of ${r.runs} runs after ${r.warmups} warm-ups, interleaved.\n` +
      `           big: one workflow_finished whose outputs hold a ${f(r.textBytes / 2 ** 20, 0)} MiB string ` +
      `(${mb(r.big.lineBytes)} MB data line; ${mb(r.big.bytes)} MB, ${int(r.big.events)} events);\n` +
      `           small: the same text as ${int(r.small.events - r.big.events)} text_chunk events of ${r.small.segmentBytes / 1024} KiB ` +
      `(${mb(r.small.bytes)} MB, ${int(r.small.events)} events).\n`,
  );
  const rows = [
    ['figure', 'value', 'target', ''],
    [`big: one ${f(r.textBytes / 2 ** 20, 0)} MiB event`, `${f(r.big.medianMs)} ms (${f(r.big.bytes / 1e6 / (r.big.medianMs / 1000))} MB/s)`, '', ''],
    ['small: ~4,000 events of 4 KiB', `${f(r.small.medianMs)} ms (${f(r.small.bytes / 1e6 / (r.small.medianMs / 1000))} MB/s)`, '', ''],
    ['big ÷ small', `${f(r.bigOverSmall, 2)}×`, `< ${TARGETS.bigEventOverSmall}×`, ok ? 'met' : 'MISSED'],
    ['  JSON.parse of the big data line alone', `${f(r.floorMs)} ms`, '', ''],
    ['  first big read in a fresh process', `${f(r.big.firstMs)} ms`, '', ''],
    ['peak growth reading the big one: RSS', `${f(r.growthMiB.rss)} MiB (${f(r.growthMiB.rss / (r.big.lineBytes / 2 ** 20), 1)}× the event)`, '', ''],
    ['  JS heap used / heap total', `${f(r.growthMiB.heapUsed)} / ${f(r.growthMiB.heapTotal)} MiB`, '', ''],
    ['  buffers (ArrayBuffer) / external', `${f(r.growthMiB.arrayBuffers)} / ${f(r.growthMiB.external)} MiB`, '', ''],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
