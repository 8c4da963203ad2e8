// A chat session against the test Dify server: conversations continue, stop keeps what arrived, and a failed send
// keeps the question on its failed turn, where Retry sends it again.
import assert from 'node:assert/strict';
import { ChatSession } from '../../src/core/chat-session.js';
import type { AnswerRecord } from '../../src/core/chat-session-types.js';
import { AppClient } from '../../src/dify/index.js';
import { answerText } from '../dify-server/apps/answers.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer({ eventDelayMs: 5 })));
after(() => server.close());
beforeEach(() => server.reset());

const session = (handle: keyof DifyTestServer['keys'] = 'chat') =>
  new ChatSession(new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys[handle], user: 'session-user' }), (e) => ({ message: (e as Error).message, actions: ['retry'] }));
const NAME = { name: 'Ada' };

describe('chat session', () => {
  it('streams an answer into a turn, and the next question continues the conversation', async () => {
    const chat = session();
    let changes = 0;
    chat.onDidChange(() => changes++);
    const first = await chat.send({ query: 'hello', inputs: NAME });
    assert.equal(first.status, 'done');
    assert.equal(first.answer, answerText('hello'));
    assert.ok(changes > 3, 'the view is told as the answer streams');
    const second = await chat.send({ query: 'again', inputs: NAME });
    assert.equal(second.conversationId, first.conversationId);
    const sent = server.requests.filter((r) => r.path === '/chat-messages').map((r) => (r.json as { conversation_id?: string }).conversation_id);
    assert.deepEqual(sent, [undefined, first.conversationId]);
  });

  it('stop keeps the partial answer and ends the turn as stopped', async () => {
    const chat = session();
    chat.onDidChange((change) => {
      if (change.kind === 'delta' && chat.isRunning) void chat.stop();
    });
    const turn = await chat.send({ query: 'long:300', inputs: NAME });
    assert.equal(turn.status, 'stopped');
    assert.ok(turn.answer.length > 0 && turn.answer.length < answerText('long:300').length);
    assert.ok(server.requests.some((r) => r.path === `/chat-messages/${turn.taskId}/stop`));
  });

  it('a connection cut mid-answer is followed to its end: the turn shows "reconnecting", then Dify\'s whole answer', async () => {
    const chat = session();
    const seen: (string | undefined)[] = [];
    chat.onDidChange((change) => change.kind === 'turn' && seen.push(change.turn.reconnecting));
    server.fault({ kind: 'cut', afterEvents: 2 }, { path: '/chat-messages' });
    const turn = await chat.send({ query: '你好', inputs: NAME });
    assert.equal(turn.status, 'done');
    assert.equal(turn.answer, answerText('你好'));
    assert.equal(turn.reconnecting, undefined);
    assert.ok(seen.includes('lookup'), 'the view was told the answer is being looked up');
    assert.equal(server.requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages').length, 1, 'asked once');
  });

  it('Dify 1.15 separate reasoning (reasoning_chunk) goes to the turn\'s reasoning as deltas, the answer without <think>; 1.13 keeps <think> in the answer', async () => {
    const chat = session('advancedChat');
    const parts: string[] = [];
    chat.onDidChange((change) => change.kind === 'delta' && parts.push(change.part ?? 'answer'));
    const turn = await chat.send({ query: 'think about the tides' });
    assert.equal(turn.status, 'done', turn.error?.message);
    assert.ok(turn.reasoning && turn.reasoning.text.length > 0 && turn.reasoning.done);
    assert.ok(!turn.answer.includes('<think>'));
    assert.ok(parts.includes('reasoning') && parts.includes('answer'));
    assert.ok(parts.indexOf('reasoning') < parts.indexOf('answer'), 'reasoning first');
    const old = await startDifyServer({ version: '1.13.2' });
    try {
      const oldChat = new ChatSession(new AppClient({ baseUrl: old.baseUrl, apiKey: old.keys.advancedChat, user: 'session-user' }), (e) => ({ message: String(e), actions: [] }));
      const oldTurn = await oldChat.send({ query: 'think about the tides' });
      assert.equal(oldTurn.reasoning, undefined);
      assert.match(oldTurn.answer, /^<think>/);
    } finally {
      await old.close();
    }
  });

  it('a failed send keeps the question on the failed turn; Retry sends it again and succeeds', async () => {
    const chat = session();
    // Cut before the first event: no conversation or message to follow.
    server.fault({ kind: 'cut', afterEvents: 0 }, { path: '/chat-messages' });
    const failed = await chat.send({ query: '你好', inputs: NAME });
    assert.equal(failed.status, 'error');
    assert.match(failed.error?.message ?? '', /before the answer was complete|ended before/);
    assert.equal(failed.query, '你好');
    const retried = await chat.retry(failed.id, { inputs: NAME });
    assert.equal(retried?.status, 'done');
    assert.equal(retried?.answer, answerText('你好'));
    assert.deepEqual(chat.turns.map((t) => t.status), ['done']);
  });

  it("Dify's error event (a model failure) is the turn's error, with Dify's words", async () => {
    const chat = session();
    server.fault({ kind: 'errorEvent', afterEvents: 1, code: 'completion_request_error', status: 400, message: 'upstream overloaded' }, { path: '/chat-messages' });
    const turn = await chat.send({ query: 'q', inputs: NAME });
    assert.equal(turn.status, 'error');
    assert.match(turn.error?.message ?? '', /upstream overloaded/);
    assert.deepEqual(chat.turns.map((t) => [t.query, t.status]), [['q', 'error']]);
  });

  it('new conversation forgets the id and the turns', async () => {
    const chat = session('advancedChat');
    await chat.send({ query: 'flow' });
    assert.ok(chat.conversationId);
    chat.newConversation();
    assert.equal(chat.conversationId, undefined);
    assert.equal(chat.turns.length, 0);
  });

  it('a long chatflow tells each node step alone: what the view gets per event does not grow with the run', async () => {
    server.setEventDelay(0);
    const run = async (iterations: number) => {
      const chat = session('advancedChatIterations');
      const kinds: Record<string, number> = {};
      let largestNode = 0;
      chat.onDidChange((change) => {
        kinds[change.kind] = (kinds[change.kind] ?? 0) + 1;
        if (change.kind === 'node') largestNode = Math.max(largestNode, JSON.stringify(change.node).length);
      });
      const turn = await chat.send({ query: 'Process every item.', inputs: { iterations } });
      assert.equal(turn.status, 'done');
      return { kinds, largestNode, turn };
    };
    const short = await run(10);
    const long = await run(200);
    // Whole-turn updates are the same few whatever the number of rounds; each round is one small node update.
    assert.equal(long.kinds.turn, short.kinds.turn, 'whole-turn updates do not depend on the rounds');
    assert.ok(long.kinds.node! >= 200 && long.kinds.node! <= 200 + 20, `one node update per round (${long.kinds.node})`);
    assert.ok(long.largestNode < 400, `a node update stays small (${long.largestNode} characters)`);
    // The iteration is one step with its rounds (the nodes inside it are not steps of their own).
    const iteration = long.turn.nodes.find((n) => n.nodeType === 'iteration');
    assert.ok(iteration, 'the iteration is a step');
    assert.equal(iteration.rounds, 200);
    assert.equal(iteration.status, 'succeeded');
    assert.ok(long.turn.nodes.length < 10, `top-level steps only (${long.turn.nodes.length})`);
    assert.equal(typeof long.turn.elapsed, 'number', "the run's time, for the folded summary");
  });

  it('a failing chatflow keeps its steps: the failed node with its error, and the turn fails', async () => {
    const chat = session('advancedChatFailing');
    const turn = await chat.send({ query: 'parse this', inputs: {} });
    assert.equal(turn.status, 'error');
    const failed = turn.nodes.find((n) => n.status === 'failed');
    assert.ok(failed, 'the failed step is kept');
    assert.equal(failed.title, 'Parse JSON 解析');
    assert.match(failed.error ?? '', /JSONDecodeError/);
    assert.ok(turn.nodes.some((n) => n.status === 'succeeded'), 'the steps before it too');
  });

  it('reopened later, a conversation shows what Dify does not keep: the stop, the usage, the suggestions after the last answer', async () => {
    const records = new Map<string, AnswerRecord>();
    const answers = { get: (id: string) => records.get(id), remember: (id: string, record: AnswerRecord) => void records.set(id, record) };
    const client = () => new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys.chat, user: 'session-user' });
    const describe = (e: unknown) => ({ message: (e as Error).message, actions: [] });
    const first = new ChatSession(client(), describe, { suggestAfterAnswer: true, answers });
    first.onDidChange((change) => {
      if (change.kind === 'delta' && first.isRunning && first.turns.length === 1) void first.stop();
    });
    const stopped = await first.send({ query: 'long:300', inputs: NAME });
    assert.equal(stopped.status, 'stopped');
    const done = await first.send({ query: 'hello', inputs: NAME });
    assert.equal(done.status, 'done');
    assert.ok(done.usage, 'the answer had its usage');

    // Another window, later: the same conversation from Dify's message list.
    const reopened = new ChatSession(client(), describe, { suggestAfterAnswer: true, answers });
    const suggested = new Promise<void>((resolve) => reopened.onDidChange((change) => change.kind === 'turn' && change.turn.suggestions?.length && resolve()));
    assert.equal(await reopened.openConversation(done.conversationId!), true);
    const [again, last] = reopened.turns;
    assert.equal(again!.status, 'stopped', 'the stopped note comes back');
    assert.equal(last!.status, 'done');
    assert.deepEqual(last!.usage, done.usage, 'the token usage comes back');
    await suggested;
    assert.ok(last!.suggestions!.length > 0, 'the suggestions after the last answer come back');
    // Without the records (another machine), what Dify has still shows.
    const elsewhere = new ChatSession(client(), describe, {});
    await elsewhere.openConversation(done.conversationId!);
    assert.equal(elsewhere.turns[0]!.status, 'done');
    assert.equal(elsewhere.turns[1]!.usage, undefined);
  });

  it('Ask Again sends the last question once more, after its answer (Dify keeps one line); only the last, never while one streams', async () => {
    const chat = session();
    const first = await chat.send({ query: 'hello', inputs: NAME });
    const second = await chat.send({ query: 'again', inputs: NAME });
    assert.equal(chat.askAgainRefusal(first.id), 'not-last');
    assert.equal(await chat.askAgain(first.id), undefined);
    const before = server.requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages').length;
    const again = await chat.askAgain(second.id, { inputs: NAME });
    assert.ok(again);
    assert.equal(again.status, 'done');
    assert.deepEqual(chat.turns.map((t) => t.query), ['hello', 'again', 'again'], 'the old answer stays, the new one follows');
    const posts = server.requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages').slice(before);
    assert.equal(posts.length, 1);
    assert.equal((posts[0]!.json as { query: string; conversation_id: string }).query, 'again');
    assert.equal((posts[0]!.json as { conversation_id: string }).conversation_id, first.conversationId);
    // While an answer streams: refused.
    const streaming = chat.send({ query: 'long:100', inputs: NAME });
    assert.equal(chat.askAgainRefusal(again.id), 'running');
    await chat.stop();
    await streaming;
  });
});
