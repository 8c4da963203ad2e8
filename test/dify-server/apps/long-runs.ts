// Realistic long runs (CONTRACT §4.1, §4.3): a node that runs for minutes while the stream carries only pings
// (workflowSlow, AppsOptions.slowNodeMs), node outputs of several MB (workflowLarge, input `size_kb`), and an
// iteration over N items with three inner nodes each (advancedChatIterations, input `iterations`, default 1,000).
import { unix, uuid } from '../pyfmt.js';
import { sleep } from '../sse.js';
import { PyFloat } from '../wire.js';
import type { NodeDef, RunEmitter } from './engine.js';
import { elapsed } from './engine.js';

const CRAWLER: NodeDef = { id: '1741234575002', type: 'tool', title: 'Crawl sites 抓取' };
const REPORT: NodeDef = { id: '1741234576002', type: 'code', title: 'Build report' };
const ITERATION: NodeDef = { id: '1741234577002', type: 'iteration', title: 'Process items 逐项处理' };
const INNER: NodeDef[] = [
  { id: '1741234577003', type: 'template-transform', title: 'Format item' },
  { id: '1741234577004', type: 'code', title: 'Score item' },
  { id: '1741234577005', type: 'variable-aggregator', title: 'Collect item' },
];

/** Waits `ms` in small steps; false when the task was stopped meanwhile. */
async function busy(em: RunEmitter, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (em.checkStop()) return false;
    await sleep(Math.min(200, end - Date.now()));
  }
  return !em.checkStop();
}

/** A tool node that crawls for `ms` (node_started, then nothing but pings, then node_finished). */
export async function slowNode(em: RunEmitter, topic: string, ms: number): Promise<string | undefined> {
  const exec = await em.nodeStarted(CRAWLER);
  if (!(await busy(em, ms))) return undefined;
  const text = `Crawled 42 pages about ${topic || 'everything'} in ${Math.round(ms / 1000)} s.`;
  await em.nodeFinished(exec, { inputs: { topic }, outputs: { text, files: [], json: [] }, metadata: { tool_info: { provider_type: 'builtin', provider_id: 'webscraper' } } });
  return text;
}

/** `sizeKb` KB (1 KB = 1024 bytes) of ASCII report lines. */
export function largeText(sizeKb: number): string {
  const bytes = Math.max(0, Math.round(sizeKb * 1024));
  const line = (i: number): string => `row ${String(i).padStart(7, '0')}: ${'x'.repeat(50)}\n`; // 64 bytes
  const rows = Math.ceil(bytes / 64);
  return Array.from({ length: rows }, (_, i) => line(i)).join('').slice(0, bytes);
}

/** A code node whose output `result` is `sizeKb` KB of text (node_finished carries it in full). */
export async function largeNode(em: RunEmitter, sizeKb: number): Promise<Record<string, unknown>> {
  const exec = await em.nodeStarted(REPORT);
  const result = largeText(sizeKb);
  await em.nodeFinished(exec, { inputs: { size_kb: sizeKb }, outputs: { result } });
  return { result };
}

/** An iteration over `count` items, three inner nodes per item (iteration_started / _next / _completed, §4.3). */
export async function longIteration(em: RunEmitter, count: number): Promise<string[] | undefined> {
  const itId = uuid();
  const itStart = Date.now();
  const items = Array.from({ length: count }, (_, i) => `item-${i + 1}`);
  const head = { id: itId, node_id: ITERATION.id, node_type: ITERATION.type, title: ITERATION.title };
  await em.emit('iteration_started', { ...head, created_at: unix(itStart), extras: {}, metadata: { iterator_length: count }, inputs: { iterator_selector: items }, inputs_truncated: false });
  const results: string[] = [];
  for (let i = 0; i < count; i++) {
    if (em.checkStop()) return undefined;
    await em.emit('iteration_next', { ...head, index: i, created_at: em.now(), extras: {} });
    let value = items[i]!;
    for (const node of INNER) {
      const exec = await em.nodeStarted(node, { iterationId: ITERATION.id, index: i });
      const input = value;
      value = node.type === 'code' ? `${value}:${(i * 7) % 10}` : node.type === 'template-transform' ? `<${value}>` : value;
      await em.nodeFinished(exec, { inputs: { value: input }, outputs: { output: value } });
    }
    results.push(value);
  }
  em.steps++;
  await em.emit('iteration_completed', {
    ...head,
    outputs: { output: results },
    outputs_truncated: false,
    created_at: unix(itStart),
    extras: {},
    inputs: { iterator_selector: items },
    inputs_truncated: false,
    status: 'succeeded',
    error: null,
    elapsed_time: new PyFloat(elapsed(itStart)),
    total_tokens: 0,
    execution_metadata: { total_tokens: 0, iteration_duration_map: {} },
    finished_at: em.now(),
    steps: count,
  });
  return results;
}
