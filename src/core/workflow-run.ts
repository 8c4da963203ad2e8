// One streamed run of a workflow or completion app, from request to outcome: every event goes through the progress
// model, cancelling stops the task on Dify (the client's stop endpoint), and each way a run can end is one outcome.
import { DifyAbortError, DifyWorkflowRunError, type AppClient, type InputFile } from '../dify/index.js';
import { applyEvent, initialProgress, type RunProgress, type StreamEventLike } from './workflow-progress.js';

export type RunnableMode = 'workflow' | 'completion';

export const isRunnableMode = (mode: string): mode is RunnableMode => mode === 'workflow' || mode === 'completion';

export interface RunRequest {
  inputs: Record<string, unknown>;
  files?: InputFile[];
}

export type RunOutcome =
  | { status: 'succeeded' | 'partial-succeeded'; progress: RunProgress }
  /** Cancelled by the user (or stopped on Dify). */
  | { status: 'stopped'; progress: RunProgress }
  /** The run waits for a person (a human-input node), which the Service API cannot answer. */
  | { status: 'paused'; progress: RunProgress }
  | { status: 'failed'; progress: RunProgress; error: unknown };

export interface RunOptions {
  signal?: AbortSignal;
  /** After each event, with the updated progress (the same object every time). */
  onProgress?: (progress: RunProgress) => void;
}

type StreamingClient = Pick<AppClient, 'followWorkflow' | 'streamCompletionMessage'>;

export async function runDifyApp(client: StreamingClient, mode: RunnableMode, request: RunRequest, options: RunOptions = {}): Promise<RunOutcome> {
  const progress = initialProgress();
  const { signal } = options;
  try {
    // A workflow whose connection breaks is followed to its end (re-attached or looked up); a completion message has
    // nothing to follow it by (no conversation, no run).
    const onReconnect = ({ via }: { via: 'events' | 'lookup' }) => {
      progress.reconnecting = via;
      options.onProgress?.(progress);
    };
    const stream =
      mode === 'workflow'
        ? await client.followWorkflow({ inputs: request.inputs, files: request.files }, { signal, onReconnect })
        : await client.streamCompletionMessage({ inputs: request.inputs, query: '', files: request.files }, { signal });
    for await (const event of stream as AsyncIterable<StreamEventLike>) {
      applyEvent(progress, event);
      options.onProgress?.(progress);
      // Events already buffered would still be handed out after a cancel: stop the task on Dify and read no more.
      if (signal?.aborted) {
        await stream.stop();
        return { status: 'stopped', progress: { ...progress, status: 'stopped' } };
      }
    }
  } catch (error) {
    if (error instanceof DifyAbortError || signal?.aborted) return { status: 'stopped', progress: { ...progress, status: 'stopped' } };
    if (error instanceof DifyWorkflowRunError) {
      progress.status = 'failed';
      progress.error ||= error.difyMessage;
      if (error.failedNode) progress.failedNode ??= { title: error.failedNode.title, type: error.failedNode.node_type, error: error.failedNode.error ?? '' };
    } else {
      progress.status = 'failed';
    }
    return { status: 'failed', progress, error };
  }
  if (signal?.aborted && progress.status === 'running') progress.status = 'stopped';
  switch (progress.status) {
    case 'succeeded':
    case 'partial-succeeded':
    case 'stopped':
    case 'paused':
      return { status: progress.status, progress };
    case 'failed':
      return { status: 'failed', progress, error: new DifyWorkflowRunError(progress.error ?? '', 'POST /workflows/run', progress.workflowRunId, undefined) };
    default:
      // The client throws when a stream ends without its terminal event; a completion ends with message_end.
      return { status: 'succeeded', progress: { ...progress, status: 'succeeded' } };
  }
}
