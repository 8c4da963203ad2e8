// The Conversations view: every chat app, and under it its conversations, newest first, a page at a time.
// Nothing is fetched until the user expands an app; "Load more" fetches the next page; an answer in the chat fetches
// the first page again and keeps the pages loaded after it.
import * as vscode from 'vscode';
import { ConversationList } from '../../core/conversation-list.js';
import { isChatApp, touches, type AppProfile, type ProfileChange, type ProfileStore } from '../../core/profile-store.js';
import type { Conversation } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';
import { errorMessage } from '../apps/messages.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';

export class ChatAppNode {
  readonly kind = 'app';
  /** Replaced when the app is renamed or moved: the node stays (the tree keeps it expanded with its pages). */
  constructor(public profile: AppProfile) {}
}

export class ConversationNode {
  readonly kind = 'conversation';
  constructor(
    readonly profile: AppProfile,
    readonly conversation: Conversation,
  ) {}
}

class LoadMoreNode {
  readonly kind = 'more';
  constructor(readonly profile: AppProfile) {}
}

class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly profile: AppProfile,
    readonly text: string,
    readonly isError: boolean,
  ) {}
}

export type ConversationTreeNode = ChatAppNode | ConversationNode | LoadMoreNode | MessageNode;

export class ConversationsTree implements vscode.TreeDataProvider<ConversationTreeNode>, vscode.Disposable {
  private readonly lists = new Map<string, ConversationList>();
  private readonly appNodes = new Map<string, ChatAppNode>();
  private readonly changed = new vscode.EventEmitter<ConversationTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  /** The conversation the chat shows: marked in the list. */
  private shown: { appId: string; conversationId: string } | undefined;

  constructor(
    private readonly store: ProfileStore,
    private readonly connections: DifyConnections,
  ) {
    this.subscription = store.onDidChange((change) => change.kind === 'app' && this.appChanged(change));
  }

  /**
   * Only what the view shows or fetches with redraws it, and only the app concerned unless the apps listed change:
   * the other apps stay expanded with their pages, and a recorded connection check changes nothing here.
   */
  private appChanged(change: ProfileChange): void {
    const profile = this.store.get(change.id);
    const node = this.appNodes.get(change.id);
    // Fetched from another server, or failed with the key just replaced: fetched again when shown.
    const stale = touches(change, 'baseUrl') || (change.what === 'key' && this.lists.get(change.id)?.error !== undefined);
    if (stale) this.lists.delete(change.id);
    if (!profile || profile.kind !== 'app') this.appNodes.delete(change.id);
    else if (node) node.profile = profile;
    if (change.what === 'added' || change.what === 'removed' || touches(change, 'mode')) this.changed.fire(undefined);
    else if (node && (stale || touches(change, 'label'))) this.changed.fire(node);
  }

  getTreeItem(node: ConversationTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'app': {
        const item = new vscode.TreeItem(node.profile.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `app:${node.profile.id}`;
        item.description = modeLabel(node.profile.mode);
        item.iconPath = new vscode.ThemeIcon('comment-discussion');
        item.contextValue = 'chatApp';
        return item;
      }
      case 'conversation': {
        const { conversation } = node;
        const item = new vscode.TreeItem(conversation.name || vscode.l10n.t('(untitled)'), vscode.TreeItemCollapsibleState.None);
        item.id = `conversation:${node.profile.id}:${conversation.id}`;
        item.description = relativeTime(conversation.updated_at);
        item.tooltip = new vscode.MarkdownString(
          [
            `**${escapeMarkdown(conversation.name)}**`,
            vscode.l10n.t('Updated {0}', new Date(conversation.updated_at * 1000).toLocaleString(vscode.env.language)),
            vscode.l10n.t('Started {0}', new Date(conversation.created_at * 1000).toLocaleString(vscode.env.language)),
            `\`${conversation.id}\``,
          ].join('\n\n'),
        );
        const open = this.shown?.appId === node.profile.id && this.shown.conversationId === conversation.id;
        if (open) item.description = vscode.l10n.t('open in chat · {0}', item.description);
        item.iconPath = open ? new vscode.ThemeIcon('comment-discussion', new vscode.ThemeColor('focusBorder')) : new vscode.ThemeIcon('comment');
        item.contextValue = 'conversation';
        item.command = { command: 'dify.openConversation', title: vscode.l10n.t('Open in Chat'), arguments: [node] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.profile.id}:${this.lists.get(node.profile.id)?.items.length ?? 0}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'dify.loadMoreConversations', title: vscode.l10n.t('Load more…'), arguments: [node.profile.id] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.isError ? 'warning' : 'info');
        item.tooltip = node.text;
        if (node.isError) item.command = { command: 'dify.refreshConversations', title: vscode.l10n.t('Retry'), arguments: [this.appNode(node.profile)] };
        return item;
      }
    }
  }

  /** The chat shows another conversation (or none): the apps concerned are drawn again with the mark moved. */
  setShown(shown: { appId: string; conversationId: string } | undefined): void {
    const apps = new Set([this.shown?.appId, shown?.appId]);
    this.shown = shown;
    for (const appId of apps) {
      const profile = appId ? this.store.get(appId) : undefined;
      if (profile && isChatApp(profile)) this.changed.fire(this.appNode(profile));
    }
  }

  async getChildren(node?: ConversationTreeNode): Promise<ConversationTreeNode[]> {
    if (!node) return this.store.apps().filter(isChatApp).map((p) => this.appNode(p));
    if (node.kind !== 'app') return [];
    const list = this.list(node.profile);
    if (!list.loaded && !list.error) await list.refresh();
    const children: ConversationTreeNode[] = list.items.map((c) => new ConversationNode(node.profile, c));
    if (list.error) children.push(new MessageNode(node.profile, vscode.l10n.t('Could not load conversations: {0}', errorMessage(list.error)), true));
    else if (list.hasMore) children.push(new LoadMoreNode(node.profile));
    else if (children.length === 0) children.push(new MessageNode(node.profile, vscode.l10n.t('No conversations yet.'), false));
    return children;
  }

  getParent(node: ConversationTreeNode): ConversationTreeNode | undefined {
    return node.kind === 'app' ? undefined : this.appNode(node.profile);
  }

  list(profile: AppProfile): ConversationList {
    let list = this.lists.get(profile.id);
    if (!list) {
      list = new ConversationList(() => this.connections.appClient(profile));
      this.lists.set(profile.id, list);
    }
    return list;
  }

  async loadMore(appId: string): Promise<void> {
    const profile = this.store.apps().find((p) => p.id === appId);
    if (!profile) return;
    await this.list(profile).loadMore();
    this.changed.fire(this.appNode(profile));
  }

  /**
   * The chat used a conversation of the app (an answer, a rename): its first page is fetched again (only when it was
   * loaded) and only its rows are drawn again; the pages loaded after the first stay, and so does every expansion.
   */
  async conversationUsed(appId: string): Promise<void> {
    const list = this.lists.get(appId);
    const node = this.appNodes.get(appId);
    if (!list || !node) return;
    await list.refreshTop();
    this.changed.fire(node);
  }

  /** Fetches the app's first page again (only when it was loaded: a collapsed app costs nothing). */
  async refresh(appId?: string): Promise<void> {
    if (!appId) {
      for (const list of this.lists.values()) list.loaded = false;
      this.changed.fire(undefined);
      return;
    }
    const profile = this.store.apps().find((p) => p.id === appId);
    const list = this.lists.get(appId);
    if (!profile || !list) return;
    await list.refresh();
    this.changed.fire(this.appNode(profile));
  }

  /** A conversation is gone (deleted here, or Dify said 404): drop its item. */
  forget(appId: string, conversationId: string): void {
    const profile = this.store.apps().find((p) => p.id === appId);
    this.lists.get(appId)?.forget(conversationId);
    if (profile) this.changed.fire(this.appNode(profile));
  }

  changedApp(profile: AppProfile): void {
    this.changed.fire(this.appNode(profile));
  }

  private appNode(profile: AppProfile): ChatAppNode {
    // One node object per app: the tree view refreshes an element by identity.
    let node = this.appNodes.get(profile.id);
    if (!node) {
      node = new ChatAppNode(profile);
      this.appNodes.set(profile.id, node);
    }
    return node;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function relativeTime(seconds: number): string {
  const diff = seconds - Date.now() / 1000;
  const format = new Intl.RelativeTimeFormat(vscode.env.language, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of steps) if (Math.abs(diff) >= size) return format.format(Math.round(diff / size), unit);
  return format.format(0, 'minute');
}

