// Processing rules: what is sent to Dify for each choice, what is refused before sending, and the per-dataset memory.
import assert from 'node:assert/strict';
import { checkCustomRule, DEFAULT_CUSTOM_RULE, ProcessRuleMemory, toProcessRule } from '../../src/core/knowledge-process-rule.js';

describe('knowledge processing rules', () => {
  it('automatic sends the mode only; custom sends Dify\'s rules shape', () => {
    assert.deepEqual(toProcessRule({ mode: 'automatic' }), { mode: 'automatic' });
    assert.deepEqual(toProcessRule({ mode: 'custom', ...DEFAULT_CUSTOM_RULE, maxTokens: 300 }), {
      mode: 'custom',
      rules: {
        pre_processing_rules: [
          { id: 'remove_extra_spaces', enabled: true },
          { id: 'remove_urls_emails', enabled: false },
        ],
        segmentation: { separator: '\\n\\n', max_tokens: 300, chunk_overlap: 50 },
      },
    });
  });

  it('refuses an empty separator, max tokens out of 50..4000, an overlap not below max tokens', () => {
    assert.equal(checkCustomRule(DEFAULT_CUSTOM_RULE), undefined);
    assert.equal(checkCustomRule({ ...DEFAULT_CUSTOM_RULE, separator: '' }), 'separator_empty');
    assert.equal(checkCustomRule({ ...DEFAULT_CUSTOM_RULE, maxTokens: 4001 }), 'max_tokens_range');
    assert.equal(checkCustomRule({ ...DEFAULT_CUSTOM_RULE, maxTokens: 12.5 }), 'max_tokens_range');
    assert.equal(checkCustomRule({ ...DEFAULT_CUSTOM_RULE, maxTokens: 100, overlap: 100 }), 'overlap_range');
    assert.equal(checkCustomRule({ ...DEFAULT_CUSTOM_RULE, overlap: -1 }), 'overlap_range');
  });

  it('remembers the choice per key and dataset', async () => {
    const data = new Map<string, unknown>();
    const memory = new ProcessRuleMemory({ get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, v) });
    assert.equal(memory.get('key1', 'ds1'), undefined);
    await memory.set('key1', 'ds1', { mode: 'custom', ...DEFAULT_CUSTOM_RULE, overlap: 10 });
    await memory.set('key1', 'ds2', { mode: 'automatic' });
    assert.deepEqual(memory.get('key1', 'ds1'), { mode: 'custom', ...DEFAULT_CUSTOM_RULE, overlap: 10 });
    assert.deepEqual(memory.get('key1', 'ds2'), { mode: 'automatic' });
    assert.equal(memory.get('key2', 'ds1'), undefined);
  });
});
