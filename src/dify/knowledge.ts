// The Knowledge API (dataset key): datasets, documents, segments, child chunks, retrieval, metadata, tags
// (CONTRACT.md §3.13). One method per endpoint.
import { DifyHttp, enc, type CallOptions, type DifyClientOptions } from './http.js';
import { filePart, type FileSource } from './upload.js';
import type {
  ChildChunk,
  CreateDatasetRequest,
  CreateDocumentByTextRequest,
  Dataset,
  DocumentListQuery,
  DocumentMetadataOperation,
  DocumentResponse,
  DocumentSettings,
  DocumentStatusAction,
  IndexingStatusItem,
  KnowledgeDocument,
  KnowledgeTag,
  MetadataField,
  NewSegment,
  PagedList,
  PageQuery,
  RetrieveRequest,
  RetrieveResponse,
  Segment,
  SegmentListQuery,
  SegmentUpdate,
  UpdateDatasetRequest,
  UpdateDocumentByTextRequest,
} from './knowledge-types.js';
import type { ResultSuccess } from './types.js';

export type KnowledgeClientOptions = DifyClientOptions;

export class KnowledgeClient {
  readonly http: DifyHttp;

  constructor(options: KnowledgeClientOptions) {
    this.http = new DifyHttp(options);
  }

  // ------------------------------------------------------------------------------------------ datasets

  /** `tag_ids` is not offered: Dify 1.13.2 answers 400 whenever it is sent (CONTRACT.md §3.13). */
  listDatasets(query: PageQuery & { keyword?: string; include_all?: boolean } = {}, options?: CallOptions): Promise<PagedList<Dataset>> {
    return this.http.json('GET', '/datasets', { ...options, query: { ...query } });
  }

  createDataset(request: CreateDatasetRequest, options?: CallOptions): Promise<Dataset> {
    return this.http.json('POST', '/datasets', { ...options, json: request });
  }

  getDataset(datasetId: string, options?: CallOptions): Promise<Dataset> {
    return this.http.json('GET', `/datasets/${enc(datasetId)}`, options);
  }

  updateDataset(datasetId: string, request: UpdateDatasetRequest, options?: CallOptions): Promise<Dataset> {
    return this.http.json('PATCH', `/datasets/${enc(datasetId)}`, { ...options, json: request });
  }

  async deleteDataset(datasetId: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', `/datasets/${enc(datasetId)}`, options);
  }

  // ------------------------------------------------------------------------------------------ documents

  createDocumentByText(datasetId: string, request: CreateDocumentByTextRequest, options?: CallOptions): Promise<DocumentResponse> {
    return this.http.json('POST', `/datasets/${enc(datasetId)}/document/create-by-text`, { ...options, json: request });
  }

  /** The file is streamed from disk; the settings travel as the `data` JSON string part. */
  async createDocumentByFile(
    datasetId: string,
    file: FileSource,
    settings: DocumentSettings = {},
    options?: CallOptions,
  ): Promise<DocumentResponse> {
    const form = await filePart(file);
    form.append('data', JSON.stringify(settings));
    return this.http.json('POST', `/datasets/${enc(datasetId)}/document/create-by-file`, {
      ...options,
      form,
      timeoutMs: options?.timeoutMs ?? this.http.timeouts.generationMs,
    });
  }

  updateDocumentByText(
    datasetId: string,
    documentId: string,
    request: UpdateDocumentByTextRequest,
    options?: CallOptions,
  ): Promise<DocumentResponse> {
    return this.http.json('POST', `/datasets/${enc(datasetId)}/documents/${enc(documentId)}/update-by-text`, {
      ...options,
      json: request,
    });
  }

  async updateDocumentByFile(
    datasetId: string,
    documentId: string,
    file: FileSource,
    settings: Omit<DocumentSettings, 'indexing_technique'> & { name?: string } = {},
    options?: CallOptions,
  ): Promise<DocumentResponse> {
    const form = await filePart(file);
    form.append('data', JSON.stringify(settings));
    return this.http.json('POST', `/datasets/${enc(datasetId)}/documents/${enc(documentId)}/update-by-file`, {
      ...options,
      form,
      timeoutMs: options?.timeoutMs ?? this.http.timeouts.generationMs,
    });
  }

  listDocuments(datasetId: string, query: DocumentListQuery = {}, options?: CallOptions): Promise<PagedList<KnowledgeDocument>> {
    return this.http.json('GET', `/datasets/${enc(datasetId)}/documents`, { ...options, query: { ...query } });
  }

  getDocument(
    datasetId: string,
    documentId: string,
    query: { metadata?: 'all' | 'only' | 'without' } = {},
    options?: CallOptions,
  ): Promise<KnowledgeDocument & Record<string, unknown>> {
    return this.http.json('GET', `/datasets/${enc(datasetId)}/documents/${enc(documentId)}`, { ...options, query });
  }

  async deleteDocument(datasetId: string, documentId: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', `/datasets/${enc(datasetId)}/documents/${enc(documentId)}`, options);
  }

  updateDocumentStatus(
    datasetId: string,
    action: DocumentStatusAction,
    documentIds: string[],
    options?: CallOptions,
  ): Promise<ResultSuccess> {
    return this.http.json('PATCH', `/datasets/${enc(datasetId)}/documents/status/${enc(action)}`, {
      ...options,
      json: { document_ids: documentIds },
    });
  }

  async getIndexingStatus(datasetId: string, batch: string, options?: CallOptions): Promise<IndexingStatusItem[]> {
    const result = await this.http.json<{ data: IndexingStatusItem[] }>(
      'GET',
      `/datasets/${enc(datasetId)}/documents/${enc(batch)}/indexing-status`,
      options,
    );
    return result.data;
  }

  getDocumentDownloadUrl(datasetId: string, documentId: string, options?: CallOptions): Promise<{ url: string }> {
    return this.http.json('GET', `/datasets/${enc(datasetId)}/documents/${enc(documentId)}/download`, options);
  }

  // ------------------------------------------------------------------------------------------ segments

  listSegments(
    datasetId: string,
    documentId: string,
    query: SegmentListQuery = {},
    options?: CallOptions,
  ): Promise<PagedList<Segment> & { doc_form: string }> {
    return this.http.json('GET', `${documentPath(datasetId, documentId)}/segments`, { ...options, query: { ...query } });
  }

  getSegment(datasetId: string, documentId: string, segmentId: string, options?: CallOptions): Promise<{ data: Segment; doc_form: string }> {
    return this.http.json('GET', `${documentPath(datasetId, documentId)}/segments/${enc(segmentId)}`, options);
  }

  createSegments(
    datasetId: string,
    documentId: string,
    segments: NewSegment[],
    options?: CallOptions,
  ): Promise<{ data: Segment[]; doc_form: string }> {
    return this.http.json('POST', `${documentPath(datasetId, documentId)}/segments`, { ...options, json: { segments } });
  }

  /** Dify updates segments with POST, not PATCH. */
  updateSegment(
    datasetId: string,
    documentId: string,
    segmentId: string,
    segment: SegmentUpdate,
    options?: CallOptions,
  ): Promise<{ data: Segment; doc_form: string }> {
    return this.http.json('POST', `${documentPath(datasetId, documentId)}/segments/${enc(segmentId)}`, {
      ...options,
      json: { segment },
    });
  }

  async deleteSegment(datasetId: string, documentId: string, segmentId: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', `${documentPath(datasetId, documentId)}/segments/${enc(segmentId)}`, options);
  }

  listChildChunks(
    datasetId: string,
    documentId: string,
    segmentId: string,
    query: PageQuery & { keyword?: string } = {},
    options?: CallOptions,
  ): Promise<{ data: ChildChunk[]; total: number; total_pages: number; page: number; limit: number }> {
    return this.http.json('GET', `${segmentPath(datasetId, documentId, segmentId)}/child_chunks`, { ...options, query: { ...query } });
  }

  async createChildChunk(datasetId: string, documentId: string, segmentId: string, content: string, options?: CallOptions): Promise<ChildChunk> {
    const result = await this.http.json<{ data: ChildChunk }>('POST', `${segmentPath(datasetId, documentId, segmentId)}/child_chunks`, {
      ...options,
      json: { content },
    });
    return result.data;
  }

  async updateChildChunk(
    datasetId: string,
    documentId: string,
    segmentId: string,
    childChunkId: string,
    content: string,
    options?: CallOptions,
  ): Promise<ChildChunk> {
    const result = await this.http.json<{ data: ChildChunk }>(
      'PATCH',
      `${segmentPath(datasetId, documentId, segmentId)}/child_chunks/${enc(childChunkId)}`,
      { ...options, json: { content } },
    );
    return result.data;
  }

  async deleteChildChunk(datasetId: string, documentId: string, segmentId: string, childChunkId: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', `${segmentPath(datasetId, documentId, segmentId)}/child_chunks/${enc(childChunkId)}`, options);
  }

  // ------------------------------------------------------------------------------------------ retrieval

  /** Search a dataset (at most 10 records). Query ≤ 250 characters. */
  retrieve(datasetId: string, request: RetrieveRequest, options?: CallOptions): Promise<RetrieveResponse> {
    return this.http.json('POST', `/datasets/${enc(datasetId)}/retrieve`, { ...options, json: request });
  }

  // ------------------------------------------------------------------------------------------ metadata

  listMetadata(datasetId: string, options?: CallOptions): Promise<{ doc_metadata: MetadataField[]; built_in_field_enabled: boolean }> {
    return this.http.json('GET', `/datasets/${enc(datasetId)}/metadata`, options);
  }

  createMetadata(datasetId: string, field: { type: MetadataField['type']; name: string }, options?: CallOptions): Promise<MetadataField> {
    return this.http.json('POST', `/datasets/${enc(datasetId)}/metadata`, { ...options, json: field });
  }

  updateMetadata(datasetId: string, metadataId: string, name: string, options?: CallOptions): Promise<MetadataField> {
    return this.http.json('PATCH', `/datasets/${enc(datasetId)}/metadata/${enc(metadataId)}`, { ...options, json: { name } });
  }

  async deleteMetadata(datasetId: string, metadataId: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', `/datasets/${enc(datasetId)}/metadata/${enc(metadataId)}`, options);
  }

  getBuiltInMetadata(datasetId: string, options?: CallOptions): Promise<{ fields: { name: string; type: string }[] }> {
    return this.http.json('GET', `/datasets/${enc(datasetId)}/metadata/built-in`, options);
  }

  setBuiltInMetadata(datasetId: string, enabled: boolean, options?: CallOptions): Promise<ResultSuccess> {
    return this.http.json('POST', `/datasets/${enc(datasetId)}/metadata/built-in/${enabled ? 'enable' : 'disable'}`, options);
  }

  updateDocumentsMetadata(datasetId: string, operations: DocumentMetadataOperation[], options?: CallOptions): Promise<ResultSuccess> {
    return this.http.json('POST', `/datasets/${enc(datasetId)}/documents/metadata`, { ...options, json: { operation_data: operations } });
  }

  // ------------------------------------------------------------------------------------------ tags

  listTags(options?: CallOptions): Promise<KnowledgeTag[]> {
    return this.http.json('GET', '/datasets/tags', options);
  }

  createTag(name: string, options?: CallOptions): Promise<KnowledgeTag> {
    return this.http.json('POST', '/datasets/tags', { ...options, json: { name } });
  }

  updateTag(tagId: string, name: string, options?: CallOptions): Promise<KnowledgeTag> {
    return this.http.json('PATCH', '/datasets/tags', { ...options, json: { tag_id: tagId, name } });
  }

  async deleteTag(tagId: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', '/datasets/tags', { ...options, json: { tag_id: tagId } });
  }

  async bindTags(datasetId: string, tagIds: string[], options?: CallOptions): Promise<void> {
    await this.http.json('POST', '/datasets/tags/binding', { ...options, json: { tag_ids: tagIds, target_id: datasetId } });
  }

  async unbindTag(datasetId: string, tagId: string, options?: CallOptions): Promise<void> {
    await this.http.json('POST', '/datasets/tags/unbinding', { ...options, json: { tag_id: tagId, target_id: datasetId } });
  }

  getDatasetTags(datasetId: string, options?: CallOptions): Promise<{ data: { id: string; name: string }[]; total: number }> {
    return this.http.json('GET', `/datasets/${enc(datasetId)}/tags`, options);
  }

  // ------------------------------------------------------------------------------------------ workspace

  getModels(modelType: 'text-embedding' | 'rerank' | 'llm' | (string & {}), options?: CallOptions): Promise<{ data: unknown[] }> {
    return this.http.json('GET', `/workspaces/current/models/model-types/${enc(modelType)}`, options);
  }
}

function documentPath(datasetId: string, documentId: string): string {
  return `/datasets/${enc(datasetId)}/documents/${enc(documentId)}`;
}

function segmentPath(datasetId: string, documentId: string, segmentId: string): string {
  return `${documentPath(datasetId, documentId)}/segments/${enc(segmentId)}`;
}
