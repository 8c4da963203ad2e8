// The chat webview in headless Chromium with the production (minified) bundle and the real page: a 100 KB markdown
// answer streamed in 20,000 `delta` messages against one render of the final text (scripting + layout time from
// CDP Performance.getMetrics), host→DOM latency per delta, and opening a 2,000-message conversation.
import type { CDPSession, Page } from 'playwright-core';
import type { ChatState, ChatTurn } from '../src/protocol.js';
import { WebviewHarness } from '../test/webview/harness.js';

export const WEBVIEW_TARGETS = { streamOverSet: 3, latencyP95Ms: 16, openMs: 300 };

export interface WebviewResults {
  answerBytes: number;
  deltas: number;
  deltasPerTick: number;
  streamMs: { script: number; layout: number; style: number; wall: number };
  setMs: { script: number; layout: number; style: number };
  /** The same deltas posted to a turn the view does not have: message delivery and the driver, no rendering. */
  deliveryMs: { script: number; layout: number };
  streamOverSet: number;
  /** Streamed minus delivery, over one set(): the view's own work for streaming. */
  streamNetOverSet: number;
  latencyMs: { p50: number; p95: number; max: number; frames: number };
  /** One delta every 5 ms (a fast model), not a firehose. */
  pacedLatencyMs: { deltas: number; p50: number; p95: number };
  open: { turns: number; runs: number; medianMs: number; minMs: number; maxMs: number; elements: number; articles: number };
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

function baseState(turns: ChatTurn[] = []): ChatState {
  return {
    apps: [{ id: 'app-1', name: 'Bench', mode: 'chat' }],
    app: {
      id: 'app-1',
      name: 'Bench',
      mode: 'chat',
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

async function metrics(cdp: CDPSession): Promise<{ script: number; layout: number; style: number }> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration') };
}

const diff = (a: { script: number; layout: number; style: number }, b: { script: number; layout: number; style: number }) => ({
  script: b.script - a.script,
  layout: b.layout - a.layout,
  style: b.style - a.style,
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
 * Runs in the page (as source text: tsx's helpers do not exist there). Posts the deltas `perTick` per task, like
 * bursts from the host, and takes each delta's latency from its post to the DOM mutation that first shows it.
 */
const STREAM_DRIVER = `(deltas, perTick, turnId, intervalMs) => new Promise((resolve) => {
  const answerElement = document.querySelector('article[data-turn-id="live"] .turn-answer');
  const postedAt = new Array(deltas.length);
  const latencies = [];
  let received = 0, rendered = 0, frames = 0, next = 0;
  const started = performance.now();
  // Added after the view's own listener: when it runs, the view has handled this delta.
  window.addEventListener('message', (event) => {
    if (!event.data || event.data.type !== 'delta') return;
    received++;
    // Delivery only (a turn the view does not have): done when the last one arrived.
    if (turnId !== 'live' && received === deltas.length) setTimeout(() => resolve({ wall: performance.now() - started, latencies: [], frames: 0 }), 0);
  });
  const observer = new MutationObserver(() => {
    const now = performance.now();
    if (received > rendered) frames++;
    for (; rendered < received; rendered++) latencies.push(now - postedAt[rendered]);
    if (rendered === deltas.length) { observer.disconnect(); resolve({ wall: now - started, latencies, frames }); }
  });
  observer.observe(answerElement, { childList: true, subtree: true, characterData: true });
  function tick() {
    for (let i = 0; i < perTick && next < deltas.length; i++, next++) {
      postedAt[next] = performance.now();
      window.postMessage({ type: 'delta', turnId, text: deltas[next] }, '*');
    }
    if (next < deltas.length) setTimeout(tick, intervalMs);
  }
  tick();
})`;

async function measureStream(harness: WebviewHarness, deltas: string[], perTick: number, turnId = 'live', intervalMs = 0) {
  const { page, cdp } = await openPage(harness);
  await deliver(page, { type: 'state', state: baseState() });
  await deliver(page, { type: 'turn', turn: turn('live', '', 'streaming') });
  const before = await metrics(cdp);
  const result = (await page.evaluate(`(${STREAM_DRIVER})(${JSON.stringify(deltas)}, ${perTick}, ${JSON.stringify(turnId)}, ${intervalMs})`)) as {
    wall: number;
    latencies: number[];
    frames: number;
  };
  const after = await metrics(cdp);
  const rendered = await page.evaluate(() => document.querySelector('article[data-turn-id="live"] .turn-answer')!.textContent!.length);
  if (turnId === 'live' && rendered < deltas.join('').length * 0.5) throw new Error(`the streamed answer did not render (${rendered} characters)`);
  await page.close();
  return { ...diff(before, after), wall: result.wall, latencies: result.latencies, frames: result.frames };
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
  try {
    const answer = markdownAnswer(options.answerBytes);
    const deltas = split(answer, options.deltas);
    // A warm-up of each, so both measured runs find the bundle parsed and compiled alike.
    await measureSet(harness, answer);
    const set = await measureSet(harness, answer);
    const stream = await measureStream(harness, deltas, options.deltasPerTick);
    // The same messages to a turn the view does not have: what receiving 20,000 messages costs any page.
    const delivery = await measureStream(harness, deltas, options.deltasPerTick, 'nobody');
    // A model's pace (one delta every 5 ms, 200 per second) instead of a firehose: the latency a user sees.
    const paced = await measureStream(harness, deltas.slice(0, PACED_DELTAS), 1, 'live', 5);
    const pacedSorted = [...paced.latencies].sort((a, b) => a - b);
    const sorted = [...stream.latencies].sort((a, b) => a - b);
    const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const opens = [];
    for (let i = 0; i < options.openRuns; i++) opens.push(await measureOpen(harness, options.openTurns));
    const times = opens.map((o) => o.ms);
    return {
      answerBytes: answer.length,
      deltas: deltas.length,
      deltasPerTick: options.deltasPerTick,
      streamMs: { script: stream.script, layout: stream.layout, style: stream.style, wall: stream.wall },
      setMs: set,
      deliveryMs: { script: delivery.script, layout: delivery.layout },
      streamOverSet: (stream.script + stream.layout) / (set.script + set.layout),
      streamNetOverSet: (stream.script + stream.layout - delivery.script - delivery.layout) / (set.script + set.layout),
      latencyMs: { p50: pick(0.5), p95: pick(0.95), max: sorted[sorted.length - 1]!, frames: stream.frames },
      pacedLatencyMs: {
        deltas: pacedSorted.length,
        p50: pacedSorted[Math.floor(0.5 * pacedSorted.length)]!,
        p95: pacedSorted[Math.min(pacedSorted.length - 1, Math.floor(0.95 * pacedSorted.length))]!,
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
    };
  } finally {
    await harness.close();
  }
}

export function printWebview(r: WebviewResults): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `\nWEBVIEW  headless Chromium, production bundle, the real page and CSP. A ${f(r.answerBytes / 1000)} KB markdown answer in ` +
      `${r.deltas.toLocaleString('en-US')} deltas\n         (${r.deltasPerTick} posted per task), against one render of the final text; ` +
      `times are the renderer's main-thread CPU (CDP Performance).\n`,
  );
  const rows = [
    ['figure', 'value', 'target', ''],
    ['streamed: script + layout (style)', `${f(r.streamMs.script + r.streamMs.layout)} ms (${f(r.streamMs.style)})`, '', ''],
    ['one set(): script + layout (style)', `${f(r.setMs.script + r.setMs.layout)} ms (${f(r.setMs.style)})`, '', ''],
    ['delivery only (same deltas, no such turn)', `${f(r.deliveryMs.script + r.deliveryMs.layout)} ms`, '', ''],
    ['streamed ÷ one set()', `${f(r.streamOverSet, 2)}×`, `≤ ${WEBVIEW_TARGETS.streamOverSet}×`, verdict(r.streamOverSet <= WEBVIEW_TARGETS.streamOverSet)],
    ['(streamed − delivery) ÷ one set()', `${f(r.streamNetOverSet, 2)}×`, '', ''],
    ['host→DOM latency per delta, p50', `${f(r.latencyMs.p50)} ms`, '', ''],
    ['host→DOM latency per delta, p95', `${f(r.latencyMs.p95)} ms`, `≤ ${WEBVIEW_TARGETS.latencyP95Ms} ms`, verdict(r.latencyMs.p95 <= WEBVIEW_TARGETS.latencyP95Ms)],
    ['  (max; renders; wall time of the stream)', `${f(r.latencyMs.max)} ms; ${r.latencyMs.frames}; ${f(r.streamMs.wall / 1000, 2)} s`, '', ''],
    [`  at a model's pace (1 delta / 5 ms), p50 / p95`, `${f(r.pacedLatencyMs.p50)} / ${f(r.pacedLatencyMs.p95)} ms`, '', ''],
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
