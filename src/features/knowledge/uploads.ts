// "Upload to Dify Knowledge…" from the Explorer, a dataset item or a drop: pick the dataset and segmentation, send
// the files one by one in a cancellable "n of m" notification, then follow their indexing in the tree.
import * as vscode from 'vscode';
import { failsWholeBatch, knowledgeFailure } from '../../core/knowledge-errors.js';
import { toProcessRule, type ProcessRuleMemory } from '../../core/knowledge-process-rule.js';
import type { DatasetNode, KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import type { KnowledgeProfile } from '../../core/profile-store.js';
import { uploadBatch, type UploadOutcome } from '../../core/knowledge-upload.js';
import type { DocumentSettings, KnowledgeClient } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';
import { pickDataset } from './dataset-pick.js';
import { followIndexing, indexedReporter, type NewDocument } from './indexing-progress.js';
import { knowledgeMessage, rejectionMessage } from './messages.js';
import { pickProcessRule } from './process-rule-pick.js';
import { filesSent } from '../../platform/counts.js';

export class KnowledgeUploads {
  constructor(
    private readonly model: KnowledgeTreeModel,
    private readonly connections: DifyConnections,
    private readonly memory: ProcessRuleMemory,
  ) {}

  /** A client for the dataset's (or the) key, or undefined after telling the user why not. */
  async client(target: DatasetNode | KnowledgeProfile): Promise<KnowledgeClient | undefined> {
    try {
      return await this.connections.knowledgeClient('key' in target ? target.key.profile : target);
    } catch (error) {
      void vscode.window.showErrorMessage(knowledgeMessage(error));
      return undefined;
    }
  }

  /** The dataset's indexing technique (Dify needs one for the first document) and the chosen segmentation. */
  async settings(dataset: DatasetNode): Promise<DocumentSettings | undefined> {
    const choice = await pickProcessRule(this.memory, dataset.key.profile.id, dataset.dataset.id, dataset.dataset.name);
    if (!choice) return undefined;
    return { indexing_technique: dataset.dataset.indexing_technique ?? 'high_quality', process_rule: toProcessRule(choice) };
  }

  async upload(uris: readonly vscode.Uri[], target?: DatasetNode): Promise<void> {
    for (const uri of uris.filter((u) => u.scheme !== 'file')) {
      void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" was not uploaded: it is not a file on disk.', uri.toString(true)));
    }
    const paths = uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    if (paths.length === 0) return;
    const dataset = await pickDataset(this.model, vscode.l10n.t('Upload to Dify Knowledge'), target);
    if (!dataset) return;
    const client = await this.client(dataset);
    if (!client) return;
    const settings = await this.settings(dataset);
    if (!settings) return;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Uploading to "{0}"', dataset.dataset.name), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        const total = paths.length;
        progress.report({ message: filesSent(0, total) });
        const outcomes = await uploadBatch(client, dataset.dataset.id, paths, settings, {
          signal: controller.signal,
          onFile: (done, count, outcome) => {
            progress.report({ message: filesSent(done, count), increment: 50 / count });
            if (outcome.status === 'uploaded') this.model.addDocument(dataset, outcome.response.document);
          },
        });
        this.tell(outcomes, dataset);
        const documents: NewDocument[] = outcomes.flatMap((o) =>
          o.status === 'uploaded' ? [{ id: o.response.document.id, name: o.name, batch: o.response.batch }] : [],
        );
        if (documents.length === 0 || controller.signal.aborted) return;
        await followIndexing(this.model, client, dataset, documents, indexedReporter(progress, documents.length, 50), controller.signal);
      },
    );
  }

  /** One message per file that did not make it; one for everything the batch did not send. */
  private tell(outcomes: UploadOutcome[], dataset: DatasetNode): void {
    const skipped = outcomes.filter((o) => o.status === 'skipped').length;
    for (const o of outcomes) {
      if (o.status === 'rejected') void vscode.window.showWarningMessage(rejectionMessage(o.name, o.reason));
      if (o.status === 'failed') {
        const stopped = failsWholeBatch(knowledgeFailure(o.error)) && skipped > 0;
        void vscode.window.showErrorMessage(
          stopped
            ? skipped === 1
              ? vscode.l10n.t('"{0}" was not uploaded: {1} The other file was not sent.', o.name, knowledgeMessage(o.error))
              : vscode.l10n.t('"{0}" was not uploaded: {1} The other {2} files were not sent.', o.name, knowledgeMessage(o.error), skipped)
            : vscode.l10n.t('"{0}" was not uploaded: {1}', o.name, knowledgeMessage(o.error)),
        );
      }
    }
    const uploaded = outcomes.filter((o) => o.status === 'uploaded').length;
    const cancelled = outcomes.filter((o) => o.status === 'cancelled').length;
    const sent = filesSent(uploaded, outcomes.length);
    if (cancelled > 0) void vscode.window.showInformationMessage(vscode.l10n.t('Upload cancelled: {0} to "{1}".', sent, dataset.dataset.name));
    else if (uploaded > 0) void vscode.window.showInformationMessage(vscode.l10n.t('{0} to "{1}".', sent, dataset.dataset.name));
  }
}
