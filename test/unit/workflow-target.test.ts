// The run's target range follows edits made while the run streams; an edit inside it is noticed.
import assert from 'node:assert/strict';
import { findTargetAgain, insertionBelow, ownChange, shiftRange, shiftRangeAll, streamChange, streamedEvent, type TextChange, type TrackedRange } from '../../src/core/workflow-target.js';

const range = (start: number, end: number, touched = false): TrackedRange => ({ start, end, touched });
const edit = (offset: number, length: number, text: string): TextChange => ({ offset, length, text });

/** Applies the change to the text too, so the expectations can be read as text. */
function apply(text: string, r: TrackedRange, changes: TextChange[]): { text: string; range: TrackedRange; inside: string } {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.offset - a.offset)) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  const next = shiftRangeAll(r, changes);
  return { text: out, range: next, inside: out.slice(next.start, next.end) };
}

describe('workflow target tracking', () => {
  const doc = 'line one\nSELECTED\nline three\n';
  const sel = range(9, 17); // "SELECTED"

  it('edits before the range move it; edits after it leave it; the text inside stays the same', () => {
    assert.equal(doc.slice(sel.start, sel.end), 'SELECTED');
    const before = apply(doc, sel, [edit(0, 4, 'first line')]);
    assert.deepEqual(before.range, range(15, 23));
    assert.equal(before.inside, 'SELECTED');
    const after = apply(doc, sel, [edit(18, 10, 'L3')]);
    assert.deepEqual(after.range, sel);
    assert.equal(after.inside, 'SELECTED');
  });

  it('typing right at the start goes before the range, right at the end after it', () => {
    assert.equal(apply(doc, sel, [edit(9, 0, '>> ')]).inside, 'SELECTED');
    assert.equal(apply(doc, sel, [edit(17, 0, ' <<')]).inside, 'SELECTED');
    assert.equal(apply(doc, sel, [edit(5, 4, '')]).inside, 'SELECTED', 'a deletion ending at the start');
  });

  it('an edit inside or across an edge marks the range touched and covers what replaced it', () => {
    const inside = apply(doc, sel, [edit(11, 2, 'xx')]);
    assert.equal(inside.range.touched, true);
    assert.equal(inside.inside, 'SExxCTED');
    const acrossStart = apply(doc, sel, [edit(5, 7, '#')]);
    assert.equal(acrossStart.range.touched, true);
    assert.equal(acrossStart.inside, '#ECTED');
    const acrossEnd = apply(doc, sel, [edit(15, 4, '!')]);
    assert.equal(acrossEnd.range.touched, true);
    assert.equal(acrossEnd.inside, 'SELECT!');
    assert.equal(shiftRange(inside.range, edit(0, 0, 'a')).touched, true, 'touched stays touched');
  });

  it('several changes of one event (multi-cursor) are applied against the old offsets', () => {
    const multi = apply(doc, sel, [edit(0, 0, '// '), edit(18, 0, '// '), edit(9, 0, '// ')]);
    assert.equal(multi.text, '// line one\n// SELECTED\n// line three\n');
    assert.equal(multi.inside, 'SELECTED');
    assert.equal(multi.range.touched, false);
  });

  it('a whole-document edit (e.g. format on save replacing everything) touches it', () => {
    assert.equal(apply(doc, sel, [edit(0, doc.length, doc.toUpperCase())]).range.touched, true);
  });

  it('insert below goes after the last line of the range, on its own line, keeping CRLF files CRLF', () => {
    assert.deepEqual(insertionBelow(doc, sel, 'OUT'), { offset: 17, text: '\nOUT' });
    assert.deepEqual(insertionBelow('a\nb', range(2, 3), 'OUT'), { offset: 3, text: '\nOUT' });
    // A selection of whole lines ends at the start of the next line: insert right there.
    assert.deepEqual(insertionBelow(doc, range(9, 18), 'OUT'), { offset: 18, text: 'OUT\n' });
    assert.deepEqual(insertionBelow('a\r\nb\r\n', range(0, 1), 'OUT\n'), { offset: 1, text: '\r\nOUT' });
  });
});

describe('streamChange: a run streams into an editor of its own while the user types there', () => {
  /** The editor as the user sees it: the run's changes go through ownChange, the user's through shiftRangeAll. */
  class Editor {
    text = '';
    span: TrackedRange = range(0, 0);
    written = '';
    private apply(c: TextChange): void {
      this.text = this.text.slice(0, c.offset) + c.text + this.text.slice(c.offset + c.length);
    }
    run(next: string): void {
      const change = streamChange(this.span, this.written, next);
      if (!change) return;
      this.apply(change);
      const own = ownChange(this.span, change);
      assert.ok(own, 'the run changes only its own span');
      this.span = own;
      this.written = next;
    }
    type(offset: number, text: string, length = 0): void {
      this.apply(edit(offset, length, text));
      this.span = shiftRangeAll(this.span, [edit(offset, length, text)]);
    }
  }

  it('text typed above, below or before the first chunk stays; the run keeps writing at the end of its own text', () => {
    const e = new Editor();
    e.type(0, 'NOTE\n'); // before anything streamed
    e.run('Hello');
    e.type(e.text.length, '\nMINE'); // after the run's text
    e.run('Hello, world');
    e.type(0, '# ', 0);
    e.run('Hello, world!\nDone.');
    assert.equal(e.text, '# NOTE\nHello, world!\nDone.\nMINE');
    assert.equal(e.text.slice(e.span.start, e.span.end), 'Hello, world!\nDone.');
  });

  it('a final output that differs replaces only the run\'s own text, unless the user edited inside it', () => {
    const e = new Editor();
    e.run('```py\nx = 1\n```');
    e.type(0, 'MINE\n');
    e.run('x = 1\n');
    assert.equal(e.text, 'MINE\nx = 1\n');
    const edited = new Editor();
    edited.run('```py\nx = 1\n```');
    edited.type(6, '# mine\n');
    edited.run('x = 1\n');
    assert.equal(edited.text, '```py\n# mine\nx = 1\n```', 'the user\'s edit is kept');
    edited.run('```py\nx = 1\n```\nmore');
    assert.equal(edited.text, '```py\n# mine\nx = 1\n```\nmore', 'text that extends what was written still arrives');
  });

  it('a change outside the span is not the run\'s', () => {
    assert.equal(ownChange(range(5, 10), edit(2, 0, 'x')), undefined);
    assert.equal(ownChange(range(5, 10), edit(8, 4, 'x')), undefined);
    assert.deepEqual(ownChange(range(5, 10), edit(10, 0, 'abc')), range(5, 13));
  });
});

describe('findTargetAgain: a left run finds its target in the reopened document', () => {
  const doc = 'def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n';
  it('where it was, when its text is still there', () => {
    assert.equal(findTargetAgain(doc, 15, '    return a + b\n'), 15);
  });
  it('moved by edits above it: the one place its text is now', () => {
    assert.equal(findTargetAgain(`# header\n${doc}`, 15, '    return a + b\n'), 24);
  });
  it('edited away, or now in two places: not found', () => {
    assert.equal(findTargetAgain(doc.replace('a + b', 'b + a'), 15, '    return a + b\n'), -1);
    assert.equal(findTargetAgain(`${doc}${doc}`, 3, 'def add'), -1);
  });
  it('an empty target only where it was, and never past the end', () => {
    assert.equal(findTargetAgain(doc, 15, ''), 15);
    assert.equal(findTargetAgain('ab', 5, ''), -1);
  });

  it("one event holding a key pressed above and the run's own insertion: the span moves by the key and grows by the insertion", () => {
    // "Echo: def add" streamed at 0..13; the user presses Enter at 0 while the run appends "(a, b):" at 13 (offsets
    // of the document before the event, as VS Code gives them).
    const own = edit(13, 0, '(a, b):');
    const { span, seen } = streamedEvent(range(0, 13), [edit(0, 0, '\n'), own], own);
    assert.equal(seen, true);
    assert.deepEqual(span, { start: 1, end: 21, touched: false });
    // Without the run's change in it, the event is the user's only: the span moves and the change is still awaited.
    assert.deepEqual(streamedEvent(range(0, 13), [edit(0, 0, 'MY NOTES\n')], own), { span: { start: 9, end: 22, touched: false }, seen: false });
    // The run's insertion taken for the user's (its event after the reply) would leave the span short: the next
    // chunk would land before it. That is what waiting for the event prevents.
    assert.deepEqual(shiftRange(range(0, 13), own), range(0, 13));
  });
});
