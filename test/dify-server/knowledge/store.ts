// In-memory state of the Knowledge API emulation: datasets, documents, segments, tags, metadata fields (indexing: indexing.ts).
import type { ChunkPlan } from './indexing.js';

export { AUTOMATIC_RULES, Indexer, makeChildChunk, makeSegment, planChunks, planFor, segmentTokens, segmentWordCount } from './indexing.js';
export type { ChunkPlan } from './indexing.js';

export const ACCOUNT = { id: '8c7f3a52-1d4b-4e7a-9f0c-5b2e6d1a3c90', name: 'Dify Admin' };
export const TENANT_ID = 'f2a4c6e8-0b1d-4f3a-8c5e-7d9b1a3c5e70';

export interface RerankingModel {
  reranking_provider_name: string | null;
  reranking_model_name: string | null;
}
export interface RetrievalModel {
  search_method: string;
  reranking_enable: boolean;
  reranking_mode: string | null;
  reranking_model: RerankingModel | null;
  weights: Record<string, unknown> | null;
  top_k: number;
  score_threshold_enabled: boolean;
  score_threshold: number | null;
}

export interface ProcessRule {
  id: string;
  datasetId: string;
  mode: string;
  rules: Record<string, unknown>;
  createdAt: number;
}

export interface MetadataField {
  id: string;
  name: string;
  type: 'string' | 'number' | 'time';
}

export interface Tag {
  id: string;
  name: string;
  createdAt: number;
}

export interface Dataset {
  id: string;
  name: string;
  description: string | null;
  provider: string;
  permission: string;
  indexingTechnique: string | null;
  createdAt: number;
  updatedAt: number;
  embeddingModel: string | null;
  embeddingModelProvider: string | null;
  retrievalModel: RetrievalModel | null;
  appCount: number;
  enableApi: boolean;
  builtInFieldEnabled: boolean;
  metadata: MetadataField[];
  partialMembers: string[];
  iconInfo: { icon_type: string | null; icon: string | null; icon_background: string | null; icon_url: string | null } | null;
  externalKnowledgeId: string | null;
  externalKnowledgeApiId: string | null;
  documents: Doc[];
  dataSourceType: string | null;
}

export interface UploadFile {
  id: string;
  name: string;
  size: number;
  extension: string;
  mimeType: string;
  createdAt: number;
}

export interface ChildChunk {
  id: string;
  segmentId: string;
  content: string;
  position: number;
  type: 'automatic' | 'customized';
  createdAt: number;
  updatedAt: number;
}

export interface Segment {
  id: string;
  position: number;
  documentId: string;
  content: string;
  answer: string | null;
  keywords: string[];
  indexNodeId: string;
  indexNodeHash: string;
  hitCount: number;
  enabled: boolean;
  disabledAt: number | null;
  disabledBy: string | null;
  createdAt: number;
  updatedAt: number;
  updatedBy: string | null;
  childChunks: ChildChunk[];
}

export type IndexingStatus = 'waiting' | 'parsing' | 'cleaning' | 'splitting' | 'indexing' | 'paused' | 'completed' | 'error';

export interface Doc {
  id: string;
  datasetId: string;
  position: number;
  name: string;
  batch: string;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms at which the current indexing run started. */
  startedMs: number;
  /** Seeded documents that never finish indexing. */
  frozen: 'indexing' | 'paused' | null;
  /** When set, indexing ends in `error` with this text. */
  failure: string | null;
  upload: UploadFile;
  processRule: ProcessRule;
  /** The text used for chunking (capped for uploaded files). */
  text: string;
  enabled: boolean;
  disabledAt: number | null;
  disabledBy: string | null;
  archived: boolean;
  docForm: string;
  docLanguage: string;
  docType: string | null;
  /** metadata field id → value */
  metadata: Map<string, string | number | null>;
  /** null until indexing completed (materialised lazily). */
  segments: Segment[] | null;
  tokens: number | null;
  /** Seeded hit counts per chunk index. */
  seedHits?: number[];
  /** Cached chunk plan of `text`; cleared whenever the text or rule changes. */
  plan?: ChunkPlan[];
}

export interface Progress {
  status: IndexingStatus;
  processingStartedAt: number | null;
  parsingCompletedAt: number | null;
  cleaningCompletedAt: number | null;
  splittingCompletedAt: number | null;
  completedAt: number | null;
  stoppedAt: number | null;
  pausedAt: number | null;
  completedSegments: number;
  totalSegments: number;
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);

/** `yyyymmddHHMMSS` + six random digits, as DocumentService builds a batch id. */
export function newBatch(at = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return stamp + String(100000 + Math.floor(Math.random() * 900000));
}

export const DEFAULT_RULES = {
  mode: 'custom',
  rules: {
    pre_processing_rules: [
      { id: 'remove_extra_spaces', enabled: true },
      { id: 'remove_urls_emails', enabled: false },
    ],
    segmentation: { delimiter: '\n', max_tokens: 1024, chunk_overlap: 50 },
  },
};

export function defaultRetrievalModel(): RetrievalModel {
  return {
    search_method: 'semantic_search',
    reranking_enable: false,
    reranking_mode: null,
    reranking_model: { reranking_provider_name: '', reranking_model_name: '' },
    weights: null,
    top_k: 4,
    score_threshold_enabled: false,
    score_threshold: null,
  };
}

export function displayStatus(doc: Doc, status: IndexingStatus): string {
  if (status === 'waiting') return 'queuing';
  if (status === 'paused') return 'paused';
  if (status === 'parsing' || status === 'cleaning' || status === 'splitting' || status === 'indexing') return 'indexing';
  if (status === 'error') return 'error';
  if (doc.archived) return 'archived';
  return doc.enabled ? 'available' : 'disabled';
}

export const DOC_EXTENSIONS = ['txt', 'markdown', 'md', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'docx', 'csv', 'vtt', 'properties'];
export const TEXT_EXTENSIONS = new Set(['txt', 'markdown', 'md', 'mdx', 'html', 'htm', 'csv', 'vtt', 'properties', 'xml']);

export const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  mdx: 'text/markdown',
  pdf: 'application/pdf',
  html: 'text/html',
  htm: 'text/html',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
  vtt: 'text/vtt',
  properties: 'text/x-java-properties',
};

export function extensionOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i >= 0 ? name.slice(i + 1).toLowerCase() : '';
}
