// AppClient generation (chat, agent, chatflow, completion, workflow; blocking and streaming; stop) against the test
// Dify server, and every injected fault ending in its own typed error with nothing left hanging.
import assert from 'node:assert/strict';
import {
  AppClient,
  DifyAbortError,
  DifyApiError,
  DifyNetworkError,
  DifyRateLimitError,
  DifyStreamError,
  DifyUnexpectedResponseError,
  DifyWorkflowRunError,
  type ChatStreamEvent,
  type DifyTimeouts,
} from '../../src/dify/index.js';
import { answerText } from '../dify-server/apps/answers.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';
import { NGINX_502_HTML } from '../dify-server/wire.js';
import { exampleEvents, exampleStream } from '../helpers/streams.js';
import { drainStream } from '../helpers/drain-stream.js';
import { waitFor } from '../helpers/raw-server.js';

let server: DifyTestServer;
const USER = 'vscode-user-合同';
const NAME = { name: 'Ada' };

before(async () => {
  server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000 });
});
after(() => server.close());
beforeEach(() => server.reset());

function app(handle: keyof DifyTestServer['keys'], timeouts: Partial<DifyTimeouts> = {}) {
  return new AppClient({
    baseUrl: server.baseUrl,
    apiKey: server.keys[handle],
    user: USER,
    timeouts: { streamIdleMs: 400, streamEventMs: 600, ...timeouts },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}


const answerOf = (events: ChatStreamEvent[]) =>
  events.map((e) => (e.event === 'message' || e.event === 'agent_message' ? e.answer : '')).join('');

describe('AppClient: chat', () => {
  it('streams an answer; the text is what Dify generated and the ids are known', async () => {
    const stream = await app('chat').streamChatMessage({ query: '写一段 code', inputs: NAME });
    const { events, error } = await drainStream(stream);
    assert.equal(error, undefined);
    assert.equal(answerOf(events), answerText('写一段 code'));
    assert.equal(events.at(-1)!.event, 'message_end');
    assert.ok(stream.conversationId && stream.messageId && stream.taskId);
    const sent = server.requests.find((r) => r.path === '/chat-messages')!;
    assert.deepEqual(sent.json, { query: '写一段 code', inputs: NAME, response_mode: 'streaming', user: USER });
    assert.equal(sent.headers.accept, 'text/event-stream');
  });

  it('the next message continues the conversation; history pages back oldest→newest', async () => {
    const chat = app('chat');
    const first = await chat.sendChatMessage({ query: 'one', inputs: NAME });
    const second = await chat.sendChatMessage({ query: 'two', inputs: NAME, conversation_id: first.conversation_id });
    assert.equal(second.conversation_id, first.conversation_id);
    assert.equal(second.answer, answerText('two'));
    const page = await chat.getMessages({ conversation_id: first.conversation_id, limit: 1 });
    assert.deepEqual(page.data.map((m) => m.query), ['two']);
    assert.equal(page.has_more, true);
    const older = await chat.getMessages({ conversation_id: first.conversation_id, first_id: page.data[0]!.id });
    assert.deepEqual(older.data.map((m) => m.query), ['one']);
    assert.equal(older.has_more, false);
  });

  it('required inputs are re-checked on every call: a missing one is a 400 invalid_param', async () => {
    const error = await app('chat').sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError);
    assert.equal(error.code, 'invalid_param');
    assert.match(error.difyMessage, /name is required/);
  });

  it("another user's conversation is 404 Conversation Not Exists", async () => {
    const mine = await app('chat').sendChatMessage({ query: 'q', inputs: NAME });
    const other = new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys.chat, user: 'someone-else' });
    const error = await other.sendChatMessage({ query: 'q', inputs: NAME, conversation_id: mine.conversation_id }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError);
    assert.equal(error.status, 404);
    assert.match(error.difyMessage, /Conversation Not Exists/);
  });

  it('stop() keeps the partial answer and ends with message_end', async () => {
    await server.close();
    server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000, eventDelayMs: 30 });
    const stream = await app('chat').streamChatMessage({ query: 'long:200', inputs: NAME });
    const events: ChatStreamEvent[] = [];
    for await (const e of stream) {
      events.push(e);
      if (events.length === 3) await stream.stop();
    }
    assert.equal(events.at(-1)!.event, 'message_end');
    assert.ok(events.length < 50, `stopped early (${events.length} events)`);
    const stop = server.requests.find((r) => r.path === `/chat-messages/${stream.taskId}/stop`)!;
    assert.deepEqual(stop.json, { user: USER });
    await server.close();
    server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000 });
  });

  it('suggested questions after an answer, and feedback like → undo', async () => {
    const chat = app('chat');
    const answer = await chat.sendChatMessage({ query: 'hello', inputs: NAME });
    const suggested = await chat.getSuggestedQuestions(answer.message_id);
    assert.equal(suggested.length, 3);
    await chat.sendMessageFeedback(answer.message_id, { rating: 'like', content: 'nice' });
    const [message] = (await chat.getMessages({ conversation_id: answer.conversation_id })).data;
    assert.equal(message!.feedback?.rating, 'like');
    await chat.sendMessageFeedback(answer.message_id, { rating: null });
    const error = await chat.sendMessageFeedback(answer.message_id, { rating: null }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError && /rating cannot be None/.test(error.difyMessage));
    assert.ok((await chat.getAppFeedbacks()).data.length >= 0);
  });
});

describe('AppClient: agent, chatflow, completion, workflow', () => {
  it('agent: thoughts upsert by id, tool files arrive, blocking is refused as Dify refuses it', async () => {
    const agent = app('agent');
    const { events, error } = await drainStream(await agent.streamChatMessage({ query: 'draw a cat' }));
    assert.equal(error, undefined);
    const thoughts = events.filter((e) => e.event === 'agent_thought');
    assert.ok(new Set(thoughts.map((t) => t.id)).size < thoughts.length, 'the same thought id is sent several times');
    assert.ok(events.some((e) => e.event === 'message_file'));
    assert.equal(events.at(-1)!.event, 'message_end');
    const blocking = await agent.sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(blocking instanceof DifyApiError && /does not support blocking mode/.test(blocking.difyMessage));
  });

  it('chatflow: workflow events around the answer; ends with workflow_finished', async () => {
    const { events, error } = await drainStream(await app('advancedChat').streamChatMessage({ query: 'flow' }));
    assert.equal(error, undefined);
    assert.equal(events[0]!.event, 'workflow_started');
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['message_end', 'workflow_finished']);
    assert.equal(answerOf(events), answerText('flow'));
  });

  it('chatflow with an unknown conversation hangs on Dify 1.13: the client ends it with a clear stream error', async () => {
    const stream = await app('advancedChat').streamChatMessage({ query: 'q', conversation_id: '00000000-0000-4000-8000-000000000000' });
    const { events, error } = await drainStream(stream);
    assert.equal(events.length, 0);
    assert.ok(error instanceof DifyStreamError);
    assert.ok(error.kind === 'stalled' || error.kind === 'no_events', error.kind);
  });

  it('completion: blocking and streaming give the same text', async () => {
    const completion = app('completion');
    const blocking = await completion.sendCompletionMessage({ inputs: { topic: 'rust' }, query: 'poem' });
    const { events } = await drainStream(await completion.streamCompletionMessage({ inputs: { topic: 'rust' }, query: 'poem' }));
    const streamed = events.map((e) => (e.event === 'message' ? e.answer : '')).join('');
    assert.equal(streamed, blocking.answer);
    const wrongMode = await app('chat').sendCompletionMessage({ inputs: {} }).catch((e: unknown) => e);
    assert.ok(wrongMode instanceof DifyApiError && wrongMode.code === 'app_unavailable');
  });

  it('workflow: text_chunk stream, outputs, run detail (inputs parsed), logs', async () => {
    const wf = app('workflow');
    const stream = await wf.streamWorkflow({ inputs: { topic: 'SSE' } });
    const { events, error } = await drainStream(stream);
    assert.equal(error, undefined);
    assert.ok(events.some((e) => e.event === 'text_chunk'));
    const finished = events.at(-1)!;
    assert.equal(finished.event, 'workflow_finished');
    const run = await wf.getWorkflowRun(stream.workflowRunId!);
    assert.equal(run.status, 'succeeded');
    assert.deepEqual((run.inputs as Record<string, unknown>).topic, 'SSE');
    const blocking = await wf.runWorkflow({ inputs: { topic: 'SSE' } });
    assert.equal(blocking.data.status, 'succeeded');
    const logs = await wf.getWorkflowLogs({ limit: 1 });
    assert.equal(logs.data.length, 1);
    assert.equal(logs.has_more, true);
  });

  it('workflow by id, and a draft or unknown workflow id fails as Dify says', async () => {
    const wf = app('workflow');
    const unknown = await wf.runWorkflowById('11111111-2222-4333-8444-555555555555', { inputs: { topic: 'x' } }).catch((e: unknown) => e);
    assert.ok(unknown instanceof DifyApiError && unknown.status === 404);
    const notUuid = await wf.runWorkflowById('latest', { inputs: { topic: 'x' } }).catch((e: unknown) => e);
    assert.ok(notUuid instanceof DifyApiError && notUuid.code === 'bad_request');
  });

  it('iteration and loop workflows stream their container events', async () => {
    const { events, error } = await drainStream(await app('workflowIteration').streamWorkflow({ inputs: { items: 'a\nb' } }));
    assert.equal(error, undefined);
    const kinds = new Set<string>(events.map((e) => e.event));
    for (const k of ['iteration_started', 'iteration_next', 'iteration_completed', 'loop_started', 'loop_completed']) assert.ok(kinds.has(k), k);
  });

  it('a failing workflow: streamed and blocking both throw DifyWorkflowRunError naming the node', async () => {
    const wf = app('workflowFailing');
    const { events, error } = await drainStream(await wf.streamWorkflow({ inputs: {} }));
    assert.equal(events.at(-1)!.event, 'workflow_finished');
    assert.ok(error instanceof DifyWorkflowRunError);
    assert.ok(error.failedNode?.title);
    assert.match(error.message, new RegExp(error.failedNode!.title));
    await assert.rejects(wf.runWorkflow({ inputs: {} }), DifyWorkflowRunError);
  });

  it('cancelling a workflow stream stops the task on Dify', async () => {
    await server.close();
    server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000, eventDelayMs: 30 });
    const controller = new AbortController();
    const stream = await app('workflow').streamWorkflow({ inputs: { topic: 'x' } }, { signal: controller.signal });
    const { error } = await drainStream(
      (async function* () {
        for await (const e of stream) {
          yield e;
          controller.abort();
        }
      })(),
    );
    assert.ok(error instanceof DifyAbortError);
    await waitFor(() => server.requests.some((r) => r.path === `/workflows/tasks/${stream.taskId}/stop`));
    await server.close();
    server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000 });
  });
});

describe('AppClient: injected faults', () => {
  const chatStream = () => app('chat').streamChatMessage({ query: '你好 code', inputs: NAME });

  it('cut after 2 events → ended_early', async () => {
    server.fault({ kind: 'cut', afterEvents: 2 }, { path: '/chat-messages' });
    const { events, error } = await drainStream(await chatStream());
    assert.equal(events.length, 2);
    assert.ok(error instanceof DifyStreamError && error.kind === 'ended_early');
  });

  it('clean end without the terminal event → ended_early', async () => {
    server.fault({ kind: 'end', afterEvents: 3 }, { path: '/chat-messages' });
    const { error } = await drainStream(await chatStream());
    assert.ok(error instanceof DifyStreamError && error.kind === 'ended_early' && error.eventsReceived === 3);
  });

  it('stall → stalled, and the task is not stopped on a guess', async () => {
    server.fault({ kind: 'stall', afterEvents: 1 }, { path: '/chat-messages' });
    const stream = await chatStream();
    const { error } = await drainStream(stream);
    assert.ok(error instanceof DifyStreamError && error.kind === 'stalled');
    assert.ok(!server.requests.some((r) => r.path.endsWith('/stop')));
  });

  it('ping-only hang → no_events', async () => {
    server.fault({ kind: 'pingOnly' }, { path: '/chat-messages' });
    const { error } = await drainStream(await chatStream());
    assert.ok(error instanceof DifyStreamError && error.kind === 'no_events');
  });

  it('error event mid-stream → DifyApiError with the event code', async () => {
    server.fault({ kind: 'errorEvent', afterEvents: 2, code: 'provider_quota_exceeded', status: 400, message: 'quota' }, { path: '/chat-messages' });
    const { events, error } = await drainStream(await chatStream());
    assert.equal(events.length, 2);
    assert.ok(error instanceof DifyApiError && error.code === 'provider_quota_exceeded' && error.status === 400);
  });

  it('multi-byte characters split across TCP writes, and CRLF framing, give the exact answer', async () => {
    for (const kind of ['splitUtf8', 'crlf'] as const) {
      server.fault({ kind }, { path: '/chat-messages' });
      const { events, error } = await drainStream(await chatStream());
      assert.equal(error, undefined, kind);
      assert.equal(answerOf(events), answerText('你好 code'), kind);
    }
  });

  it('replayed example streams arrive byte for byte as their events', async () => {
    for (const name of ['chat', 'agent-chat', 'advanced-chat']) {
      server.fault({ kind: 'replay', body: exampleStream(name) }, { path: '/chat-messages' });
      const { events, error } = await drainStream(await chatStream());
      assert.equal(error, undefined, name);
      assert.deepEqual(events, exampleEvents(name), name);
    }
  });

  it('nginx 502 page: a GET is retried and succeeds, a POST fails with the gateway error', async () => {
    server.fault({ kind: 'http', status: 502, body: NGINX_502_HTML, contentType: 'text/html' }, { path: '/parameters' });
    assert.ok((await app('chat').getParameters()).user_input_form.length > 0);
    server.fault({ kind: 'http', status: 502, body: NGINX_502_HTML, contentType: 'text/html' }, { path: '/chat-messages' });
    const error = await app('chat').sendChatMessage({ query: 'q', inputs: NAME }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyUnexpectedResponseError && error.status === 502);
    assert.match(error.message, /gateway or proxy/);
  });

  it('429 → DifyRateLimitError; a reset connection → retried GET, network error for POST', async () => {
    server.fault({ kind: 'http', status: 429, body: { code: 'rate_limit_error', message: 'Rate limit', status: 429 } }, { path: '/chat-messages' });
    assert.ok((await app('chat').sendChatMessage({ query: 'q', inputs: NAME }).catch((e: unknown) => e)) instanceof DifyRateLimitError);
    server.fault({ kind: 'reset' }, { path: '/info' });
    assert.equal((await app('chat').getInfo()).mode, 'chat');
    server.fault({ kind: 'reset' }, { path: '/chat-messages' });
    const error = await app('chat').sendChatMessage({ query: 'q', inputs: NAME }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyNetworkError && error.kind === 'reset');
  });

  it('a slow first byte beyond the timeout → timeout error naming the host', async () => {
    server.fault({ kind: 'slowFirstByte', delayMs: 1_500 }, { path: '/chat-messages' });
    const error = await app('chat', { requestMs: 200, generationMs: 200 })
      .sendChatMessage({ query: 'q', inputs: NAME })
      .catch((e: unknown) => e);
    assert.ok(error instanceof DifyNetworkError && error.kind === 'timeout');
    assert.match(error.message, /127\.0\.0\.1/);
  });
});
