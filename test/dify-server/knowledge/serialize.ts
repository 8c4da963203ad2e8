// Response shapes of the Knowledge API, keys in Dify 1.13.2's marshal order (CONTRACT.md §3.13).
import { PyFloat } from '../wire.js';
import { ACCOUNT, DEFAULT_RULES, displayStatus, planFor, segmentTokens, segmentWordCount } from './store.js';
import type { ChildChunk, Dataset, Doc, Progress, RetrievalModel, Segment } from './store.js';
import type { KnowledgeState } from './state.js';
import { pyLen } from './text.js';

const float = (v: unknown): PyFloat | null => (typeof v === 'number' ? new PyFloat(v) : null);

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function retrievalModelDict(rm: RetrievalModel): Record<string, unknown> {
  const w = obj(rm.weights);
  const kw = obj(w?.['keyword_setting']);
  const vs = obj(w?.['vector_setting']);
  return {
    search_method: rm.search_method,
    reranking_enable: rm.reranking_enable,
    reranking_mode: rm.reranking_mode,
    reranking_model: {
      reranking_provider_name: rm.reranking_model?.reranking_provider_name ?? null,
      reranking_model_name: rm.reranking_model?.reranking_model_name ?? null,
    },
    weights: w
      ? {
          weight_type: w['weight_type'] ?? null,
          keyword_setting: { keyword_weight: float(kw?.['keyword_weight']) },
          vector_setting: {
            vector_weight: float(vs?.['vector_weight']),
            embedding_model_name: vs?.['embedding_model_name'] ?? null,
            embedding_provider_name: vs?.['embedding_provider_name'] ?? null,
          },
        }
      : null,
    top_k: rm.top_k,
    score_threshold_enabled: rm.score_threshold_enabled,
    score_threshold: float(rm.score_threshold),
  };
}

export function datasetJson(state: KnowledgeState, ds: Dataset, opts: { economySearch?: boolean } = {}): Record<string, unknown> {
  const rm = ds.retrievalModel ?? {
    search_method: 'semantic_search',
    reranking_enable: false,
    reranking_mode: null,
    reranking_model: { reranking_provider_name: '', reranking_model_name: '' },
    weights: null,
    top_k: 2,
    score_threshold_enabled: false,
    score_threshold: null,
  };
  const retrieval = retrievalModelDict(rm);
  if (opts.economySearch && ds.indexingTechnique === 'economy') retrieval['search_method'] = 'keyword_search';
  let wordCount = 0;
  let available = 0;
  for (const doc of ds.documents) {
    const p = state.indexer.progress(doc);
    wordCount += docWordCount(doc, p) ?? 0;
    if (p.status === 'completed' && doc.enabled && !doc.archived) available++;
  }
  const external = ds.provider === 'external';
  return {
    id: ds.id,
    name: ds.name,
    description: ds.description,
    provider: ds.provider,
    permission: ds.permission,
    data_source_type: ds.dataSourceType,
    indexing_technique: ds.indexingTechnique,
    app_count: ds.appCount,
    document_count: ds.documents.length,
    word_count: wordCount,
    created_by: ACCOUNT.id,
    author_name: ACCOUNT.name,
    created_at: ds.createdAt,
    updated_by: ACCOUNT.id,
    updated_at: ds.updatedAt,
    embedding_model: ds.embeddingModel,
    embedding_model_provider: ds.embeddingModelProvider,
    embedding_available: true,
    retrieval_model_dict: retrieval,
    summary_index_setting: { enable: null, model_name: null, model_provider_name: null, summary_prompt: null },
    tags: state.tagsOf(ds.id).map((t) => ({ id: t.id, name: t.name, type: 'knowledge' })),
    doc_form: ds.documents[0]?.docForm ?? null,
    external_knowledge_info: {
      external_knowledge_id: external ? ds.externalKnowledgeId : null,
      external_knowledge_api_id: external ? ds.externalKnowledgeApiId : null,
      external_knowledge_api_name: external ? 'External API' : null,
      external_knowledge_api_endpoint: external ? 'https://knowledge.example.com/retrieval' : null,
    },
    external_retrieval_model: external ? { top_k: 2, score_threshold: new PyFloat(0), score_threshold_enabled: false } : null,
    doc_metadata: ds.metadata.map((m) => ({ id: m.id, name: m.name, type: m.type })),
    built_in_field_enabled: ds.builtInFieldEnabled,
    pipeline_id: null,
    runtime_mode: 'general',
    chunk_structure: null,
    icon_info: {
      icon_type: ds.iconInfo?.icon_type ?? null,
      icon: ds.iconInfo?.icon ?? null,
      icon_background: ds.iconInfo?.icon_background ?? null,
      icon_url: ds.iconInfo?.icon_url ?? null,
    },
    is_published: false,
    total_documents: ds.documents.length,
    total_available_documents: available,
    enable_api: ds.enableApi,
    is_multimodal: false,
  };
}

export function docWordCount(doc: Doc, p: Progress): number | null {
  if (doc.segments) return doc.segments.reduce((n, s) => n + segmentWordCount(s), 0);
  if (p.status === 'error' || p.splittingCompletedAt === null) return null;
  return planFor(doc).reduce((n, c) => n + pyLen(c.content), 0);
}

function docHitCount(doc: Doc): number {
  return (doc.segments ?? []).reduce((n, s) => n + s.hitCount, 0);
}

/** The raw `indexing_status` column: a paused document keeps its step, `paused` only shows in display_status. */
function rawStatus(p: Progress): string {
  return p.status === 'paused' ? 'indexing' : p.status;
}

export function docMetadataDetails(ds: Dataset, doc: Doc): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const field of ds.metadata) {
    if (doc.metadata.has(field.id)) out.push({ id: field.id, name: field.name, type: field.type, value: doc.metadata.get(field.id) ?? null });
  }
  if (ds.builtInFieldEnabled) {
    out.push(
      { id: 'built-in', name: 'document_name', type: 'string', value: doc.name },
      { id: 'built-in', name: 'uploader', type: 'string', value: ACCOUNT.name },
      { id: 'built-in', name: 'upload_date', type: 'time', value: new PyFloat(doc.createdAt) },
      { id: 'built-in', name: 'last_update_date', type: 'time', value: new PyFloat(doc.updatedAt) },
      { id: 'built-in', name: 'source', type: 'string', value: 'file_upload' },
    );
  }
  return out;
}

/** The raw `doc_metadata` column: `{name: value}` or null. */
export function docMetadataRaw(ds: Dataset, doc: Doc): Record<string, unknown> | null {
  if (doc.metadata.size === 0) return null;
  const out: Record<string, unknown> = {};
  for (const field of ds.metadata) if (doc.metadata.has(field.id)) out[field.name] = doc.metadata.get(field.id) ?? null;
  return out;
}

function uploadDetail(doc: Doc): Record<string, unknown> {
  return {
    upload_file: {
      id: doc.upload.id,
      name: doc.upload.name,
      size: doc.upload.size,
      extension: doc.upload.extension,
      mime_type: doc.upload.mimeType,
      created_by: ACCOUNT.id,
      created_at: new PyFloat(doc.upload.createdAt),
    },
  };
}

export function documentJson(state: KnowledgeState, ds: Dataset, doc: Doc): Record<string, unknown> {
  const p = state.indexer.progress(doc);
  return {
    id: doc.id,
    position: doc.position,
    data_source_type: 'upload_file',
    data_source_info: { upload_file_id: doc.upload.id },
    data_source_detail_dict: uploadDetail(doc),
    dataset_process_rule_id: doc.processRule.id,
    name: doc.name,
    created_from: 'api',
    created_by: ACCOUNT.id,
    created_at: doc.createdAt,
    tokens: p.status === 'completed' ? doc.tokens : null,
    indexing_status: rawStatus(p),
    error: p.status === 'error' ? doc.failure : null,
    enabled: doc.enabled,
    disabled_at: doc.disabledAt,
    disabled_by: doc.disabledBy,
    archived: doc.archived,
    display_status: displayStatus(doc, p.status),
    word_count: docWordCount(doc, p),
    hit_count: docHitCount(doc),
    doc_form: doc.docForm,
    doc_metadata: docMetadataDetails(ds, doc),
    summary_index_status: null,
    need_summary: false,
  };
}

function ruleDict(state: KnowledgeState, ds: Dataset): Record<string, unknown> {
  const rule = state.latestRule(ds);
  return rule ? { mode: rule.mode, rules: rule.rules } : { mode: DEFAULT_RULES.mode, rules: DEFAULT_RULES.rules };
}

export function documentDetailJson(state: KnowledgeState, ds: Dataset, doc: Doc, metadata: 'all' | 'only' | 'without'): Record<string, unknown> {
  const p = state.indexer.progress(doc);
  if (metadata === 'only') return { id: doc.id, doc_type: doc.docType, doc_metadata: docMetadataDetails(ds, doc) };
  const words = docWordCount(doc, p);
  const segmentCount = doc.segments?.length ?? 0;
  const latency =
    p.completedAt !== null && p.processingStartedAt !== null ? new PyFloat(Math.max(p.completedAt - p.processingStartedAt, 0) + 0.5) : null;
  const out: Record<string, unknown> = {
    id: doc.id,
    position: doc.position,
    data_source_type: 'upload_file',
    data_source_info: { upload_file_id: doc.upload.id },
    dataset_process_rule_id: doc.processRule.id,
    dataset_process_rule: ruleDict(state, ds),
    document_process_rule: { id: doc.processRule.id, dataset_id: ds.id, mode: doc.processRule.mode, rules: doc.processRule.rules },
    name: doc.name,
    created_from: 'api',
    created_by: ACCOUNT.id,
    created_at: doc.createdAt,
    tokens: p.status === 'completed' ? doc.tokens : null,
    indexing_status: rawStatus(p),
    completed_at: p.completedAt,
    updated_at: doc.updatedAt,
    indexing_latency: latency,
    error: p.status === 'error' ? doc.failure : null,
    enabled: doc.enabled,
    disabled_at: doc.disabledAt,
    disabled_by: doc.disabledBy,
    archived: doc.archived,
    doc_type: doc.docType,
    doc_metadata: docMetadataDetails(ds, doc),
    segment_count: segmentCount,
    average_segment_length: words && segmentCount ? Math.floor(words / segmentCount) : 0,
    hit_count: docHitCount(doc),
    display_status: displayStatus(doc, p.status),
    doc_form: doc.docForm,
    doc_language: doc.docLanguage,
    summary_index_status: null,
    need_summary: false,
  };
  if (metadata === 'without') {
    delete out['doc_type'];
    delete out['doc_metadata'];
  }
  return out;
}

export function indexingStatusJson(state: KnowledgeState, doc: Doc): Record<string, unknown> {
  const p = state.indexer.progress(doc);
  return {
    id: doc.id,
    indexing_status: p.status,
    processing_started_at: p.processingStartedAt,
    parsing_completed_at: p.parsingCompletedAt,
    cleaning_completed_at: p.cleaningCompletedAt,
    splitting_completed_at: p.splittingCompletedAt,
    completed_at: p.completedAt,
    paused_at: p.pausedAt,
    error: p.status === 'error' ? doc.failure : null,
    stopped_at: p.stoppedAt,
    completed_segments: p.completedSegments,
    total_segments: p.totalSegments,
  };
}

export function childChunkJson(c: ChildChunk): Record<string, unknown> {
  return {
    id: c.id,
    segment_id: c.segmentId,
    content: c.content,
    position: c.position,
    word_count: pyLen(c.content),
    type: c.type,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function segmentJson(s: Segment): Record<string, unknown> {
  return {
    id: s.id,
    position: s.position,
    document_id: s.documentId,
    content: s.content,
    sign_content: s.content,
    answer: s.answer,
    word_count: segmentWordCount(s),
    tokens: segmentTokens(s),
    keywords: s.keywords,
    index_node_id: s.indexNodeId,
    index_node_hash: s.indexNodeHash,
    hit_count: s.hitCount,
    enabled: s.enabled,
    disabled_at: s.disabledAt,
    disabled_by: s.disabledBy,
    status: 'completed',
    created_by: ACCOUNT.id,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    updated_by: s.updatedBy,
    indexing_at: s.createdAt,
    completed_at: s.createdAt,
    error: null,
    stopped_at: null,
    child_chunks: s.childChunks.map(childChunkJson),
    attachments: [],
    summary: null,
  };
}

/** The segment as `/retrieve` serialises it: the segment fields up to stopped_at, then its document. */
export function retrieveSegmentJson(ds: Dataset, doc: Doc, s: Segment): Record<string, unknown> {
  const { updated_at: _u, updated_by: _b, child_chunks: _c, attachments: _a, summary: _s, ...fields } = segmentJson(s);
  return {
    ...fields,
    document: { id: doc.id, data_source_type: 'upload_file', name: doc.name, doc_type: doc.docType, doc_metadata: docMetadataRaw(ds, doc) },
  };
}
