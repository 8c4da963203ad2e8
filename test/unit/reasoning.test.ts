// The `<think>` block of reasoning models, split from the answer as it streams.
import assert from 'node:assert/strict';
import { scanThinking, splitReasoning } from '../../src/webview/reasoning.js';

describe('reasoning block', () => {
  it('an answer without one is all answer', () => {
    assert.deepEqual(splitReasoning('Hello <think> inside'), { thinking: undefined, closed: false, answer: 'Hello <think> inside' });
    assert.deepEqual(splitReasoning(''), { thinking: undefined, closed: false, answer: '' });
  });

  it('splits thinking and answer once </think> arrived', () => {
    assert.deepEqual(splitReasoning('<think>\n先想一想。\n</think>\n\n答案是 42。'), { thinking: '先想一想。', closed: true, answer: '答案是 42。', bodyStart: 7 });
  });

  it('while streaming: a partial tag is held back, open reasoning is thinking, the answer waits', () => {
    assert.deepEqual(splitReasoning('<thi'), { thinking: '', closed: false, answer: '' });
    assert.deepEqual(splitReasoning('<think>step one'), { thinking: 'step one', closed: false, answer: '', bodyStart: 7 });
    assert.deepEqual(splitReasoning('<think>step one</thi'), { thinking: 'step one', closed: false, answer: '', bodyStart: 7 });
    assert.deepEqual(splitReasoning('<think>a</think>The'), { thinking: 'a', closed: true, answer: 'The', bodyStart: 7 });
  });

  it('every prefix of a streamed answer ends in the same split as the whole', () => {
    const whole = '  <think>plan: 1, 2 </think>\n\n**Done** with `</think>` shown as code';
    for (let i = 0; i <= whole.length; i++) {
      const part = splitReasoning(whole.slice(0, i));
      assert.ok(splitReasoning(whole).answer.startsWith(part.answer), `prefix ${i}`);
    }
    assert.equal(splitReasoning(whole).answer, '**Done** with `</think>` shown as code');
  });

  it('scanning only what a delta added finds what scanning the whole block finds, whatever the cut', () => {
    const whole = '\n<think>weigh </thin and </ and <think> as text </think>\nThe answer';
    const bodyStart = whole.indexOf('>') + 1;
    for (let size = 1; size <= 9; size++) {
      let text = whole.slice(0, bodyStart);
      let found: number | undefined;
      for (let at = bodyStart; at < whole.length && found === undefined; at += size) {
        const from = text.length;
        text += whole.slice(at, at + size);
        const step = scanThinking(text, bodyStart, from);
        assert.deepEqual(step, scanThinking(text, bodyStart, bodyStart), `deltas of ${size}, at ${at}`);
        assert.ok(!whole.slice(bodyStart, step.visibleTo).includes('</think>'));
        found = step.end;
      }
      assert.equal(found, whole.indexOf('</think>'), `deltas of ${size}`);
    }
  });
});
