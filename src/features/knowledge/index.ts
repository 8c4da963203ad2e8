// The Knowledge feature: the `dify.knowledge` view (keys → datasets → documents → segments), uploads by menu and
// drop, segment editing, search, and the commands on its items. Nothing is fetched before a node is expanded.
import * as vscode from 'vscode';
import { ProcessRuleMemory } from '../../core/knowledge-process-rule.js';
import { DatasetNode, KnowledgeTreeModel, MoreNode, SegmentNode, type ParentNode } from '../../core/knowledge-tree-model.js';
import type { ProfileStore } from '../../core/profile-store.js';
import { placeOf } from '../../core/segment-ref.js';
import type { DifyConnections } from '../apps/connections.js';
import { KnowledgeDrop } from './drop.js';
import { KnowledgeEdits } from './edit-commands.js';
import { KnowledgeTree, nodeOf, type KnowledgeElement } from './knowledge-tree.js';
import { KnowledgeSearch } from './search.js';
import { SegmentFiles } from './segment-files.js';
import { KnowledgeUploads } from './uploads.js';

const KNOWLEDGE_VIEW_ID = 'dify.knowledge';

export interface KnowledgeDeps {
  store: ProfileStore;
  connections: DifyConnections;
}

export function registerKnowledge(context: vscode.ExtensionContext, deps: KnowledgeDeps): vscode.Disposable[] {
  const model = new KnowledgeTreeModel(
    () => deps.store.knowledge(),
    (profile) => deps.connections.knowledgeClient(profile),
  );
  const tree = new KnowledgeTree(model, deps.store);
  const uploads = new KnowledgeUploads(model, deps.connections, new ProcessRuleMemory(context.globalState));
  const segments = new SegmentFiles(model, deps.connections, () => deps.store.knowledge());
  const search = new KnowledgeSearch(model, deps.connections, segments);
  const edits = new KnowledgeEdits(model, uploads);
  const view = vscode.window.createTreeView<KnowledgeElement>(KNOWLEDGE_VIEW_ID, {
    treeDataProvider: tree,
    dragAndDropController: new KnowledgeDrop(uploads),
    showCollapseAll: true,
    canSelectMany: false,
  });
  const on = (command: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(command, run);
  const parentOf = (target: unknown): ParentNode | undefined => {
    if (!target || typeof target !== 'object' || !('kind' in target)) return undefined;
    const node = nodeOf(target as KnowledgeElement);
    return node.kind === 'key' || node.kind === 'dataset' || node.kind === 'document' ? node : undefined;
  };

  return [
    tree,
    segments,
    view,
    on('dify.knowledge.refresh', (target) => tree.refresh(parentOf(target))),
    on('dify.knowledge.loadMore', (target) => (target instanceof MoreNode ? model.loadMore(target.parent) : undefined)),
    // Explorer passes (clicked uri, all selected uris); a dataset item passes itself.
    on('dify.knowledge.upload', async (first, selected) => {
      if (first instanceof vscode.Uri) return uploads.upload(Array.isArray(selected) && selected.length > 0 ? (selected as vscode.Uri[]) : [first]);
      const picked = await vscode.window.showOpenDialog({ canSelectMany: true, title: vscode.l10n.t('Upload to Dify Knowledge') });
      const dataset = parentOf(first);
      if (picked?.length) await uploads.upload(picked, dataset instanceof DatasetNode ? dataset : undefined);
    }),
    on('dify.knowledge.createFromSelection', () => edits.createFromEditor()),
    on('dify.knowledge.search', (target) => search.run(target)),
    on('dify.knowledge.createDataset', (target) => edits.createDataset(target)),
    on('dify.knowledge.deleteDataset', (target) => edits.deleteDataset(target)),
    on('dify.knowledge.updateDocumentFromFile', (target) => edits.updateDocumentFromFile(target)),
    on('dify.knowledge.updateDocumentFromEditor', (target) => edits.updateDocumentFromEditor(target)),
    on('dify.knowledge.deleteDocument', (target) => edits.deleteDocument(target)),
    on('dify.knowledge.openSegment', (target) => (target instanceof SegmentNode ? segments.open(placeOf(target)) : undefined)),
    on('dify.knowledge.addSegment', (target) => edits.addSegment(target)),
    on('dify.knowledge.enableSegment', (target) => edits.setSegmentEnabled(target, true)),
    on('dify.knowledge.disableSegment', (target) => edits.setSegmentEnabled(target, false)),
    on('dify.knowledge.deleteSegment', (target) => edits.deleteSegment(target)),
  ];
}
