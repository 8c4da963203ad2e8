// What a chat turn looks like after Dify's example streams, event by event as they arrive.
import assert from 'node:assert/strict';
import { applyEvent, newTurn } from '../../src/core/chat-turn.js';
import type { ChatStreamEvent } from '../../src/dify/index.js';
import { exampleEvents } from '../helpers/streams.js';

function replay(name: string) {
  const turn = newTurn('t1', 'q');
  for (const event of exampleEvents(name)) applyEvent(turn, event as unknown as ChatStreamEvent);
  return turn;
}

describe('chat turn from stream events', () => {
  it('chat: deltas make the answer; message_end brings usage and the ids', () => {
    const turn = replay('chat');
    assert.equal(turn.answer, 'Hello! How can I help you today?');
    assert.equal(turn.usage?.total_tokens, 27);
    assert.equal(turn.messageId, '2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d');
    assert.equal(turn.conversationId, '8f3c2a1e-6b4d-4e2f-9a7c-1d2e3f4a5b6c');
    assert.equal(turn.taskId, 'c4d5e6f7-a8b9-4c0d-8e1f-2a3b4c5d6e7f');
  });

  it('agent: thoughts are upserted by id (two, not five), the tool file is kept once', () => {
    const turn = replay('agent-chat');
    assert.deepEqual(turn.thoughts.map((t) => [t.position, t.tool]), [[1, 'dalle3'], [2, '']]);
    assert.match(turn.thoughts[0]!.observation, /image has been created/);
    assert.equal(turn.thoughts[1]!.thought, 'Here is your cat in a spacesuit – enjoy!');
    assert.equal(turn.files.length, 1);
    assert.equal(turn.answer, 'Here is your cat in a spacesuit – enjoy!');
  });

  it('chatflow: the node steps with their outcome, and the answer', () => {
    const turn = replay('advanced-chat');
    assert.ok(turn.nodes.length >= 3);
    assert.ok(turn.nodes.every((n) => n.status === 'succeeded'));
    assert.ok(turn.answer.length > 0);
  });

  it('message_replace replaces the whole answer and says why', () => {
    const turn = newTurn('t', 'q');
    const base = { conversation_id: 'c', message_id: 'm', created_at: 1, task_id: 't' };
    applyEvent(turn, { ...base, event: 'message', id: 'm', answer: 'bad words', from_variable_selector: null });
    applyEvent(turn, { ...base, event: 'message_replace', answer: 'Sorry, I cannot answer that.', reason: 'output_moderation' });
    assert.equal(turn.answer, 'Sorry, I cannot answer that.');
    assert.equal(turn.replacedBecause, 'output_moderation');
  });
});
