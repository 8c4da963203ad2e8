// A proposed change to a document, shown as a diff the user accepts or rejects (like a refactoring preview). The
// proposal lives in a read-only virtual document; nothing touches the user's file until Accept.
import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'dify-proposal';

interface Proposal {
  uri: vscode.Uri;
  document: vscode.TextDocument;
  range: vscode.Range;
  original: string;
  replacement: string;
  settle: (accepted: boolean) => void;
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
   * Shows `replacement` in place of `range` as a diff against the document and waits for Accept or Reject.
   * Resolves true when the change was applied.
   */
  async propose(document: vscode.TextDocument, range: vscode.Range, replacement: string, title: string): Promise<boolean> {
    const name = document.uri.path.split('/').pop() || 'untitled';
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${name}`, query: String(this.next++) });
    const decided = new Promise<boolean>((resolve) => {
      this.open.set(uri.toString(), { uri, document, range, original: document.getText(range), replacement, settle: resolve });
    });
    await vscode.commands.executeCommand('vscode.diff', document.uri, uri, title, { preview: true });
    const accept = vscode.l10n.t('Accept');
    const reject = vscode.l10n.t('Reject');
    void vscode.window.showInformationMessage(vscode.l10n.t('Apply the proposed change to {0}?', name), accept, reject).then((answer) => {
      if (answer) void this.settle(uri, answer === accept);
    });
    return decided;
  }

  private async settle(uri: vscode.Uri | undefined, accept: boolean): Promise<void> {
    const key = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const proposal = key ? this.open.get(key) : [...this.open.values()].at(-1);
    if (!proposal) return;
    this.open.delete(proposal.uri.toString());
    await closeTabsOf(proposal.uri);
    if (!accept) return proposal.settle(false);
    const { document, range, original, replacement } = proposal;
    // The file may have been edited meanwhile: apply only where the original text still is.
    if (document.isClosed || document.getText(range) !== original) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed since the proposal was made; nothing was applied.', document.uri.path.split('/').pop() ?? ''));
      return proposal.settle(false);
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, replacement);
    proposal.settle(await vscode.workspace.applyEdit(edit));
  }

  dispose(): void {
    for (const proposal of this.open.values()) proposal.settle(false);
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
