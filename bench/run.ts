// `npm run bench`: activation cost and bundle size, stream throughput (ours vs the official SDK vs the JSON.parse floor),
// one big event vs many small ones, upload memory, the chat webview in Chromium (streaming, latency, opening a long
// conversation), and a long chatflow's host→view traffic and view CPU.
// Figures only, no timing assertions. Knobs (env): BENCH_STREAM_MIB, BENCH_RUNS, BENCH_WARMUPS, BENCH_WRITE_SIZE,
// BENCH_BIG_EVENT_MIB, BENCH_BIG_EVENT_RUNS, BENCH_UPLOAD_RUNS, BENCH_REFERENCE_RUNS, BENCH_WEBVIEW_DELTAS,
// BENCH_WEBVIEW_OPEN_RUNS, BENCH_CHATFLOW_ITERATIONS.
import { measureActivation, printActivation } from './activation.js';
import { measureBigEvent, printBigEvent } from './big-event.js';
import { measureChatflowView, printChatflowView } from './chatflow-view.js';
import { expectMessage, numberField, startChild, stringField } from './child-process.js';
import { currentLoad, environment, printStream, printUpload, streamRatios, targetsMet, TARGETS, writeResults, type BenchResults } from './report.js';
import { buildChatStream } from './stream-fixture.js';
import { measureStreamThroughput } from './stream-throughput.js';
import { measureUploadMemory } from './upload-memory.js';
import { measureWebview, printWebview, WEBVIEW_TARGETS } from './webview.js';

function knob(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function measureStream(): Promise<BenchResults['stream']> {
  const streamBytes = knob('BENCH_STREAM_MIB', 50) * 2 ** 20;
  const writeSize = knob('BENCH_WRITE_SIZE', 16 * 1024);
  const warmups = knob('BENCH_WARMUPS', 2);
  const runs = knob('BENCH_RUNS', 7);
  // Both processes build the same deterministic stream; the server's copy is checked against ours by hash.
  const server = startChild('child-stream-server.ts', [String(streamBytes), String(writeSize)]);
  try {
    const fixture = buildChatStream(streamBytes);
    const ready = expectMessage(await server.next(), 'ready');
    if (stringField(ready, 'sha256') !== fixture.sha256) throw new Error('the stream server built a different stream');
    const results = await measureStreamThroughput(`http://127.0.0.1:${numberField(ready, 'port')}/v1`, fixture, { warmups, runs, writeSize });
    const stream = { bytes: fixture.body.length, events: fixture.events, pings: fixture.pings, writeSize, warmups, runs, results, ratios: streamRatios(results) };
    printStream(fixture, stream);
    return stream;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const env = environment();
  console.log(`Dify client benchmark: Node ${env.node}, ${env.platform}, ${env.cpus} × ${env.cpuModel}, load average ${env.loadavgAtStart.join(' ')}`);

  const activation = measureActivation(knob('BENCH_ACTIVATION_RUNS', 9));
  printActivation(activation);
  const stream = await measureStream();
  const bigEvent = await measureBigEvent({
    textBytes: knob('BENCH_BIG_EVENT_MIB', 16) * 2 ** 20,
    writeSize: knob('BENCH_WRITE_SIZE', 16 * 1024),
    warmups: knob('BENCH_WARMUPS', 2),
    runs: knob('BENCH_BIG_EVENT_RUNS', 7),
  });
  printBigEvent(bigEvent);
  const upload = await measureUploadMemory(knob('BENCH_UPLOAD_RUNS', 7), knob('BENCH_REFERENCE_RUNS', 3));
  printUpload(upload);
  const webview = await measureWebview({
    answerBytes: 100_000,
    deltas: knob('BENCH_WEBVIEW_DELTAS', 20_000),
    deltasPerTick: 20,
    openTurns: 2_000,
    openRuns: knob('BENCH_WEBVIEW_OPEN_RUNS', 5),
  });
  printWebview(webview);
  const chatflow = await measureChatflowView({ iterations: knob('BENCH_CHATFLOW_ITERATIONS', 1_000) });
  printChatflowView(chatflow);

  const met = {
    ...targetsMet(stream.results, upload),
    bigEventOverSmall: bigEvent.bigOverSmall < TARGETS.bigEventOverSmall,
    webviewStreamOverSet: webview.streamOverSet <= WEBVIEW_TARGETS.streamOverSet,
    webviewLatencyP95: webview.latencyMs.p95 <= WEBVIEW_TARGETS.latencyP95Ms,
    webviewOpen: webview.open.medianMs <= WEBVIEW_TARGETS.openMs,
    chatflowBytesEndOverStart: chatflow.endOverStart <= TARGETS.chatflowBytesEndOverStart,
  };
  const missed = Object.keys(met).filter((name) => !met[name as keyof typeof met]);
  console.log(`\nTargets: ${Object.keys(met).length - missed.length} of ${Object.keys(met).length} met${missed.length ? `; missed: ${missed.join(', ')}` : ''}.`);

  const durationSeconds = (performance.now() - started) / 1000;
  const file = await writeResults({
    date: new Date().toISOString(),
    environment: { ...env, loadavgAtEnd: currentLoad() },
    activation,
    stream,
    bigEvent,
    upload,
    webview,
    chatflow,
    targets: {
      ...TARGETS,
      webview: WEBVIEW_TARGETS,
      met,
    },
    durationSeconds,
  });
  console.log(`\nFigures written to ${file} (${durationSeconds.toFixed(1)} s).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
