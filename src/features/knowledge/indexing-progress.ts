// Follows new documents until Dify has indexed them: their tree rows show each state as it comes, a notification
// counts "n of m indexed" and can be cancelled (only the watching stops; Dify goes on), errors say Dify's text; once
// settled, the dataset's and the documents' counts are Dify's new ones.
import * as vscode from 'vscode';
import { isSettled, refreshCounts, watchIndexing } from '../../core/knowledge-indexing.js';
import type { DatasetNode, KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import { DifyAbortError, type IndexingStatusItem, type KnowledgeClient } from '../../dify/index.js';
import { knowledgeMessage } from './messages.js';

export interface NewDocument {
  id: string;
  name: string;
  batch: string;
}

/** Watches every document's batch at once; `report` gets the count of settled documents after each change. */
export async function followIndexing(
  model: KnowledgeTreeModel,
  client: KnowledgeClient,
  dataset: DatasetNode,
  documents: NewDocument[],
  report: (settled: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const states = new Map<string, IndexingStatusItem>();
  const settled = () => [...states.values()].filter((s) => isSettled(s.indexing_status)).length;
  const batches = [...new Set(documents.map((d) => d.batch))];
  const results = await Promise.allSettled(
    batches.map((batch) =>
      watchIndexing(
        (s) => client.getIndexingStatus(dataset.dataset.id, batch, { signal: s }),
        (items) => {
          for (const item of items) {
            if (!documents.some((d) => d.id === item.id)) continue;
            states.set(item.id, item);
            model.updateDocument(dataset, { id: item.id, indexing_status: item.indexing_status, error: item.error });
          }
          report(settled(), documents.length);
        },
        { signal },
      ),
    ),
  );
  // The dataset's document and word counts, and the new documents' word counts. Best effort: when this fails (the
  // dataset deleted meanwhile, the network gone), the rows keep the counts they had and the indexing still succeeded.
  if (!signal?.aborted && [...states.values()].some((s) => isSettled(s.indexing_status))) {
    await refreshCounts(model, client, dataset, documents.map((d) => d.id)).catch(() => undefined);
  }
  for (const document of documents) {
    const state = states.get(document.id);
    if (state?.indexing_status === 'error') {
      void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" could not be indexed. Dify says: {1}', document.name, state.error ?? vscode.l10n.t('no error text')));
    }
  }
  // Deleted here meanwhile (the document, its dataset or its key): Dify's "not found" is no news to the user.
  const gone = documents.every((d) => !model.findDocument(dataset.key.profile.id, d.id));
  for (const result of results) {
    if (result.status === 'rejected' && !(result.reason instanceof DifyAbortError) && !gone) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Stopped following the indexing: {0}', knowledgeMessage(result.reason)));
    }
  }
}

/**
 * A `report` for followIndexing that shows "n of m indexed" in a progress notification; the indexing fills `share`
 * percent of its bar (all of it, or what an upload leaves). Reports "0 of m" at once.
 */
export function indexedReporter(progress: vscode.Progress<{ message?: string; increment?: number }>, total: number, share: number): (settled: number, total: number) => void {
  let last = 0;
  const report = (settled: number, count: number) => {
    progress.report({ message: vscode.l10n.t('{0} of {1} indexed', settled, count), increment: ((settled - last) / count) * share });
    last = settled;
  };
  report(0, total);
  return report;
}

/** followIndexing inside a cancellable notification titled `title`. */
export function followIndexingWithProgress(
  model: KnowledgeTreeModel,
  client: KnowledgeClient,
  dataset: DatasetNode,
  documents: NewDocument[],
  title: string,
): Thenable<void> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    await followIndexing(model, client, dataset, documents, indexedReporter(progress, documents.length, 100), controller.signal);
  });
}
