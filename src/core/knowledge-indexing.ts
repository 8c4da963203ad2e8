// Follows a batch's indexing (`GET /datasets/:id/documents/:batch/indexing-status`) until every document settled,
// polling with backoff: quick while the state moves, slower while it does not, never faster than the first delay; then
// the counts the indexing changed are fetched again (refreshCounts).
import type { IndexingStatus, IndexingStatusItem, KnowledgeClient } from '../dify/index.js';
import { DifyAbortError, DifyApiError, sleep as abortableSleep } from '../dify/index.js';
import type { DatasetNode, KnowledgeTreeModel } from './knowledge-tree-model.js';

/** States Dify leaves by itself: anything else is still moving. Paused waits for a person in the console. */
const SETTLED: ReadonlySet<IndexingStatus> = new Set(['completed', 'error', 'paused']);

export const isSettled = (status: IndexingStatus): boolean => SETTLED.has(status);

export interface IndexingWatchOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** Network failures in a row before giving up (a 4xx gives up at once). */
  maxFailures?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Polls until each document of the batch is completed, error or paused; `onUpdate` gets every answer that differs
 * from the one before. Resolves with the last answer; rejects with DifyAbortError when `signal` fires.
 */
export async function watchIndexing(
  fetchStatus: (signal?: AbortSignal) => Promise<IndexingStatusItem[]>,
  onUpdate: (items: IndexingStatusItem[]) => void,
  options: IndexingWatchOptions = {},
): Promise<IndexingStatusItem[]> {
  const initial = options.initialDelayMs ?? 400;
  const max = options.maxDelayMs ?? 5000;
  const factor = options.factor ?? 1.6;
  const maxFailures = options.maxFailures ?? 5;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => abortableSleep(ms, signal, 'indexing-status'));
  let delay = initial;
  let failures = 0;
  let previous = '';
  for (;;) {
    if (options.signal?.aborted) throw new DifyAbortError('indexing-status');
    let items: IndexingStatusItem[];
    try {
      items = await fetchStatus(options.signal);
      failures = 0;
    } catch (error) {
      if (error instanceof DifyAbortError || (error instanceof DifyApiError && error.status < 500) || ++failures >= maxFailures) throw error;
      delay = Math.min(max, delay * factor);
      await sleep(delay, options.signal);
      continue;
    }
    const fingerprint = items.map((i) => `${i.id}:${i.indexing_status}:${i.completed_segments}/${i.total_segments}`).join(',');
    if (fingerprint !== previous) {
      previous = fingerprint;
      onUpdate(items);
      delay = initial;
    } else {
      delay = Math.min(max, delay * factor);
    }
    if (items.every((i) => isSettled(i.indexing_status))) return items;
    await sleep(delay, options.signal);
  }
}

/**
 * Once indexing settled: the dataset's counts (documents, words) and the indexed documents' word counts as Dify has
 * them now (the indexing status carries none of them). The documents come from the first page of the list, newest
 * first, where new and updated ones are; one not on it keeps its row as it was.
 */
export async function refreshCounts(
  model: KnowledgeTreeModel,
  client: Pick<KnowledgeClient, 'listDocuments'>,
  dataset: DatasetNode,
  documentIds: readonly string[],
): Promise<void> {
  await model.reloadDataset(dataset);
  const listed = await client.listDocuments(dataset.dataset.id, { limit: 100 });
  for (const document of listed.data) if (documentIds.includes(document.id)) model.updateDocument(dataset, document);
}
