// A proposed change to a document, shown as a diff the user accepts or rejects (like a refactoring preview). The
// proposal lives in a read-only virtual document; nothing touches the user's file until Accept.
import * as vscode from 'vscode';
import { fileName } from './file-name.js';

export const PROPOSAL_SCHEME = 'dify-proposal';

interface Proposal {
  uri: vscode.Uri;
  document: vscode.TextDocument;
  range: vscode.Range;
  original: string;
  replacement: string;
}

export class Proposals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly open = new Map<string, Proposal>();
  private next = 1;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this),
      vscode.commands.registerCommand('dify.acceptProposal', (uri?: vscode.Uri) => this.settle(uri, true)),
      vscode.commands.registerCommand('dify.rejectProposal', (uri?: vscode.Uri) => this.settle(uri, false)),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const proposal = this.open.get(uri.toString());
    if (!proposal) return '';
    const { document, range, replacement } = proposal;
    const text = document.getText();
    return text.slice(0, document.offsetAt(range.start)) + replacement + text.slice(document.offsetAt(range.end));
  }

  /**
   * Shows `replacement` in place of `range` as a diff against the document, with Accept and Reject (in the notification
   * and the diff editor's title). Resolves once the diff is shown; rejects when it could not be (nothing is left open).
   */
  async propose(document: vscode.TextDocument, range: vscode.Range, replacement: string, title: string): Promise<void> {
    const name = fileName(document.uri);
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${name}`, query: String(this.next++) });
    this.open.set(uri.toString(), { uri, document, range, original: document.getText(range), replacement });
    try {
      await vscode.commands.executeCommand('vscode.diff', document.uri, uri, title, { preview: true });
    } catch (e) {
      this.open.delete(uri.toString());
      throw e;
    }
    const accept = vscode.l10n.t('Accept');
    const reject = vscode.l10n.t('Reject');
    void vscode.window.showInformationMessage(vscode.l10n.t('Apply the proposed change to {0}?', name), accept, reject).then((answer) => {
      if (answer) void this.settle(uri, answer === accept);
    });
  }

  private async settle(uri: vscode.Uri | undefined, accept: boolean): Promise<void> {
    const key = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const proposal = key ? this.open.get(key) : [...this.open.values()].at(-1);
    if (!proposal) return;
    this.open.delete(proposal.uri.toString());
    await closeTabsOf(proposal.uri);
    if (!accept) return;
    const { document, range, original, replacement } = proposal;
    const name = fileName(document.uri);
    // The file may have been edited meanwhile: apply only where the original text still is.
    if (document.isClosed || document.getText(range) !== original) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed since the proposal was made; nothing was applied.', name));
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, replacement);
    if (!(await vscode.workspace.applyEdit(edit))) void vscode.window.showErrorMessage(vscode.l10n.t('VS Code refused the edit of {0}.', name));
  }

  dispose(): void {
    this.open.clear();
    for (const d of this.disposables) d.dispose();
  }
}

async function closeTabsOf(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
