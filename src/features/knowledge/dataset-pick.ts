// Which dataset a command acts on: the tree item it was run on, or the user picks a knowledge key and a dataset.
import * as vscode from 'vscode';
import { DatasetNode, DocumentNode, SegmentNode, type KnowledgeNode, type KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import { KeyNode } from '../../core/knowledge-tree-model.js';
import { KeyItem, nodeOf, type KnowledgeElement } from './knowledge-tree.js';
import { knowledgeMessage } from './messages.js';

/** The dataset a tree element belongs to (itself, or its document's or segment's). */
export function datasetOf(target: unknown): DatasetNode | undefined {
  if (!(target instanceof KeyItem) && !isNode(target)) return undefined;
  const node = nodeOf(target as KnowledgeElement);
  if (node instanceof DatasetNode) return node;
  if (node instanceof DocumentNode) return node.parent;
  if (node instanceof SegmentNode) return node.parent.parent;
  return undefined;
}

function isNode(value: unknown): value is KnowledgeNode {
  return value instanceof DatasetNode || value instanceof DocumentNode || value instanceof SegmentNode || value instanceof KeyNode;
}

/** Asks for a key (when there are several) and then a dataset of its first page. */
export async function pickDataset(model: KnowledgeTreeModel, title: string, key?: KeyNode): Promise<DatasetNode | undefined> {
  const keys = key ? [key] : model.roots();
  if (keys.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Dify knowledge key is configured yet. Run "Dify: Add Knowledge Key…" first.'));
    return undefined;
  }
  let chosenKey = keys[0]!;
  if (keys.length > 1) {
    const picked = await vscode.window.showQuickPick(
      keys.map((k) => ({ label: k.profile.label, description: k.profile.baseUrl, key: k })),
      { title, placeHolder: vscode.l10n.t('Which knowledge key?') },
    );
    if (!picked) return undefined;
    chosenKey = picked.key;
  }
  const list = model.list(chosenKey);
  if (!list.loaded) await model.children(chosenKey);
  if (list.error) {
    void vscode.window.showErrorMessage(knowledgeMessage(list.error));
    return undefined;
  }
  const datasets = (await model.children(chosenKey)).filter((n): n is DatasetNode => n instanceof DatasetNode);
  if (datasets.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has no datasets yet. Create one with "Create Dataset…" in the Knowledge view.', chosenKey.profile.label));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    datasets.map((d) => ({ label: d.dataset.name, description: vscode.l10n.t('{0} documents', d.dataset.document_count), node: d })),
    { title, placeHolder: vscode.l10n.t('Which dataset?') },
  );
  return picked?.node;
}
