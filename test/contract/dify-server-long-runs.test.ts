// The test Dify server's long runs (CONTRACT §4.1, §4.3), time scaled through options: a node that runs longer than
// the ping interval many times over (workflowSlow, slowNodeMs), multi-MB node outputs (workflowLarge, size_kb), and
// a chatflow iterating 1,000 times over three inner nodes (advancedChatIterations).
import assert from 'node:assert/strict';
import { largeText } from '../dify-server/apps/long-runs.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { parseFrames, post } from './dify-server-helpers.js';
import { isEvent, openLive } from './dify-server-live.js';

type Json = Record<string, unknown>;
const data = (f: Json): Json => f.data as Json;

describe('test Dify server: long runs', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ slowNodeMs: 500, pingIntervalMs: 50 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('workflowSlow: the crawler node runs slowNodeMs with only pings between its node_started and node_finished', async () => {
    const t0 = Date.now();
    const res = await post(server, '/workflows/run', server.keys.workflowSlow, { inputs: { topic: 'docs' }, user: 'u', response_mode: 'streaming' });
    assert.ok(Date.now() - t0 >= 500);
    const frames = parseFrames(res.text);
    const startedAt = frames.findIndex((f) => f.kind === 'data' && f.json.event === 'node_started' && data(f.json).node_type === 'tool');
    const finishedAt = frames.findIndex((f) => f.kind === 'data' && f.json.event === 'node_finished' && data(f.json).node_type === 'tool');
    assert.ok(startedAt > 0 && finishedAt > startedAt);
    const between = frames.slice(startedAt + 1, finishedAt);
    assert.ok(between.length >= 6, `pings every 50 ms over 500 ms, got ${between.length}`);
    assert.ok(between.every((f) => f.kind === 'ping'));
    const last = frames.at(-1)!;
    assert.ok(last.kind === 'data' && last.json.event === 'workflow_finished' && data(last.json).status === 'succeeded');
    assert.ok((data(last.json).elapsed_time as number) >= 0.5);
  });

  it('workflowSlow: a stop while the node runs ends the run at once with workflow_finished stopped', async () => {
    // A node of a minute: the run can only end within the test's time if the stop ends it (no clock in the test).
    const slow = await startDifyServer({ slowNodeMs: 60_000, pingIntervalMs: 50 });
    try {
      const live = await openLive(slow, 'POST', '/workflows/run', { key: slow.keys.workflowSlow, json: { inputs: {}, user: 'u', response_mode: 'streaming' } });
      const started = await live.waitFor((f) => f.event === 'node_started' && data(f).node_type === 'tool');
      const stop = await post(slow, `/workflows/tasks/${String(started.task_id)}/stop`, slow.keys.workflowSlow, { user: 'u' });
      assert.equal(stop.status, 200);
      const finished = await live.waitFor(isEvent('workflow_finished'));
      assert.deepEqual([data(finished).status, data(finished).error], ['stopped', 'Stopped by user.']);
    } finally {
      await slow.close();
    }
  });

  it('the default slowNodeMs is 180 s, past two minutes of pings', async () => {
    const defaults = await startDifyServer();
    try {
      const started = Date.now();
      const res = await fetch(`${defaults.baseUrl}/workflows/run`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${defaults.keys.workflowSlow}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ inputs: {}, user: 'u', response_mode: 'streaming' }),
        signal: AbortSignal.timeout(300),
      }).then((r) => r.text()).catch((e: unknown) => (e as Error).name);
      assert.equal(res, 'TimeoutError', 'still running after 300 ms');
      assert.ok(Date.now() - started < 2000);
    } finally {
      await defaults.close();
    }
  });

  it('workflowLarge: size_kb KB in node_finished and workflow_finished outputs (4 MB here), streamed and blocking', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowLarge, { inputs: { size_kb: 4096 }, user: 'u', response_mode: 'streaming' });
    const frames = parseFrames(res.text).flatMap((f) => (f.kind === 'data' ? [f] : []));
    const node = frames.find((f) => f.json.event === 'node_finished' && data(f.json).node_type === 'code')!;
    const result = (data(node.json).outputs as Json).result as string;
    assert.equal(result.length, 4096 * 1024);
    assert.equal(result, largeText(4096));
    assert.ok(Buffer.byteLength(node.raw) > 4 * 1024 * 1024, 'one data line of more than 4 MB');
    const finished = frames.at(-1)!.json;
    assert.equal(((data(finished).outputs as Json).result as string).length, 4096 * 1024);
    const blocking = JSON.parse((await post(server, '/workflows/run', server.keys.workflowLarge, { inputs: { size_kb: 2048 }, user: 'u' })).text) as Json;
    assert.equal(((data(blocking).outputs as Json).result as string).length, 2048 * 1024);
  });

  it('advancedChatIterations: 1,000 iterations × 3 inner nodes, framed per §4.3, then the answer', async () => {
    const res = await post(server, '/chat-messages', server.keys.advancedChatIterations, { inputs: {}, query: 'go', user: 'u', response_mode: 'streaming' });
    const events = parseFrames(res.text).flatMap((f) => (f.kind === 'data' ? [f.json] : []));
    const count = (name: string): number => events.filter((e) => e.event === name).length;
    assert.equal(count('iteration_started'), 1);
    assert.equal(count('iteration_next'), 1000);
    assert.equal(count('iteration_completed'), 1);
    const inner = events.filter((e) => (e.event === 'node_started' || e.event === 'node_finished') && data(e).iteration_id);
    assert.equal(inner.length, 6000);
    const nexts = events.filter((e) => e.event === 'iteration_next');
    assert.deepEqual([data(nexts[0]!).index, data(nexts[999]!).index], [0, 999]);
    const firstInner = events.find((e) => e.event === 'node_finished' && data(e).iteration_id)!;
    assert.deepEqual(data(firstInner).execution_metadata, { iteration_id: '1741234577002', iteration_index: 0 });
    const completed = events.find((e) => e.event === 'iteration_completed')!;
    assert.deepEqual([data(completed).steps, ((data(completed).outputs as Json).output as unknown[]).length], [1000, 1000]);
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['message_end', 'workflow_finished']);
    assert.ok(events.some((e) => e.event === 'message' && String(e.answer).includes('1000')));
    assert.deepEqual(Object.keys(nexts[0]!), ['event', 'conversation_id', 'message_id', 'created_at', 'task_id', 'workflow_run_id', 'data']);
  });
});
