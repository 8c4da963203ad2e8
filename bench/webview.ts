// The chat webview in headless Chromium with the production (minified) bundle and the real page, framed by a host
// page of another site (another process) that posts the host messages, as VS Code's webview host does: a 100 KB
// markdown answer streamed in 20,000 deltas against one render of the final text (scripting + layout time of the
// view's process, CDP Performance.getMetrics), host→DOM latency per delta, and opening a 2,000-message conversation.
import type { CDPSession, Page } from 'playwright-core';
import type { ChatState, ChatTurn } from '../src/protocol.js';
import { WebviewHarness } from '../test/webview/harness.js';
import { deliverFramed, openFramedView, startHostPage } from './webview-host.js';

export const WEBVIEW_TARGETS = { streamOverSet: 3, latencyP95Ms: 16, openMs: 300 };

export interface WebviewResults {
  answerBytes: number;
  deltas: number;
  deltasPerTick: number;
  /** Messages the deltas went in (the host coalesces each network read's deltas into one). */
  messages: number;
  streamMs: { script: number; layout: number; style: number; wall: number };
  setMs: { script: number; layout: number; style: number };
  /** The same deltas posted to a turn the view does not have: receiving and validating them, no rendering. */
  deliveryMs: { script: number; layout: number };
  streamOverSet: number;
  latencyMs: { p50: number; p95: number; max: number; frames: number };
  /** One delta every 5 ms (a fast model), not a firehose; `inView`: from its arrival in the view to the DOM. */
  pacedLatencyMs: { deltas: number; p50: number; p95: number; inViewP50: number; inViewP95: number };
  /** The same stream with one message per delta (no host coalescing). */
  uncoalesced: { messages: number; scriptLayoutMs: number; overSet: number; p50: number; p95: number };
  open: { turns: number; runs: number; medianMs: number; minMs: number; maxMs: number; elements: number; articles: number };
  /**
   * A reasoning model's answer: a long `<think>` block, then a short answer, streamed in deltas of the same size as
   * the answer's; and a block half as long. Task time of the view's main thread (rendering included), and ÷ one set().
   */
  think: {
    bytes: number;
    deltas: number;
    full: { script: number; layout: number; task: number };
    half: { script: number; layout: number; task: number };
    /** Twice as long ÷ half (2 when linear, 4 when each delta costs what the whole block so far costs). */
    scriptDoubleOverSingle: number;
    layoutDoubleOverSingle: number;
    setTaskMs: number;
  };
}

const PACED_DELTAS = 1_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** About `bytes` of markdown as a model writes it: headings, prose with inline code and links, lists, code fences. */
export function markdownAnswer(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part =
      i % 4 === 0
        ? `## Step ${i}\n\nThe \`handler\` reads the request, checks the **token** and calls the [service](https://example.com/docs/${i}). ` +
          'It retries on network errors with a short backoff, and logs what it did so the next person can follow it.\n\n'
        : i % 4 === 1
          ? `- First, open \`config-${i}.json\` and set *timeout* to 30.\n- Then restart the worker.\n  - Nested: check the logs.\n- Finally, run the tests.\n\n`
          : i % 4 === 2
            ? '```ts\n' + `export async function step${i}(input: string): Promise<number> {\n  const value = await parse(input);\n  if (value > ${i}) return value * 2;\n  return value;\n}\n` + '```\n\n'
            : `1. Measure before changing anything (${i}).\n2. Change one thing.\n3. Measure again.\n\n> A note: keep the change small.\n\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('').slice(0, bytes);
}

function split(text: string, pieces: number): string[] {
  const size = Math.ceil(text.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function baseState(turns: ChatTurn[] = []): ChatState {
  return {
    apps: [{ id: 'app-1', name: 'Bench', mode: 'chat' }],
    app: {
      id: 'app-1',
      name: 'Bench',
      mode: 'chat',
      origin: 'https://dify.example',
      openingStatement: '',
      suggestedQuestions: [],
      suggestedAfterAnswer: false,
      inputForm: [],
      fileUpload: { enabled: false, allowedFileTypes: [], allowedExtensions: [], maxFiles: 0, sizeLimits: { image: 0, document: 0, audio: 0, video: 0, custom: 0 }, localUpload: false, remoteUrl: false },
    },
    loadingApp: false,
    conversationId: turns.length ? 'conv' : undefined,
    turns,
    draft: { text: '', attachments: [] },
    inputs: {},
    inputFiles: {},
    inputsLocked: turns.length > 0,
    hasOlder: false,
  };
}

function turn(id: string, answer: string, status: ChatTurn['status']): ChatTurn {
  return { id, query: `Question ${id}?`, attachments: [], answer, status, thoughts: [], files: [], citations: [], nodes: [], createdAt: 0, messageId: `m-${id}` };
}

type Metrics = { script: number; layout: number; style: number; task: number };

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration'), task: get('TaskDuration') };
}

const diff = (a: Metrics, b: Metrics): Metrics => ({
  script: b.script - a.script,
  layout: b.layout - a.layout,
  style: b.style - a.style,
  task: b.task - a.task,
});

async function openPage(harness: WebviewHarness): Promise<{ page: Page; cdp: CDPSession }> {
  const chat = await harness.open({ width: 420, height: 800 });
  const cdp = await chat.page.context().newCDPSession(chat.page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { page: chat.page, cdp };
}

/** Posts a message and resolves after the frame that follows its handling. */
async function deliver(page: Page, message: unknown): Promise<number> {
  return page.evaluate(
    (m) =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        window.addEventListener('message', () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0)), { once: true });
        window.postMessage(m, '*');
      }),
    message,
  );
}

/**
 * Runs in the view (as source text: tsx's helpers do not exist there): notes, for each delta, when the DOM mutation
 * that first shows it happened (epoch ms, comparable across processes), or when the last one arrived for a turn the
 * view does not have.
 */
const VIEW_RECORDER = `(count, turnId) => {
  // The whole turn: a <think> block streams into the Thinking section above the answer.
  const answerElement = document.querySelector('article[data-turn-id="live"]');
  const now = () => performance.timeOrigin + performance.now();
  const shownAt = [], arrivedAt = [];
  let received = 0, frames = 0;
  window.__recorded = new Promise((resolve) => {
    // Added after the view's own listener: when it runs, the view has handled this delta.
    window.addEventListener('message', (event) => {
      if (!event.data || event.data.type !== 'delta') return;
      received++;
      arrivedAt.push(now());
      if (turnId !== 'live' && received === count) setTimeout(() => resolve({ shownAt: [now()], arrivedAt, frames: 0 }), 0);
    });
    const observer = new MutationObserver(() => {
      const at = now();
      if (received > shownAt.length) frames++;
      while (shownAt.length < received) shownAt.push(at);
      if (shownAt.length === count) { observer.disconnect(); resolve({ shownAt, arrivedAt, frames }); }
    });
    observer.observe(answerElement, { childList: true, subtree: true, characterData: true });
  });
}`;

/**
 * Runs in the host page: posts the deltas into the view `perTick` per task, like network reads from Dify. Coalesced,
 * each read's deltas go as one message, as the extension host's DeltaBatcher sends them; otherwise one message each.
 */
const SENDER = `(deltas, perTick, turnId, intervalMs, coalesce) => new Promise((resolve) => {
  const target = document.getElementById('view').contentWindow;
  const postedAt = [], sizes = [];
  let next = 0;
  const post = (text, size) => {
    postedAt.push(performance.timeOrigin + performance.now());
    sizes.push(size);
    target.postMessage({ type: 'delta', turnId, text }, '*');
  };
  function tick() {
    const read = deltas.slice(next, next + perTick);
    next += read.length;
    if (coalesce) post(read.join(''), read.length);
    else for (const delta of read) post(delta, 1);
    if (next < deltas.length) setTimeout(tick, intervalMs);
    else resolve({ postedAt, sizes });
  }
  tick();
})`;

async function measureStream(harness: WebviewHarness, host: string, deltas: string[], perTick: number, options: { turnId?: string; intervalMs?: number; coalesce?: boolean } = {}) {
  const { turnId = 'live', intervalMs = 0, coalesce = true } = options;
  const messages = coalesce ? Math.ceil(deltas.length / perTick) : deltas.length;
  const { page, view, cdp } = await openFramedView(harness, host);
  await deliverFramed(page, view, { type: 'state', state: baseState() });
  await deliverFramed(page, view, { type: 'turn', turn: turn('live', '', 'streaming') });
  await view.evaluate(`(${VIEW_RECORDER})(${messages}, ${JSON.stringify(turnId)})`);
  const before = await metrics(cdp);
  const sent = (await page.evaluate(`(${SENDER})(${JSON.stringify(deltas)}, ${perTick}, ${JSON.stringify(turnId)}, ${intervalMs}, ${coalesce})`)) as { postedAt: number[]; sizes: number[] };
  const { shownAt, arrivedAt, frames } = (await view.evaluate('window.__recorded')) as { shownAt: number[]; arrivedAt: number[]; frames: number };
  const after = await metrics(cdp);
  const rendered = await view.evaluate(() => document.querySelector('article[data-turn-id="live"]')!.textContent!.length);
  if (turnId === 'live' && rendered < deltas.join('').length * 0.5) throw new Error(`the streamed answer did not render (${rendered} characters)`);
  await page.context().close();
  // Each delta waited as long as the message it went in: posted → shown, and of that, arrived in the view → shown.
  const perDelta = (from: (i: number) => number) =>
    turnId === 'live' ? shownAt.flatMap((at, i) => Array<number>(sent.sizes[i]!).fill(at - from(i))) : [];
  const latencies = perDelta((i) => sent.postedAt[i]!);
  const inView = perDelta((i) => arrivedAt[i]!);
  return { ...diff(before, after), wall: shownAt[shownAt.length - 1]! - sent.postedAt[0]!, latencies, inView, frames, messages };
}

async function measureSet(harness: WebviewHarness, answer: string) {
  const { page, cdp } = await openPage(harness);
  await deliver(page, { type: 'state', state: baseState() });
  const before = await metrics(cdp);
  await deliver(page, { type: 'turn', turn: turn('whole', answer, 'done') });
  const after = await metrics(cdp);
  await page.close();
  return diff(before, after);
}

async function measureOpen(harness: WebviewHarness, count: number) {
  const { page } = await openPage(harness);
  await deliver(page, { type: 'state', state: baseState() });
  const turns = Array.from({ length: count }, (_, i) =>
    turn(`t${i}`, `Answer ${i}: a paragraph with **bold** text and \`code\`.\n\n- a point\n- another point\n\n\`\`\`js\nconsole.log(${i});\n\`\`\``, 'done'),
  );
  const ms = await deliver(page, { type: 'state', state: baseState(turns) });
  await page.waitForTimeout(300);
  const dom = await page.evaluate(() => ({ elements: document.getElementsByTagName('*').length, articles: document.querySelectorAll('article').length }));
  await page.close();
  return { ms, ...dom };
}

export async function measureWebview(options: { answerBytes: number; deltas: number; deltasPerTick: number; openTurns: number; openRuns: number }): Promise<WebviewResults> {
  const harness = await WebviewHarness.start({ minify: true });
  const hostPage = await startHostPage();
  const host = hostPage.origin;
  try {
    const answer = markdownAnswer(options.answerBytes);
    const deltas = split(answer, options.deltas);
    // A warm-up of each, so both measured runs find the bundle parsed and compiled alike.
    await measureSet(harness, answer);
    const set = await measureSet(harness, answer);
    const stream = await measureStream(harness, host, deltas, options.deltasPerTick);
    // The same messages to a turn the view does not have: what receiving them costs the view by itself.
    const delivery = await measureStream(harness, host, deltas, options.deltasPerTick, { turnId: 'nobody' });
    // A model's pace (one delta every 5 ms, 200 per second) instead of a firehose: the latency a user sees.
    const paced = await measureStream(harness, host, deltas.slice(0, PACED_DELTAS), 1, { intervalMs: 5 });
    // Every delta its own message, as a host that does not coalesce would send them.
    const single = await measureStream(harness, host, deltas, options.deltasPerTick, { coalesce: false });
    // A reasoning model: a long <think> block (as long as the answer above), then a short answer; and half of it.
    const reasoningAnswer = (bytes: number) => `<think>\n${markdownAnswer(bytes).replace(/[<>]/g, ' ')}\n</think>\n\n${markdownAnswer(4096)}`;
    const thought = reasoningAnswer(options.answerBytes);
    const thinkDeltas = split(thought, options.deltas);
    const pieceSize = thinkDeltas[0]!.length;
    const halfDeltas = split(reasoningAnswer(options.answerBytes / 2), Math.ceil(reasoningAnswer(options.answerBytes / 2).length / pieceSize));
    await measureSet(harness, thought);
    const thinkSet = await measureSet(harness, thought);
    const thinkStream = await measureStream(harness, host, thinkDeltas, options.deltasPerTick);
    const thinkHalf = await measureStream(harness, host, halfDeltas, options.deltasPerTick);
    const percentile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
    const opens = [];
    for (let i = 0; i < options.openRuns; i++) opens.push(await measureOpen(harness, options.openTurns));
    const times = opens.map((o) => o.ms);
    return {
      answerBytes: answer.length,
      deltas: deltas.length,
      deltasPerTick: options.deltasPerTick,
      messages: stream.messages,
      streamMs: { script: stream.script, layout: stream.layout, style: stream.style, wall: stream.wall },
      setMs: set,
      deliveryMs: { script: delivery.script, layout: delivery.layout },
      streamOverSet: (stream.script + stream.layout) / (set.script + set.layout),
      latencyMs: { p50: percentile(stream.latencies, 0.5), p95: percentile(stream.latencies, 0.95), max: percentile(stream.latencies, 1), frames: stream.frames },
      pacedLatencyMs: {
        deltas: paced.latencies.length,
        p50: percentile(paced.latencies, 0.5),
        p95: percentile(paced.latencies, 0.95),
        inViewP50: percentile(paced.inView, 0.5),
        inViewP95: percentile(paced.inView, 0.95),
      },
      uncoalesced: {
        messages: single.messages,
        scriptLayoutMs: single.script + single.layout,
        overSet: (single.script + single.layout) / (set.script + set.layout),
        p50: percentile(single.latencies, 0.5),
        p95: percentile(single.latencies, 0.95),
      },
      open: {
        turns: options.openTurns,
        runs: options.openRuns,
        medianMs: median(times),
        minMs: Math.min(...times),
        maxMs: Math.max(...times),
        elements: opens[opens.length - 1]!.elements,
        articles: opens[opens.length - 1]!.articles,
      },
      think: {
        bytes: thought.length,
        deltas: thinkDeltas.length,
        full: { script: thinkStream.script, layout: thinkStream.layout, task: thinkStream.task },
        half: { script: thinkHalf.script, layout: thinkHalf.layout, task: thinkHalf.task },
        scriptDoubleOverSingle: thinkStream.script / thinkHalf.script,
        layoutDoubleOverSingle: thinkStream.layout / thinkHalf.layout,
        setTaskMs: thinkSet.task,
      },
    };
  } finally {
    await hostPage.close();
    await harness.close();
  }
}

export function printWebview(r: WebviewResults): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `\nWEBVIEW  headless Chromium, production bundle, the real page and CSP, posted into from another process. A ` +
      `${f(r.answerBytes / 1000)} KB markdown answer\n         in ${r.deltas.toLocaleString('en-US')} deltas, ${r.deltasPerTick} per network ` +
      `read, which the host sends as ${r.messages.toLocaleString('en-US')} messages, against one render of the final\n         text; ` +
      `times are the view process's main-thread CPU (CDP Performance).\n`,
  );
  const rows = [
    ['figure', 'value', 'target', ''],
    ['streamed: script + layout (style)', `${f(r.streamMs.script + r.streamMs.layout)} ms (${f(r.streamMs.style)})`, '', ''],
    ['  of which receiving the deltas (no such turn)', `${f(r.deliveryMs.script + r.deliveryMs.layout)} ms`, '', ''],
    ['one set(): script + layout (style)', `${f(r.setMs.script + r.setMs.layout)} ms (${f(r.setMs.style)})`, '', ''],
    ['streamed ÷ one set()', `${f(r.streamOverSet, 2)}×`, `≤ ${WEBVIEW_TARGETS.streamOverSet}×`, verdict(r.streamOverSet <= WEBVIEW_TARGETS.streamOverSet)],
    [
      `a <think> block, then the answer: ${(r.think.bytes / 1024).toFixed(0)} KB in ${r.think.deltas.toLocaleString('en-US')} deltas, all tasks`,
      `${f(r.think.full.task)} ms (one set(): ${f(r.think.setTaskMs)} ms)`,
      '',
      '',
    ],
    ['  script, twice as long ÷ half (2 linear, 4 quadratic)', `${f(r.think.scriptDoubleOverSingle, 2)}× (${f(r.think.full.script)} vs ${f(r.think.half.script)} ms)`, '', ''],
    ['  layout (the browser\'s), twice as long ÷ half', `${f(r.think.layoutDoubleOverSingle, 2)}× (${f(r.think.full.layout)} vs ${f(r.think.half.layout)} ms)`, '', ''],
    ['host→DOM latency per delta, p50', `${f(r.latencyMs.p50)} ms`, '', ''],
    ['host→DOM latency per delta, p95', `${f(r.latencyMs.p95)} ms`, `≤ ${WEBVIEW_TARGETS.latencyP95Ms} ms`, verdict(r.latencyMs.p95 <= WEBVIEW_TARGETS.latencyP95Ms)],
    ['  (max; renders; wall time of the stream)', `${f(r.latencyMs.max)} ms; ${r.latencyMs.frames}; ${f(r.streamMs.wall / 1000, 2)} s`, '', ''],
    [`  at a model's pace (1 delta / 5 ms), p50 / p95`, `${f(r.pacedLatencyMs.p50)} / ${f(r.pacedLatencyMs.p95)} ms`, '', ''],
    [`    of which arrival in the view → DOM (next frame)`, `${f(r.pacedLatencyMs.inViewP50)} / ${f(r.pacedLatencyMs.inViewP95)} ms`, '', ''],
    [
      `uncoalesced (${r.uncoalesced.messages.toLocaleString('en-US')} messages): ÷ set(); p50 / p95`,
      `${f(r.uncoalesced.overSet, 2)}×; ${f(r.uncoalesced.p50)} / ${f(r.uncoalesced.p95)} ms`,
      '',
      '',
    ],
    [
      `open ${r.open.turns.toLocaleString('en-US')} turns, median of ${r.open.runs}`,
      `${f(r.open.medianMs)} ms (${f(r.open.minMs)}–${f(r.open.maxMs)})`,
      `≤ ${WEBVIEW_TARGETS.openMs} ms`,
      verdict(r.open.medianMs <= WEBVIEW_TARGETS.openMs),
    ],
    ['  DOM after opening', `${r.open.elements.toLocaleString('en-US')} elements, ${r.open.articles} turns`, 'bounded', ''],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
