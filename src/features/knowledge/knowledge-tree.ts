// The Knowledge view: each knowledge key (the same item, menus and commands as before), its datasets, documents and
// segments from the model. Key rows are ProfileItems so the key commands (test, set key, edit, remove) work on them.
import * as vscode from 'vscode';
import { KeyNode, type KnowledgeNode, type KnowledgeTreeModel, type ParentNode } from '../../core/knowledge-tree-model.js';
import type { ProfileStore } from '../../core/profile-store.js';
import { ProfileItem } from '../apps/apps-tree.js';
import { datasetItem, documentItem, moreItem, noticeItem, segmentItem } from './tree-items.js';

/** A key row: the Knowledge Keys item, made expandable. */
export class KeyItem extends ProfileItem {
  readonly kind = 'keyItem';
  constructor(
    readonly node: KeyNode,
    hasKey: boolean,
  ) {
    super(node.profile, false, hasKey);
    this.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    this.command = undefined;
  }
}

export type KnowledgeElement = KeyItem | Exclude<KnowledgeNode, KeyNode>;

/** The model node behind a tree element or a command argument. */
export function nodeOf(element: KnowledgeElement | KnowledgeNode): KnowledgeNode {
  return element instanceof KeyItem ? element.node : element;
}

export class KnowledgeTree implements vscode.TreeDataProvider<KnowledgeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<KnowledgeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly keyItems = new Map<string, KeyItem>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    readonly model: KnowledgeTreeModel,
    private readonly store: ProfileStore,
  ) {
    this.subscriptions = [
      store.onDidChange((change) => {
        if (change.kind !== 'knowledge') return;
        this.keyItems.clear();
        this.changed.fire(undefined);
        void model.retryFailedKeys();
      }),
      model.onDidChange((node) => this.changed.fire(node ? this.element(node) : undefined)),
    ];
  }

  getTreeItem(element: KnowledgeElement): vscode.TreeItem {
    switch (element.kind) {
      case 'dataset':
        return datasetItem(element);
      case 'document':
        return documentItem(element);
      case 'segment':
        return segmentItem(element);
      case 'more':
        return moreItem(element, this.model.list(element.parent).items.length);
      case 'notice':
        return noticeItem(element);
      case 'keyItem':
        return element;
    }
  }

  async getChildren(element?: KnowledgeElement): Promise<KnowledgeElement[]> {
    if (!element) {
      const roots = this.model.roots();
      const items = await Promise.all(roots.map(async (node) => new KeyItem(node, await this.store.hasKey(node.profile.id))));
      this.keyItems.clear();
      for (const item of items) this.keyItems.set(item.node.profile.id, item);
      return items;
    }
    const children = await this.model.children(nodeOf(element));
    return children.map((c) => this.element(c));
  }

  getParent(element: KnowledgeElement): KnowledgeElement | undefined {
    switch (element.kind) {
      case 'dataset':
        return this.element(element.key);
      case 'document':
        return element.parent;
      case 'segment':
        return element.parent;
      case 'more':
      case 'notice':
        return this.element(element.parent);
      case 'keyItem':
        return undefined;
    }
  }

  /** The tree element for a model node (key nodes are shown as their KeyItem). */
  element(node: KnowledgeNode): KnowledgeElement {
    if (!(node instanceof KeyNode)) return node;
    return this.keyItems.get(node.profile.id) ?? new KeyItem(node, true);
  }

  refresh(node?: ParentNode): Promise<void> {
    return this.model.refresh(node);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
