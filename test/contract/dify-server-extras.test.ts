// The test Dify server, the less common parts of Dify 1.13.2 on the wire: annotations (§3.11), message_replace and
// TTS autoplay frames (§4.3), a failing chatflow (§4.4, §5.1), node_retry / agent_log, human input pauses (§4.3,
// §5.3), the app concurrency limit (§2.2), nginx's 413 and werkzeug's 405 with Allow (§2.1).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { CHATFLOW_FAILURE } from '../dify-server/apps/chatflow.js';
import { MODERATION } from '../dify-server/apps/fixtures.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { NGINX_413_HTML, WERKZEUG_404_HTML } from '../dify-server/wire.js';
import { CHAT_INPUTS, call, dataFrames, parseFrames, post } from './dify-server-helpers.js';

type Json = Record<string, unknown>;
const parse = (text: string): Json => JSON.parse(text) as Json;
const streaming = (extra: Json): Json => ({ user: 'u', response_mode: 'streaming', ...extra });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CHAT_ENVELOPE = ['event', 'conversation_id', 'message_id', 'created_at', 'task_id'];
const NODE_FINISHED_KEYS = [
  'id', 'node_id', 'node_type', 'title', 'index', 'predecessor_node_id', 'inputs', 'inputs_truncated', 'process_data',
  'process_data_truncated', 'outputs', 'outputs_truncated', 'status', 'error', 'elapsed_time', 'execution_metadata',
  'created_at', 'finished_at', 'files', 'iteration_id', 'loop_id',
];

describe('test Dify server: annotations', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const create = (question: string, answer: string, key = server.keys.chat) => post(server, '/apps/annotations', key, { question, answer });
  const list = async (query: string, key = server.keys.chat): Promise<Json> => parse((await call(server, 'GET', `/apps/annotations${query}`, { key })).text);

  it('POST is 201 with the annotation in annotation_fields order, json.dumps style', async () => {
    const res = await create('What is Dify?', 'An LLM app platform. 一个平台。');
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = parse(res.text);
    assert.deepEqual(Object.keys(body), ['id', 'question', 'answer', 'hit_count', 'created_at']);
    assert.match(String(body.id), UUID);
    assert.equal(
      res.text,
      `{"id": "${String(body.id)}", "question": "What is Dify?", "answer": "An LLM app platform. \\u4e00\\u4e2a\\u5e73\\u53f0\\u3002", "hit_count": 0, "created_at": ${String(body.created_at)}}\n`,
    );
    assert.equal(typeof body.created_at, 'number');
  });

  it('GET pages newest first: page/limit/total, has_more = len(data) == limit, keyword on question or answer', async () => {
    for (let i = 1; i <= 5; i++) await create(`Question ${i}`, i % 2 ? `odd answer ${i}` : `even answer ${i}`);
    const first = await list('?page=1&limit=2');
    assert.deepEqual(Object.keys(first), ['data', 'has_more', 'limit', 'total', 'page']);
    assert.deepEqual((first.data as Json[]).map((a) => a.question), ['Question 5', 'Question 4']);
    assert.deepEqual([first.has_more, first.limit, first.total, first.page], [true, 2, 5, 1]);
    const last = await list('?page=3&limit=2');
    assert.deepEqual([(last.data as Json[]).length, last.has_more], [1, false]);
    const exact = await list('?page=1&limit=5');
    assert.equal(exact.has_more, true, 'a full page says has_more even when nothing follows (Dify quirk)');
    const keyword = await list('?keyword=EVEN');
    assert.deepEqual((keyword.data as Json[]).map((a) => a.answer), ['even answer 4', 'even answer 2']);
    assert.equal(keyword.total, 2);
    const byQuestion = await list('?keyword=question%203');
    assert.equal(byQuestion.total, 1);
    const defaults = await list('?page=abc&limit=');
    assert.deepEqual([defaults.page, defaults.limit, (defaults.data as Json[]).length], [1, 20, 5], 'unparsable ints fall back to the defaults');
    const capped = await list('?limit=500');
    assert.deepEqual([capped.limit, capped.has_more], [500, false], 'served as 100 rows, limit echoed');
    const other = await list('', server.keys.completion);
    assert.deepEqual([other.total, other.data], [0, []], 'annotations belong to one app');
  });

  it('validation errors are pydantic messages; a non-JSON body is 415', async () => {
    const res = await post(server, '/apps/annotations', server.keys.chat, { question: 'q' });
    assert.equal(res.status, 400);
    assert.equal(
      res.text,
      '{"code": "invalid_param", "message": "1 validation error for AnnotationCreatePayload\\nanswer\\n  Field required ' +
        "[type=missing, input_value={'question': 'q'}, input_type=dict]\\n    For further information visit " +
        'https://errors.pydantic.dev/2.12/v/missing", "status": 400}\n',
    );
    const wrongType = await post(server, '/apps/annotations', server.keys.chat, { question: 1, answer: 'a' });
    assert.match(String(parse(wrongType.text).message), /^1 validation error for AnnotationCreatePayload\nquestion\n {2}Input should be a valid string \[type=string_type/);
    const form = await call(server, 'POST', '/apps/annotations', { key: server.keys.chat, body: 'question=q', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(parse(form.text).code, 'unsupported_media_type');
  });

  it('PUT updates (200), DELETE is 204 with no body, then both are 404 "Annotation not found"', async () => {
    const created = parse((await create('q', 'a')).text);
    const id = String(created.id);
    const put = await call(server, 'PUT', `/apps/annotations/${id}`, { key: server.keys.chat, json: { question: 'q2', answer: 'a2' } });
    assert.equal(put.status, 200);
    assert.deepEqual(parse(put.text), { ...created, question: 'q2', answer: 'a2' });
    assert.equal((await call(server, 'PUT', `/apps/annotations/${id}`, { key: server.keys.completion, json: { question: 'x', answer: 'y' } })).status, 404);
    const del = await call(server, 'DELETE', `/apps/annotations/${id}`, { key: server.keys.chat });
    assert.deepEqual([del.status, del.text], [204, '']);
    for (const method of ['PUT', 'DELETE']) {
      const again = await call(server, method, `/apps/annotations/${id}`, { key: server.keys.chat, json: { question: 'q', answer: 'a' } });
      assert.equal(again.status, 404, method);
      const body = parse(again.text);
      assert.equal(body.code, 'not_found');
      assert.ok(String(body.message).startsWith('Annotation not found'), String(body.message));
    }
    const notUuid = await call(server, 'DELETE', '/apps/annotations/not-a-uuid', { key: server.keys.chat });
    assert.deepEqual([notUuid.status, notUuid.text], [404, WERKZEUG_404_HTML]);
  });

  it('annotation-reply enable/disable: all three fields required, a waiting job, then its status', async () => {
    const args = { score_threshold: 0.9, embedding_provider_name: 'openai', embedding_model_name: 'text-embedding-3-small' };
    const missing = await post(server, '/apps/annotation-reply/disable', server.keys.chat, { score_threshold: '0.8' });
    assert.equal(missing.status, 400);
    const message = String(parse(missing.text).message);
    assert.ok(message.startsWith('2 validation errors for AnnotationReplyActionPayload\nembedding_provider_name\n  Field required'), message);
    assert.match(message, /\nembedding_model_name\n {2}Field required/);
    const badNumber = await post(server, '/apps/annotation-reply/enable', server.keys.chat, { ...args, score_threshold: 'high' });
    assert.match(String(parse(badNumber.text).message), /score_threshold\n {2}Input should be a valid number, unable to parse string as a number \[type=float_parsing/);

    const enable = await post(server, '/apps/annotation-reply/enable', server.keys.chat, args);
    assert.equal(enable.status, 200);
    const job = parse(enable.text);
    assert.deepEqual(Object.keys(job), ['job_id', 'job_status']);
    assert.match(String(job.job_id), UUID);
    assert.equal(job.job_status, 'waiting');
    const status = await call(server, 'GET', `/apps/annotation-reply/enable/status/${String(job.job_id)}`, { key: server.keys.chat });
    assert.equal(status.text, `{"job_id": "${String(job.job_id)}", "job_status": "completed", "error_msg": ""}\n`);
    const undashed = String(job.job_id).replace(/-/g, '').toUpperCase();
    assert.equal(parse((await call(server, 'GET', `/apps/annotation-reply/enable/status/${undashed}`, { key: server.keys.chat })).text).job_id, job.job_id);

    const disable = parse((await post(server, '/apps/annotation-reply/disable', server.keys.chat, args)).text);
    assert.equal(disable.job_status, 'waiting');
    const unknownJobs = [`/apps/annotation-reply/disable/status/${String(job.job_id)}`, '/apps/annotation-reply/enable/status/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b'];
    for (const path of unknownJobs) {
      const res = await call(server, 'GET', path, { key: server.keys.chat });
      assert.equal(res.text, '{"code": "invalid_param", "message": "The job does not exist.", "status": 400}\n', path);
    }
    const other = await post(server, '/apps/annotation-reply/toggle', server.keys.chat, args);
    assert.deepEqual([other.status, other.text], [500, '{"message": "Internal Server Error", "code": "unknown", "status": 500}\n']);
  });
});

describe('test Dify server: message_replace, TTS autoplay, failing chatflow, retries, agent logs, pauses', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('output moderation: the deltas, then message_replace (reason output_moderation), then message_end', async () => {
    const res = await post(server, '/chat-messages', server.keys.chat, streaming({ inputs: CHAT_INPUTS, query: 'Please MODERATE this' }));
    const events = dataFrames(res.text);
    const names = events.map((e) => e.event);
    assert.deepEqual(names.slice(-2), ['message_replace', 'message_end']);
    assert.ok(names.slice(0, -2).every((n) => n === 'message') && names.length > 3);
    const replace = events.at(-2)!;
    assert.deepEqual(Object.keys(replace), [...CHAT_ENVELOPE, 'answer', 'reason']);
    assert.deepEqual([replace.answer, replace.reason], [MODERATION.presetResponse, 'output_moderation']);
    const history = parse((await call(server, 'GET', `/messages?user=u&conversation_id=${String(replace.conversation_id)}`, { key: server.keys.chat })).text);
    assert.equal((history.data as Json[])[0]!.answer, MODERATION.presetResponse, 'the stored answer is the replacement');
    const blocking = parse((await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: 'moderate', user: 'u' })).text);
    assert.equal(blocking.answer, MODERATION.presetResponse);
    const plain = dataFrames((await post(server, '/chat-messages', server.keys.chat, streaming({ inputs: CHAT_INPUTS, query: 'moderately' }))).text);
    assert.ok(!plain.some((e) => e.event === 'message_replace'), 'only the whole word');
    const params = parse((await call(server, 'GET', '/parameters', { key: server.keys.chat })).text);
    assert.deepEqual((params.sensitive_word_avoidance as Json).enabled, true);
  });

  it('TTS autoplay: base64 MP3 tts_message frames interleaved and after message_end, tts_message_end last', async () => {
    const params = parse((await call(server, 'GET', '/parameters', { key: server.keys.chatTts })).text);
    assert.equal((params.text_to_speech as Json).autoPlay, 'enabled');
    const res = await post(server, '/chat-messages', server.keys.chatTts, streaming({ inputs: {}, query: 'Read this aloud. 请朗读。' }));
    const events = dataFrames(res.text);
    const names = events.map((e) => e.event);
    const end = names.indexOf('message_end');
    assert.equal(names.at(-1), 'tts_message_end');
    assert.ok(names.slice(0, end).includes('tts_message') && names.slice(0, end).includes('message'), 'interleaved with the answer');
    assert.ok(names.slice(end + 1, -1).length > 0 && names.slice(end + 1, -1).every((n) => n === 'tts_message'), 'audio after message_end');
    const audio = events.find((e) => e.event === 'tts_message')!;
    assert.deepEqual(Object.keys(audio), [...CHAT_ENVELOPE, 'audio']);
    assert.equal(Buffer.from(String(audio.audio), 'base64').subarray(0, 3).toString('latin1'), 'ID3');
    assert.deepEqual(Object.keys(events.at(-1)!), [...CHAT_ENVELOPE, 'audio']);
    assert.equal(events.at(-1)!.audio, '');
    assert.equal(new Set(events.map((e) => e.task_id)).size, 1);
    const blocking = await post(server, '/chat-messages', server.keys.chatTts, { inputs: {}, query: 'q', user: 'u' });
    assert.equal(parse(blocking.text).event, 'message', 'no audio in blocking mode');
  });

  it('failing chatflow, streaming: a failed node, workflow_finished failed with its error, and no error frame after it', async () => {
    const res = await post(server, '/chat-messages', server.keys.advancedChatFailing, streaming({ inputs: {}, query: 'parse this' }));
    assert.equal(parseFrames(res.text)[0]!.kind, 'ping');
    const events = dataFrames(res.text);
    assert.equal(events[0]!.event, 'workflow_started');
    assert.ok(events.some((e) => e.event === 'message'), 'the answer streamed before the failure');
    const failed = events.find((e) => e.event === 'node_finished' && (e.data as Json).status === 'failed')!;
    assert.deepEqual([(failed.data as Json).title, (failed.data as Json).error], ['Parse JSON 解析', CHATFLOW_FAILURE]);
    const last = events.at(-1)!;
    assert.equal(last.event, 'workflow_finished');
    assert.deepEqual([(last.data as Json).status, (last.data as Json).error], ['failed', CHATFLOW_FAILURE]);
    assert.ok(!events.some((e) => e.event === 'error' || e.event === 'message_end'));
    const run = parse((await call(server, 'GET', `/workflows/run/${String(last.workflow_run_id)}`, { key: server.keys.advancedChatFailing })).text);
    assert.equal(run.status, 'failed');
    const history = parse((await call(server, 'GET', `/messages?user=u&conversation_id=${String(last.conversation_id)}`, { key: server.keys.advancedChatFailing })).text);
    const message = (history.data as Json[])[0]!;
    assert.deepEqual([message.status, message.error], ['error', `Run failed: ${CHATFLOW_FAILURE}`]);
  });

  it('failing chatflow, blocking: 400 invalid_param "Run failed: <error>"', async () => {
    const res = await post(server, '/chat-messages', server.keys.advancedChatFailing, { inputs: {}, query: 'q', user: 'u' });
    assert.equal(res.status, 400);
    assert.equal(res.text, `{"code": "invalid_param", "message": "Run failed: ${CHATFLOW_FAILURE}", "status": 400}\n`);
  });

  it('node_retry: node_finished data plus retry_index, same execution id, then node_finished; agent_log frames', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowAgent, streaming({ inputs: { city: 'Paris' } }));
    const events = dataFrames(res.text);
    const i = events.findIndex((e) => e.event === 'node_retry');
    const retry = events[i]!;
    assert.deepEqual(Object.keys(retry), ['event', 'workflow_run_id', 'task_id', 'data']);
    const data = retry.data as Json;
    assert.deepEqual(Object.keys(data), [...NODE_FINISHED_KEYS, 'retry_index']);
    assert.deepEqual([data.status, data.retry_index, data.node_type], ['retry', 1, 'http-request']);
    assert.match(String(data.error), /503/);
    assert.equal(events[i - 1]!.event, 'node_started');
    assert.equal((events[i - 1]!.data as Json).id, data.id);
    assert.equal(events[i + 1]!.event, 'node_finished', 'no second node_started for the retry');
    assert.deepEqual([(events[i + 1]!.data as Json).id, (events[i + 1]!.data as Json).status], [data.id, 'succeeded']);

    const agentStarted = events.find((e) => e.event === 'node_started' && (e.data as Json).node_type === 'agent')!;
    assert.equal(((agentStarted.data as Json).agent_strategy as Json).name, 'function_calling');
    const logs = events.filter((e) => e.event === 'agent_log');
    assert.ok(logs.length >= 6);
    assert.deepEqual(Object.keys(logs[0]!), ['event', 'workflow_run_id', 'task_id', 'data']);
    assert.deepEqual(Object.keys(logs[0]!.data as Json), ['node_execution_id', 'id', 'label', 'parent_id', 'error', 'status', 'data', 'metadata', 'node_id']);
    const log = (n: number): Json => logs[n]!.data as Json;
    assert.deepEqual([log(0).label, log(0).status, log(0).parent_id, log(0).node_execution_id], ['ROUND 1', 'start', null, (agentStarted.data as Json).id]);
    assert.equal(log(1).parent_id, log(0).id);
    assert.ok(logs.some((l) => (l.data as Json).id === log(0).id && (l.data as Json).status === 'success'), 'the round is sent again when it succeeds');
    const agentFinished = events.find((e) => e.event === 'node_finished' && (e.data as Json).node_type === 'agent')!;
    assert.ok(Array.isArray(((agentFinished.data as Json).execution_metadata as Json).agent_log));
    const last = events.at(-1)!;
    assert.deepEqual([last.event, (last.data as Json).status], ['workflow_finished', 'succeeded']);
  });

  it('human input: human_input_required then workflow_paused as the last frame; blocking is status paused', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowHumanInput, streaming({ inputs: { topic: 'refund' } }));
    const events = dataFrames(res.text);
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['human_input_required', 'workflow_paused']);
    assert.ok(!events.some((e) => e.event === 'workflow_finished'));
    const [form, paused] = events.slice(-2) as [Json, Json];
    assert.deepEqual(Object.keys(form.data as Json), [
      'form_id', 'node_id', 'node_title', 'form_content', 'inputs', 'actions', 'display_in_ui', 'form_token', 'resolved_default_values', 'expiration_time',
      'approval_channels',
    ]);
    const pausedData = paused.data as Json;
    assert.deepEqual(Object.keys(pausedData), ['workflow_run_id', 'paused_nodes', 'outputs', 'reasons', 'status', 'created_at', 'elapsed_time', 'total_tokens', 'total_steps']);
    assert.deepEqual([pausedData.status, pausedData.outputs, pausedData.paused_nodes], ['paused', {}, [(form.data as Json).node_id]]);
    assert.equal(((pausedData.reasons as Json[])[0]!).form_id, (form.data as Json).form_id);
    const run = parse((await call(server, 'GET', `/workflows/run/${String(paused.workflow_run_id)}`, { key: server.keys.workflowHumanInput })).text);
    assert.deepEqual([run.status, run.outputs, run.finished_at], ['paused', {}, null]);

    const blocking = await post(server, '/workflows/run', server.keys.workflowHumanInput, { inputs: {}, user: 'u' });
    assert.equal(blocking.status, 200);
    const data = parse(blocking.text).data as Json;
    assert.deepEqual([data.status, data.outputs, data.error, data.finished_at], ['paused', {}, null, null]);
    // 1.14+: paused_nodes and reasons after finished_at (CONSOLE §11.3).
    assert.match(blocking.text, /"outputs": \{\}, "error": null, .*"finished_at": null, "paused_nodes": \["\d+"\], "reasons": \[\{"TYPE": .*\}\]\}\}$/);
  });
});

describe('test Dify server: concurrency limit, nginx 413, 405 Allow', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ maxActiveRequests: 1, maxBodyBytes: 1024, eventDelayMs: 10 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const tooMany = (appId: string): string =>
    `{"code": "invalid_param", "message": "Too many requests. Please try again later. The current maximum concurrent requests allowed for ${appId} is 1.", "status": 400}\n`;
  const appId = (handle: keyof DifyTestServer['keys']): string => server.apps.find((a) => a.key === server.keys[handle])!.id;

  it('a second in-flight generation request of the same app is 400 invalid_param "Too many requests"', async () => {
    const first = fetch(`${server.baseUrl}/chat-messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.keys.chat}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(streaming({ inputs: CHAT_INPUTS, query: 'long:20' })),
    });
    const stream = await first;
    assert.equal(stream.status, 200);
    const refused = await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: 'q', user: 'other' });
    assert.equal(refused.status, 400);
    assert.equal(refused.text, tooMany(appId('chat')));
    const otherApp = await post(server, '/completion-messages', server.keys.completion, { inputs: { topic: 't' }, user: 'u' });
    assert.equal(otherApp.status, 200, 'the limit is per app');
    assert.equal(dataFrames(await stream.text()).filter((e) => e.event === 'message').length, 20);
    assert.equal((await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: 'q', user: 'u' })).status, 200, 'free again once the stream ended');
  });

  it('blocking workflow runs count too, and a refused request holds no slot', async () => {
    const body = { inputs: { topic: 'long:15' }, user: 'u' };
    const [a, b] = await Promise.all([post(server, '/workflows/run', server.keys.workflow, body), post(server, '/workflows/run', server.keys.workflow, body)]);
    assert.deepEqual([a.status, b.status].sort(), [200, 400]);
    assert.equal([a, b].find((r) => r.status === 400)!.text, tooMany(appId('workflow')));
    assert.equal((await post(server, '/workflows/run', server.keys.workflow, body)).status, 200);
  });

  it('a body over maxBodyBytes is nginx\'s HTML 413, without Dify\'s headers; at the limit it reaches Dify', async () => {
    const big = await call(server, 'POST', '/chat-messages', { key: server.keys.chat, json: { inputs: CHAT_INPUTS, query: 'x'.repeat(2000), user: 'u' } });
    assert.equal(big.status, 413);
    assert.equal(big.text, NGINX_413_HTML);
    assert.equal(big.headers.get('content-type'), 'text/html');
    assert.equal(big.headers.get('x-version'), null);
    assert.equal(server.requests.at(-1)!.status, 413);
    const json = JSON.stringify({ inputs: CHAT_INPUTS, query: '', user: 'u' });
    const atLimit = await call(server, 'POST', '/chat-messages', { key: server.keys.chat, body: json.padEnd(1024, ' '), contentType: 'application/json' });
    assert.equal(atLimit.status, 400, 'exactly maxBodyBytes is accepted (here: "query is required")');
  });

  it('the 413 is decided from Content-Length alone, before any body byte (default limit 100 MB)', async () => {
    const fresh = await startDifyServer();
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${fresh.baseUrl}/files/upload`, {
          method: 'POST',
          headers: { 'Content-Length': String(100 * 1024 * 1024 + 1), 'Content-Type': 'multipart/form-data; boundary=x' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders();
      });
      assert.equal(status, 413);
    } finally {
      await fresh.close();
    }
  });

  it('405 method_not_allowed carries werkzeug\'s Allow header; OPTIONS and HEAD are answered as flask does', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/chat-messages', 'OPTIONS, POST'],
      ['DELETE', '/info', 'GET, HEAD, OPTIONS'],
      ['PATCH', '/apps/annotations', 'GET, HEAD, OPTIONS, POST'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(server, method, path, { key: server.keys.chat });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.text, '{"code": "method_not_allowed", "message": "The method is not allowed for the requested URL.", "status": 405}\n');
      assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
    }
    const options = await call(server, 'OPTIONS', '/info');
    assert.deepEqual([options.status, options.headers.get('allow'), options.text], [200, 'GET, HEAD, OPTIONS', '']);
    const head = await call(server, 'HEAD', '/info', { key: server.keys.chat });
    assert.deepEqual([head.status, head.text], [200, '']);
  });
});
