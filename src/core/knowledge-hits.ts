// The hits of one search over several knowledge bases, as a language model gets them: the best first across all
// bases, each naming its document and knowledge base, its text whitespace-folded and cut to a length a prompt affords.
import type { RetrieveRecord } from '../dify/index.js';
import { cutAtWord } from './text-cut.js';

export interface KnowledgeHit {
  document: string;
  knowledgeBase: string;
  score: number;
  /** The segment's text, runs of blank lines folded, cut at `maxChars` (at a word where one is near). */
  content: string;
  /** The text was longer than `content`. */
  cut: boolean;
}

export interface HitLimits {
  /** At most this many hits in all (the best). */
  maxHits: number;
  /** At most this many characters of each hit's text. */
  maxChars: number;
}

export const TOOL_HIT_LIMITS: HitLimits = { maxHits: 10, maxChars: 1500 };

/** Each base's records, merged best first (ties keep the order of the bases, then Dify's), cut to the limits. */
export function knowledgeHits(results: { knowledgeBase: string; records: RetrieveRecord[] }[], limits: HitLimits = TOOL_HIT_LIMITS): KnowledgeHit[] {
  const all = results.flatMap(({ knowledgeBase, records }) => records.map((record) => ({ knowledgeBase, record })));
  return all
    .map((hit, i) => ({ ...hit, i }))
    .sort((a, b) => b.record.score - a.record.score || a.i - b.i)
    .slice(0, limits.maxHits)
    .map(({ knowledgeBase, record }) => {
      const { text, cut } = cutAtWord(foldBlankLines(record.segment.content), limits.maxChars);
      return { document: record.segment.document.name, knowledgeBase, score: record.score, content: text, cut };
    });
}

/** Trailing spaces dropped and blank lines folded to one: segments often carry a PDF's empty lines. */
export function foldBlankLines(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
