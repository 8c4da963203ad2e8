// The `<think>` block of reasoning models, split from the answer as it streams.
import assert from 'node:assert/strict';
import { splitReasoning } from '../../src/webview/reasoning.js';

describe('reasoning block', () => {
  it('an answer without one is all answer', () => {
    assert.deepEqual(splitReasoning('Hello <think> inside'), { thinking: undefined, closed: false, answer: 'Hello <think> inside' });
    assert.deepEqual(splitReasoning(''), { thinking: undefined, closed: false, answer: '' });
  });

  it('splits thinking and answer once </think> arrived', () => {
    assert.deepEqual(splitReasoning('<think>\n先想一想。\n</think>\n\n答案是 42。'), { thinking: '先想一想。', closed: true, answer: '答案是 42。' });
  });

  it('while streaming: a partial tag is held back, open reasoning is thinking, the answer waits', () => {
    assert.deepEqual(splitReasoning('<thi'), { thinking: '', closed: false, answer: '' });
    assert.deepEqual(splitReasoning('<think>step one'), { thinking: 'step one', closed: false, answer: '' });
    assert.deepEqual(splitReasoning('<think>step one</thi'), { thinking: 'step one', closed: false, answer: '' });
    assert.deepEqual(splitReasoning('<think>a</think>The'), { thinking: 'a', closed: true, answer: 'The' });
  });

  it('every prefix of a streamed answer ends in the same split as the whole', () => {
    const whole = '  <think>plan: 1, 2 </think>\n\n**Done** with `</think>` shown as code';
    for (let i = 0; i <= whole.length; i++) {
      const part = splitReasoning(whole.slice(0, i));
      assert.ok(splitReasoning(whole).answer.startsWith(part.answer), `prefix ${i}`);
    }
    assert.equal(splitReasoning(whole).answer, '**Done** with `</think>` shown as code');
  });
});
