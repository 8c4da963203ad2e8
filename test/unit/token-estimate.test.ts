// The token estimate VS Code budgets prompts by: CJK about one token per character, other text four characters.
import assert from 'node:assert/strict';
import { estimateTokens } from '../../src/core/token-estimate.js';

describe('token estimate', () => {
  it('counts other text at four characters per token, rounding up, and nothing as nothing', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('a'), 1);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('The quick brown fox jumps over the lazy dog.'), 11);
  });

  it('counts Han, kana, Hangul and full-width punctuation as one token each', () => {
    assert.equal(estimateTokens('你好世界'), 4);
    assert.equal(estimateTokens('こんにちは'), 5);
    assert.equal(estimateTokens('カタカナ'), 4);
    assert.equal(estimateTokens('안녕하세요'), 5);
    assert.equal(estimateTokens('你好，世界！'), 6);
    assert.equal(estimateTokens('𠀀𠀁'), 2, 'characters beyond the BMP are one each, not two UTF-16 units');
  });

  it('adds both in mixed text', () => {
    // 3 CJK, and "Dify " with " API" (9 characters → 3 tokens)
    assert.equal(estimateTokens('Dify 的中文 API'), 3 + 3);
    assert.equal(estimateTokens('你好 hello'), 2 + 2);
  });

  it('counts an emoji as one character of other text', () => {
    assert.equal(estimateTokens('👍👍👍👍'), 1);
  });

  it('grows linearly with the text (a 100 KB prompt is not under-counted)', () => {
    assert.equal(estimateTokens('word '.repeat(20_000)), 25_000);
    assert.equal(estimateTokens('字'.repeat(10_000)), 10_000);
  });
});
