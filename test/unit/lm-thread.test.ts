// A Dify app as a VS Code language model: which Dify conversation a request continues (thread keys remembered after
// each answer), and how earlier messages Dify never saw become delimited context of a new conversation's question.
import assert from 'node:assert/strict';
import { answeredKey, FOLD_LIMIT_CHARS, foldHistory, NoQuestionError, planRequest, threadKey, type ThreadConversation, type ThreadMessage } from '../../src/core/lm-thread.js';

const user = (text: string): ThreadMessage => ({ role: 'user', text });
const assistant = (text: string): ThreadMessage => ({ role: 'assistant', text });

const memory = () => new Map<string, ThreadConversation>();

describe('language model threads', () => {
  it('a first message starts a new conversation with the question as it is', () => {
    assert.deepEqual(planRequest([user('  What is Dify?  ')], 'app-1', memory()), { query: 'What is Dify?', conversationId: undefined, folded: false });
  });

  it('after an answer, the thread with that answer continues its conversation, and only the new question is sent', () => {
    const threads = memory();
    const first = [user('What is Dify?')];
    threads.set(answeredKey(first, 'An LLM app platform.'), { appId: 'app-1', conversationId: 'c-1' });
    const next = [...first, assistant('An LLM app platform.'), user('And its API?')];
    assert.deepEqual(planRequest(next, 'app-1', threads), { query: 'And its API?', conversationId: 'c-1', folded: false });
    // Two answers on: the key written after the second answer covers the whole thread.
    threads.set(answeredKey(next, 'It has a Service API.'), { appId: 'app-1', conversationId: 'c-1' });
    const third = [...next, assistant('It has a Service API.'), user('Thanks')];
    assert.equal(planRequest(third, 'app-1', threads).conversationId, 'c-1');
  });

  it('whitespace a thread re-renders (CRLF, trailing newlines, wrapped lines) keeps it the same thread', () => {
    assert.equal(threadKey([user('a\r\nb'), assistant('answer\n\n')]), threadKey([user('a\nb'), assistant('  answer')]));
    assert.equal(threadKey([user('one two')]), threadKey([user('one\n two')]));
  });

  it('another text, order or role is another thread', () => {
    const key = threadKey([user('a'), assistant('b')]);
    assert.notEqual(threadKey([user('a'), assistant('c')]), key);
    assert.notEqual(threadKey([assistant('b'), user('a')]), key);
    assert.notEqual(threadKey([user('a'), user('b')]), key);
    // The separators keep message boundaries: "ab" + "" is not "a" + "b".
    assert.notEqual(threadKey([user('ab'), assistant('')]), threadKey([user('a'), assistant('b')]));
  });

  it('an edited earlier answer, or a thread another app answered, starts a new conversation with the history folded in', () => {
    const threads = memory();
    threads.set(answeredKey([user('hi')], 'hello'), { appId: 'app-1', conversationId: 'c-1' });
    const edited = planRequest([user('hi'), assistant('hello!!'), user('next')], 'app-1', threads);
    assert.equal(edited.conversationId, undefined);
    assert.equal(edited.folded, true);
    const otherApp = planRequest([user('hi'), assistant('hello'), user('next')], 'app-2', threads);
    assert.equal(otherApp.conversationId, undefined, "another app's conversation is not continued");
    assert.equal(otherApp.folded, true);
  });

  it('without memory (the remembered conversation is gone in Dify) the history is folded in', () => {
    const threads = memory();
    threads.set(answeredKey([user('hi')], 'hello'), { appId: 'app-1', conversationId: 'c-1' });
    const plan = planRequest([user('hi'), assistant('hello'), user('next')], 'app-1', undefined);
    assert.equal(plan.conversationId, undefined);
    assert.equal(plan.query, foldHistory([user('hi'), assistant('hello')], 'next'));
  });

  it('folds earlier messages as delimited context before the question, instructions and empty messages included or left out', () => {
    const query = foldHistory([{ role: 'system', text: 'Be brief.' }, user('hi'), assistant(''), assistant('hello')], 'next');
    assert.equal(
      query,
      [
        '<earlier_conversation>',
        'The conversation so far, for context (it happened outside this Dify conversation):',
        'Instructions: Be brief.\n\nUser: hi\n\nAssistant: hello',
        '</earlier_conversation>',
        '',
        'next',
      ].join('\n'),
    );
    assert.equal(foldHistory([assistant('  ')], 'next'), 'next', 'nothing to fold');
  });

  it('keeps the newest history within the limit, and says older messages were left out', () => {
    const old = user('x'.repeat(FOLD_LIMIT_CHARS));
    const query = foldHistory([old, assistant('recent answer'), user('recent question')], 'now');
    assert.ok(query.includes('[Older messages left out.]'));
    assert.ok(query.includes('Assistant: recent answer\n\nUser: recent question'));
    assert.ok(!query.includes('xxxx'));
    // One message longer than the limit keeps its end, nearest the question.
    const long = foldHistory([user(`start ${'y'.repeat(FOLD_LIMIT_CHARS)} end`)], 'now');
    assert.ok(long.includes('User: …'));
    assert.ok(long.includes(' end\n</earlier_conversation>'));
    assert.ok(!long.includes('start'));
    assert.ok(long.length < FOLD_LIMIT_CHARS + 300);
  });

  it('messages after the last question (none in practice) are not sent; no question at all is an error', () => {
    assert.equal(planRequest([user('q'), assistant('partial')], 'app-1', memory()).query, 'q');
    assert.throws(() => planRequest([assistant('hello')], 'app-1', memory()), NoQuestionError);
    assert.throws(() => planRequest([user('q'), user('   ')], 'app-1', memory()), NoQuestionError);
    assert.throws(() => planRequest([], 'app-1', memory()), NoQuestionError);
  });
});
