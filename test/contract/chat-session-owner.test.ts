// One owner per answer: a chat session acted on while an answer streams (New Chat, another conversation opened,
// the session disposed, older messages loading during a switch) keeps nothing of the old answer in its new state,
// and a failed send never overwrites what the user typed since. Against the test Dify server, with real streams.
import assert from 'node:assert/strict';
import { ChatSession } from '../../src/core/chat-session.js';
import type { SessionChange } from '../../src/core/chat-session-types.js';
import { AppClient } from '../../src/dify/index.js';
import { answerText } from '../dify-server/apps/answers.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer({ eventDelayMs: 3 })));
after(() => server.close());
beforeEach(() => server.reset());

const NAME = { name: 'Ada' };
const session = (handle: keyof DifyTestServer['keys'] = 'chat') =>
  new ChatSession(new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys[handle], user: 'owner-user' }), (e) => ({ message: (e as Error).message, actions: ['retry'] }));

/** Resolves once the session has streamed some answer text. */
function firstDelta(chat: ChatSession): Promise<void> {
  return new Promise((resolve) => {
    const listener = chat.onDidChange((change) => {
      if (change.kind === 'delta') {
        listener.dispose();
        resolve();
      }
    });
  });
}

const stopRequests = () => server.requests.filter((r) => /^\/chat-messages\/[^/]+\/stop$/.test(r.path));
const chatPosts = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages');

async function eventually(check: () => void, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('chat session: one owner per answer', () => {
  it('New Chat while an answer streams: the old answer is stopped on Dify and nothing of it reaches the new chat', async () => {
    const chat = session();
    const streaming = chat.send({ query: 'long:400', inputs: NAME });
    await firstDelta(chat);
    const after: SessionChange[] = [];
    chat.onDidChange((change) => after.push(change));
    chat.newConversation();
    assert.equal(chat.isRunning, false, 'the new chat is free at once');
    // A question sent right away is answered in a new conversation, not dropped.
    const next = await chat.send({ query: 'fresh', inputs: NAME });
    const old = await streaming;
    assert.equal(next.status, 'done', next.error?.message);
    assert.equal(next.answer, answerText('fresh'));
    assert.notEqual(next.conversationId, old.conversationId, 'a new conversation');
    assert.equal((chatPosts()[1]?.json as { conversation_id?: string }).conversation_id, undefined);
    assert.equal(old.status, 'stopped');
    assert.deepEqual(chat.turns.map((t) => t.query), ['fresh'], 'no ghost turn of the old answer');
    assert.equal(chat.conversationId, next.conversationId, 'the old conversation id did not come back');
    assert.ok(!after.some((c) => 'turn' in c && c.turn.id === old.id), 'the old loop told the view nothing more');
    await eventually(() => assert.equal(stopRequests().length, 1, 'Dify was told to stop the old answer'));
  });

  it('opening another conversation while an answer streams shows only that conversation', async () => {
    const chat = session();
    const other = session();
    const kept = await other.send({ query: 'kept', inputs: NAME });
    const streaming = chat.send({ query: 'long:400', inputs: NAME });
    await firstDelta(chat);
    await chat.openConversation(kept.conversationId!);
    const old = await streaming;
    assert.equal(old.status, 'stopped');
    assert.equal(chat.conversationId, kept.conversationId);
    assert.deepEqual(chat.turns.map((t) => t.query), ['kept']);
    assert.equal(chat.isRunning, false);
  });

  it('two conversations opened one after the other: the later one wins, whichever answers first', async () => {
    const chat = session();
    const a = await session().send({ query: 'in A', inputs: NAME });
    const b = await session().send({ query: 'in B', inputs: NAME });
    server.fault({ kind: 'slowFirstByte', delayMs: 300 }, { path: '/messages' });
    const first = chat.openConversation(a.conversationId!);
    const second = chat.openConversation(b.conversationId!);
    await Promise.all([first, second]);
    assert.equal(chat.conversationId, b.conversationId);
    assert.deepEqual(chat.turns.map((t) => t.query), ['in B']);
  });

  it('loading older messages while another conversation opens never mixes the two; two loads at once ask once', async () => {
    const writer = session();
    for (const q of ['a1', 'a2', 'a3', 'a4']) await writer.send({ query: q, inputs: NAME });
    const b = await session().send({ query: 'b1', inputs: NAME });
    const chat = session();
    await chat.openConversation(writer.conversationId!, 2);
    assert.equal(chat.hasOlder, true);
    const before = server.requests.filter((r) => r.path === '/messages').length;
    server.fault({ kind: 'slowFirstByte', delayMs: 200 }, { path: '/messages' });
    const loads = [chat.loadOlder(2), chat.loadOlder(2)];
    assert.equal(server.requests.filter((r) => r.path === '/messages').length - before <= 1, true);
    const switched = chat.openConversation(b.conversationId!);
    await Promise.all([...loads, switched]);
    assert.deepEqual(chat.turns.map((t) => t.query), ['b1'], "A's older messages did not land in B");
    assert.equal(chat.hasOlder, false);
    assert.equal(server.requests.filter((r) => r.path === '/messages' && r.query.first_id).length, 1, 'one load of older messages');
  });

  it('a disposed session stops its answer on Dify and tells nobody anything more', async () => {
    const chat = session();
    const streaming = chat.send({ query: 'long:400', inputs: NAME });
    await firstDelta(chat);
    let changes = 0;
    chat.onDidChange(() => changes++);
    chat.dispose();
    const old = await streaming;
    assert.equal(old.status, 'stopped');
    assert.equal(changes, 0);
    await eventually(() => assert.equal(stopRequests().length, 1));
  });

  it('a failed send keeps its question on the failed turn and never overwrites what was typed since; Retry sends the failed one', async () => {
    const chat = session();
    server.fault({ kind: 'cut', afterEvents: 0 }, { path: '/chat-messages' });
    const sending = chat.send({ query: 'first question', inputs: NAME });
    chat.draft.text = 'typed while it was sending';
    const failed = await sending;
    assert.equal(failed.status, 'error');
    assert.equal(chat.draft.text, 'typed while it was sending', 'the composer keeps what the user typed');
    assert.deepEqual(chat.turns.map((t) => [t.query, t.status]), [['first question', 'error']], 'the question stays on the failed turn');
    const retried = await chat.retry(failed.id, { inputs: NAME });
    assert.equal(retried?.status, 'done');
    assert.equal((chatPosts()[1]?.json as { query: string }).query, 'first question');
    assert.equal(chat.draft.text, 'typed while it was sending');
  });

  it('a failed send with an empty composer still leaves the composer alone: Retry is the one way to send it again', async () => {
    const chat = session();
    server.fault({ kind: 'http', status: 500, body: { code: 'internal_server_error', message: 'boom', status: 500 } }, { path: '/chat-messages' });
    const failed = await chat.send({ query: 'q', inputs: NAME });
    assert.equal(failed.status, 'error');
    assert.equal(chat.draft.text, '');
  });
});
