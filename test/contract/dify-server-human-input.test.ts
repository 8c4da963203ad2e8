// The test Dify server's human-input forms on 1.15 (CONSOLE §11 items 1–3, 5): a paused run, its form through
// GET/POST /form/human_input/:token, the resumed run seen through GET /workflow/:id/events, the 412s, the
// timeout, and a chatflow that pauses (streamed and blocking).
import assert from 'node:assert/strict';
import { APPROVAL_CHANNELS } from '../dify-server/apps/human-input.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { call, dataFrames, post } from './dify-server-helpers.js';
import { isEvent, openLive } from './dify-server-live.js';

type Json = Record<string, unknown>;
const data = (f: Json): Json => f.data as Json;
const parse = (text: string): Json => JSON.parse(text) as Json;

describe('test Dify server: human-input forms (1.15)', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ pingIntervalMs: 50, idleTimeoutMs: 400 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  /** Runs workflowHumanInput to its pause; returns the run id and the form frame. */
  async function pausedWorkflow(user = 'u'): Promise<{ runId: string; form: Json; events: Json[] }> {
    const res = await post(server, '/workflows/run', server.keys.workflowHumanInput, { inputs: { topic: 'refund 退款' }, user, response_mode: 'streaming' });
    const events = dataFrames(res.text);
    const form = events.find(isEvent('human_input_required'))!;
    return { runId: String(form.workflow_run_id), form, events };
  }
  const submit = (token: string, body: Json, key = server.keys.workflowHumanInput) => post(server, `/form/human_input/${token}`, key, body);

  it('the pause: human_input_required with form_token and approval_channels (last key), then workflow_paused ends the stream', async () => {
    const { form, events } = await pausedWorkflow();
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['human_input_required', 'workflow_paused']);
    assert.deepEqual(Object.keys(data(form)).slice(-4), ['form_token', 'resolved_default_values', 'expiration_time', 'approval_channels']);
    assert.match(String(data(form).form_token), /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(data(form).approval_channels, APPROVAL_CHANNELS);
  });

  it('GET /form/human_input/:token: the definition, json.dumps with ensure_ascii=False (raw UTF-8)', async () => {
    const { form } = await pausedWorkflow();
    const res = await call(server, 'GET', `/form/human_input/${String(data(form).form_token)}`, { key: server.keys.workflowHumanInput });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = parse(res.text);
    assert.deepEqual(Object.keys(body), ['form_content', 'inputs', 'resolved_default_values', 'user_actions', 'expiration_time']);
    assert.match(res.text, /^\{"form_content": "Please review the draft:\\n\\nEcho: refund 退款/, 'raw UTF-8, Python separators');
    assert.ok(res.text.includes('"title": "Approve 通过"'));
    assert.ok(!res.text.endsWith('\n'));
    assert.deepEqual(body.inputs, data(form).inputs);
    assert.deepEqual(body.user_actions, data(form).actions);
    assert.equal(body.expiration_time, data(form).expiration_time);
  });

  it('POST answers the form (200 {}); the run resumes and a re-attached client sees it to workflow_finished', async () => {
    const { runId, form } = await pausedWorkflow();
    const token = String(data(form).form_token);
    const live = await openLive(server, 'GET', `/workflow/${runId}/events?user=u&include_state_snapshot=true&continue_on_pause=true`, { key: server.keys.workflowHumanInput });
    const pausedAgain = await live.waitFor(isEvent('workflow_paused'));
    assert.deepEqual(Object.keys(pausedAgain), ['task_id', 'workflow_run_id', 'data', 'event'], 'the snapshot ends with the pause');
    const res = await submit(token, { inputs: { comment: 'LGTM 好的' }, action: 'approve', user: 'reviewer' });
    assert.deepEqual([res.status, res.text], [200, '{}\n']);
    await live.ended;
    const after = live.data().slice(live.data().indexOf(pausedAgain) + 1);
    assert.deepEqual(after.map((e) => `${String(e.event)}${data(e).node_type ? `:${String(data(e).node_type)}` : ''}`), [
      'workflow_started',
      'node_started:human-input',
      'human_input_form_filled',
      'node_finished:human-input',
      'node_started:end',
      'node_finished:end',
      'workflow_finished',
    ]);
    assert.equal(data(after[0]!).reason, 'resumption');
    const filled = data(after[2]!);
    assert.deepEqual(Object.keys(filled), ['node_id', 'node_title', 'rendered_content', 'action_id', 'action_text', 'submitted_data']);
    assert.deepEqual([filled.action_id, filled.action_text, filled.submitted_data], ['approve', 'Approve 通过', { comment: 'LGTM 好的' }]);
    assert.match(String(filled.rendered_content), /LGTM 好的$/);
    const finished = data(after.at(-1)!);
    assert.deepEqual([finished.status, (finished.outputs as Json).action, (finished.outputs as Json).comment], ['succeeded', 'approve', 'LGTM 好的']);
    const run = parse((await call(server, 'GET', `/workflows/run/${runId}`, { key: server.keys.workflowHumanInput })).text);
    assert.equal(run.status, 'succeeded');
  });

  it('a re-attach without continue_on_pause closes after the (snapshot) workflow_paused', async () => {
    const { runId } = await pausedWorkflow();
    const live = await openLive(server, 'GET', `/workflow/${runId}/events?user=u&include_state_snapshot=true`, { key: server.keys.workflowHumanInput });
    await live.ended;
    assert.equal(live.data().at(-1)!.event, 'workflow_paused');
  });

  it('continue_on_pause=true without a snapshot: Dify passes no terminal events, so the stream outlives workflow_finished until the idle timeout', async () => {
    const { runId, form } = await pausedWorkflow();
    const live = await openLive(server, 'GET', `/workflow/${runId}/events?user=u&continue_on_pause=true`, { key: server.keys.workflowHumanInput });
    await submit(String(data(form).form_token), { inputs: { comment: '' }, action: 'reject', user: 'u' });
    await live.waitFor(isEvent('workflow_finished'));
    const at = Date.now();
    await live.ended;
    assert.ok(Date.now() - at >= 300, 'open until idleTimeoutMs after the last frame');
    assert.equal(live.frames.at(-1)!.kind, 'ping');
  });

  it('errors: 404 Form not found (unknown token, another app), 400 invalid_form_data, 412 once answered', async () => {
    const { form } = await pausedWorkflow();
    const token = String(data(form).form_token);
    for (const [path, key] of [
      ['/form/human_input/nope', server.keys.workflowHumanInput],
      [`/form/human_input/${token}`, server.keys.workflow],
    ] as const) {
      const res = await call(server, 'GET', path, { key });
      assert.equal(res.status, 404);
      assert.equal(parse(res.text).code, 'not_found');
      assert.match(String(parse(res.text).message), /^Form not found/);
    }
    const badAction = await submit(token, { inputs: { comment: 'x' }, action: 'maybe', user: 'u' });
    assert.equal(badAction.text, '{"code": "invalid_form_data", "message": "Invalid action: maybe", "status": 400}\n');
    const missing = await submit(token, { inputs: {}, action: 'approve', user: 'u' });
    assert.equal(missing.text, '{"code": "invalid_form_data", "message": "Missing required inputs: comment", "status": 400}\n');
    const noUser = await submit(token, { inputs: { comment: 'x' }, action: 'approve' });
    assert.equal(noUser.text, '{"code": "invalid_param", "message": "Arg user must be provided.", "status": 400}\n');
    assert.equal((await submit(token, { inputs: { comment: 'x' }, action: 'approve', user: 'u' })).status, 200);
    const twice = await submit(token, { inputs: { comment: 'y' }, action: 'reject', user: 'u' });
    assert.equal(twice.status, 412);
    assert.deepEqual(parse(twice.text), {
      code: 'human_input_form_submitted',
      message: `This form has already been submitted by another user, form_id=${String(data(form).form_id)}`,
      status: 412,
    });
    const get = await call(server, 'GET', `/form/human_input/${token}`, { key: server.keys.workflowHumanInput });
    assert.equal(get.status, 412);
  });

  it('advancedChatHumanInput: the chat pauses; blocking answers the 1.14 workflow_paused body; the answer resumes it', async () => {
    const blocking = await post(server, '/chat-messages', server.keys.advancedChatHumanInput, { inputs: {}, query: 'refund', user: 'u' });
    assert.equal(blocking.status, 200);
    const body = parse(blocking.text);
    assert.deepEqual(Object.keys(body), ['event', 'task_id', 'id', 'message_id', 'conversation_id', 'mode', 'answer', 'metadata', 'created_at', 'workflow_run_id', 'data']);
    assert.deepEqual(Object.keys(data(body)), [
      'id', 'mode', 'conversation_id', 'message_id', 'workflow_run_id', 'answer', 'metadata', 'created_at', 'paused_nodes', 'reasons', 'status', 'elapsed_time', 'total_tokens', 'total_steps',
    ]);
    assert.deepEqual([body.event, data(body).status, body.mode], ['workflow_paused', 'paused', 'advanced-chat']);

    const res = await post(server, '/chat-messages', server.keys.advancedChatHumanInput, { inputs: {}, query: 'refund', user: 'u', response_mode: 'streaming' });
    const events = dataFrames(res.text);
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['human_input_required', 'workflow_paused']);
    const form = events.at(-2)!;
    const live = await openLive(server, 'GET', `/workflow/${String(form.workflow_run_id)}/events?user=u`, { key: server.keys.advancedChatHumanInput });
    await submit(String(data(form).form_token), { inputs: { comment: 'ok' }, action: 'approve', user: 'u' }, server.keys.advancedChatHumanInput);
    await live.ended;
    const tail = live.data();
    assert.deepEqual(tail.slice(-2).map((e) => e.event), ['message_end', 'workflow_finished']);
    const review = tail.filter(isEvent('message')).map((e) => String(e.answer)).join('');
    assert.equal(review, '\n\nReview (approve): ok');
    const messages = parse((await call(server, 'GET', `/messages?user=u&conversation_id=${String(form.conversation_id)}`, { key: server.keys.advancedChatHumanInput })).text);
    assert.match(String(((messages.data as Json[])[0]!).answer), /Review \(approve\): ok$/);
  });
});

describe('test Dify server: a human-input form that times out', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ humanInputTimeoutMs: 300, pingIntervalMs: 50 });
  });
  after(() => server.close());

  it('human_input_form_timeout resumes the run (failed here); the form then answers 412 human_input_form_expired', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowHumanInput, { inputs: {}, user: 'u', response_mode: 'streaming' });
    const form = dataFrames(res.text).find(isEvent('human_input_required'))!;
    const live = await openLive(server, 'GET', `/workflow/${String(form.workflow_run_id)}/events?user=u`, { key: server.keys.workflowHumanInput });
    const timeout = await live.waitFor(isEvent('human_input_form_timeout'), 2000);
    assert.deepEqual(Object.keys(data(timeout)), ['node_id', 'node_title', 'expiration_time']);
    await live.ended;
    const finished = data(live.data().at(-1)!);
    assert.deepEqual([finished.status, finished.error], ['failed', 'Human input form timed out.']);
    const late = await post(server, `/form/human_input/${String(data(form).form_token)}`, server.keys.workflowHumanInput, { inputs: { comment: 'x' }, action: 'approve', user: 'u' });
    assert.deepEqual(parse(late.text), { code: 'human_input_form_expired', message: `This form has expired, form_id=${String(data(form).form_id)}`, status: 412 });
  });
});
