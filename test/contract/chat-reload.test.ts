// A window reloaded while an answer streams: the answer goes on in Dify (it is not stopped), and the next window,
// reopening the conversation, follows the same answer to its end instead of showing it empty: re-attached to the
// chatflow run on Dify ≥ 1.14, looked up in the conversation's messages otherwise. Asked once, never stopped.
import assert from 'node:assert/strict';
import { ChatSession } from '../../src/core/chat-session.js';
import type { AnswerRecord, StreamingAnswer, StreamingAnswers } from '../../src/core/chat-session-types.js';
import { AppClient } from '../../src/dify/index.js';
import { answerText } from '../dify-server/apps/answers.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

const describeError = (e: unknown) => ({ message: (e as Error).message, actions: [] as [] });

/** Global state as the windows share it; a window that went away writes nothing more. */
function sharedState(): { store: StreamingAnswers & { noted: Map<string, StreamingAnswer> }; window: () => { store: StreamingAnswers; close: () => void } } {
  const noted = new Map<string, StreamingAnswer>();
  const store = { noted, get: (id: string) => noted.get(id), set: (id: string, a: StreamingAnswer | undefined) => void (a ? noted.set(id, a) : noted.delete(id)) };
  return {
    store,
    window: () => {
      let alive = true;
      return { store: { get: store.get, set: (id, a) => alive && store.set(id, a) }, close: () => (alive = false) };
    },
  };
}

async function reloadMidAnswer(server: DifyTestServer, handle: 'advancedChat' | 'chat') {
  const client = () => new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys[handle], user: 'reloader', follow: { pollMs: 100 } });
  const state = sharedState();
  const first = state.window();
  const before = new ChatSession(client(), describeError, { streaming: first.store });
  let deltas = 0;
  const started = new Promise<void>((resolve) => before.onDidChange((c) => c.kind === 'delta' && ++deltas === 5 && resolve()));
  const sending = before.send({ query: 'long:120', inputs: { name: 'Ada' } });
  await started;
  const conversationId = before.conversationId!;
  const noted = state.store.get(conversationId);
  // The window goes away: nothing more from it (its extension host is gone).
  before.detach();
  first.close();
  const records = new Map<string, AnswerRecord>();
  const answers = { get: (id: string) => records.get(id), remember: (id: string, record: AnswerRecord) => void records.set(id, record) };
  const after = new ChatSession(client(), describeError, { streaming: state.window().store, answers });
  assert.equal(await after.openConversation(conversationId), true);
  const turn = after.turns.at(-1)!;
  assert.equal(turn.status, 'streaming', 'the answer shows as still coming');
  await new Promise<void>((resolve) => after.onDidChange((c) => c.kind === 'turn' && c.turn.status !== 'streaming' && resolve()));
  // The old window's stream, in this one process, reads on to the end (a gone window's would just be cut).
  await sending;
  return { turn, noted, state, conversationId, records };
}

describe('chat: a window reloaded while an answer streams', () => {
  let server: DifyTestServer;
  afterEach(() => server?.close());

  it('Dify 1.15, a chatflow: the next window re-attaches to the run and shows the whole answer; not asked again, not stopped', async () => {
    server = await startDifyServer({ eventDelayMs: 10 });
    const { turn, noted, state, conversationId, records } = await reloadMidAnswer(server, 'advancedChat');
    assert.ok(noted?.workflowRunId, 'the streaming answer was noted with its run');
    assert.equal(turn.status, 'done');
    assert.equal(turn.answer, answerText('long:120'));
    assert.equal(state.store.get(conversationId), undefined, 'no longer noted once it ended');
    assert.equal(server.requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages').length, 1, 'asked once');
    assert.equal(server.requests.filter((r) => r.path.endsWith('/stop')).length, 0, 'never stopped');
    assert.ok(server.requests.some((r) => r.path === `/workflow/${noted!.workflowRunId}/events`), 're-attached to the run');
    assert.ok(turn.usage, 'the usage came with the end of the run');
    assert.deepEqual(records.get(turn.messageId!), { usage: turn.usage }, 'and is recorded for the conversation reopened later, as after a sent answer');
  });

  it('Dify 1.13 (no re-attach) and a chat app: the answer is looked up until Dify saved it', async () => {
    server = await startDifyServer({ eventDelayMs: 10, version: '1.13.2' });
    const { turn } = await reloadMidAnswer(server, 'chat');
    assert.equal(turn.status, 'done');
    assert.equal(turn.answer, answerText('long:120'));
    assert.ok(server.requests.filter((r) => r.path === '/messages').length >= 2, 'looked up in the messages');
    assert.equal(server.requests.filter((r) => r.path.endsWith('/stop')).length, 0, 'never stopped');
  });

  it('an answer stopped or ended before the reload is not followed again', async () => {
    server = await startDifyServer({ eventDelayMs: 0 });
    const state = sharedState();
    const chat = new ChatSession(new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys.advancedChat, user: 'reloader' }), describeError, { streaming: state.window().store });
    const done = await chat.send({ query: 'hello', inputs: {} });
    assert.equal(state.store.noted.size, 0, 'nothing noted once it ended');
    const again = new ChatSession(new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys.advancedChat, user: 'reloader' }), describeError, { streaming: state.window().store });
    await again.openConversation(done.conversationId!);
    assert.equal(again.turns.at(-1)!.status, 'done');
    assert.equal(again.isRunning, false);
  });
});
