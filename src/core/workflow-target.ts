// Where a run's result goes, kept right while the document is edited during the run: offsets move with edits
// before them; an edit inside the range marks it touched, and the result is then proposed as a diff instead.

export interface TrackedRange {
  start: number;
  end: number;
  /** An edit overlapped the range since the run started. */
  touched: boolean;
}

/** One content change as VS Code reports it (offset and length in the document before the change). */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

/** The range after one change. Insertions at the start move it; insertions at the end leave it. */
export function shiftRange(range: TrackedRange, change: TextChange): TrackedRange {
  const changeEnd = change.offset + change.length;
  const delta = change.text.length - change.length;
  if (changeEnd <= range.start) return { start: range.start + delta, end: range.end + delta, touched: range.touched };
  if (change.offset >= range.end) return range;
  // Overlap: the range grows to cover what replaced its edges.
  const start = Math.min(range.start, change.offset);
  const end = range.end > changeEnd ? range.end + delta : change.offset + change.text.length;
  return { start, end, touched: true };
}

/**
 * The range after the changes of one document event. VS Code gives every offset against the document before the
 * event, so they are applied from the last to the first.
 */
export function shiftRangeAll(range: TrackedRange, changes: readonly TextChange[]): TrackedRange {
  return [...changes].sort((a, b) => b.offset - a.offset).reduce(shiftRange, range);
}

/**
 * How the run's text in an editor of its own becomes `next` (streamed text grows; the final output may differ), as
 * one change to its span that leaves alone what the user typed around it. Undefined when there is nothing to do, or
 * when the run's text would be rewritten after the user edited inside it: their edit is kept.
 */
export function streamChange(span: TrackedRange, written: string, next: string): TextChange | undefined {
  if (next === written) return undefined;
  if (next.startsWith(written)) return { offset: span.end, length: 0, text: next.slice(written.length) };
  if (span.touched) return undefined;
  return { offset: span.start, length: span.end - span.start, text: next };
}

/**
 * The span after the run's own change, which lies within it (an insertion at its end included): it still covers
 * the run's text. Undefined for a change outside the span, which is the user's.
 */
export function ownChange(span: TrackedRange, change: TextChange): TrackedRange | undefined {
  if (change.offset < span.start || change.offset + change.length > span.end) return undefined;
  return { start: span.start, end: span.end + change.text.length - change.length, touched: span.touched };
}

/**
 * The span after one document event of the editor a run streams into, given the run's own change still waiting for
 * its event (`own`). The event may hold the user's changes beside it (a key pressed while the run's edit was applied):
 * each is applied from the last offset to the first, the run's through ownChange, the user's through shiftRange.
 * `seen` says whether the run's change was in this event.
 */
export function streamedEvent(span: TrackedRange, changes: readonly TextChange[], own: TextChange | undefined): { span: TrackedRange; seen: boolean } {
  let seen = false;
  for (const change of [...changes].sort((a, b) => b.offset - a.offset)) {
    const mine = !seen && own && change.offset === own.offset && change.length === own.length && change.text === own.text ? ownChange(span, change) : undefined;
    if (mine) seen = true;
    span = mine ?? shiftRange(span, change);
  }
  return { span, seen };
}

/**
 * Where "insert below" puts the result: after the line the range ends on (at the range end when it ends at the start
 * of a line), on a line of its own.
 */
export function insertionBelow(documentText: string, range: { start: number; end: number }, output: string): { offset: number; text: string } {
  const endsAtLineStart = range.end > range.start && documentText[range.end - 1] === '\n';
  if (endsAtLineStart) return { offset: range.end, text: withTrailingNewline(output) };
  const newline = documentText.indexOf('\n', range.end);
  const eol = documentText.includes('\r\n') ? '\r\n' : '\n';
  if (newline < 0) return { offset: documentText.length, text: eol + output };
  // Before a "\r\n" pair, not between its two characters.
  const offset = newline > 0 && documentText[newline - 1] === '\r' ? newline - 1 : newline;
  return { offset, text: eol + output.replace(/\r?\n$/, '') };
}

const withTrailingNewline = (text: string): string => (text.endsWith('\n') ? text : text + '\n');

/**
 * Where a target's text is in a document reopened after a reload: at its old offset if it is still there, else at
 * the one place it now is; -1 when it is gone or in several places (an empty target only where it was).
 */
export function findTargetAgain(content: string, start: number, text: string): number {
  if (start <= content.length && content.startsWith(text, start)) return start;
  if (text === '') return -1;
  const at = content.indexOf(text);
  return at !== -1 && content.indexOf(text, at + 1) === -1 ? at : -1;
}
