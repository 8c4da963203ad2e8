// Nested fences in a markdown document (continue#5772): models write ```markdown blocks whose examples use ``` too.
// The splitter keeps such a document in one block and the renderer shows it as one code block, streamed or whole;
// fences in any other language follow CommonMark.
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { blockBoundaries, BlockScanner } from '../../src/webview/markdown/blocks.js';
import { lengthenNestedFences } from '../../src/webview/markdown/fences.js';

const md = new MarkdownIt({ html: false });
const render = (text: string) => md.render(lengthenNestedFences(text));
/** The code blocks markdown-it finds, as [language, code]. */
const codeBlocks = (text: string) =>
  md
    .parse(lengthenNestedFences(text), {})
    .filter((t) => t.type === 'fence')
    .map((t) => [t.info.trim(), t.content]);

const DOC = '# Plan\n\n```text\nDONE: ...\nNOW: ...\n```\n\n## Notes\n\n```python\nprint(1)\n```\n\nThe end.\n';
const ANSWER = `Here is the README:\n\n\`\`\`markdown\n${DOC}\`\`\`\n\nSave it as README.md.\n`;

describe('markdown: nested fences in a markdown document', () => {
  it('renders a ```markdown document holding ``` examples as one code block, with the examples in it', () => {
    assert.deepEqual(codeBlocks(ANSWER), [['markdown', DOC]]);
    assert.match(render(ANSWER), /<p>Save it as README.md.<\/p>/);
  });

  it('keeps the document in one block while it streams, and cuts after it', () => {
    const bounds = blockBoundaries(ANSWER);
    const start = ANSWER.indexOf('```markdown');
    const end = ANSWER.indexOf('Save it');
    assert.ok(bounds.includes(start) && bounds.includes(end), `cut before and after the document: ${bounds.join(', ')}`);
    assert.ok(!bounds.some((b) => b > start && b < end), 'no cut inside it');
    // Streamed a character at a time: the same cuts.
    const scanner = new BlockScanner();
    const streamed: number[] = [];
    for (let i = 1; i <= ANSWER.length; i++) streamed.push(...scanner.scan(ANSWER.slice(0, i)).map((b) => b.offset));
    assert.deepEqual(streamed, bounds);
  });

  it('mid-stream, an example opened inside shows as code of the document, not as a block of its own', () => {
    const partial = ANSWER.slice(0, ANSWER.indexOf('print(1)') + 6);
    const blocks = codeBlocks(partial);
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]![0], 'markdown');
    assert.match(blocks[0]![1]!, /```python\nprint\($/);
  });

  it('follows CommonMark elsewhere: a ```python block ends at the first ```, and 4-backtick documents are untouched', () => {
    const python = '```python\nx = 1\n```js\n```\nafter\n';
    assert.equal(lengthenNestedFences(python), python);
    assert.deepEqual(codeBlocks(python), [['python', 'x = 1\n```js\n']]);
    const four = '````markdown\n```ts\nconst a = 1;\n```\n````\n';
    assert.equal(lengthenNestedFences(four), four);
    assert.deepEqual(codeBlocks(four), [['markdown', '```ts\nconst a = 1;\n```\n']]);
  });

  it('a bare ``` in a markdown document with no example open closes it, as CommonMark says', () => {
    const text = '```md\n# Title\n```\nafter\n';
    assert.deepEqual(codeBlocks(text), [['md', '# Title\n']]);
    assert.match(render(text), /<p>after<\/p>/);
  });
});
