// What a Knowledge API failure means for the tree and the user: the key, the dataset or the document is gone, or
// something else. Matched on status and code (CONTRACT.md §6.13); the 404 message only tells dataset from document.
import { DifyApiError } from '../dify/index.js';

export type KnowledgeFailure =
  /** 401: the key is wrong, revoked, or an app key (CONTRACT.md §1.3). */
  | 'key_rejected'
  /** 404 "Dataset not found.": deleted in Dify meanwhile, or in another workspace. */
  | 'dataset_gone'
  /** 404 on a document ("Document not found.", "Document Not Exists.", "Documents not found."). */
  | 'document_gone'
  /** 404 "Segment not found.". */
  | 'segment_gone'
  /** 403 "Dataset api access is not enabled.". */
  | 'api_disabled'
  | 'other';

export function knowledgeFailure(error: unknown): KnowledgeFailure {
  if (!(error instanceof DifyApiError)) return 'other';
  if (error.status === 401) return 'key_rejected';
  if (error.status === 403 && error.code === 'forbidden' && /api access/i.test(error.difyMessage)) return 'api_disabled';
  if (error.status !== 404 || error.code !== 'not_found') return 'other';
  if (/^dataset/i.test(error.difyMessage)) return 'dataset_gone';
  if (/^segment/i.test(error.difyMessage)) return 'segment_gone';
  if (/^document/i.test(error.difyMessage)) return 'document_gone';
  return 'other';
}

/** Failures after which every other request of the same batch fails the same way: stop and say it once. */
export function failsWholeBatch(failure: KnowledgeFailure): boolean {
  return failure === 'key_rejected' || failure === 'dataset_gone' || failure === 'api_disabled';
}
