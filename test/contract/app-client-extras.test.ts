// AppClient against the less common parts of Dify 1.13.2 the test server emulates: annotations, message_replace,
// TTS autoplay frames after message_end, a failing chatflow, node_retry / agent_log, a paused workflow, the app
// concurrency limit (400 "Too many requests") and nginx's HTML 413.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppClient,
  DifyApiError,
  DifyRateLimitError,
  DifyUnexpectedResponseError,
  DifyWorkflowRunError,
  type ChatStreamEvent,
  type DifyTimeouts,
  type MessageReplaceEvent,
  type NodeFinishedEvent,
  type WorkflowPausedEvent,
} from '../../src/dify/index.js';
import { CHATFLOW_FAILURE } from '../dify-server/apps/chatflow.js';
import { MODERATION } from '../dify-server/apps/fixtures.js';
import { startDifyServer, type DifyTestServer, type DifyTestServerOptions } from '../dify-server/server.js';
import { drainStream } from '../helpers/drain-stream.js';

let server: DifyTestServer;
const USER = 'vscode-user-extras';
const NAME = { name: 'Ada' };

before(async () => {
  server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000 });
});
after(() => server.close());
beforeEach(() => server.reset());

function app(handle: keyof DifyTestServer['keys'], on = server, timeouts: Partial<DifyTimeouts> = {}) {
  return new AppClient({
    baseUrl: on.baseUrl,
    apiKey: on.keys[handle],
    user: USER,
    timeouts: { streamIdleMs: 400, streamEventMs: 600, ...timeouts },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}


/** A second server with its own options, closed after `body`. */
async function withServer(options: DifyTestServerOptions, body: (other: DifyTestServer) => Promise<void>): Promise<void> {
  const other = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000, ...options });
  try {
    await body(other);
  } finally {
    await other.close();
  }
}

describe('AppClient: a redirect', () => {
  it('is an error naming where it points, for JSON calls and streams alike (never an undefined result)', async () => {
    const location = 'https://dify.example.com/v1/info';
    server.fault({ kind: 'http', status: 301, headers: { Location: location } }, { path: '/info' });
    await assert.rejects(app('chat').getInfo(), (e: unknown) => {
      assert.ok(e instanceof DifyUnexpectedResponseError);
      assert.equal(e.status, 301);
      assert.match(e.message, /HTTP 301: GET \/info .*was redirected \("Location: https:\/\/dify\.example\.com\/v1\/info"\)\. Dify's API does not redirect/);
      return true;
    });
    server.fault({ kind: 'http', status: 307, headers: { Location: location } }, { path: '/chat-messages' });
    await assert.rejects(app('chat').streamChatMessage({ query: 'hi', inputs: NAME }), (e: unknown) => e instanceof DifyUnexpectedResponseError && e.status === 307);
  });
});

describe('AppClient: annotations', () => {
  it('create, list (page, keyword), update and delete; a deleted one is 404', async () => {
    const chat = app('chat');
    const created = await chat.createAnnotation({ question: 'What is Dify?', answer: 'An LLM app platform 平台' });
    assert.equal(created.question, 'What is Dify?');
    assert.equal(created.answer, 'An LLM app platform 平台');
    assert.equal(created.hit_count, 0);
    assert.equal(typeof created.created_at, 'number');
    await chat.createAnnotation({ question: 'Second', answer: 'two' });
    const page = await chat.listAnnotations({ page: 1, limit: 1 });
    assert.deepEqual([page.page, page.limit, page.total, page.has_more], [1, 1, 2, true]);
    assert.equal(page.data[0]!.question, 'Second', 'newest first');
    const found = await chat.listAnnotations({ keyword: '平台' });
    assert.deepEqual(found.data.map((a) => a.id), [created.id]);
    const updated = await chat.updateAnnotation(created.id, { question: 'What is Dify, really?', answer: 'Still a platform' });
    assert.deepEqual([updated.id, updated.question, updated.answer], [created.id, 'What is Dify, really?', 'Still a platform']);
    assert.equal(await chat.deleteAnnotation(created.id), undefined);
    const sent = server.requests.filter((r) => r.path.startsWith('/apps/annotations')).map((r) => `${r.method} ${r.status ?? ''}`);
    assert.deepEqual(sent, ['POST 201', 'POST 201', 'GET 200', 'GET 200', 'PUT 200', 'DELETE 204']);
    const error = await chat.deleteAnnotation(created.id).catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError && error.code === 'not_found' && error.status === 404);
    assert.equal((await chat.listAnnotations()).total, 1);
  });

  it('a missing answer is Dify\'s validation error', async () => {
    const error = await app('chat')
      .createAnnotation({ question: 'q' } as { question: string; answer: string })
      .catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError && error.code === 'invalid_param' && error.status === 400);
    assert.match(error.difyMessage, /AnnotationCreatePayload\nanswer\n {2}Field required/);
  });
});

describe('AppClient: message_replace and TTS autoplay', () => {
  it('message_replace arrives typed, after the deltas and before message_end', async () => {
    const { events, error } = await drainStream(await app('chat').streamChatMessage({ query: 'please moderate this', inputs: NAME }));
    assert.equal(error, undefined);
    const replace = events.find((e): e is MessageReplaceEvent => e.event === 'message_replace');
    assert.ok(replace, 'a message_replace event');
    assert.equal(replace.answer, MODERATION.presetResponse);
    assert.equal(replace.reason, 'output_moderation');
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['message_replace', 'message_end']);
    const blocking = await app('chat').sendChatMessage({ query: 'moderate', inputs: NAME });
    assert.equal(blocking.answer, MODERATION.presetResponse);
  });

  it('tts_message frames after message_end are delivered, and the stream ends cleanly with tts_message_end', async () => {
    const stream = await app('chatTts').streamChatMessage({ query: 'Read this aloud. 请朗读。' });
    const { events, error } = await drainStream(stream);
    assert.equal(error, undefined);
    const names = events.map((e) => e.event);
    const end = names.indexOf('message_end');
    assert.ok(end > 0);
    assert.ok(names.slice(end + 1).includes('tts_message'), 'audio after message_end reaches the caller');
    const last = events.at(-1)!;
    assert.equal(last.event, 'tts_message_end');
    assert.equal(last.event === 'tts_message_end' ? last.audio : undefined, '');
    const audio = events.filter((e): e is Extract<ChatStreamEvent, { event: 'tts_message' | 'tts_message_end' }> => e.event === 'tts_message');
    assert.ok(audio.length > 1 && audio.every((a) => a.audio.length > 0 && /^[A-Za-z0-9+/]+=*$/.test(a.audio)), 'base64 audio chunks');
    assert.equal(Buffer.from(audio[0]!.audio, 'base64').subarray(0, 3).toString('latin1'), 'ID3', 'MP3 bytes');
  });
});

describe('AppClient: a failing chatflow, retries, agent logs and a paused workflow', () => {
  it('streaming: DifyWorkflowRunError naming the failed node (no error frame follows on 1.13)', async () => {
    const { events, error } = await drainStream(await app('advancedChatFailing').streamChatMessage({ query: 'parse this' }));
    assert.ok(events.some((e) => e.event === 'message'), 'the partial answer arrived first');
    assert.equal(events.at(-1)!.event, 'workflow_finished');
    assert.ok(error instanceof DifyWorkflowRunError, String(error));
    assert.equal(error.failedNode?.title, 'Parse JSON 解析');
    assert.equal(error.failedNode?.node_type, 'code');
    assert.equal(error.difyMessage, CHATFLOW_FAILURE);
    assert.match(error.message, /Parse JSON 解析/);
  });

  it('blocking: DifyApiError 400 invalid_param "Run failed: ..."', async () => {
    const error = await app('advancedChatFailing')
      .sendChatMessage({ query: 'q' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError);
    assert.ok(!(error instanceof DifyWorkflowRunError));
    assert.deepEqual([error.status, error.code, error.difyMessage], [400, 'invalid_param', `Run failed: ${CHATFLOW_FAILURE}`]);
  });

  it('node_retry arrives typed like node_finished; agent_log passes through; the run succeeds', async () => {
    const { events, error } = await drainStream(await app('workflowAgent').streamWorkflow({ inputs: { city: 'Oslo' } }));
    assert.equal(error, undefined);
    const retry = events.find((e): e is NodeFinishedEvent => e.event === 'node_retry');
    assert.ok(retry);
    assert.equal(retry.data.node_type, 'http-request');
    assert.equal(retry.data.retry_index, 1);
    const logs = events.filter((e) => (e.event as string) === 'agent_log');
    assert.ok(logs.length >= 6, 'unknown events are passed through');
    assert.equal(events.at(-1)!.event, 'workflow_finished');
  });

  it('workflow_paused ends a stream without error; blocking returns status paused', async () => {
    const wf = app('workflowHumanInput');
    const { events, error } = await drainStream(await wf.streamWorkflow({ inputs: { topic: 'refund' } }));
    assert.equal(error, undefined);
    assert.ok(events.some((e) => (e.event as string) === 'human_input_required'));
    const paused = events.at(-1) as WorkflowPausedEvent;
    assert.equal(paused.event, 'workflow_paused');
    assert.equal(paused.data.status, 'paused');
    const blocking = await wf.runWorkflow({ inputs: { topic: 'refund' } });
    assert.deepEqual([blocking.data.status, blocking.data.outputs, blocking.data.finished_at], ['paused', {}, null]);
    const run = await wf.getWorkflowRun(blocking.workflow_run_id);
    assert.equal(run.status, 'paused');
  });

  it('a blocking chatflow call that pauses for a person answers the paused body (1.14+), with the answer so far', async () => {
    const chat = app('advancedChatHumanInput');
    const body = await chat.sendChatMessage({ query: 'draft a reply', inputs: {} });
    assert.equal(body.event, 'workflow_paused');
    if (body.event !== 'workflow_paused') return;
    assert.equal(body.data.status, 'paused');
    assert.ok(body.data.paused_nodes.length > 0, 'the node that waits');
    assert.equal((body.data.reasons[0] as { TYPE?: string }).TYPE, 'human_input_required');
    assert.ok(body.answer.length > 0 && body.conversation_id && body.workflow_run_id);
  });
});

describe('AppClient: the app concurrency limit and nginx 413', () => {
  it('a second request while a stream runs is DifyRateLimitError (Dify\'s 400 invalid_param "Too many requests")', async () => {
    await withServer({ maxActiveRequests: 1, eventDelayMs: 15 }, async (limited) => {
      const chat = app('chat', limited);
      const stream = await chat.streamChatMessage({ query: 'long:20', inputs: NAME });
      const error = await chat.sendChatMessage({ query: 'q', inputs: NAME }).catch((e: unknown) => e);
      assert.ok(error instanceof DifyRateLimitError, String(error));
      assert.deepEqual([error.status, error.code], [400, 'invalid_param']);
      assert.match(error.difyMessage, /^Too many requests\. .* is 1\.$/);
      assert.equal(error.retryAfterMs, undefined);
      assert.equal(limited.requests.filter((r) => r.path === '/chat-messages').length, 2, 'a POST is not retried');
      const streamed = await chat.streamChatMessage({ query: 'q', inputs: NAME }).catch((e: unknown) => e);
      assert.ok(streamed instanceof DifyRateLimitError && streamed.status === 400, 'also before a stream starts');
      const { error: streamError } = await drainStream(stream);
      assert.equal(streamError, undefined);
      assert.equal((await chat.sendChatMessage({ query: 'q', inputs: NAME })).answer.length > 0, true);
    });
  });

  it('a body over nginx\'s limit: the HTML 413 page becomes DifyUnexpectedResponseError with status 413', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dify-413-'));
    try {
      await withServer({ maxBodyBytes: 4096 }, async (small) => {
        const chat = app('chat', small);
        const error = await chat.createAnnotation({ question: 'q'.repeat(5000), answer: 'a' }).catch((e: unknown) => e);
        assert.ok(error instanceof DifyUnexpectedResponseError, String(error));
        assert.equal(error.status, 413);
        assert.match(error.contentType, /text\/html/);
        assert.match(error.bodySnippet, /413 Request Entity Too Large/);
        assert.match(error.message, /too large/);
        const big = join(dir, 'notes.txt');
        writeFileSync(big, '');
        truncateSync(big, 64 * 1024);
        const upload = await chat.uploadFile({ path: big }).catch((e: unknown) => e);
        assert.ok(upload instanceof DifyUnexpectedResponseError && upload.status === 413, String(upload));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
