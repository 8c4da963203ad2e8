// The block splitter behind incremental rendering: a finished block must never change once cut, so each cut must
// be one markdown-it would also make, however the text is streamed in.
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { BlockScanner, blockBoundaries, stableBlocks } from '../../src/webview/markdown/blocks.js';

/** The pieces `text` is cut into. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const b of blockBoundaries(text)) {
    out.push(text.slice(last, b));
    last = b;
  }
  out.push(text.slice(last));
  return out;
}

/** Boundaries found when `text` arrives in `size`-character deltas, cut the way StreamingMarkdown cuts it. */
function streamedBoundaries(text: string, size: number): number[] {
  const scanner = new BlockScanner();
  const found: number[] = [];
  let pending = '';
  let start = 0;
  for (let i = 0; i < text.length; i += size) {
    pending += text.slice(i, i + size);
    const bounds = scanner.scan(pending);
    for (const b of bounds) found.push(start + b.offset);
    const cut = bounds.at(-1)?.offset ?? 0;
    pending = pending.slice(cut);
    start += cut;
    scanner.shift(cut);
  }
  return found;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

/** Rendering the pieces one by one gives what rendering the whole text gives. */
function assertCutsPreserveRendering(text: string): void {
  assert.equal(pieces(text).map((p) => md.render(p)).join(''), md.render(text), `cuts of ${JSON.stringify(text)}`);
}

const DOCUMENTS = [
  '# Title\n\nSome *text* here.\n\n- one\n- two\n\n  still two\n\n- three\n\nAfter the list.\n',
  '1. first\n\n   ```bash\n   npm i\n\n   npm test\n   ```\n\n2. second\n\nDone.\n',
  'Intro\n\n````markdown\n# Doc\n\n```ts\nconst a = 1;\n```\n\nMore doc\n````\n\nOutro\n',
  '~~~\n```\n\n```\n~~~\n\nafter\n',
  '    indented code\n\n    more code\n\nParagraph\n\n> quote\n\n> another quote\n',
  '| a | b |\n|---|:-:|\n| 1 | 2 |\n\nText with [link](https://example.com).\n\n---\n\nEnd',
  '中文段落，包含**粗体**。\n\n第二段😀与 `code`。\n\n- 列表一\n- 列表二\n\n结束\n',
  'Para\r\n\r\n```js\r\nlet x;\r\n\r\nx = 1;\r\n```\r\n\r\nTail\r\n',
  '* a\n\n* b\n\n---\n\n+ c\n\n  + nested\n\n    deeper\n\nend\n',
];

describe('markdown blocks: the stable-prefix splitter', () => {
  it('cuts after a blank line that follows a paragraph, even before the next block arrives', () => {
    assert.equal(stableBlocks(''), 0);
    assert.equal(stableBlocks('one line'), 0);
    assert.equal(stableBlocks('one\ntwo\n'), 0);
    assert.equal(stableBlocks('one\n\n'), 5);
    assert.equal(stableBlocks('one\n\ntwo'), 5);
    assert.deepEqual(blockBoundaries('a\n\nb\n\nc\n'), [3, 6]);
    assert.deepEqual(blockBoundaries('a\n   \t\nb'), [7], 'a line of spaces and tabs is blank');
    assert.deepEqual(blockBoundaries('\n\n\nfirst\n\n'), [10], 'leading blank lines belong to the first block');
  });

  it('does not cut inside ``` or ~~~ fences, whatever blank lines they hold', () => {
    const text = 'Intro\n\n```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\nAfter\n';
    assert.deepEqual(pieces(text), ['Intro\n\n', '```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\n', 'After\n']);
    assert.deepEqual(pieces('~~~py\nx\n\ny\n~~~\n\nz'), ['~~~py\nx\n\ny\n~~~\n\n', 'z']);
  });

  it('closes a fence only with the same character, at least as long, and nothing after it', () => {
    assert.deepEqual(pieces('```\ncode\n\n`````\n\nafter'), ['```\ncode\n\n`````\n\n', 'after'], 'a longer closer closes');
    assert.deepEqual(pieces('````\n```\n\nx\n```\n\nstill code\n````\n\nafter'), ['````\n```\n\nx\n```\n\nstill code\n````\n\n', 'after']);
    assert.deepEqual(pieces('```\n~~~\n\nx\n```\n\ny'), ['```\n~~~\n\nx\n```\n\n', 'y'], '~~~ does not close ```');
    assert.deepEqual(pieces('~~~~\n~~~\n\n~~~~~\n\ny'), ['~~~~\n~~~\n\n~~~~~\n\n', 'y']);
    assert.deepEqual(pieces('```\nx\n```js\n\ny\n```\n\nz'), ['```\nx\n```js\n\ny\n```\n\n', 'z'], 'a closer has no info string');
    assert.deepEqual(pieces('``` a`b\n\nc'), ['``` a`b\n\n', 'c'], 'a backtick info string with a backtick is no fence');
    assert.deepEqual(pieces('```\nx\n    ```\n\ny'), ['```\nx\n    ```\n\ny'], 'a closer indented 4 is code');
  });

  it('keeps a nested 4-backtick fence (a markdown document with code in it) whole', () => {
    const doc = '````markdown\n# Plan\n\n```text\nDONE\n```\n\n## Notes\n````\n\nNext\n';
    assert.deepEqual(pieces(doc), ['````markdown\n# Plan\n\n```text\nDONE\n```\n\n## Notes\n````\n\n', 'Next\n']);
  });

  it('leaves an unclosed fence in the unfinished tail, however much arrives', () => {
    const text = 'Here:\n\n```python\nprint(1)\n\n\nprint(2)\n\nMore text that is still code';
    assert.equal(stableBlocks(text), 7);
    assert.equal(stableBlocks(`${text}\n\`\`\`\n`), 7, 'closed, but no blank line yet');
    assert.equal(stableBlocks(`${text}\n\`\`\`\n\n`), text.length + 6);
  });

  it('keeps a list open across blank lines until a line at column 0 that is not a list item', () => {
    assert.equal(stableBlocks('- a\n\n'), 0);
    assert.equal(stableBlocks('- a\n\n- b\n\n'), 0);
    assert.equal(stableBlocks('- a\n\n  continued\n\n'), 0);
    assert.equal(stableBlocks('- a\n\n-'), 0, 'a new item is coming');
    assert.equal(stableBlocks('1. a\n\n2'), 0, 'a new numbered item may be coming');
    assert.equal(stableBlocks('- a\n\nP'), 5, 'a paragraph after the list');
    assert.deepEqual(pieces('1. a\n\n2. b\n\n10) c\n\nText\n'), ['1. a\n\n2. b\n\n10) c\n\n', 'Text\n']);
    assert.deepEqual(pieces('Para\n- item\n\n  more of the item\n\nEnd'), ['Para\n- item\n\n  more of the item\n\n', 'End']);
  });

  it('keeps an indented code block open across blank lines', () => {
    assert.deepEqual(pieces('    a\n\n    b\n\nc\n'), ['    a\n\n    b\n\n', 'c\n']);
  });

  it('handles CRLF line ends like LF', () => {
    assert.deepEqual(blockBoundaries('a\r\n\r\nb\r\n\r\n'), [5, 10]);
    assert.deepEqual(pieces('```\r\nx\r\n\r\ny\r\n```\r\n\r\nz'), ['```\r\nx\r\n\r\ny\r\n```\r\n\r\n', 'z']);
    assert.equal(stableBlocks('- a\r\n\r\n- b\r\n\r\n'), 0);
  });

  it('counts CJK and astral characters as the string does (offsets are UTF-16 indexes)', () => {
    const text = '你好，世界。\n\n这是😀第二段。\n\n```\n代码\n\n代码\n```\n\n完';
    assert.deepEqual(pieces(text), ['你好，世界。\n\n', '这是😀第二段。\n\n', '```\n代码\n\n代码\n```\n\n', '完']);
  });

  it('finds the same boundaries however the text is streamed in', () => {
    for (const doc of DOCUMENTS) {
      const whole = blockBoundaries(doc);
      for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(streamedBoundaries(doc, size), whole, `${JSON.stringify(doc)} in ${size}s`);
    }
  });

  it('reads each line once: a long stream costs linear time', () => {
    const para = 'Some words of a paragraph that goes on for a while.\n\n';
    const fence = '```ts\nconst x = 1;\n\nconst y = 2;\n```\n\n';
    const time = (n: number): number => {
      const text = (para + fence).repeat(n);
      const t0 = performance.now();
      streamedBoundaries(text, 5);
      return performance.now() - t0;
    };
    time(200);
    const small = Math.max(time(500), 1);
    const large = time(5000);
    assert.ok(large < small * 30, `10x the text took ${(large / small).toFixed(1)}x the time (${small.toFixed(1)} ms -> ${large.toFixed(1)} ms)`);
  });

  it('cuts only where rendering the pieces one by one gives what rendering the whole gives', () => {
    for (const doc of DOCUMENTS) {
      assert.ok(pieces(doc).length > 1, `${JSON.stringify(doc)} is cut somewhere`);
      assertCutsPreserveRendering(doc);
    }
  });

  it('can start again at a boundary it found', () => {
    const scanner = new BlockScanner();
    const text = 'a\n\n```\nx\n\ny\n```\n\nz\n\n';
    const all = scanner.scan(text).map((b) => b.offset);
    scanner.reset(all[0]);
    assert.deepEqual(scanner.scan(text).map((b) => b.offset), all.slice(1));
  });
});
