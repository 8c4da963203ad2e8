// Puts a run's result where the user asked: into the source document (replace, insert below, or a diff when the
// target changed underneath), a new editor (streamed while the run writes), the clipboard, or the chat view.
import * as vscode from 'vscode';
import { keepTrailingNewline, newEditorContent, textForEditor, type OutputMode } from '../../core/workflow-output.js';
import { insertionBelow } from '../../core/workflow-target.js';
import type { Proposals } from '../editor/proposal.js';
import type { TrackedTarget } from './tracked-target.js';
import { fileName } from '../editor/file-name.js';

/** How the result landed, for the message after the run. */
export type Applied = 'replaced' | 'inserted' | 'proposed' | 'proposedAfterChange' | 'opened' | 'copied' | 'chat' | 'targetClosed';

export interface OutputTarget {
  target: TrackedTarget | undefined;
  sourceLanguage: string | undefined;
  appLabel: string;
}

/**
 * A new untitled editor the run's streamed text is written into as it arrives (text_chunk / message deltas); at the
 * end it gets the final output in its language.
 */
export class StreamingEditor {
  private document: vscode.TextDocument | undefined;
  private written = '';
  private pending = '';
  private queue: Promise<void> = Promise.resolve();
  private opening: Promise<vscode.TextDocument> | undefined;

  /** Writes `text` (the whole streamed text so far); edits are queued so they never overlap. */
  update(text: string): void {
    this.pending = text;
    this.queue = this.queue.then(() => this.flush()).catch(() => undefined);
  }

  /** The final content, in its language; opens the editor if nothing was streamed. */
  async finish(text: string, sourceLanguage: string | undefined): Promise<vscode.TextDocument> {
    await this.queue;
    const { content, language } = newEditorContent(text, sourceLanguage);
    const document = await this.open();
    await replaceAll(document, content);
    if (document.languageId !== language) {
      try {
        await vscode.languages.setTextDocumentLanguage(document, language);
      } catch {
        // A language VS Code does not know: keep Markdown.
      }
    }
    return document;
  }

  /** The run failed or was cancelled after text was streamed: say so at the end of what is there. */
  async interrupt(note: string): Promise<void> {
    await this.queue;
    if (!this.document) return;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(this.document.uri, this.document.positionAt(this.document.getText().length), `\n\n> ${note}\n`);
    await vscode.workspace.applyEdit(edit);
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    if (text === this.written) return;
    const document = await this.open();
    const edit = new vscode.WorkspaceEdit();
    if (text.startsWith(this.written) && document.getText() === this.written) {
      edit.insert(document.uri, document.positionAt(this.written.length), text.slice(this.written.length));
    } else {
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
    }
    if (await vscode.workspace.applyEdit(edit)) this.written = text;
  }

  private open(): Promise<vscode.TextDocument> {
    this.opening ??= (async () => {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false, preview: false });
      this.document = document;
      return document;
    })();
    return this.opening;
  }
}

async function replaceAll(document: vscode.TextDocument, content: string): Promise<void> {
  if (document.getText() === content) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), content);
  await vscode.workspace.applyEdit(edit);
}

export async function applyOutput(
  mode: OutputMode,
  text: string,
  where: OutputTarget,
  tools: { proposals: Proposals; streaming: StreamingEditor },
): Promise<Applied> {
  switch (mode) {
    case 'copy':
      await vscode.env.clipboard.writeText(text);
      return 'copied';
    case 'newEditor':
      await tools.streaming.finish(text, where.sourceLanguage);
      return 'opened';
    case 'chat':
      await vscode.commands.executeCommand('dify.askInChat', text);
      return 'chat';
    case 'replace':
    case 'insertBelow':
    case 'diff':
      return applyToSource(mode, textForEditor(text), where, tools);
  }
}

async function applyToSource(mode: 'replace' | 'insertBelow' | 'diff', text: string, where: OutputTarget, tools: { proposals: Proposals; streaming: StreamingEditor }): Promise<Applied> {
  const target = where.target;
  if (!target || target.document.isClosed) {
    await tools.streaming.finish(text, where.sourceLanguage);
    return 'targetClosed';
  }
  const { document } = target;
  const title = vscode.l10n.t('{0} ↔ output of {1}', fileName(document.uri), where.appLabel);
  const changed = target.changedUnderneath;
  if (mode === 'insertBelow') {
    // Insert below only needs the end of the target: it still applies after edits, unless the target text changed.
    const at = insertionBelow(document.getText(), target.offsetRange, text);
    const range = new vscode.Range(document.positionAt(at.offset), document.positionAt(at.offset));
    if (changed) {
      await tools.proposals.propose(document, range, at.text, title);
      return 'proposedAfterChange';
    }
    await edit(document, range, at.text);
    return 'inserted';
  }
  const replacement = keepTrailingNewline(target.original, text);
  if (mode === 'diff' || changed) {
    await tools.proposals.propose(document, target.range, replacement, title);
    return mode === 'diff' ? 'proposed' : 'proposedAfterChange';
  }
  await edit(document, target.range, replacement);
  return 'replaced';
}

async function edit(document: vscode.TextDocument, range: vscode.Range, text: string): Promise<void> {
  const change = new vscode.WorkspaceEdit();
  change.replace(document.uri, range, text);
  if (!(await vscode.workspace.applyEdit(change))) throw new Error(vscode.l10n.t('VS Code refused the edit of {0}.', fileName(document.uri)));
  // An Explorer file was opened in the background: show where the result went.
  if (!vscode.window.visibleTextEditors.some((e) => e.document === document)) await vscode.window.showTextDocument(document, { preview: false });
}
