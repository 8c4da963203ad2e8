// Chunking and time-derived indexing for the Knowledge API emulation: process-rule chunk plans, segment construction, the Indexer.
import { randomUUID } from 'node:crypto';
import type { ChildChunk, Doc, IndexingStatus, ProcessRule, Progress, Segment } from './store.js';
import { estimateTokens, extractKeywords, pyLen, splitText, textHash } from './text.js';

const STEP_STATES: IndexingStatus[] = ['waiting', 'parsing', 'cleaning', 'splitting', 'indexing', 'completed'];

export const AUTOMATIC_RULES = {
  pre_processing_rules: [
    { id: 'remove_extra_spaces', enabled: true },
    { id: 'remove_urls_emails', enabled: false },
  ],
  segmentation: { delimiter: '\n', max_tokens: 500, chunk_overlap: 50 },
};

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
