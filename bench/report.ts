// The bench's output: tables on stdout and the same figures as JSON in bench/.data/results.json.
import type { ActivationResults } from './activation.js';
import type { BigEventResults } from './big-event.js';
import type { ChatflowViewResults } from './chatflow-view.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { ChatStreamFixture } from './stream-fixture.js';
import type { Contender, Sample } from './stream-throughput.js';
import type { UploadResult, UploadRun } from './upload-memory.js';
import type { WebviewResults, WEBVIEW_TARGETS } from './webview.js';

export const TARGETS = {
  oursMbPerSec: 100,
  oursOverOfficial: 1,
  /** The JSON.parse floor ÷ ours (MB/s): ours within 1.5× of parsing alone. */
  floorOverOurs: 1.5,
  uploadRssGrowthMiB: 32,
  /** One 16 MiB event ÷ the same bytes as ~4,000 small events (time): below this, big events are linear. */
  bigEventOverSmall: 3,
  /** A 1,000-iteration chatflow: host→view bytes per node event at the end of the run ÷ at its start. */
  chatflowBytesEndOverStart: 2,
};

export interface Environment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  /** Other work on the machine skews timings: 1, 5 and 15 minute load averages. */
  loadavgAtStart: number[];
  loadavgAtEnd?: number[];
}

export interface StreamRatios {
  oursOverOfficial: number;
  oursOverFloor: number;
  floorOverOurs: number;
}

export interface BenchResults {
  date: string;
  environment: Environment;
  activation: ActivationResults;
  stream: {
    bytes: number;
    events: number;
    pings: number;
    writeSize: number;
    warmups: number;
    runs: number;
    results: Record<Contender, Sample>;
    ratios: StreamRatios;
  };
  bigEvent: BigEventResults;
  upload: UploadResult;
  webview: WebviewResults;
  chatflow: ChatflowViewResults;
  targets: typeof TARGETS & { webview: typeof WEBVIEW_TARGETS; met: Record<string, boolean> };
  durationSeconds: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function environment(): Environment {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    loadavgAtStart: loadavg().map(round2),
  };
}

export function currentLoad(): number[] {
  return loadavg().map(round2);
}

/** Columns sized to fit. `align` has one letter per column, l or r; the default is l then r. */
function printTable(rows: string[][], align = 'l'): void {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  for (const row of rows) {
    const cells = row.map((cell, i) => ((align[i] ?? 'r') === 'l' ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)));
    console.log(cells.join('  ').trimEnd());
  }
}

export function streamRatios(results: Record<Contender, Sample>): StreamRatios {
  return {
    oursOverOfficial: results.ours.mbPerSec / results.official.mbPerSec,
    oursOverFloor: results.ours.mbPerSec / results.floor.mbPerSec,
    floorOverOurs: results.floor.mbPerSec / results.ours.mbPerSec,
  };
}

export function targetsMet(results: Record<Contender, Sample>, upload: UploadResult): Record<string, boolean> {
  const ratios = streamRatios(results);
  return {
    oursMbPerSec: results.ours.mbPerSec >= TARGETS.oursMbPerSec,
    oursOverOfficial: ratios.oursOverOfficial >= TARGETS.oursOverOfficial,
    floorOverOurs: ratios.floorOverOurs <= TARGETS.floorOverOurs,
    uploadRssGrowthMiB: upload.median.rssGrowthMiB < TARGETS.uploadRssGrowthMiB,
    uploadReceivedExactly: upload.allReceivedExactly,
  };
}

const LABELS: Record<Contender, string> = {
  ours: '(a) ours: AppClient.streamChatMessage',
  official: '(b) dify-client 2.3.2 + eventsource-parser',
  floor: '(c) floor: JSON.parse of each data string',
  bytes: '(d) in memory: our framing + decoding + JSON.parse',
  transport: '    transport only: undici body, no parsing',
};

export function printStream(fixture: ChatStreamFixture, stream: BenchResults['stream']): void {
  const { results, ratios } = stream;
  console.log(
    `\nSTREAM  ${fixed(fixture.body.length / 1e6, 2)} MB (MB = 10^6 bytes): ${int(fixture.events)} events + ${fixture.pings} pings, ` +
      `served from memory in ${stream.writeSize / 1024} KiB writes by a child process.\n` +
      `        Median of ${stream.runs} runs after ${stream.warmups} warm-ups, contenders interleaved.\n`,
  );
  const rows = [['contender', 'median ms', 'MB/s', 'events/s', 'min–max ms']];
  for (const name of Object.keys(LABELS) as Contender[]) {
    const s = results[name];
    rows.push([
      LABELS[name],
      fixed(s.medianMs),
      fixed(s.mbPerSec),
      name === 'transport' ? '—' : int(s.eventsPerSec),
      `${int(s.minMs)}–${int(s.maxMs)}`,
    ]);
  }
  printTable(rows);
  console.log('');
  const floorOk = ratios.floorOverOurs <= TARGETS.floorOverOurs;
  printTable([
    ['figure', 'value', 'target', ''],
    ['ours MB/s', fixed(results.ours.mbPerSec), `≥ ${TARGETS.oursMbPerSec}`, verdict(results.ours.mbPerSec >= TARGETS.oursMbPerSec)],
    ['ours / (b)', `${fixed(ratios.oursOverOfficial, 2)}×`, '≥ 1.00× (ours ≥ official)', verdict(ratios.oursOverOfficial >= 1)],
    ['ours / (c)', `${fixed(ratios.oursOverFloor, 2)}×`, `≥ ${fixed(1 / TARGETS.floorOverOurs, 2)}× (within ${TARGETS.floorOverOurs}× of floor)`, verdict(floorOk)],
    ['floor / ours', `${fixed(ratios.floorOverOurs, 2)}×`, `≤ ${fixed(TARGETS.floorOverOurs, 2)}×`, verdict(floorOk)],
    ['  of which (c) → (d): decoding bytes', `${fixed(results.bytes.medianMs / results.floor.medianMs, 2)}×`, '', ''],
    ['  of which (d) → (a): HTTP read, iteration', `${fixed(results.ours.medianMs / results.bytes.medianMs, 2)}×`, '', ''],
  ], 'lrll');
}

function uploadRow(label: string, r: UploadRun): string[] {
  return [
    label,
    fixed(r.rssGrowthMiB),
    fixed(r.arrayBuffersGrowthMiB),
    fixed(r.heapTotalGrowthMiB),
    fixed(r.rssGrowthFromColdMiB),
    int(r.uploadMs),
    fixed(r.serverReceivedBytes / 1e6 / (r.uploadMs / 1000), 0),
  ];
}

export function printUpload(upload: UploadResult): void {
  console.log(
    `\nUPLOAD  ${upload.fileBytes / 2 ** 20} MiB temp file, AppClient.uploadFile({ path }), a fresh child process per run,\n` +
      '        memory sampled every 2 ms; growth = peak − baseline taken after a small warm-up upload (MiB).\n' +
      '        buffers = Buffer/ArrayBuffer memory, live or awaiting GC; cold = RSS growth from before the first request.\n',
  );
  printTable([
    ['run', 'RSS Δ', 'buffers Δ', 'heap Δ', 'cold Δ', 'ms', 'MB/s'],
    ...upload.runs.map((r, i) => uploadRow(`ours #${i + 1}`, r)),
    uploadRow('ours, GC forced every 10 ms', upload.liveOnly),
    ...upload.reference.runs.map((r, i) => uploadRow(`reference: node:http + fs stream #${i + 1}`, r)),
  ]);
  const received = [...upload.runs, upload.liveOnly, ...upload.reference.runs].map((r) => r.serverReceivedBytes);
  const growths = upload.runs.map((r) => r.rssGrowthMiB);
  console.log(
    `\nserver received ${[...new Set(received)].map(int).join(', ')} bytes per upload (file: ${int(upload.fileBytes)}): ` +
      `${upload.allReceivedExactly ? 'exact in every run' : 'MISMATCH'}\n`,
  );
  printTable([
    ['figure', 'value', 'target', ''],
    [
      'ours: peak RSS growth, median',
      `${fixed(upload.median.rssGrowthMiB)} MiB`,
      `< ${TARGETS.uploadRssGrowthMiB} MiB`,
      `${verdict(upload.median.rssGrowthMiB < TARGETS.uploadRssGrowthMiB)} (runs ${fixed(Math.min(...growths))}–${fixed(Math.max(...growths))})`,
    ],
    ['ours, live only (GC forced every 10 ms)', `${fixed(upload.liveOnly.rssGrowthMiB)} MiB`, '', ''],
    ['reference node:http + fs stream, median', `${fixed(upload.reference.median.rssGrowthMiB)} MiB`, '', ''],
  ], 'lrll');
}

export async function writeResults(results: BenchResults): Promise<string> {
  const dir = join(import.meta.dirname, '.data');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'results.json');
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
