// The knowledge tree without VS Code: knowledge keys, under each its datasets, under each dataset its documents,
// under each completed document its segments. Every level is paged and fetched only when first opened; node objects
// are kept per id so the view can refresh one of them.
import type { Dataset, KnowledgeClient, KnowledgeDocument, Segment } from '../dify/index.js';
import { knowledgeFailure } from './knowledge-errors.js';
import { PagedItems } from './knowledge-pages.js';
import type { KnowledgeProfile } from './profile-store.js';

export class KeyNode {
  readonly kind = 'key';
  constructor(public profile: KnowledgeProfile) {}
  get id(): string {
    return `key:${this.profile.id}`;
  }
}

export class DatasetNode {
  readonly kind = 'dataset';
  constructor(
    readonly key: KeyNode,
    public dataset: Dataset,
  ) {}
  get id(): string {
    return `dataset:${this.key.profile.id}:${this.dataset.id}`;
  }
}

export class DocumentNode {
  readonly kind = 'document';
  constructor(
    readonly parent: DatasetNode,
    public document: KnowledgeDocument,
  ) {}
  get id(): string {
    return `document:${this.parent.key.profile.id}:${this.document.id}`;
  }
}

export class SegmentNode {
  readonly kind = 'segment';
  constructor(
    readonly parent: DocumentNode,
    public segment: Segment,
  ) {}
  get id(): string {
    return `segment:${this.parent.parent.key.profile.id}:${this.segment.id}`;
  }
}

export type ParentNode = KeyNode | DatasetNode | DocumentNode;

/** "Load more" under `parent`. */
export class MoreNode {
  readonly kind = 'more';
  constructor(readonly parent: ParentNode) {}
}

/** A line instead of children: the list is empty, or its last fetch failed (`error`). */
export class NoticeNode {
  readonly kind = 'notice';
  constructor(
    readonly parent: ParentNode,
    readonly error: unknown,
  ) {}
}

export type KnowledgeNode = KeyNode | DatasetNode | DocumentNode | SegmentNode | MoreNode | NoticeNode;

export interface KnowledgeTreeOptions {
  pageSize?: number;
}

export class KnowledgeTreeModel {
  private readonly keyNodes = new Map<string, KeyNode>();
  private readonly lists = new Map<string, PagedItems<{ id: string }>>();
  private readonly nodes = new Map<string, DatasetNode | DocumentNode | SegmentNode>();
  private readonly listeners = new Set<(node: KnowledgeNode | undefined) => void>();

  constructor(
    private readonly profiles: () => KnowledgeProfile[],
    private readonly clientFor: (profile: KnowledgeProfile) => Promise<KnowledgeClient>,
    private readonly options: KnowledgeTreeOptions = {},
  ) {}

  /** The knowledge keys; a key whose URL changed starts over. */
  roots(): KeyNode[] {
    const profiles = this.profiles();
    for (const [id, node] of this.keyNodes) {
      const now = profiles.find((p) => p.id === id);
      if (!now || now.baseUrl !== node.profile.baseUrl) this.dropKey(id);
    }
    return profiles.map((p) => {
      let node = this.keyNodes.get(p.id);
      if (!node) this.keyNodes.set(p.id, (node = new KeyNode(p)));
      node.profile = p;
      return node;
    });
  }

  /** The children of `node`, fetching its first page when it was never loaded (or failed before). */
  async children(node: KnowledgeNode): Promise<KnowledgeNode[]> {
    if (node.kind !== 'key' && node.kind !== 'dataset' && node.kind !== 'document') return [];
    const list = this.listOf(node);
    if (!list.loaded && !list.error) await this.fetch(node, list, 'refresh');
    // A full refresh while this was fetching replaced the list: show the new one (the tree asks again).
    if (this.lists.get(node.id) !== list) return [];
    const children: KnowledgeNode[] = this.childNodes(node, list);
    if (list.error) children.push(new NoticeNode(node, list.error));
    else if (list.hasMore) children.push(new MoreNode(node));
    else if (children.length === 0) children.push(new NoticeNode(node, undefined));
    return children;
  }

  /** Whether the node's list has been fetched (for tests and to skip refreshing what nobody opened). */
  isLoaded(node: ParentNode): boolean {
    return this.lists.get(node.id)?.loaded ?? false;
  }

  list(node: ParentNode): PagedItems<{ id: string }> {
    return this.listOf(node);
  }

  async loadMore(node: ParentNode): Promise<void> {
    await this.fetch(node, this.listOf(node), 'loadMore');
    this.fire(node);
  }

  /** Fetches the first page again when it was loaded; everything below it is forgotten. */
  async refresh(node?: ParentNode): Promise<void> {
    if (!node) {
      this.lists.clear();
      this.nodes.clear();
      this.fire(undefined);
      return;
    }
    this.forgetBelow(node.id);
    const list = this.lists.get(node.id);
    if (list?.loaded || list?.error) await this.fetch(node, list, 'refresh');
    this.fire(node);
  }

  /** Fetches again the datasets of every key whose list failed (after a key or URL changed, it may work now). */
  async retryFailedKeys(): Promise<void> {
    await Promise.all(this.roots().filter((k) => this.lists.get(k.id)?.error !== undefined).map((k) => this.refresh(k)));
  }

  // ------------------------------------------------------------------ local updates after Dify agreed

  /** A document Dify just created (upload, create-by-text): first in its dataset. */
  addDocument(parent: DatasetNode, document: KnowledgeDocument): DocumentNode {
    const list = this.lists.get(parent.id);
    if (list) list.prepend(document);
    parent.dataset = { ...parent.dataset, document_count: parent.dataset.document_count + 1 };
    const node = this.documentNode(parent, document);
    this.fire(parent);
    return node;
  }

  /** New fields for a document (indexing progress, rename, enable): the same node, updated in place. */
  updateDocument(parent: DatasetNode, patch: Partial<KnowledgeDocument> & { id: string }): DocumentNode | undefined {
    const list = this.lists.get(parent.id) as PagedItems<KnowledgeDocument> | undefined;
    const current = (this.nodes.get(`document:${parent.key.profile.id}:${patch.id}`) as DocumentNode | undefined)?.document ?? list?.find(patch.id);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    list?.replace(next);
    const node = this.documentNode(parent, next);
    this.fire(node);
    return node;
  }

  removeDocument(node: DocumentNode): void {
    this.lists.get(node.parent.id)?.forget(node.document.id);
    this.forgetBelow(node.id);
    this.nodes.delete(node.id);
    node.parent.dataset = { ...node.parent.dataset, document_count: Math.max(0, node.parent.dataset.document_count - 1) };
    this.fire(node.parent);
  }

  addDataset(key: KeyNode, dataset: Dataset): DatasetNode {
    this.lists.get(key.id)?.prepend(dataset);
    this.fire(key);
    return this.datasetNode(key, dataset);
  }

  /** The dataset as Dify has it now (its counts after indexing, or its API access turned on since the list came). */
  async reloadDataset(node: DatasetNode): Promise<void> {
    const dataset = await (await this.clientFor(node.key.profile)).getDataset(node.dataset.id);
    (this.lists.get(node.key.id) as PagedItems<Dataset> | undefined)?.replace(dataset);
    node.dataset = dataset;
    this.fire(node);
  }

  /**
   * Whether the Knowledge API reaches the dataset. When Dify's list said its API access is off, Dify is asked again
   * (it may have been turned on since): still off is false, anything else that fails is thrown.
   */
  async apiAccessOn(node: DatasetNode): Promise<boolean> {
    if (node.dataset.enable_api !== false) return true;
    try {
      await this.reloadDataset(node);
    } catch (error) {
      if (knowledgeFailure(error) === 'api_disabled') return false;
      throw error;
    }
    return node.dataset.enable_api !== false;
  }

  removeDataset(node: DatasetNode): void {
    this.lists.get(node.key.id)?.forget(node.dataset.id);
    this.forgetBelow(node.id);
    this.nodes.delete(node.id);
    this.fire(node.key);
  }

  updateSegment(parent: DocumentNode, segment: Segment): SegmentNode {
    (this.lists.get(parent.id) as PagedItems<Segment> | undefined)?.replace(segment);
    const node = this.segmentNode(parent, segment);
    this.fire(node);
    return node;
  }

  addSegments(parent: DocumentNode, segments: Segment[]): void {
    const list = this.lists.get(parent.id);
    for (const s of segments) list?.append(s);
    this.fire(parent);
  }

  removeSegment(node: SegmentNode): void {
    this.lists.get(node.parent.id)?.forget(node.segment.id);
    this.nodes.delete(node.id);
    this.fire(node.parent);
  }

  findDocument(profileId: string, documentId: string): DocumentNode | undefined {
    return this.nodes.get(`document:${profileId}:${documentId}`) as DocumentNode | undefined;
  }

  onDidChange(listener: (node: KnowledgeNode | undefined) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  // ------------------------------------------------------------------ internals

  private async fetch(node: ParentNode, list: PagedItems<{ id: string }>, how: 'refresh' | 'loadMore'): Promise<void> {
    await list[how]();
    // A dataset deleted in Dify meanwhile: it leaves its key's list instead of showing an error forever.
    if (node.kind === 'dataset' && list.error && knowledgeFailure(list.error) === 'dataset_gone') {
      this.lists.get(node.key.id)?.forget(node.dataset.id);
      this.fire(node.key);
    }
  }

  private listOf(node: ParentNode): PagedItems<{ id: string }> {
    let list = this.lists.get(node.id);
    if (list) return list;
    const size = this.options.pageSize ?? 20;
    switch (node.kind) {
      case 'key': {
        const profile = node.profile;
        list = new PagedItems<Dataset>(async (page, limit) => (await this.clientFor(profile)).listDatasets({ page, limit }), size);
        break;
      }
      case 'dataset': {
        const { key, dataset } = node;
        list = new PagedItems<KnowledgeDocument>(async (page, limit) => (await this.clientFor(key.profile)).listDocuments(dataset.id, { page, limit }), size);
        break;
      }
      case 'document': {
        const { parent, document } = node;
        list = new PagedItems<Segment>(
          async (page, limit) => (await this.clientFor(parent.key.profile)).listSegments(parent.dataset.id, document.id, { page, limit }),
          size,
        );
        break;
      }
    }
    this.lists.set(node.id, list);
    return list;
  }

  private childNodes(node: ParentNode, list: PagedItems<{ id: string }>): KnowledgeNode[] {
    const items = list.items;
    switch (node.kind) {
      case 'key':
        return (items as Dataset[]).map((d) => this.datasetNode(node, d));
      case 'dataset':
        return (items as KnowledgeDocument[]).map((d) => this.documentNode(node, d));
      case 'document':
        return (items as Segment[]).map((s) => this.segmentNode(node, s));
    }
  }

  private datasetNode(key: KeyNode, dataset: Dataset): DatasetNode {
    const id = `dataset:${key.profile.id}:${dataset.id}`;
    const node = (this.nodes.get(id) as DatasetNode | undefined) ?? new DatasetNode(key, dataset);
    node.dataset = dataset;
    this.nodes.set(id, node);
    return node;
  }

  private documentNode(parent: DatasetNode, document: KnowledgeDocument): DocumentNode {
    const id = `document:${parent.key.profile.id}:${document.id}`;
    const node = (this.nodes.get(id) as DocumentNode | undefined) ?? new DocumentNode(parent, document);
    node.document = document;
    this.nodes.set(id, node);
    return node;
  }

  private segmentNode(parent: DocumentNode, segment: Segment): SegmentNode {
    const id = `segment:${parent.parent.key.profile.id}:${segment.id}`;
    const node = (this.nodes.get(id) as SegmentNode | undefined) ?? new SegmentNode(parent, segment);
    node.segment = segment;
    this.nodes.set(id, node);
    return node;
  }

  /** Forgets the lists and nodes under `id` (a refreshed or removed parent). */
  private forgetBelow(id: string): void {
    const childIds = (this.lists.get(id)?.items ?? []).map((i) => i.id);
    const [kind, profileId] = id.split(':');
    const childKind = kind === 'key' ? 'dataset' : kind === 'dataset' ? 'document' : kind === 'document' ? 'segment' : undefined;
    if (!childKind) return;
    for (const childId of childIds) {
      const nodeId = `${childKind}:${profileId}:${childId}`;
      this.forgetBelow(nodeId);
      this.lists.delete(nodeId);
      this.nodes.delete(nodeId);
    }
  }

  private dropKey(profileId: string): void {
    this.forgetBelow(`key:${profileId}`);
    this.lists.delete(`key:${profileId}`);
    this.keyNodes.delete(profileId);
  }

  private fire(node: KnowledgeNode | undefined): void {
    for (const listener of this.listeners) listener(node);
  }
}
