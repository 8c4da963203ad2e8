// Knowledge problems in the user's words: one sentence per rejected file, per dead key, per vanished dataset.
import * as vscode from 'vscode';
import { knowledgeFailure, type KnowledgeFailure } from '../../core/knowledge-errors.js';
import type { UploadRejection } from '../../core/knowledge-upload.js';
import { errorMessage } from '../apps/messages.js';

const mb = (bytes: number, digits = 1) => (bytes / (1024 * 1024)).toFixed(digits);

/** Why the file `name` was not uploaded. */
export function rejectionMessage(name: string, reason: UploadRejection): string {
  switch (reason.kind) {
    case 'missing':
      return vscode.l10n.t('"{0}" was not uploaded: the file no longer exists.', name);
    case 'folder':
      return vscode.l10n.t('"{0}" was not uploaded: it is a folder. Select the files inside it instead.', name);
    case 'empty':
      return vscode.l10n.t('"{0}" was not uploaded: the file is empty (0 bytes).', name);
    case 'type':
      return reason.extension
        ? vscode.l10n.t('"{0}" was not uploaded: Dify knowledge cannot read .{1} files. Use txt, md, pdf, html, docx, xlsx, csv and the like.', name, reason.extension)
        : vscode.l10n.t('"{0}" was not uploaded: a file without an extension has no type Dify knowledge can read.', name);
    case 'too_large':
      return reason.limit
        ? vscode.l10n.t('"{0}" was not uploaded: it has {1} MB, over the {2} MB limit of Dify knowledge.', name, mb(reason.size), mb(reason.limit, 0))
        : vscode.l10n.t('"{0}" was not uploaded: the server said it is too large.', name);
    case 'refused_by_server':
      return vscode.l10n.t('"{0}" was not uploaded: Dify refused it (its type is not enabled on this server, or it is over the server\'s size limit).', name);
  }
}

/** The sentence for a failure of the Knowledge API, naming the fix when there is one. */
export function knowledgeMessage(error: unknown, failure: KnowledgeFailure = knowledgeFailure(error)): string {
  switch (failure) {
    case 'key_rejected':
      return vscode.l10n.t('Dify rejected the knowledge key: it is wrong, revoked, or not a knowledge key. Use "Set or Replace Key…" on the key.');
    case 'dataset_gone':
      return vscode.l10n.t('This dataset no longer exists in Dify (it was deleted, or the key belongs to another workspace).');
    case 'document_gone':
      return vscode.l10n.t('This document no longer exists in Dify.');
    case 'segment_gone':
      return vscode.l10n.t('This segment no longer exists in Dify.');
    case 'api_disabled':
      return vscode.l10n.t('API access to this dataset is turned off. Turn it on in Dify under the dataset\'s API settings.');
    case 'other':
      return errorMessage(error);
  }
}
