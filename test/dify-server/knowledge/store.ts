// In-memory state of the Knowledge API emulation: datasets, documents, segments, tags, metadata fields.
// Indexing progress is derived from elapsed time since a document's indexing started (no timers).
import { randomUUID } from 'node:crypto';
import { estimateTokens, extractKeywords, pyLen, splitText, textHash } from './text.js';

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

const STEP_STATES: IndexingStatus[] = ['waiting', 'parsing', 'cleaning', 'splitting', 'indexing', 'completed'];

export const nowSec = (): number => Math.floor(Date.now() / 1000);

/** `yyyymmddHHMMSS` + six random digits, as DocumentService builds a batch id. */
export function newBatch(at = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return stamp + String(100000 + Math.floor(Math.random() * 900000));
}

export const AUTOMATIC_RULES = {
  pre_processing_rules: [
    { id: 'remove_extra_spaces', enabled: true },
    { id: 'remove_urls_emails', enabled: false },
  ],
  segmentation: { delimiter: '\n', max_tokens: 500, chunk_overlap: 50 },
};

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

export interface ChunkPlan {
  content: string;
  children: string[];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function preRule(rules: Record<string, unknown>, id: string): boolean {
  const list = Array.isArray(rules['pre_processing_rules']) ? (rules['pre_processing_rules'] as unknown[]) : [];
  return list.some((r) => asRecord(r)['id'] === id && asRecord(r)['enabled'] === true);
}

function segmentation(raw: unknown, fallbackMax: number): { separator: string; maxTokens: number } {
  const seg = asRecord(raw);
  const separator = typeof seg['separator'] === 'string' ? seg['separator'] : typeof seg['delimiter'] === 'string' ? seg['delimiter'] : '\n';
  const maxTokens = typeof seg['max_tokens'] === 'number' && seg['max_tokens'] > 0 ? seg['max_tokens'] : fallbackMax;
  return { separator, maxTokens };
}

export function planFor(doc: Doc): ChunkPlan[] {
  doc.plan ??= planChunks(doc.text, doc.processRule, doc.docForm);
  return doc.plan;
}

/** Chunks (and child chunks for hierarchical documents) as the process rule would cut the text. */
export function planChunks(text: string, rule: ProcessRule, docForm: string): ChunkPlan[] {
  const rules: Record<string, unknown> = rule.mode === 'automatic' ? AUTOMATIC_RULES : rule.rules;
  const removeExtraSpaces = preRule(rules, 'remove_extra_spaces');
  const removeUrlsEmails = preRule(rules, 'remove_urls_emails');
  const seg = segmentation(rules['segmentation'], 500);
  if (rule.mode === 'hierarchical' || docForm === 'hierarchical_model') {
    const sub = segmentation(rules['subchunk_segmentation'], 200);
    const parents =
      rules['parent_mode'] === 'full-doc'
        ? [text.trim()].filter((t) => t.length > 0)
        : splitText(text, { separator: seg.separator || '\n\n', maxTokens: seg.maxTokens, removeExtraSpaces, removeUrlsEmails });
    return parents.map((p) => ({
      content: p,
      children: splitText(p, { separator: sub.separator, maxTokens: sub.maxTokens, removeExtraSpaces, removeUrlsEmails }),
    }));
  }
  return splitText(text, { separator: seg.separator, maxTokens: seg.maxTokens, removeExtraSpaces, removeUrlsEmails }).map((c) => ({
    content: c,
    children: [],
  }));
}

export function makeSegment(doc: Doc, position: number, content: string, answer: string | null, keywords: string[] | null, at: number): Segment {
  const id = randomUUID();
  return {
    id,
    position,
    documentId: doc.id,
    content,
    answer,
    keywords: keywords ?? extractKeywords(content),
    indexNodeId: randomUUID(),
    indexNodeHash: textHash(content),
    hitCount: 0,
    enabled: true,
    disabledAt: null,
    disabledBy: null,
    createdAt: at,
    updatedAt: at,
    updatedBy: null,
    childChunks: [],
  };
}

export function makeChildChunk(segment: Segment, position: number, content: string, type: 'automatic' | 'customized', at: number): ChildChunk {
  return { id: randomUUID(), segmentId: segment.id, content, position, type, createdAt: at, updatedAt: at };
}

export function segmentWordCount(s: Segment): number {
  return pyLen(s.content) + (s.answer ? pyLen(s.answer) : 0);
}

export function segmentTokens(s: Segment): number {
  return estimateTokens(s.content) + (s.answer ? estimateTokens(s.answer) : 0);
}

/** Time-derived indexing state machine. */
export class Indexer {
  constructor(private readonly stepMs: number) {}

  private stepOf(doc: Doc, nowMs: number): { step: number; fraction: number } {
    if (this.stepMs <= 0) return { step: 5, fraction: 1 };
    const elapsed = Math.max(0, nowMs - doc.startedMs);
    return { step: Math.floor(elapsed / this.stepMs), fraction: (elapsed % this.stepMs) / this.stepMs };
  }

  private stepAt(doc: Doc, k: number): number {
    return Math.floor((doc.startedMs + k * Math.max(this.stepMs, 0)) / 1000);
  }

  progress(doc: Doc, nowMs = Date.now()): Progress {
    const chunks = (): number => (doc.segments ? doc.segments.length : planFor(doc).length);
    const base: Progress = {
      status: 'waiting',
      processingStartedAt: null,
      parsingCompletedAt: null,
      cleaningCompletedAt: null,
      splittingCompletedAt: null,
      completedAt: null,
      stoppedAt: null,
      pausedAt: null,
      completedSegments: 0,
      totalSegments: 0,
    };
    if (doc.frozen) {
      const total = chunks();
      return {
        ...base,
        status: doc.frozen,
        processingStartedAt: this.stepAt(doc, 0),
        parsingCompletedAt: this.stepAt(doc, 0),
        cleaningCompletedAt: this.stepAt(doc, 0),
        splittingCompletedAt: this.stepAt(doc, 0),
        pausedAt: doc.frozen === 'paused' ? this.stepAt(doc, 0) + 60 : null,
        completedSegments: Math.floor(total / 2),
        totalSegments: total,
      };
    }
    const { step, fraction } = this.stepOf(doc, nowMs);
    if (doc.failure && step >= 2) {
      return { ...base, status: 'error', processingStartedAt: this.stepAt(doc, 1), stoppedAt: this.stepAt(doc, 2) };
    }
    const status = STEP_STATES[Math.min(step, 5)]!;
    const p: Progress = { ...base, status };
    if (step >= 1) p.processingStartedAt = this.stepAt(doc, 1);
    if (step >= 2) p.parsingCompletedAt = this.stepAt(doc, 2);
    if (step >= 3) p.cleaningCompletedAt = this.stepAt(doc, 3);
    if (step >= 4) {
      p.splittingCompletedAt = this.stepAt(doc, 4);
      p.totalSegments = chunks();
      p.completedSegments = step >= 5 ? p.totalSegments : Math.floor(fraction * p.totalSegments);
    }
    if (step >= 5) p.completedAt = this.stepAt(doc, 5);
    if (status === 'completed') this.materialize(doc);
    return p;
  }

  status(doc: Doc, nowMs = Date.now()): IndexingStatus {
    return this.progress(doc, nowMs).status;
  }

  /** Creates the segments once a document has finished indexing. */
  materialize(doc: Doc): void {
    if (doc.segments) return;
    const at = this.stepAt(doc, 5);
    const plan = planFor(doc);
    doc.segments = plan.map((chunk, i) => {
      const qa = doc.docForm === 'qa_model';
      const content = qa ? questionFor(chunk.content) : chunk.content;
      const s = makeSegment(doc, i + 1, content, qa ? chunk.content : null, null, at);
      s.hitCount = doc.seedHits?.[i] ?? 0;
      s.childChunks = chunk.children.map((c, j) => makeChildChunk(s, j + 1, c, 'automatic', at));
      return s;
    });
    doc.tokens = doc.segments.reduce((n, s) => n + segmentTokens(s), 0);
  }
}

function questionFor(text: string): string {
  const first = text.split(/[.。!?！？\n]/)[0]!.trim();
  return `What does the document say about "${first.slice(0, 60)}"?`;
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
