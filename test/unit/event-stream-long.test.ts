// Runs as real Dify apps have them: nodes that work for minutes while Dify sends only pings, a server that stalls on
// the stop request too, and a user who cancels. Time is scaled down (ms for minutes); the scenarios are not.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { AppClient, DifyAbortError, DifyStreamError, type DifyTimeouts } from '../../src/dify/index.js';
import { startRawServer, startSse, tick, waitFor, type RawHandler, type RawServer } from '../helpers/raw-server.js';
import { drainStream } from '../helpers/drain-stream.js';

const KEY = 'app-unitTestKey0123456789abcd';
let server: RawServer | undefined;
const openTimers = new Set<NodeJS.Timeout>();

afterEach(async () => {
  for (const t of openTimers) clearInterval(t);
  openTimers.clear();
  await server?.close();
  server = undefined;
});

async function client(handler: RawHandler, timeouts: Partial<DifyTimeouts> = {}) {
  server = await startRawServer(handler);
  return new AppClient({ baseUrl: server.baseUrl, apiKey: KEY, user: 'unit-user', timeouts });
}

const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const wf = (event: string, data: Record<string, unknown> = {}) => frame({ event, workflow_run_id: 'r1', task_id: 't1', data });
const node = (event: 'node_started' | 'node_finished', id: string, title: string) =>
  wf(event, { id: `exec-${id}`, node_id: id, node_type: 'code', title, status: event === 'node_finished' ? 'succeeded' : undefined });
const finished = wf('workflow_finished', { id: 'r1', workflow_id: 'w', status: 'succeeded', outputs: { text: 'done' }, error: null });

/** Pings every `ms` until the response closes, as Dify's worker does while a node runs. */
function pings(res: ServerResponse, ms: number): NodeJS.Timeout {
  const timer = setInterval(() => res.write('event: ping\n\n'), ms);
  openTimers.add(timer);
  res.on('close', () => clearInterval(timer));
  return timer;
}

const isStop = (path: string) => path.endsWith('/stop');

describe('event stream: long runs', () => {
  it('a node that runs 5× the no-event limit with pings only finishes, and stop is never called', async () => {
    const c = await client(
      async (req, res) => {
        if (isStop(req.url!)) return void res.end('{"result":"success"}');
        startSse(res);
        res.write('event: ping\n\n' + wf('workflow_started', { id: 'r1' }) + node('node_started', 'llm', 'LLM') + node('node_finished', 'llm', 'LLM'));
        res.write(node('node_started', 'code', 'Slow code'));
        const timer = pings(res, 20);
        await tick(500);
        clearInterval(timer);
        res.end(node('node_finished', 'code', 'Slow code') + finished);
      },
      { streamIdleMs: 1_000, streamEventMs: 100 },
    );
    const { events, error } = await drainStream(await c.streamWorkflow({ inputs: {} }));
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => e.event),
      ['workflow_started', 'node_started', 'node_finished', 'node_started', 'node_finished', 'workflow_finished'],
    );
    assert.equal(server!.requests.filter((r) => isStop(r.path)).length, 0);
  });

  it('an agent tool call that runs 5× the no-event limit with pings only is not a hang', async () => {
    const env = { conversation_id: 'c1', message_id: 'm1', created_at: 1, task_id: 't1' };
    const c = await client(
      async (_req, res) => {
        startSse(res);
        res.write(frame({ event: 'agent_thought', ...env, id: 'th1', position: 1, thought: '', observation: '', tool: 'search', tool_input: '{}' }));
        const timer = pings(res, 20);
        await tick(500);
        clearInterval(timer);
        res.end(frame({ event: 'agent_message', ...env, id: 'm1', answer: 'found' }) + frame({ event: 'message_end', ...env, id: 'm1', metadata: {}, files: null }));
      },
      { streamIdleMs: 1_000, streamEventMs: 100 },
    );
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => e.event),
      ['agent_thought', 'agent_message', 'message_end'],
    );
  });

  it('pings only after the last node finished (Dify 1.13 lost workflow_finished) is still a hang', async () => {
    const c = await client(
      (req, res) => {
        if (isStop(req.url!)) return void res.end('{"result":"success"}');
        startSse(res);
        res.write(wf('workflow_started', { id: 'r1' }) + node('node_started', 'end', 'End') + node('node_finished', 'end', 'End'));
        pings(res, 20);
      },
      { streamIdleMs: 1_000, streamEventMs: 150 },
    );
    const { events, error } = await drainStream(await c.streamWorkflow({ inputs: {} }));
    assert.equal(events.length, 3);
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'no_events');
    await waitFor(() => server!.requests.some((r) => r.path === '/v1/workflows/tasks/t1/stop'));
  });

  it('a stall (no bytes at all) while a node runs is an error, but stop is not called for it', async () => {
    const c = await client(
      (req, res) => {
        if (isStop(req.url!)) return void res.end('{"result":"success"}');
        startSse(res);
        res.write(wf('workflow_started', { id: 'r1' }) + node('node_started', 'code', 'Slow code'));
      },
      { streamIdleMs: 150, streamEventMs: 100 },
    );
    const { error } = await drainStream(await c.streamWorkflow({ inputs: {} }));
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'stalled');
    assert.equal(error.runningNode, 'Slow code');
    await tick(100);
    assert.equal(server!.requests.filter((r) => isStop(r.path)).length, 0);
  });
});

describe('event stream: errors and cancels come at once, the stop request runs behind', () => {
  /** A server whose stop endpoint never answers (a Dify that stalled stalls there too); records when it is dropped. */
  async function hangingStop(timeouts: Partial<DifyTimeouts>, stream: (res: ServerResponse) => void) {
    const stop = { arrived: false, closedByClient: false };
    const c = await client((req, res) => {
      if (isStop(req.url!)) {
        stop.arrived = true;
        res.on('close', () => (stop.closedByClient = true));
        return;
      }
      startSse(res);
      stream(res);
    }, timeouts);
    return { c, stop };
  }

  it('a hang after the last node fails before the unanswered stop request returns (mocha: 3 s < the 5 s it waited)', async function () {
    this.timeout(3_000);
    const { c, stop } = await hangingStop({ streamIdleMs: 1_000, streamEventMs: 150 }, (res) => {
      res.write(wf('workflow_started', { id: 'r1' }) + node('node_started', 'end', 'End') + node('node_finished', 'end', 'End'));
      pings(res, 20);
    });
    const { error } = await drainStream(await c.streamWorkflow({ inputs: {} }));
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'no_events');
    assert.equal(stop.closedByClient, false, 'the caller did not wait for the stop request');
    await waitFor(() => stop.arrived);
  });

  it('cancel surfaces at once while the stop request hangs, and the stop request is dropped after its own short timeout', async function () {
    this.timeout(3_000);
    const { c, stop } = await hangingStop({ stopMs: 200 }, (res) => {
      res.write(frame({ event: 'message', conversation_id: 'c1', message_id: 'm1', created_at: 1, task_id: 't1', id: 'm1', answer: 'a' }));
    });
    const controller = new AbortController();
    const stream = await c.streamChatMessage({ query: 'q' }, { signal: controller.signal });
    await assert.rejects(
      (async () => {
        for await (const _ of stream) controller.abort();
      })(),
      DifyAbortError,
    );
    assert.equal(stop.closedByClient, false, 'the caller did not wait for the stop request');
    await waitFor(() => stop.arrived && stop.closedByClient);
  });
});
