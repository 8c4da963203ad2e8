// Which dataset a command acts on: the tree item it was run on, or the user picks a knowledge key and a dataset.
import * as vscode from 'vscode';
import { DatasetNode, DocumentNode, SegmentNode, type KeyNode, type KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import { knowledgeMessage } from './messages.js';
import { documentCount } from '../../platform/counts.js';

/** The dataset a tree element belongs to (itself, or its document's or segment's). */
export function datasetOf(target: unknown): DatasetNode | undefined {
  if (target instanceof DatasetNode) return target;
  if (target instanceof DocumentNode) return target.parent;
  if (target instanceof SegmentNode) return target.parent.parent;
  return undefined;
}

/** The knowledge key to act on: `preset`, the only one, or the one the user picks; says so when there is none. */
export async function pickKey(model: KnowledgeTreeModel, title: string, preset?: KeyNode): Promise<KeyNode | undefined> {
  if (preset) return preset;
  const keys = model.roots();
  if (keys.length === 0) {
    const add = vscode.l10n.t('Add Knowledge Key…');
    void vscode.window.showInformationMessage(vscode.l10n.t('No Dify knowledge key is configured yet: add one to reach your knowledge bases.'), add).then((answer) => {
      if (answer === add) void vscode.commands.executeCommand('dify.addKnowledgeKey');
    });
    return undefined;
  }
  if (keys.length === 1) return keys[0];
  const picked = await vscode.window.showQuickPick(
    keys.map((k) => ({ label: k.profile.label, description: k.profile.baseUrl, key: k })),
    { title, placeHolder: vscode.l10n.t('Which knowledge key?') },
  );
  return picked?.key;
}

/**
 * The dataset to act on: `preset` (the tree item the command ran on), or the user picks a key (when there are several)
 * and one of its datasets ("Load more…" pages on). One whose API access is off is marked in the list, and refused
 * before any further question.
 */
export async function pickDataset(model: KnowledgeTreeModel, title: string, preset?: DatasetNode): Promise<DatasetNode | undefined> {
  const dataset = preset ?? (await chooseDataset(model, title));
  return dataset && (await apiAccessOn(model, dataset)) ? dataset : undefined;
}

async function chooseDataset(model: KnowledgeTreeModel, title: string): Promise<DatasetNode | undefined> {
  const chosenKey = await pickKey(model, title);
  if (!chosenKey) return undefined;
  const list = model.list(chosenKey);
  // A list that failed before is fetched again: the key may have been fixed since.
  if (list.error) await model.refresh(chosenKey);
  for (;;) {
    const datasets = (await model.children(chosenKey)).filter((n): n is DatasetNode => n instanceof DatasetNode);
    if (list.error) {
      void vscode.window.showErrorMessage(knowledgeMessage(list.error));
      return undefined;
    }
    if (datasets.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has no datasets yet. Create one with "Create Dataset…" in the Knowledge view.', chosenKey.profile.label));
      return undefined;
    }
    const more = { label: `$(more) ${vscode.l10n.t('Load more…')}`, description: vscode.l10n.t('{0} of {1}', datasets.length, list.total) };
    const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { node?: DatasetNode }>(
      [
        ...datasets.map((d) => ({
          label: d.dataset.name,
          description: d.dataset.enable_api === false ? vscode.l10n.t('API access is off — turn it on in Dify') : documentCount(d.dataset.document_count),
          node: d,
        })),
        ...(list.hasMore ? [more] : []),
      ],
      { title, placeHolder: vscode.l10n.t('Which dataset?') },
    );
    if (picked !== more) return picked?.node;
    await model.loadMore(chosenKey);
  }
}

/** Whether the Knowledge API reaches the dataset (Dify is asked again when its list said no); says what to do when not. */
async function apiAccessOn(model: KnowledgeTreeModel, dataset: DatasetNode): Promise<boolean> {
  try {
    if (await model.apiAccessOn(dataset)) return true;
    void vscode.window.showErrorMessage(
      vscode.l10n.t('"{0}" cannot be used: its API access is off in Dify, which refuses every knowledge key for it. Turn on API access in the dataset\'s settings in Dify, then try again.', dataset.dataset.name),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(knowledgeMessage(error));
  }
  return false;
}
