// Knowledge API (dataset key) types, named as CONTRACT.md §3.13 names them.

export type IndexingTechnique = 'high_quality' | 'economy';
export type DatasetPermission = 'only_me' | 'all_team_members' | 'partial_members';
export type SearchMethod = 'semantic_search' | 'full_text_search' | 'hybrid_search' | 'keyword_search';

export interface RetrievalModel {
  search_method: SearchMethod;
  reranking_enable: boolean;
  reranking_mode?: string | null;
  reranking_model?: { reranking_provider_name: string; reranking_model_name: string } | null;
  weights?: {
    weight_type?: 'semantic_first' | 'keyword_first' | 'customized';
    keyword_setting?: { keyword_weight: number };
    vector_setting?: { vector_weight: number; embedding_model_name: string; embedding_provider_name: string };
  } | null;
  top_k: number;
  score_threshold_enabled: boolean;
  score_threshold?: number | null;
}

export interface DatasetTag {
  id: string;
  name: string;
  type?: string;
}

export interface Dataset {
  id: string;
  name: string;
  description: string | null;
  provider: string;
  permission: DatasetPermission;
  data_source_type: string | null;
  indexing_technique: IndexingTechnique | null;
  app_count: number;
  document_count: number;
  word_count: number;
  created_by: string;
  author_name?: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  embedding_model: string | null;
  embedding_model_provider: string | null;
  embedding_available: boolean | null;
  retrieval_model_dict: RetrievalModel | null;
  tags: DatasetTag[];
  doc_form: string | null;
  total_documents?: number | null;
  total_available_documents?: number | null;
  enable_api?: boolean;
  [key: string]: unknown;
}

export interface PageQuery {
  page?: number;
  limit?: number;
}

export interface PagedList<T> {
  data: T[];
  /** Dify computes `len(data) == limit`: can be true when the next page is empty. */
  has_more: boolean;
  limit: number;
  total: number;
  page: number;
}

export interface CreateDatasetRequest {
  name: string;
  description?: string;
  indexing_technique?: IndexingTechnique;
  permission?: DatasetPermission;
  provider?: 'vendor' | 'external';
  external_knowledge_api_id?: string;
  external_knowledge_id?: string;
  retrieval_model?: RetrievalModel;
  embedding_model?: string;
  embedding_model_provider?: string;
}

export type UpdateDatasetRequest = Partial<CreateDatasetRequest> & { partial_member_list?: { user_id: string }[] };

export interface ProcessRule {
  mode: 'automatic' | 'custom' | 'hierarchical';
  rules?: {
    pre_processing_rules?: { id: 'remove_extra_spaces' | 'remove_urls_emails' | 'remove_stopwords'; enabled: boolean }[];
    segmentation?: { separator: string; max_tokens?: number; chunk_overlap?: number };
    parent_mode?: 'full-doc' | 'paragraph';
    subchunk_segmentation?: { separator: string; max_tokens: number; chunk_overlap?: number };
  };
}

export type DocForm = 'text_model' | 'qa_model' | 'hierarchical_model';

/** The settings shared by create-by-text and create-by-file (where they travel as the `data` JSON string). */
export interface DocumentSettings {
  process_rule?: ProcessRule;
  indexing_technique?: IndexingTechnique;
  doc_form?: DocForm;
  doc_language?: string;
  retrieval_model?: RetrievalModel;
  embedding_model?: string;
  embedding_model_provider?: string;
  original_document_id?: string;
}

export interface CreateDocumentByTextRequest extends DocumentSettings {
  name: string;
  text: string;
}

export interface UpdateDocumentByTextRequest {
  name?: string;
  text?: string;
  process_rule?: ProcessRule;
  doc_form?: DocForm;
  doc_language?: string;
  retrieval_model?: RetrievalModel;
}

export type IndexingStatus = 'waiting' | 'parsing' | 'cleaning' | 'splitting' | 'indexing' | 'paused' | 'completed' | 'error';
export type DisplayStatus = 'queuing' | 'indexing' | 'paused' | 'error' | 'available' | 'disabled' | 'archived';

export interface KnowledgeDocument {
  id: string;
  position: number;
  data_source_type: string;
  data_source_info: unknown;
  data_source_detail_dict?: unknown;
  dataset_process_rule_id: string | null;
  name: string;
  created_from: 'api' | 'web' | (string & {});
  created_by: string;
  created_at: number;
  tokens: number | null;
  indexing_status: IndexingStatus;
  error: string | null;
  enabled: boolean;
  disabled_at: number | null;
  disabled_by: string | null;
  archived: boolean;
  display_status: DisplayStatus | null;
  word_count: number | null;
  hit_count: number | null;
  doc_form: string;
  doc_metadata?: { id: string; name: string; type: string; value: unknown }[] | null;
  [key: string]: unknown;
}

export interface DocumentResponse {
  document: KnowledgeDocument;
  /** Use with getIndexingStatus. */
  batch: string;
}

export interface DocumentListQuery extends PageQuery {
  keyword?: string;
  status?: 'queuing' | 'indexing' | 'paused' | 'error' | 'available' | 'disabled' | 'archived';
}

export interface IndexingStatusItem {
  id: string;
  indexing_status: IndexingStatus;
  processing_started_at: number | null;
  parsing_completed_at: number | null;
  cleaning_completed_at: number | null;
  splitting_completed_at: number | null;
  completed_at: number | null;
  paused_at: number | null;
  error: string | null;
  stopped_at: number | null;
  completed_segments: number;
  total_segments: number;
}

export type DocumentStatusAction = 'enable' | 'disable' | 'archive' | 'un_archive';

export interface ChildChunk {
  id: string;
  segment_id: string;
  content: string;
  position: number;
  word_count: number;
  type: string;
  created_at: number;
  updated_at: number;
}

export interface Segment {
  id: string;
  position: number;
  document_id: string;
  content: string;
  sign_content?: string;
  answer: string | null;
  word_count: number;
  tokens: number;
  keywords: string[] | null;
  index_node_id: string | null;
  index_node_hash: string | null;
  hit_count: number;
  enabled: boolean;
  disabled_at: number | null;
  disabled_by: string | null;
  status: string;
  created_by: string;
  created_at: number;
  updated_at?: number;
  indexing_at: number | null;
  completed_at: number | null;
  error: string | null;
  stopped_at: number | null;
  child_chunks?: ChildChunk[];
  [key: string]: unknown;
}

export interface NewSegment {
  content: string;
  /** Required for qa_model documents. */
  answer?: string;
  keywords?: string[];
  attachment_ids?: string[];
}

export interface SegmentUpdate {
  content?: string;
  answer?: string;
  keywords?: string[];
  enabled?: boolean;
  regenerate_child_chunks?: boolean;
  attachment_ids?: string[];
  summary?: string;
}

export interface SegmentListQuery extends PageQuery {
  status?: string | string[];
  keyword?: string;
}

export interface RetrieveRequest {
  query: string;
  retrieval_model?: RetrievalModel;
  external_retrieval_model?: Record<string, unknown>;
  attachment_ids?: string[];
}

export interface RetrieveRecord {
  segment: Segment & {
    document: { id: string; data_source_type: string; name: string; doc_type: string | null; doc_metadata: unknown };
  };
  child_chunks: { id: string; content: string; position: number; score: number }[] | null;
  score: number;
  tsne_position: unknown;
  files?: unknown[];
  summary?: string | null;
}

export interface RetrieveResponse {
  query: { content: string };
  records: RetrieveRecord[];
}

export interface MetadataField {
  id: string;
  name: string;
  type: 'string' | 'number' | 'time';
  count?: number;
}

export interface DocumentMetadataOperation {
  document_id: string;
  metadata_list: { id: string; name: string; value: string | number | null }[];
  partial_update?: boolean;
}

export interface KnowledgeTag {
  id: string;
  name: string;
  type: 'knowledge';
  /** A string on older servers (CONTRACT.md §3.13). */
  binding_count: number | string;
}
