// The run's target range in a document, kept in step with the edits made while the run streams (the offsets math
// is core/workflow-target.ts). The text that was there is remembered, so a change underneath is noticed.
import * as vscode from 'vscode';
import { shiftRangeAll, type TrackedRange } from '../../core/workflow-target.js';

export class TrackedTarget implements vscode.Disposable {
  private offsets: TrackedRange;
  readonly original: string;
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly document: vscode.TextDocument,
    range: vscode.Range,
  ) {
    this.offsets = { start: document.offsetAt(range.start), end: document.offsetAt(range.end), touched: false };
    this.original = document.getText(range);
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== this.document || e.contentChanges.length === 0) return;
      this.offsets = shiftRangeAll(
        this.offsets,
        e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })),
      );
    });
  }

  /** Where the target is now. */
  get range(): vscode.Range {
    return new vscode.Range(this.document.positionAt(this.offsets.start), this.document.positionAt(this.offsets.end));
  }

  get offsetRange(): { start: number; end: number } {
    return { start: this.offsets.start, end: this.offsets.end };
  }

  /** The text of the target is no longer what the run was given (edited, or the document closed). */
  get changedUnderneath(): boolean {
    return this.document.isClosed || this.offsets.touched || this.document.getText(this.range) !== this.original;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
