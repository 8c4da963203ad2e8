// The Dify side of a VS Code chat session, read back from the session's history: which app, which conversation.
import assert from 'node:assert/strict';
import { answeredMessage, appOfRequest, followupPrompts, searchedFor, threadState } from '../../src/core/chat-thread.js';

const ME = 'dify-vscode.dify';
const request = (prompt: string) => ({ participant: ME, prompt, references: [] });
const response = (metadata: unknown, participant = ME) => ({ participant, result: { metadata }, response: [] });

describe('chat thread (a VS Code chat session of @dify turns)', () => {
  it('an empty history is a new thread: no app, no conversation', () => {
    const state = threadState([], ME);
    assert.equal(state.appId, undefined);
    assert.equal(state.conversations.size, 0);
  });

  it('continues the conversation of the last answer, with the form values it was started with', () => {
    const state = threadState(
      [request('hi'), response({ appId: 'a', conversationId: 'c1', messageId: 'm1', inputs: { name: 'Ada' } }), request('more'), response({ appId: 'a', conversationId: 'c1', messageId: 'm2' })],
      ME,
    );
    assert.equal(state.appId, 'a');
    assert.deepEqual(state.conversations.get('a'), { conversationId: 'c1', inputs: { name: 'Ada' } });
  });

  it('keeps each app its own conversation when /app switches between them, and the last app chosen wins', () => {
    const state = threadState(
      [response({ appId: 'a', conversationId: 'c1' }), response({ appId: 'b', conversationId: 'c2' }), response({ appId: 'a' })],
      ME,
    );
    assert.equal(state.appId, 'a');
    assert.equal(state.conversations.get('a')?.conversationId, 'c1');
    assert.equal(state.conversations.get('b')?.conversationId, 'c2');
  });

  it("the app picked as the model answers when just picked; /app's choice holds while the picker stays", () => {
    assert.equal(appOfRequest(threadState([], ME), 'b'), 'b', 'a new session: the picked Dify model');
    assert.equal(appOfRequest(threadState([], ME), undefined), undefined, 'no Dify model picked: the default app');
    const afterApp = threadState([response({ appId: 'a', conversationId: 'c1', modelId: 'b' }), response({ appId: 'c', modelId: 'b' })], ME);
    assert.equal(appOfRequest(afterApp, 'b'), 'c', '/app chose c while b stayed picked');
    assert.equal(appOfRequest(afterApp, 'd'), 'd', 'the picker changed to d');
    assert.equal(appOfRequest(afterApp, undefined), 'c', 'another vendor picked: the session app');
  });

  it("ignores other participants' turns, request turns and metadata of another shape", () => {
    const state = threadState(
      [response({ appId: 'x', conversationId: 'cx' }, 'copilot'), request('hi'), response(undefined), response('text'), response({ appId: 7 }), response({ appId: 'a', conversationId: 'c1' })],
      ME,
    );
    assert.deepEqual([...state.conversations.keys()], ['a']);
    assert.equal(state.appId, 'a');
  });

  it('a failed first answer (no conversation yet) names the app, and the next answer starts the conversation', () => {
    const state = threadState([response({ appId: 'a' })], ME);
    assert.equal(state.appId, 'a');
    assert.equal(state.conversations.get('a')?.conversationId, undefined);
  });

  it("follow-ups are Dify's suggested questions, blank and repeated ones dropped", () => {
    assert.deepEqual(followupPrompts({ suggestions: ['Why?', ' ', 'Why?', 'How? ', 3] }), [{ prompt: 'Why?' }, { prompt: 'How?' }]);
    assert.deepEqual(followupPrompts(undefined), []);
  });

  it('/knowledge offers its question as the follow-up, and asking it right after sends the hits along', () => {
    const knowledge = { query: 'reset password', knowledgeBase: 'Docs', hits: [{ document: 'faq.md', content: 'Click Forgot.' }] };
    assert.deepEqual(followupPrompts({ knowledge }), [{ prompt: 'reset password', ask: knowledge }]);
    assert.deepEqual(followupPrompts({ knowledge: { ...knowledge, hits: [] } }), [], 'no hits: nothing to ask with');
    const after = threadState([response({ appId: 'a', conversationId: 'c1' }), response({ knowledge })], ME);
    assert.equal(after.appId, 'a', 'a search leaves the app of the session as it was');
    assert.deepEqual(searchedFor(after, ' reset password '), knowledge);
    assert.equal(searchedFor(after, 'something else'), undefined);
    const later = threadState([response({ knowledge }), response({ appId: 'a', conversationId: 'c1' })], ME);
    assert.equal(searchedFor(later, 'reset password'), undefined, 'only right after the search');
  });

  it('feedback needs the app and the Dify message of the answer', () => {
    assert.deepEqual(answeredMessage({ appId: 'a', messageId: 'm' }), { appId: 'a', messageId: 'm' });
    assert.equal(answeredMessage({ appId: 'a' }), undefined);
    assert.equal(answeredMessage(null), undefined);
  });
});
