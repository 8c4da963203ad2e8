// Why a run failed, in categories the user can act on, with the node and Dify's own words: the VS Code layer turns
// each into one sentence with "Show details" and "Retry".
import { DifyApiError, DifyError, DifyNetworkError, DifyRateLimitError, DifyStreamError, DifyUnexpectedResponseError, DifyWorkflowRunError } from '../dify/index.js';
import type { RunProgress } from './workflow-progress.js';

export type FailureKind =
  /** A node failed (workflow_finished failed after a failed node_finished). */
  | 'node_failed'
  /** workflow_finished failed without a failed node. */
  | 'run_failed'
  /** The run paused at a human-input node, which the Service API cannot answer. */
  | 'paused'
  /** An `error` event inside the stream. */
  | 'error_event'
  /** Dify's JSON error before the stream started (4xx). */
  | 'api_error'
  /** The key's app is not a workflow / completion app. */
  | 'wrong_mode'
  | 'rate_limited'
  | 'stalled'
  | 'no_events'
  | 'cut'
  /** The connection broke and the run had no result in Dify after looking for it. */
  | 'still_running'
  | 'malformed'
  /** A proxy or gateway page (502/503/504 HTML) instead of Dify. */
  | 'gateway'
  | 'unexpected_response'
  | 'network'
  | 'other';

export interface RunFailure {
  kind: FailureKind;
  /** Dify's or the client's text of the cause, as it came. */
  cause: string;
  node?: { title: string; type: string };
  /** HTTP status for gateway / api errors. */
  status?: number;
  code?: string;
  /** Events received before it broke. */
  events: number;
  /** The server that answered, when the failure came from one (network failures name theirs in `cause`). */
  host?: string;
}

export function describeFailure(error: unknown, progress: RunProgress): RunFailure {
  const failure = classify(error, progress);
  return error instanceof DifyError && !(error instanceof DifyNetworkError) && error.host ? { ...failure, host: error.host } : failure;
}

function classify(error: unknown, progress: RunProgress): RunFailure {
  const events = progress.events;
  const node = progress.failedNode ? { title: progress.failedNode.title, type: progress.failedNode.type } : undefined;
  if (progress.status === 'paused') return { kind: 'paused', cause: progress.waitingFor.join(', '), events };
  if (error instanceof DifyWorkflowRunError) {
    const cause = progress.failedNode?.error || progress.error || error.difyMessage;
    return node ? { kind: 'node_failed', cause, node, events } : { kind: 'run_failed', cause, events };
  }
  if (error instanceof DifyRateLimitError) return { kind: 'rate_limited', cause: error.difyMessage || error.code, status: error.status, code: error.code, events };
  if (error instanceof DifyApiError) {
    const wrongMode = error.code === 'not_workflow_app' || error.code === 'not_chat_app' || (error.code === 'app_unavailable' && /completion-messages/.test(error.endpoint));
    // An `error` event arrives after the stream started: events were received, or the endpoint answered 200.
    const kind = wrongMode ? 'wrong_mode' : events > 0 ? 'error_event' : 'api_error';
    return { kind, cause: error.difyMessage || error.code, status: error.status, code: error.code, events, node };
  }
  if (error instanceof DifyStreamError) {
    const kind = error.kind === 'ended_early' ? 'cut' : error.kind;
    return { kind, cause: error.message, events, node: runningNode(progress) };
  }
  if (error instanceof DifyUnexpectedResponseError) {
    const gateway = error.status === 502 || error.status === 503 || error.status === 504;
    return { kind: gateway ? 'gateway' : 'unexpected_response', cause: error.bodySnippet || error.message, status: error.status, events };
  }
  if (error instanceof DifyNetworkError) return { kind: 'network', cause: error.message, events };
  return { kind: 'other', cause: error instanceof Error ? error.message : String(error), events };
}

/** The node that was running when the stream broke (a stall names where it hung). */
function runningNode(progress: RunProgress): RunFailure['node'] {
  const step = progress.steps.findLast((s) => s.status === 'running');
  return step ? { title: step.title, type: step.type } : undefined;
}
