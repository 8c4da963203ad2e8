// The sidebar chat during a long chatflow run (N iterations × 3 inner nodes): what the host posts to the view and
// what the view's main thread spends on it. The messages come from the real ChatSession → post path
// (chatflow-posts.ts); the view is the production bundle in headless Chromium, framed by a host page of another
// site that posts them (webview.ts), at most a few in flight (acknowledged by the view once handled) so that a
// slow view is not buried under a gigabyte of queued messages. The chat host sends one node step per node event
// (an iteration's inner nodes none, its rounds one small update each), so what each event costs must not grow with
// the run: the end ÷ start ratio says whether it does.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { WebviewHarness } from '../test/webview/harness.js';
import { bytesPerNodeEvent, recordChatflowPosts, type ChatflowPosts } from './chatflow-posts.js';
import { TARGETS } from './report.js';
import { baseState } from './webview.js';
import { deliverFramed, openFramedView, startHostPage } from './webview-host.js';

export interface ChatflowViewResults {
  iterations: number;
  events: number;
  nodeEvents: number;
  nodes: number;
  messages: number;
  turnMessages: number;
  bytes: number;
  /** Node events in each of the two windows below. */
  window: number;
  bytesPerNodeEvent: { start: number; end: number };
  endOverStart: number;
  largestMessage: number;
  /** The view's main-thread time over the whole run (CDP Performance, thread ticks). */
  viewMs: { task: number; script: number; layout: number; style: number; wall: number };
  /** Wall time per node event between handled messages (the view saturated at the end), over the same windows. */
  viewWallPerNodeEventMs: { start: number; end: number };
  inFlight: number;
}

const IN_FLIGHT = 4;

async function metrics(cdp: CDPSession): Promise<{ task: number; script: number; layout: number; style: number }> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration') };
}

/** Runs in the view (as source text): acknowledges each turn/delta message once handled, and notes when. */
const VIEW_ACK = `(total) => {
  window.__chatflow = new Promise((resolve) => {
    const handledAt = [];
    // Added after the view's own listener: when it runs, the view has handled the message.
    window.addEventListener('message', (event) => {
      const type = event.data && event.data.type;
      if (type !== 'turn' && type !== 'delta' && type !== 'node') return;
      handledAt.push(performance.timeOrigin + performance.now());
      event.source.postMessage({ ack: handledAt.length }, '*');
      if (handledAt.length === total) resolve(handledAt);
    });
  });
}`;

/** Runs in the host page (as source text): reads the recorded messages (NDJSON) and posts them, `inFlight` at most. */
const HOST_SENDER = `async (inFlight) => {
  const target = document.getElementById('view').contentWindow;
  let acked = 0;
  let wake;
  window.addEventListener('message', (event) => {
    if (event.data && typeof event.data.ack === 'number') {
      acked = event.data.ack;
      if (wake) { const resume = wake; wake = undefined; resume(); }
    }
  });
  const reader = (await fetch('/messages')).body.pipeThrough(new TextDecoderStream()).getReader();
  const startedAt = performance.timeOrigin + performance.now();
  let text = '';
  let posted = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    let start = 0;
    for (let end = text.indexOf('\\n'); end !== -1; end = text.indexOf('\\n', start)) {
      const message = JSON.parse(text.slice(start, end));
      start = end + 1;
      while (posted - acked >= inFlight) await new Promise((resolve) => (wake = resolve));
      target.postMessage(message, '*');
      posted++;
    }
    text = text.slice(start);
  }
  return { posted, startedAt };
}`;

function viewWallPerNodeEvent(posts: ChatflowPosts, handledAt: number[], first: number, count: number): number {
  const from = posts.nodeEventAt[first]!;
  const to = posts.nodeEventAt[first + count - 1]!;
  let ms = 0;
  for (let i = 1; i < posts.messages; i++) if (posts.messageEvent[i]! >= from && posts.messageEvent[i]! <= to) ms += handledAt[i]! - handledAt[i - 1]!;
  return ms / count;
}

export async function measureChatflowView(options: { iterations: number }): Promise<ChatflowViewResults> {
  const dir = await mkdtemp(join(tmpdir(), 'dify-bench-chatflow-'));
  const file = join(dir, 'messages.ndjson');
  try {
    const posts = await recordChatflowPosts(options.iterations, file);
    // Ten iterations' worth of node events (6 each) at each end of the run, fewer for a short run.
    const window = Math.max(2, Math.min(60, Math.floor(posts.nodeEvents / 10)));
    const start = bytesPerNodeEvent(posts, 0, window);
    const end = bytesPerNodeEvent(posts, posts.nodeEvents - window, window);

    const harness = await WebviewHarness.start({ minify: true });
    const hostPage = await startHostPage({
      '/messages': (res) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
        createReadStream(file).pipe(res);
      },
    });
    try {
      const { page, view, cdp } = await openFramedView(harness, hostPage.origin);
      const state = baseState();
      await deliverFramed(page, view, { type: 'state', state: { ...state, app: { ...state.app!, mode: 'advanced-chat' } } });
      await view.evaluate(`(${VIEW_ACK})(${posts.messages})`);
      const before = await metrics(cdp);
      const sent = (await page.evaluate(`(${HOST_SENDER})(${IN_FLIGHT})`)) as { posted: number; startedAt: number };
      const handledAt = (await view.evaluate('window.__chatflow')) as number[];
      const after = await metrics(cdp);
      if (sent.posted !== posts.messages) throw new Error(`the host page posted ${sent.posted} of ${posts.messages} messages`);
      const shown = await view.evaluate(() => {
        const article = document.querySelector('article[data-turn-id]');
        return { status: article?.getAttribute('data-status'), answer: article?.querySelector('.turn-answer')?.textContent?.length ?? 0 };
      });
      if (shown.status !== 'done' || shown.answer === 0) throw new Error(`the view did not show the finished answer (${JSON.stringify(shown)})`);
      await page.context().close();
      return {
        iterations: posts.iterations,
        events: posts.events,
        nodeEvents: posts.nodeEvents,
        nodes: posts.nodes,
        messages: posts.messages,
        turnMessages: posts.turnMessages,
        bytes: posts.bytes,
        window,
        bytesPerNodeEvent: { start, end },
        endOverStart: end / start,
        largestMessage: Math.max(...posts.messageBytes),
        viewMs: {
          task: after.task - before.task,
          script: after.script - before.script,
          layout: after.layout - before.layout,
          style: after.style - before.style,
          wall: handledAt[handledAt.length - 1]! - sent.startedAt,
        },
        viewWallPerNodeEventMs: {
          start: viewWallPerNodeEvent(posts, handledAt, 0, window),
          end: viewWallPerNodeEvent(posts, handledAt, posts.nodeEvents - window, window),
        },
        inFlight: IN_FLIGHT,
      };
    } finally {
      await hostPage.close();
      await harness.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printChatflowView(r: ChatflowViewResults): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const size = (bytes: number) => (bytes >= 1e6 ? `${f(bytes / 1e6, 1)} MB` : bytes >= 1e3 ? `${f(bytes / 1e3, 1)} KB` : `${int(bytes)} B`);
  const ok = r.endOverStart <= TARGETS.chatflowBytesEndOverStart;
  console.log(
    `\nCHATFLOW VIEW  a chatflow of ${int(r.iterations)} iterations × 3 nodes (test Dify server, advancedChatIterations): ` +
      `${int(r.events)} events, ${int(r.nodeEvents)} of them node events,\n` +
      `               through ChatSession and the chat host's posts into the production view in Chromium ` +
      `(≤ ${r.inFlight} messages in flight); main-thread CPU of the view's process.\n`,
  );
  const rows = [
    ['figure', 'value', 'target', ''],
    ['host→view: total posted', `${size(r.bytes)} in ${int(r.messages)} messages (${int(r.turnMessages)} whole turns)`, '', ''],
    [`  per node event, first ${r.window} node events`, size(r.bytesPerNodeEvent.start), '', ''],
    [`  per node event, last ${r.window} node events`, `${size(r.bytesPerNodeEvent.end)} (largest message ${size(r.largestMessage)}, ${int(r.nodes)} nodes)`, '', ''],
    ['  end ÷ start', `${f(r.endOverStart, 0)}×`, `≤ ${TARGETS.chatflowBytesEndOverStart}×`, ok ? 'met' : 'MISSED'],
    ['view main thread: all tasks', `${f(r.viewMs.task / 1000, 2)} s (wall ${f(r.viewMs.wall / 1000, 2)} s)`, '', ''],
    ['  script / layout / style', `${f(r.viewMs.script / 1000, 2)} / ${f(r.viewMs.layout / 1000, 2)} / ${f(r.viewMs.style / 1000, 2)} s`, '', ''],
    ['  wall per node event, start → end', `${f(r.viewWallPerNodeEventMs.start, 2)} → ${f(r.viewWallPerNodeEventMs.end, 2)} ms`, '', ''],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
