// Uploading files as knowledge documents: each file is checked (exists, a file, not empty, a document type, under the
// size limit) from its metadata only, then streamed from disk by the client (create-by-file, CONTRACT.md §3.13).
// A rejected or failed file never stops the others; a dead key or a deleted dataset stops the rest with one reason.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DocumentResponse, DocumentSettings, KnowledgeClient } from '../dify/index.js';
import { DifyAbortError, DifyApiError, DifyUnexpectedResponseError } from '../dify/index.js';
import { extensionOf } from './file-rules.js';
import { failsWholeBatch, knowledgeFailure, type KnowledgeFailure } from './knowledge-errors.js';

export interface UploadLimits {
  /** UPLOAD_FILE_SIZE_LIMIT: Dify refuses larger documents. */
  maxBytes: number;
  /** Extensions Dify can extract text from; others are refused before sending. */
  extensions: readonly string[];
}

/**
 * The self-hosted defaults (Dify answers nothing a dataset key can read about its limits): 15 MB, the extensions
 * of Dify's default ETL plus those of the Unstructured ETL, which a server may or may not run.
 */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 15 * 1024 * 1024,
  extensions: ['txt', 'markdown', 'md', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'docx', 'csv', 'vtt', 'properties', 'doc', 'eml', 'msg', 'pptx', 'xml', 'epub'],
};

export type UploadRejection =
  | { kind: 'missing' }
  | { kind: 'folder' }
  | { kind: 'empty' }
  | { kind: 'type'; extension: string }
  | { kind: 'too_large'; size: number; limit: number | undefined }
  /** Dify's create-by-file answers 400 with an empty message for a disallowed type or an oversized file. */
  | { kind: 'refused_by_server' };

interface OutcomeBase {
  path: string;
  name: string;
}

export type UploadOutcome =
  | (OutcomeBase & { status: 'uploaded'; response: DocumentResponse })
  | (OutcomeBase & { status: 'rejected'; reason: UploadRejection })
  | (OutcomeBase & { status: 'failed'; error: unknown })
  /** Not sent: an earlier file showed that the key or the dataset is unusable. */
  | (OutcomeBase & { status: 'skipped'; because: KnowledgeFailure })
  | (OutcomeBase & { status: 'cancelled' });

/** Why `path` cannot be uploaded, from its metadata alone (the file is not read). */
export async function checkUploadFile(path: string, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS): Promise<UploadRejection | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return { kind: 'missing' };
  if (info.isDirectory()) return { kind: 'folder' };
  const extension = extensionOf(basename(path));
  if (!limits.extensions.includes(extension)) return { kind: 'type', extension };
  if (info.size === 0) return { kind: 'empty' };
  if (info.size > limits.maxBytes) return { kind: 'too_large', size: info.size, limit: limits.maxBytes };
  return undefined;
}

/** A server answer that is about this file only (type or size), not the connection, key or dataset. */
function rejectionFromServer(error: unknown): UploadRejection | undefined {
  if (error instanceof DifyApiError) {
    if (error.status === 413 || error.code === 'file_too_large') return { kind: 'too_large', size: 0, limit: undefined };
    if (error.status === 415 || error.code === 'unsupported_file_type') return { kind: 'refused_by_server' };
    if (error.status === 400 && error.code === 'invalid_param' && error.difyMessage === '') return { kind: 'refused_by_server' };
  }
  if (error instanceof DifyUnexpectedResponseError && error.status === 413) return { kind: 'too_large', size: 0, limit: undefined };
  return undefined;
}

export interface UploadBatchOptions {
  limits?: UploadLimits;
  signal?: AbortSignal;
  /** After each file: how many are done, of how many, and what happened to this one. */
  onFile?: (done: number, total: number, outcome: UploadOutcome) => void;
}

/** Uploads `paths` one after another into the dataset; resolves with one outcome per path, in order. */
export async function uploadBatch(
  client: Pick<KnowledgeClient, 'createDocumentByFile'>,
  datasetId: string,
  paths: readonly string[],
  settings: DocumentSettings,
  options: UploadBatchOptions = {},
): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = [];
  let stoppedBy: KnowledgeFailure | undefined;
  for (const path of paths) {
    const name = basename(path);
    const outcome = await (async (): Promise<UploadOutcome> => {
      if (options.signal?.aborted) return { path, name, status: 'cancelled' };
      if (stoppedBy) return { path, name, status: 'skipped', because: stoppedBy };
      const rejection = await checkUploadFile(path, options.limits);
      if (rejection) return { path, name, status: 'rejected', reason: rejection };
      try {
        const response = await client.createDocumentByFile(datasetId, { path }, settings, { signal: options.signal });
        return { path, name, status: 'uploaded', response };
      } catch (error) {
        if (error instanceof DifyAbortError) return { path, name, status: 'cancelled' };
        const refused = rejectionFromServer(error);
        if (refused) return { path, name, status: 'rejected', reason: refused };
        const failure = knowledgeFailure(error);
        if (failsWholeBatch(failure)) stoppedBy = failure;
        return { path, name, status: 'failed', error };
      }
    })();
    outcomes.push(outcome);
    options.onFile?.(outcomes.length, paths.length, outcome);
  }
  return outcomes;
}
