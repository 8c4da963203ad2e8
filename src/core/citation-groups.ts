// Citations grouped by document, as Dify's web app groups them: one group per document (by its id, else by dataset and
// name), its segments best first. Pure: the chat webview and @dify in VS Code's Chat both show citations this way.
import type { RetrieverResource } from '../dify/types.js';

export interface CitedDocument {
  key: string;
  dataset: string;
  document: string;
  segments: RetrieverResource[];
}

/** A server field as text ('' when it is not one). */
export const citationText = (value: unknown): string => (typeof value === 'string' ? value : '');
export const citationScore = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Server data: anything that is not an object is skipped; a missing name is '' (the caller says "untitled"). */
export function citationGroups(citations: readonly RetrieverResource[]): CitedDocument[] {
  const byKey = new Map<string, CitedDocument>();
  for (const citation of citations) {
    if (typeof citation !== 'object' || citation === null) continue;
    const dataset = citationText(citation.dataset_name);
    const document = citationText(citation.document_name) || citationText(citation.title);
    const key = citationText(citation.document_id) || `${dataset}\u0000${document}`;
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { key, dataset, document, segments: [] }));
    group.segments.push(citation);
  }
  for (const group of byKey.values()) group.segments.sort((a, b) => (citationScore(b.score) ?? -1) - (citationScore(a.score) ?? -1));
  return [...byKey.values()];
}
