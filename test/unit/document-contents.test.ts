// The read-only documents' texts: dropped when their document closes, at most `max` kept, those shown in a tab never.
import assert from 'node:assert/strict';
import { DocumentContents } from '../../src/platform/document-contents.js';

describe('read-only document contents', () => {
  it('a closed document drops its text, unless a tab still shows it', () => {
    const shown = new Set<string>();
    const contents = new DocumentContents((uri) => shown.has(uri));
    contents.set('dify-readonly:/a.md', 'A');
    contents.set('dify-readonly:/b.md', 'B');
    shown.add('dify-readonly:/b.md');
    contents.closed('dify-readonly:/a.md');
    contents.closed('dify-readonly:/b.md'); // a language change: closed and reopened in its tab
    assert.equal(contents.get('dify-readonly:/a.md'), undefined);
    assert.equal(contents.get('dify-readonly:/b.md'), 'B');
    assert.equal(contents.size, 1);
  });

  it('keeps at most max texts: the oldest not shown go first, the one just set and those shown stay', () => {
    const shown = new Set(['doc:0']);
    const contents = new DocumentContents((uri) => shown.has(uri), 3);
    for (let i = 0; i < 1000; i++) contents.set(`doc:${i}`, `text ${i}`);
    assert.equal(contents.size, 3);
    assert.equal(contents.get('doc:0'), 'text 0', 'shown in a tab');
    assert.deepEqual(['doc:998', 'doc:999'].map((u) => contents.get(u)), ['text 998', 'text 999']);
    contents.set('doc:998', 'again'); // shown again: the newest now
    contents.set('doc:1000', 'text 1000');
    assert.deepEqual(['doc:999', 'doc:998', 'doc:1000'].map((u) => contents.get(u)), [undefined, 'again', 'text 1000']);
  });
});
