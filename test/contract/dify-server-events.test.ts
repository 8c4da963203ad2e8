// The test Dify server's `GET /workflow/:run_id/events` (1.14+, CONSOLE §11 item 1): re-attaching to runs whose
// client went away, finished runs, state snapshots, errors; and the same path on 1.13.2 (werkzeug 404).
import assert from 'node:assert/strict';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { WERKZEUG_404_HTML } from '../dify-server/wire.js';
import { call, parseFrames, post } from './dify-server-helpers.js';
import { isEvent, openLive } from './dify-server-live.js';

type Json = Record<string, unknown>;
const data = (f: Json): Json => f.data as Json;
const isNode = (event: string, type: string) => (f: Json): boolean => f.event === event && data(f).node_type === type;

describe('test Dify server: GET /workflow/:id/events (1.15)', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ slowNodeMs: 600, pingIntervalMs: 40, idleTimeoutMs: 3000, eventDelayMs: 1 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const events = (runId: string, query: string): string => `/workflow/${runId}/events?${query}`;

  /** Starts workflowSlow, waits until its crawler node started, cuts the client. Returns the run id. */
  async function startAndCut(user = 'u'): Promise<string> {
    const live = await openLive(server, 'POST', '/workflows/run', { key: server.keys.workflowSlow, json: { inputs: { topic: 'docs' }, user, response_mode: 'streaming' } });
    const started = await live.waitFor(isNode('node_started', 'tool'));
    live.close();
    return String(started.workflow_run_id);
  }

  it('a finished run: exactly one workflow_finished frame in json.dumps style, `event` last, then the end', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: '天气' }, user: 'u', response_mode: 'streaming' });
    const finished = parseFrames(res.text).at(-1)!;
    assert.equal(finished.kind, 'data');
    const original = (finished as { json: Json }).json;
    const runId = String(original.workflow_run_id);
    const again = await call(server, 'GET', `/workflow/${runId}/events?user=u`, { key: server.keys.workflow });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(again.headers.get('cache-control'), 'no-cache');
    assert.match(again.text, /^data: \{"task_id": "[0-9a-f-]{36}", "workflow_run_id": "[0-9a-f-]{36}", "data": \{"id": .*\}, "event": "workflow_finished"\}\n\n$/);
    assert.ok([...again.text].every((c) => c.charCodeAt(0) < 0x80), 'json.dumps escapes non-ASCII');
    const body = JSON.parse(again.text.slice('data: '.length)) as Json;
    assert.deepEqual(Object.keys(body), ['task_id', 'workflow_run_id', 'data', 'event']);
    assert.equal(body.task_id, runId, 'the finished-run frame carries the run id as task_id');
    assert.deepEqual(body.data, original.data);
    assert.equal(typeof data(body).exceptions_count, 'number');
  });

  it('a run re-attached to between its end and its last frame: workflow_finished says how it ended (from the run, as Dify reads it from its database)', async () => {
    // The worker writes the run's end first and publishes workflow_finished after its own pace: a re-attach in that
    // gap must not get an empty `data` (the client would take it as a failure without a cause).
    server.setEventDelay(400);
    const runId = await startAndCut().finally(() => server.setEventDelay(1));
    const detail = async (): Promise<Json> => JSON.parse((await call(server, 'GET', `/workflows/run/${runId}`, { key: server.keys.workflowSlow })).text) as Json;
    let run = await detail();
    while (run.finished_at === null) {
      await new Promise((r) => setTimeout(r, 20));
      run = await detail();
    }
    const again = await call(server, 'GET', events(runId, 'user=u'), { key: server.keys.workflowSlow });
    const body = JSON.parse(again.text.slice('data: '.length)) as Json;
    assert.equal(body.event, 'workflow_finished');
    assert.deepEqual(
      [data(body).status, data(body).outputs, data(body).error, data(body).finished_at],
      [run.status, run.outputs, run.error, run.finished_at],
    );
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(Object.keys(data(body)), ['id', 'workflow_id', 'status', 'outputs', 'error', 'elapsed_time', 'total_tokens', 'total_steps', 'created_by', 'created_at', 'finished_at', 'exceptions_count', 'files']);
  });

  it('a running run whose client was cut: ping, then only the frames produced from now on (pub/sub), to workflow_finished', async () => {
    const runId = await startAndCut();
    const live = await openLive(server, 'GET', events(runId, 'user=u'), { key: server.keys.workflowSlow });
    assert.equal(live.status, 200);
    assert.equal(live.headers['cache-control'], 'no-cache');
    assert.equal(live.headers['content-type'], 'text/event-stream; charset=utf-8');
    await live.ended;
    assert.equal(live.frames[0]!.kind, 'ping', 'a leading ping');
    assert.ok(live.frames.filter((f) => f.kind === 'ping').length >= 3, 'pings while the node runs');
    const names = live.data().map((f) => `${String(f.event)}:${String(data(f).node_type ?? '')}`);
    assert.ok(!names.includes('workflow_started:'), 'nothing already sent is replayed');
    assert.ok(!names.includes('node_started:tool'));
    assert.equal(names[0], 'node_finished:tool');
    assert.equal(names.at(-1), 'workflow_finished:');
    assert.match(live.raw(), /data: \{"event":"workflow_finished","workflow_run_id":/, 'orjson framing, as the original stream');
    const run = JSON.parse((await call(server, 'GET', `/workflows/run/${runId}`, { key: server.keys.workflowSlow })).text) as Json;
    assert.equal(run.status, 'succeeded', 'the run went on without its client');
  });

  it('include_state_snapshot=true: workflow_started and the node executions so far (details nulled), then live frames', async () => {
    const runId = await startAndCut();
    const live = await openLive(server, 'GET', events(runId, 'user=u&include_state_snapshot=true'), { key: server.keys.workflowSlow });
    await live.ended;
    const frames = live.data();
    assert.deepEqual(Object.keys(frames[0]!), ['task_id', 'workflow_run_id', 'data', 'event']);
    assert.deepEqual([frames[0]!.event, data(frames[0]!).reason], ['workflow_started', 'initial']);
    assert.deepEqual(frames.slice(1, 4).map((f) => `${String(f.event)}:${String(data(f).node_type)}`), ['node_started:start', 'node_finished:start', 'node_started:tool']);
    const startFinished = frames[2]!;
    assert.deepEqual(Object.keys(startFinished), ['event', 'task_id', 'workflow_run_id', 'data']);
    assert.deepEqual([data(startFinished).inputs, data(startFinished).outputs, data(startFinished).status], [null, null, 'succeeded']);
    assert.equal(frames[4]!.event, 'node_finished', 'then the crawler finishes live');
    assert.equal(frames.at(-1)!.event, 'workflow_finished');
  });

  it('errors: not_workflow_app, 404 for an unknown run, another app\'s or another user\'s run, 400 without user', async () => {
    const runId = await startAndCut('owner');
    const chat = await call(server, 'GET', `/workflow/${runId}/events?user=owner`, { key: server.keys.chat });
    assert.equal(chat.text, '{"code": "not_workflow_app", "message": "Please check if your app mode matches the right API route.", "status": 400}\n');
    for (const [key, id, user] of [
      [server.keys.workflowSlow, '3f1c1c4e-1111-4222-8333-444455556666', 'owner'],
      [server.keys.workflow, runId, 'owner'],
      [server.keys.workflowSlow, runId, 'someone-else'],
    ] as const) {
      const res = await call(server, 'GET', `/workflow/${id}/events?user=${user}`, { key });
      assert.equal(res.status, 404);
      const body = JSON.parse(res.text) as Json;
      assert.equal(body.code, 'not_found');
      assert.match(String(body.message), /^Workflow run not found/);
    }
    const noUser = await call(server, 'GET', `/workflow/${runId}/events`, { key: server.keys.workflowSlow });
    assert.equal(noUser.text, '{"code": "invalid_param", "message": "Arg user must be provided.", "status": 400}\n');
  });

  it('an advanced-chat run re-attaches too, with its chat envelope', async () => {
    const live = await openLive(server, 'POST', '/chat-messages', {
      key: server.keys.advancedChatIterations,
      json: { inputs: { iterations: 100 }, query: 'go', user: 'u', response_mode: 'streaming' },
    });
    const first = await live.waitFor(isEvent('iteration_next'));
    live.close();
    const again = await openLive(server, 'GET', `/workflow/${String(first.workflow_run_id)}/events?user=u`, { key: server.keys.advancedChatIterations });
    await again.ended;
    const tail = again.data();
    assert.ok(tail.length > 0);
    assert.deepEqual(Object.keys(tail[0]!).slice(0, 5), ['event', 'conversation_id', 'message_id', 'created_at', 'task_id']);
    assert.deepEqual(tail.slice(-2).map((f) => f.event), ['message_end', 'workflow_finished']);
  });
});

describe('test Dify server: version 1.13.2', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ version: '1.13.2' });
  });
  after(() => server.close());

  it('X-Version is 1.13.2; the 1.14+ routes are werkzeug HTML 404s; newAgent does not exist', async () => {
    const info = await call(server, 'GET', '/info', { key: server.keys.workflow });
    assert.equal(info.headers.get('x-version'), '1.13.2');
    assert.equal(server.version, '1.13.2');
    for (const [method, path] of [
      ['GET', '/workflow/3f1c1c4e-1111-4222-8333-444455556666/events?user=u'],
      ['GET', '/form/human_input/abc'],
      ['POST', '/form/human_input/abc'],
    ] as const) {
      const res = await call(server, method, path, { key: server.keys.workflow, ...(method === 'POST' ? { json: { user: 'u' } } : {}) });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.text, WERKZEUG_404_HTML);
    }
    const agent = await call(server, 'GET', '/info', { key: server.keys.newAgent });
    assert.equal(agent.status, 401);
    assert.ok(!server.apps.some((a) => a.mode === 'agent'));
  });

  it('human_input_required has form_token null and no approval_channels; blocking pauses have no paused_nodes', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowHumanInput, { inputs: {}, user: 'u', response_mode: 'streaming' });
    const form = parseFrames(res.text).flatMap((f) => (f.kind === 'data' ? [f.json] : [])).find(isEvent('human_input_required'))!;
    assert.equal(data(form).form_token, null);
    assert.ok(!('approval_channels' in data(form)));
    const blocking = JSON.parse((await post(server, '/workflows/run', server.keys.workflowHumanInput, { inputs: {}, user: 'u' })).text) as Json;
    assert.deepEqual(Object.keys(data(blocking)), ['id', 'workflow_id', 'status', 'outputs', 'error', 'elapsed_time', 'total_tokens', 'total_steps', 'created_at', 'finished_at']);
  });
});
