// `@dify /run [app]`: Run Dify Workflow, from VS Code's Chat: on the #selection or #file attached (else the active
// editor's selection), its output proposed as a diff to accept or reject. The same runner as the editor's menu (inputs
// asked, progress, Runs history); the chat shows its steps and says how it ended, and stopping the request stops the
// run on Dify.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import { fileName } from '../editor/file-name.js';
import type { RunReport, WorkflowRunner } from '../workflows/workflow-runner.js';
import { abortOn } from './cancellation.js';

export async function runInChat(runner: WorkflowRunner, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const app = request.prompt.trim() || undefined;
  const args = { ...(app ? { app } : {}), output: 'diff' as const };
  const abort = abortOn(token);
  // The run's steps show in the chat as well as in its notification.
  const caller = { signal: abort.signal, onProgress: (activity: string) => stream.progress(activity) };
  const targets = runTargets(request.references);
  const reports: { on: string; report: RunReport | undefined }[] = [];
  try {
    if (targets.length === 0) {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        stream.markdown(vscode.l10n.t('Nothing to run on: select code in an editor, or attach a file with #file, then ask again.'));
        return {};
      }
      stream.progress(vscode.l10n.t('Running on the selection in {0}…', fileName(editor.document.uri)));
      reports.push({ on: fileName(editor.document.uri), report: await runner.runOnEditor(editor, args, false, caller) });
    }
    for (const target of targets) {
      if (token.isCancellationRequested) break;
      const on = fileName(target instanceof vscode.Uri ? target : target.uri);
      stream.progress(vscode.l10n.t('Running on {0}…', on));
      const report =
        target instanceof vscode.Uri
          ? await runner.runOnFile(target, args, false, caller)
          : await runner.runOnRange(await vscode.workspace.openTextDocument(target.uri), target.range, args, caller);
      reports.push({ on, report });
      // An app picked for the first target runs the others too.
      if (report?.app && !args.app) Object.assign(args, { app: report.app });
    }
  } finally {
    abort.dispose();
  }
  // How each run ended, failures included (their notification offers Show Details and Retry).
  for (const { on, report } of reports) stream.markdown(`- ${escapeMarkdown(reportLine(on, report))}\n`);
  return {};
}

/** What /run runs on: the #file and #selection references, in the order attached. */
function runTargets(references: readonly vscode.ChatPromptReference[]): (vscode.Uri | vscode.Location)[] {
  return references.map((r) => r.value).filter((v): v is vscode.Uri | vscode.Location => v instanceof vscode.Uri || v instanceof vscode.Location);
}

function reportLine(on: string, report: RunReport | undefined): string {
  if (!report) return vscode.l10n.t('{0}: not run (a question was dismissed).', on);
  if (report.status === 'succeeded' || report.status === 'partial-succeeded') {
    if (!report.applied) return vscode.l10n.t('{0}: {1}', on, report.message ?? '');
    return report.applied === 'proposed' || report.applied === 'proposedAfterChange'
      ? vscode.l10n.t('{0}: "{1}" finished; its output is shown as a diff to accept or reject.', on, report.app)
      : vscode.l10n.t('{0}: "{1}" finished; its output is in a new editor.', on, report.app);
  }
  if (report.status === 'paused') return vscode.l10n.t('{0}: "{1}" waits for a person to answer a form in Dify.', on, report.app);
  return vscode.l10n.t('{0}: {1}', on, report.message ?? report.status);
}
