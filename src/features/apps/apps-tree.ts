// The Apps view, and the rows of apps and knowledge keys (the Knowledge view reuses them for its keys): mode, URL, state.
import * as vscode from 'vscode';
import { isChatApp, type Profile, type ProfileStore } from '../../core/profile-store.js';
import { modeLabel } from './inputs.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';

const MODE_ICONS: Record<string, string> = {
  chat: 'comment-discussion',
  'agent-chat': 'robot',
  agent: 'robot',
  'advanced-chat': 'type-hierarchy-sub',
  completion: 'symbol-text',
  workflow: 'run-all',
};

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
      : new vscode.ThemeIcon(profile.kind === 'app' ? (MODE_ICONS[profile.mode] ?? 'symbol-misc') : 'library');
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

/** The Apps view (knowledge keys are the top rows of the Knowledge view). */
export class AppsTree implements vscode.TreeDataProvider<ProfileItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: ProfileStore) {
    store.onDidChange((change) => change.kind === 'app' && this.changed.fire());
  }

  getTreeItem(item: ProfileItem): ProfileItem {
    return item;
  }

  async getChildren(): Promise<ProfileItem[]> {
    const defaultId = this.store.defaultChatApp()?.id;
    const profiles = this.store.apps();
    return Promise.all(profiles.map(async (p) => new ProfileItem(p, p.id === defaultId, await this.store.hasKey(p.id))));
  }
}
