// The Apps view, and the rows of apps and knowledge keys (the Knowledge view reuses them for its keys): mode, URL, state.
// The signed-in workspace's rows come from console/workspace-tree.ts.
import * as vscode from 'vscode';
import { isChatApp, type Profile, type ProfileStore } from '../../core/profile-store.js';
import { modeIcon, modeLabel } from './inputs.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import type { WorkspaceSection, WorkspaceTreeNode } from '../console/workspace-tree.js';

type AppsTreeNode = ProfileItem | WorkspaceTreeNode;

/** Passed to commands invoked from an item's context menu. */
export class ProfileItem extends vscode.TreeItem {
  constructor(
    readonly profile: Profile,
    isDefault: boolean,
    hasKey: boolean,
  ) {
    super(profile.label, vscode.TreeItemCollapsibleState.None);
    this.id = profile.id;
    const problem = !hasKey ? vscode.l10n.t('no key') : profile.lastCheck?.problem ? vscode.l10n.t('check failed') : undefined;
    const kind = profile.kind === 'app' ? modeLabel(profile.mode) : vscode.l10n.t('Knowledge');
    this.description = [kind, isDefault ? vscode.l10n.t('default') : undefined, problem].filter(Boolean).join(' · ');
    this.iconPath = problem
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(profile.kind === 'app' ? modeIcon(profile.mode) : 'library');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escapeMarkdown(profile.label)}**`);
    if (profile.kind === 'app' && profile.appName !== profile.label) tooltip.appendMarkdown(` — ${escapeMarkdown(profile.appName)}`);
    tooltip.appendMarkdown(`\n\n${escapeMarkdown(kind)} · \`${profile.baseUrl}\``);
    if (profile.kind === 'app' && profile.description) tooltip.appendMarkdown(`\n\n${escapeMarkdown(profile.description)}`);
    if (problem) tooltip.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(problem)}`);
    tooltip.supportThemeIcons = true;
    this.tooltip = tooltip;
    this.contextValue = profile.kind === 'app' ? `dify.app${isChatApp(profile) ? '.chat' : ''}` : 'dify.knowledge';
  }
}

/**
 * The Apps view: the user's apps, then the signed-in workspace with its apps (knowledge keys are the top rows of the
 * Knowledge view).
 */
export class AppsTree implements vscode.TreeDataProvider<AppsTreeNode> {
  private readonly changed = new vscode.EventEmitter<AppsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly store: ProfileStore,
    private readonly workspace: WorkspaceSection,
  ) {
    // Every row again: the workspace's rows say which of its apps are added.
    store.onDidChange((change) => change.kind === 'app' && this.changed.fire(undefined));
    workspace.onDidChange((node) => this.changed.fire(node));
  }

  getTreeItem(node: AppsTreeNode): vscode.TreeItem {
    return node instanceof ProfileItem ? node : this.workspace.getTreeItem(node);
  }

  async getChildren(node?: AppsTreeNode): Promise<AppsTreeNode[]> {
    if (node) return node instanceof ProfileItem ? [] : this.workspace.getChildren(node);
    const defaultId = this.store.defaultChatApp()?.id;
    const profiles = this.store.apps();
    const items = await Promise.all(profiles.map(async (p) => new ProfileItem(p, p.id === defaultId, await this.store.hasKey(p.id))));
    return [...items, ...this.workspace.roots()];
  }
}
