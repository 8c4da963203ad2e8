// The Apps view's workspace node, shown while signed in: "<workspace> · <host>", and under it the workspace's apps a
// page at a time, filtered by mode and name on Dify, each with an Add button unless the user has added it already.
// Nothing is fetched until the node is expanded; signing in or out and switching workspace start the list again.
// The "added" marks follow the user's apps: the Apps view draws every row again when an app is added or removed.
import * as vscode from 'vscode';
import type { AppProfile, ProfileStore } from '../../core/profile-store.js';
import { addedAs, isFiltered, WorkspaceApps, type WorkspaceAppFilter } from '../../core/workspace-apps.js';
import { DifyConsoleSessionError, type ConsoleApp } from '../../dify/index.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import { modeIcon, modeLabel } from '../apps/inputs.js';
import { workspaceMessage } from './console-messages.js';
import { filterModeLabel } from './workspace-filter.js';
import type { WorkspaceSession } from './workspace-session.js';

class WorkspaceNode {
  readonly kind = 'workspace';
}

/** Passed to the Add command of its row. */
export class WorkspaceAppNode {
  readonly kind = 'workspaceApp';
  constructor(readonly app: ConsoleApp) {}
}

class MoreNode {
  readonly kind = 'workspaceMore';
}

class NoticeNode {
  readonly kind = 'workspaceNotice';
  constructor(
    readonly text: string,
    /** What to do about a failure (sign in again, retry); none for a plain notice. */
    readonly action?: vscode.Command,
  ) {}
}

export type WorkspaceTreeNode = WorkspaceNode | WorkspaceAppNode | MoreNode | NoticeNode;

/** The workspace rows of the Apps view (the view draws them after the user's apps). */
export class WorkspaceSection implements vscode.Disposable {
  /** One node for the workspace, whichever it is: the view keeps it expanded across a switch. */
  private readonly node = new WorkspaceNode();
  private readonly apps: WorkspaceApps;
  private readonly changed = new vscode.EventEmitter<WorkspaceTreeNode | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly store: ProfileStore,
  ) {
    this.apps = new WorkspaceApps(() => session.client());
    this.subscription = session.onDidChange(() => {
      this.apps.reset();
      this.changed.fire(undefined);
    });
  }

  /** The workspace node, while signed in. */
  roots(): WorkspaceTreeNode[] {
    return this.session.account ? [this.node] : [];
  }

  get filter(): WorkspaceAppFilter {
    return this.apps.filter;
  }

  /** Lists the apps with `filter` (fetched again when the node is expanded). */
  setFilter(filter: WorkspaceAppFilter): void {
    this.apps.setFilter(filter);
    this.changed.fire(this.node);
  }

  /** The first page again (Retry, Refresh). */
  refresh(): void {
    this.apps.reset();
    this.changed.fire(this.node);
  }

  async loadMore(): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: 'dify.apps' } }, () => this.apps.loadMore());
    this.changed.fire(this.node);
  }

  getTreeItem(node: WorkspaceTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'workspace':
        return this.workspaceItem();
      case 'workspaceApp':
        return this.appItem(node.app);
      case 'workspaceMore': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.id = `dify.workspaceMore:${this.apps.items.length}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'dify.loadMoreWorkspaceApps', title: vscode.l10n.t('Load more…') };
        return item;
      }
      case 'workspaceNotice': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.action ? 'warning' : 'info');
        item.tooltip = node.action ? `${node.text}\n\n${node.action.title}` : node.text;
        item.command = node.action;
        return item;
      }
    }
  }

  async getChildren(node: WorkspaceTreeNode): Promise<WorkspaceTreeNode[]> {
    if (node.kind !== 'workspace') return [];
    if (!this.apps.loaded && !this.apps.error) await this.apps.refresh();
    const children: WorkspaceTreeNode[] = this.apps.items.map((app) => new WorkspaceAppNode(app));
    if (this.apps.error) children.push(this.failure(this.apps.error));
    else if (this.apps.hasMore) children.push(new MoreNode());
    else if (children.length === 0) {
      children.push(new NoticeNode(isFiltered(this.filter) ? vscode.l10n.t('No apps match the filter.') : vscode.l10n.t('No apps in this workspace yet.')));
    }
    return children;
  }

  private workspaceItem(): vscode.TreeItem {
    const account = this.session.account;
    const host = account ? new URL(account.origin).host : '';
    const name = account?.workspace ?? vscode.l10n.t('Dify workspace');
    const item = new vscode.TreeItem(`${name} · ${host}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = 'dify.workspace';
    item.iconPath = new vscode.ThemeIcon('organization');
    const filter = filterText(this.filter);
    item.description = filter;
    const tooltip = new vscode.MarkdownString(`**${escapeMarkdown(name)}** · ${escapeMarkdown(host)}`);
    tooltip.appendMarkdown(`\n\n${escapeMarkdown(vscode.l10n.t('The Dify workspace you are signed in to, as {0}.', account?.email ?? ''))}`);
    if (filter) tooltip.appendMarkdown(`\n\n${escapeMarkdown(vscode.l10n.t('Apps listed: {0}', filter))}`);
    item.tooltip = tooltip;
    item.contextValue = isFiltered(this.filter) ? 'dify.workspace.filtered' : 'dify.workspace';
    return item;
  }

  private appItem(app: ConsoleApp): vscode.TreeItem {
    const added = addedAs(this.store.apps(), this.apps.baseUrl, app);
    const item = new vscode.TreeItem(app.name, vscode.TreeItemCollapsibleState.None);
    item.id = `dify.workspaceApp:${app.id}`;
    item.iconPath = new vscode.ThemeIcon(modeIcon(app.mode));
    item.description = workspaceAppKind(app, added);
    const tooltip = [app.description || app.name];
    if (added) tooltip.push(vscode.l10n.t('In your Dify apps as "{0}".', added.label));
    item.tooltip = tooltip.join('\n\n');
    item.contextValue = added ? 'dify.workspaceApp.added' : 'dify.workspaceApp';
    return item;
  }

  private failure(error: unknown): NoticeNode {
    const text = vscode.l10n.t("Could not list the workspace's apps: {0}", workspaceMessage(error));
    return new NoticeNode(
      text,
      error instanceof DifyConsoleSessionError
        ? { command: 'dify.signIn', title: vscode.l10n.t('Sign In…') }
        : { command: 'dify.refreshWorkspaceApps', title: vscode.l10n.t('Retry') },
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** An app of the workspace's kind, and whether the user has added it already: "Workflow · added". */
export function workspaceAppKind(app: ConsoleApp, added: AppProfile | undefined): string {
  return added ? vscode.l10n.t('{0} · added', modeLabel(app.mode)) : modeLabel(app.mode);
}

/** The active filter in words ('' for none): "Workflow · name contains "sum"". */
function filterText(filter: WorkspaceAppFilter): string {
  return [
    filter.mode === 'all' ? undefined : filterModeLabel(filter.mode),
    filter.name ? vscode.l10n.t('name contains "{0}"', filter.name) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}
