// A proposed change to a document, shown as a diff the user accepts or rejects (like a refactoring preview). The
// proposal lives in a read-only virtual document; nothing touches the user's file until Accept. Accept and Reject
// stay at hand while the proposal is open: in the diff's title bar, on Ctrl+Enter / Ctrl+Backspace in the diff, and
// from the status bar entry shown while any proposal is open. A diff closed without either drops its proposal.
import * as vscode from 'vscode';
import { fileName } from './file-name.js';
import { proposalCount } from '../../platform/counts.js';

export const PROPOSAL_SCHEME = 'dify-proposal';

interface Proposal {
  uri: vscode.Uri;
  document: vscode.TextDocument;
  range: vscode.Range;
  original: string;
  replacement: string;
  title: string;
  /** Its diff has been opened: from then on, closing every tab of it drops the proposal. */
  shown: boolean;
}

type ReviewItem = vscode.QuickPickItem & { proposal?: Proposal; action?: 'accept' | 'reject' | 'show' };

export class Proposals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  /** One per open diff (closing it drops the proposal), in the order they were made. */
  private readonly open = new Map<string, Proposal>();
  private next = 1;
  private readonly status = vscode.window.createStatusBarItem('dify.proposals', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.status.name = vscode.l10n.t('Dify Proposed Changes');
    this.status.command = 'dify.reviewProposals';
    this.disposables = [
      this.status,
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this),
      vscode.commands.registerCommand('dify.acceptProposal', (uri?: vscode.Uri) => this.decide(uri, true)),
      vscode.commands.registerCommand('dify.rejectProposal', (uri?: vscode.Uri) => this.decide(uri, false)),
      vscode.commands.registerCommand('dify.reviewProposals', () => this.review()),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.length) this.dropClosed();
      }),
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
   * Shows `replacement` in place of `range` as a diff against the document, to accept or reject. Resolves once the
   * diff is shown; rejects when it could not be (nothing is left open).
   */
  async propose(document: vscode.TextDocument, range: vscode.Range, replacement: string, title: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${fileName(document.uri)}`, query: String(this.next++) });
    const proposal: Proposal = { uri, document, range, original: document.getText(range), replacement, title, shown: false };
    this.open.set(uri.toString(), proposal);
    try {
      // Not a preview tab: the next proposal must not take this one's place.
      await vscode.commands.executeCommand('vscode.diff', document.uri, uri, title, { preview: false });
    } catch (e) {
      this.open.delete(uri.toString());
      throw e;
    }
    proposal.shown = true;
    this.update();
  }

  /** The proposal `uri` names, else the one whose diff is the active tab; the review list when neither is one. */
  private async decide(uri: vscode.Uri | undefined, accept: boolean): Promise<void> {
    const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const key = uri?.toString() ?? (active instanceof vscode.TabInputTextDiff ? active.modified.toString() : vscode.window.activeTextEditor?.document.uri.toString());
    const proposal = key ? this.open.get(key) : undefined;
    if (proposal) await this.settle(proposal, accept);
    else await this.review();
  }

  private async settle(proposal: Proposal, accept: boolean): Promise<void> {
    await this.drop(proposal);
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

  /** The status bar entry's list: Accept, Reject or Show for each open proposal. */
  private async review(): Promise<void> {
    const proposals = [...this.open.values()].reverse();
    if (!proposals.length) return;
    const items: ReviewItem[] = proposals.flatMap((proposal) => [
      { label: proposal.title, kind: vscode.QuickPickItemKind.Separator },
      { label: `$(check) ${vscode.l10n.t('Accept')}`, description: fileName(proposal.document.uri), proposal, action: 'accept' as const },
      { label: `$(close) ${vscode.l10n.t('Reject')}`, description: fileName(proposal.document.uri), proposal, action: 'reject' as const },
      { label: `$(diff) ${vscode.l10n.t('Show the Change')}`, description: fileName(proposal.document.uri), proposal, action: 'show' as const },
    ]);
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Proposed Changes'), placeHolder: vscode.l10n.t('Accept, reject or show a proposed change') });
    if (!picked?.proposal || !this.open.has(picked.proposal.uri.toString())) return;
    if (picked.action === 'show') {
      const { document, uri, title } = picked.proposal;
      await vscode.commands.executeCommand('vscode.diff', document.uri, uri, title, { preview: false });
      return;
    }
    await this.settle(picked.proposal, picked.action === 'accept');
  }

  private async drop(proposal: Proposal): Promise<void> {
    this.open.delete(proposal.uri.toString());
    this.update();
    await closeTabsOf(proposal.uri);
  }

  /** Proposals whose diff was closed without Accept or Reject are gone. */
  private dropClosed(): void {
    const shown = new Set(diffTabs().map((tab) => tab.input.modified.toString()));
    for (const [key, proposal] of this.open) if (proposal.shown && !shown.has(key)) this.open.delete(key);
    this.update();
  }

  private update(): void {
    const proposals = [...this.open.values()];
    void vscode.commands.executeCommand('setContext', 'dify.hasProposals', proposals.length > 0);
    if (!proposals.length) {
      this.status.hide();
      return;
    }
    const only = proposals.length === 1 ? proposals[0] : undefined;
    this.status.text = `$(diff) ${only ? vscode.l10n.t('Dify: proposed change to {0}', fileName(only.document.uri)) : vscode.l10n.t('Dify: {0}', proposalCount(proposals.length))}`;
    this.status.tooltip = vscode.l10n.t('Click to accept, reject or show the proposed changes.');
    this.status.show();
  }

  dispose(): void {
    this.open.clear();
    for (const d of this.disposables) d.dispose();
  }
}

const diffTabs = (): Array<vscode.Tab & { input: vscode.TabInputTextDiff }> =>
  vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab): tab is vscode.Tab & { input: vscode.TabInputTextDiff } => tab.input instanceof vscode.TabInputTextDiff);

async function closeTabsOf(uri: vscode.Uri): Promise<void> {
  const tabs = diffTabs().filter((tab) => tab.input.modified.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
