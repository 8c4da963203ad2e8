// A run's document as the Markdown preview gets it: facts, the failure once, the steps, inputs cut, everything from
// Dify or the user escaped or fenced.
import assert from 'node:assert/strict';
import { cutText, MAX_SHOWN, runMarkdown, type RunDocument } from '../../src/core/run-document.js';

const doc = (extra: Partial<RunDocument> = {}): RunDocument => ({
  title: 'Review',
  facts: [
    ['File', 'src/add.py'],
    ['Status', 'succeeded'],
    ['Tokens', undefined],
  ],
  sections: [{ heading: 'Inputs', values: { topic: 'def add(a, b)' } }],
  ...extra,
});

describe('run document', () => {
  it('has the app as title, the facts given a value, and each input fenced under its name', () => {
    const md = runMarkdown(doc());
    assert.match(md, /^# Review\n\n- \*\*File:\*\* src\/add\\\.py\n- \*\*Status:\*\* succeeded\n\n## Inputs\n\n### topic\n\n```text\ndef add\\?\(a, b\)\n```\n$/);
    assert.doesNotMatch(md, /Tokens/);
  });

  it('says the failure message once, as a quote, and lists the steps with status and duration', () => {
    const message = '"Review" failed in node "Divide" (code): ZeroDivisionError: division by zero';
    const md = runMarkdown(
      doc({
        failure: { heading: 'Error', message },
        steps: {
          heading: 'Steps',
          columns: ['Node', 'Status', 'Duration'],
          rows: [
            ['Start (start)', 'succeeded', '0.0 s'],
            ['Divide (code)', 'failed', '1.2 s'],
          ],
        },
      }),
    );
    assert.equal(md.split('ZeroDivisionError').length - 1, 1);
    assert.match(md, /## Error\n\n> "Review" failed in node "Divide" \\\(code\\\): ZeroDivisionError: division by zero\n/);
    assert.match(md, /\| Node \| Status \| Duration \|\n\| --- \| --- \| ---: \|\n\| Start \\\(start\\\) \| succeeded \| 0\\\.0 s \|\n\| Divide \\\(code\\\) \| failed \| 1\\\.2 s \|/);
  });

  it('puts the facts of `more` last, under their heading', () => {
    const md = runMarkdown(doc({ more: { heading: 'Diagnostics', facts: [['Kind', 'node_failed'], ['HTTP', undefined]] } }));
    assert.match(md, /```\n\n## Diagnostics\n\n- \*\*Kind:\*\* node\\_failed\n$/);
  });

  it('leaves out an empty steps table and says an empty section is empty', () => {
    const md = runMarkdown(doc({ steps: { heading: 'Steps', columns: ['Node', 'Status', 'Duration'], rows: [] }, sections: [{ heading: 'Outputs', values: {} }] }));
    assert.doesNotMatch(md, /Steps/);
    assert.match(md, /## Outputs\n\n—\n$/);
  });

  it('escapes Markdown and HTML from Dify or the user in titles, facts, names, the failure and table cells', () => {
    const evil = '<img src=x onerror=alert(1)> **bold** [link](http://x) | cell';
    const md = runMarkdown(
      doc({
        title: evil,
        facts: [['File', evil]],
        failure: { heading: 'Error', message: `${evil}\n# heading` },
        steps: { heading: 'Steps', columns: ['Node', 'Status', 'Duration'], rows: [[evil, 'failed', '—']] },
        sections: [{ heading: 'Inputs', values: { [evil]: 'x' } }],
      }),
    );
    // Each special character of the text is escaped wherever it shows (5 places), none is left bare.
    for (const escaped of ['\\<img', 'alert\\(1\\)\\>', '\\*\\*bold\\*\\*', '\\[link\\]\\(http://x\\)', '\\| cell']) assert.equal(md.split(escaped).length - 1, 5, escaped);
    assert.doesNotMatch(md, /[^\\]<img|[^\\]\*\*bold|[^\\]\[link|[^\\]\| cell/);
    assert.match(md, /> \\# heading/);
  });

  it('fences values so nothing in them closes the fence, JSON for objects, a list one item a line, one text without a name', () => {
    const md = runMarkdown(doc({ sections: [{ heading: 'Outputs', values: { code: '````\n</pre>', data: { a: 1 }, list: ['a', 'b'] } }, { heading: 'Output', values: 'plain text' }] }));
    assert.match(md, /### code\n\n`````text\n````\n<\/pre>\n`````\n/);
    assert.match(md, /### data\n\n```json\n\{\n {2}"a": 1\n\}\n```\n/);
    assert.match(md, /### list\n\n```text\na\nb\n```\n/);
    assert.match(md, /## Output\n\n```text\nplain text\n```\n$/);
  });

  it('cuts a long input to its first lines or characters and says how much is shown', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const md = runMarkdown(doc({ sections: [{ heading: 'Inputs', values: { code: lines, short: 'ok' }, cut: (shown, total) => `First ${shown} of ${total} characters` }] }));
    assert.match(md, new RegExp(`line ${MAX_SHOWN.lines}\n\`\`\`\n\n\\*First \\d+ of ${lines.length} characters\\*`));
    assert.doesNotMatch(md, new RegExp(`line ${MAX_SHOWN.lines + 1}\n`));
    assert.match(md, /### short\n\n```text\nok\n```\n$/);
    const wide = 'x'.repeat(MAX_SHOWN.chars + 10);
    assert.equal(cutText(wide)?.length, MAX_SHOWN.chars);
    assert.equal(cutText('short\ntext'), undefined);
  });
});
