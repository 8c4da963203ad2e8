// The knowledge edits of the view without the prompts: each calls Dify and changes the tree model only once Dify
// agreed, so a refusal (thrown as the client's error) leaves the tree as it was. Plain Node: tested against the server.
import type { Dataset, DocumentSettings, KnowledgeClient, KnowledgeDocument, Segment } from '../dify/index.js';
import type { DatasetNode, DocumentNode, KeyNode, KnowledgeTreeModel, SegmentNode } from './knowledge-tree-model.js';
import type { SegmentRef } from './segment-ref.js';

type Client = Pick<
  KnowledgeClient,
  'createDataset' | 'deleteDataset' | 'createDocumentByText' | 'deleteDocument' | 'createSegments' | 'updateSegment' | 'deleteSegment' | 'getSegment'
>;

/** What an update of a document returns: the document and the batch whose indexing to follow. */
export interface DocumentUpdate {
  document: KnowledgeDocument;
  batch: string;
}

export async function createDataset(model: KnowledgeTreeModel, client: Client, key: KeyNode, name: string, technique: 'high_quality' | 'economy'): Promise<DatasetNode> {
  const dataset: Dataset = await client.createDataset({ name: name.trim(), indexing_technique: technique });
  return model.addDataset(key, dataset);
}

export async function deleteDataset(model: KnowledgeTreeModel, client: Client, node: DatasetNode): Promise<void> {
  await client.deleteDataset(node.dataset.id);
  model.removeDataset(node);
}

/** A new document from text (create-by-text), first in its dataset once Dify created it. */
export async function createDocumentByText(model: KnowledgeTreeModel, client: Client, dataset: DatasetNode, name: string, text: string, settings: DocumentSettings): Promise<DocumentUpdate> {
  const created = await client.createDocumentByText(dataset.dataset.id, { name: name.trim(), text, ...settings });
  model.addDocument(dataset, created.document);
  return created;
}

/** Sends the new content (by text or file); the document's loaded segments are stale then and are fetched again. */
export async function replaceDocument(model: KnowledgeTreeModel, dataset: DatasetNode, send: () => Promise<DocumentUpdate>): Promise<DocumentUpdate> {
  const updated = await send();
  const node = model.updateDocument(dataset, updated.document);
  if (node) await model.refresh(node);
  return updated;
}

export async function deleteDocument(model: KnowledgeTreeModel, client: Client, node: DocumentNode): Promise<void> {
  await client.deleteDocument(node.parent.dataset.id, node.document.id);
  model.removeDocument(node);
}

export async function addSegment(model: KnowledgeTreeModel, client: Client, document: DocumentNode, content: string, answer?: string): Promise<Segment[]> {
  const created = await client.createSegments(document.parent.dataset.id, document.document.id, [{ content, ...(answer ? { answer } : {}) }]);
  model.addSegments(document, created.data);
  return created.data;
}

export async function setSegmentEnabled(model: KnowledgeTreeModel, client: Client, node: SegmentNode, enabled: boolean): Promise<SegmentNode> {
  const { parent, segment } = node;
  const updated = await client.updateSegment(parent.parent.dataset.id, parent.document.id, segment.id, { enabled });
  return model.updateSegment(parent, updated.data);
}

export async function deleteSegment(model: KnowledgeTreeModel, client: Client, node: SegmentNode): Promise<void> {
  const { parent, segment } = node;
  await client.deleteSegment(parent.parent.dataset.id, parent.document.id, segment.id);
  model.removeSegment(node);
}

/** The segment as Dify has it now (what its editor shows when opened); the tree's row of it, if loaded, shows it too. */
export async function reloadSegment(model: KnowledgeTreeModel, client: Client, ref: SegmentRef): Promise<Segment> {
  const { data } = await client.getSegment(ref.datasetId, ref.documentId, ref.segmentId);
  showInTree(model, ref, data);
  return data;
}

/** Saving a segment's editor: an empty text is refused before sending (deleting is a separate, confirmed action). */
export async function saveSegment(model: KnowledgeTreeModel, client: Client, ref: SegmentRef, text: string): Promise<Segment | 'empty'> {
  if (!text.trim()) return 'empty';
  const { data } = await client.updateSegment(ref.datasetId, ref.documentId, ref.segmentId, { content: text });
  showInTree(model, ref, data);
  return data;
}

/** A segment's editor works from its URI alone: its document's row may not be loaded (after a reload, from search). */
function showInTree(model: KnowledgeTreeModel, ref: SegmentRef, segment: Segment): void {
  const document = model.findDocument(ref.profileId, ref.documentId);
  if (document) model.updateSegment(document, segment);
}
