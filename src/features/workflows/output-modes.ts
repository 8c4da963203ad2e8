// Puts a run's result where the user asked: into the source document (replace, insert below, or a diff when the
// target changed underneath), a new editor (streamed while the run writes), the clipboard, or the chat view.
import * as vscode from 'vscode';
import { keepTrailingNewline, textForEditor, type OutputMode } from '../../core/workflow-output.js';
import { insertionBelow } from '../../core/workflow-target.js';
import type { Proposals } from '../editor/proposal.js';
import type { StreamingEditor } from './streaming-editor.js';
import type { TrackedTarget } from './tracked-target.js';
import { fileName } from '../editor/file-name.js';

/** How the result landed, for the message after the run. */
export type Applied = 'replaced' | 'inserted' | 'proposed' | 'proposedAfterChange' | 'opened' | 'copied' | 'chat' | 'targetClosed'
  /** The new editor was closed during the run: the output is offered in a notification. */
  | 'offered';

export interface OutputTarget {
  target: TrackedTarget | undefined;
  sourceLanguage: string | undefined;
  appLabel: string;
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
      return tools.streaming.finish(text, where.sourceLanguage);
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
