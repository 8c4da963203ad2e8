// What goes back into the editor: the output variable, values as text, a lone code block unwrapped.
import assert from 'node:assert/strict';
import { chooseOutput, keepTrailingNewline, newEditorContent, OUTPUT_MODES, outputText, pickerOrder, textForEditor, unwrapCodeFence } from '../../src/core/workflow-output.js';

describe('workflow output', () => {
  it('one variable is used as is; several need a choice once, then the remembered one', () => {
    assert.deepEqual(chooseOutput({ text: 'a' }, undefined), { kind: 'variable', variable: 'text' });
    assert.deepEqual(chooseOutput({ results: [], text: 'a' }, undefined), { kind: 'choose', variables: ['results', 'text'] });
    assert.deepEqual(chooseOutput({ results: [], text: 'a' }, 'text'), { kind: 'variable', variable: 'text' });
    assert.deepEqual(chooseOutput({ results: [], text: 'a' }, 'gone'), { kind: 'choose', variables: ['results', 'text'] });
    assert.deepEqual(chooseOutput({}, 'text'), { kind: 'none' });
    assert.deepEqual(chooseOutput(null, undefined), { kind: 'none' });
  });

  it('the output picker offers the diff first, not Replace, until a mode is remembered; then that one', () => {
    assert.deepEqual(pickerOrder(OUTPUT_MODES, undefined), ['diff', 'replace', 'insertBelow', 'newEditor', 'copy', 'chat']);
    assert.deepEqual(pickerOrder(OUTPUT_MODES, 'copy'), ['copy', 'replace', 'insertBelow', 'diff', 'newEditor', 'chat']);
    // Without a document to write into (no editing modes), the remembered editing mode is not offered.
    assert.deepEqual(pickerOrder(['newEditor', 'copy', 'chat'], 'replace'), ['newEditor', 'copy', 'chat']);
    assert.deepEqual(pickerOrder(['newEditor', 'copy', 'chat'], undefined), ['newEditor', 'copy', 'chat']);
  });

  it('values become text: strings, lists of strings by line, files as links, anything else as JSON', () => {
    assert.equal(outputText('héllo'), 'héllo');
    assert.equal(outputText(42), '42');
    assert.equal(outputText(['A!', 'B!']), 'A!\nB!');
    assert.equal(outputText(null), '');
    assert.equal(outputText({ city: 'Berlin', t: 21 }), '{\n  "city": "Berlin",\n  "t": 21\n}');
    assert.equal(
      outputText({ dify_model_identity: '__dify__file__', filename: 'a.png', url: 'https://x/a.png', remote_url: null }),
      '[a.png](https://x/a.png)',
    );
    assert.equal(outputText([{ a: 1 }]), '[\n  {\n    "a": 1\n  }\n]');
  });

  it('a lone fenced block is unwrapped with its language; prose or several blocks are left alone', () => {
    assert.deepEqual(unwrapCodeFence('```ts\nconst a = 1;\nconst b = 2;\n```'), { code: 'const a = 1;\nconst b = 2;', language: 'ts' });
    assert.deepEqual(unwrapCodeFence('\n```\nx\n```\n'), { code: 'x', language: undefined });
    assert.equal(unwrapCodeFence('Here:\n```ts\nx\n```'), undefined);
    assert.equal(unwrapCodeFence('```ts\nx\n```\ntext\n```js\ny\n```'), undefined);
    assert.equal(textForEditor('```py\nprint(1)\n```'), 'print(1)');
    assert.equal(textForEditor('plain words'), 'plain words');
  });

  it('a new editor shows code in its language and anything else as Markdown', () => {
    assert.deepEqual(newEditorContent('```ts\nlet a;\n```', 'python'), { content: 'let a;', language: 'typescript' });
    assert.deepEqual(newEditorContent('```\nlet a;\n```', 'python'), { content: 'let a;', language: 'python' });
    assert.deepEqual(newEditorContent('# Review\n\nLooks fine.', 'python'), { content: '# Review\n\nLooks fine.', language: 'markdown' });
  });

  it('a replaced block of whole lines keeps its final line break (LF or CRLF)', () => {
    assert.equal(keepTrailingNewline('a\nb\n', 'X'), 'X\n');
    assert.equal(keepTrailingNewline('a\r\n', 'X'), 'X\r\n');
    assert.equal(keepTrailingNewline('a\n', 'X\n'), 'X\n');
    assert.equal(keepTrailingNewline('a b', 'X'), 'X');
  });
});
