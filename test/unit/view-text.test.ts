// Text every view writes the same way: durations ("3.1", "45" seconds) and names put into Markdown tooltips.
import assert from 'node:assert/strict';
import { secondsFigure } from '../../src/core/duration.js';
import { escapeMarkdown } from '../../src/platform/markdown-text.js';

describe('view text', () => {
  it('seconds: one decimal under 10 s, whole seconds from there', () => {
    assert.deepEqual([0.04, 3.14, 9.96, 10, 44.5, 125.2].map(secondsFigure), ['0.0', '3.1', '10', '10', '45', '125']);
  });

  it('a name in a Markdown tooltip shows as typed: no link, emphasis, heading or HTML from it', () => {
    const name = '# [Ops](http://x) *bot* <b>1.0</b> `code` _a_ |t| !';
    assert.equal(escapeMarkdown(name), '\\# \\[Ops\\]\\(http://x\\) \\*bot\\* \\<b\\>1\\.0\\</b\\> \\`code\\` \\_a\\_ \\|t\\| \\!');
  });
});
