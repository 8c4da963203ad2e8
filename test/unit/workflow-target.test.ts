// The run's target range follows edits made while the run streams; an edit inside it is noticed.
import assert from 'node:assert/strict';
import { findTargetAgain, insertionBelow, shiftRange, shiftRangeAll, type TextChange, type TrackedRange } from '../../src/core/workflow-target.js';

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
});
