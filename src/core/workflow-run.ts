// One streamed run of a workflow or completion app, from request to outcome: every event goes through the progress
// model, cancelling stops the task on Dify (the client's stop endpoint), and each way a run can end is one outcome.
import { setTimeout as delay } from 'node:timers/promises';
import { DifyAbortError, DifyApiError, DifyWorkflowRunError, followWorkflowRun, type AppClient, type HumanInputRequiredData, type InputFile } from '../dify/index.js';
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

/** What a person answered on a human-input form: its fields' values and the button they chose. */
export interface FormAnswer {
  inputs: Record<string, unknown>;
  action: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** After each event, with the updated progress (the same object every time). */
  onProgress?: (progress: RunProgress) => void;
  /**
   * The run paused at a human-input form that Dify lets this client answer (Dify ≥ 1.14): ask the user. Undefined
   * leaves the run paused in Dify. Without this option a pause ends the run here.
   */
  answerForm?: (form: HumanInputRequiredData) => Promise<FormAnswer | undefined>;
  /** Dify did not take an answer: someone else answered the form, or its time was up. The run is followed on. */
  onFormRefused?: (form: HumanInputRequiredData, reason: 'answered' | 'expired') => void;
  /** A workflow run started earlier and left while it streamed (a window reload): followed, not started again. */
  leftRun?: { workflowRunId: string; taskId?: string };
}

/** After an answer, Dify resumes the run in the background: how often, and how long, a still-paused run is asked again. */
const RESUME_POLL_MS = 250;
const RESUME_POLLS = 40;

export async function runDifyApp(client: AppClient, mode: RunnableMode, request: RunRequest, options: RunOptions = {}): Promise<RunOutcome> {
  const progress = initialProgress();
  const { signal } = options;
  try {
    // A workflow whose connection breaks is followed to its end (re-attached or looked up); a completion message has
    // nothing to follow it by (no conversation, no run).
    const onReconnect = ({ via }: { via: 'events' | 'lookup' }) => {
      progress.reconnecting = via;
      options.onProgress?.(progress);
    };
    let stream: AsyncIterable<StreamEventLike> & { stop(): Promise<void> } =
      mode === 'completion'
        ? await client.streamCompletionMessage({ inputs: request.inputs, query: '', files: request.files }, { signal })
        : options.leftRun
          ? await followWorkflowRun(client, options.leftRun, { signal, onReconnect })
          : await client.followWorkflow({ inputs: request.inputs, files: request.files }, { signal, onReconnect });
    progress.workflowRunId ??= options.leftRun?.workflowRunId;
    const answered = new Set<string>();
    for (let polls = 0; ; ) {
      for await (const event of stream) {
        applyEvent(progress, event);
        options.onProgress?.(progress);
        // Events already buffered would still be handed out after a cancel: stop the task on Dify and read no more.
        if (signal?.aborted) {
          await stream.stop();
          return { status: 'stopped', progress: { ...progress, status: 'stopped' } };
        }
      }
      if (progress.status !== 'paused' || !options.answerForm || !progress.workflowRunId) break;
      const open = progress.forms.filter((f) => f.form_token && !answered.has(f.form_token));
      if (open.length === 0) {
        // Answered, but Dify has not resumed the run yet (it does so in the background): look again shortly.
        if (answered.size === 0 || ++polls > RESUME_POLLS) break;
        await delay(RESUME_POLL_MS, undefined, { signal });
      }
      for (const form of open) {
        if (!(await answerForm(client, form, options, signal))) return { status: 'paused', progress };
        answered.add(form.form_token!);
      }
      progress.status = 'running';
      progress.forms = [];
      progress.waitingFor = [];
      options.onProgress?.(progress);
      stream = await client.streamWorkflowEvents(progress.workflowRunId, { include_state_snapshot: true }, { signal });
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

/** Asks for one form's answer and gives it to Dify. False: the user left the form unanswered. */
async function answerForm(client: AppClient, form: HumanInputRequiredData, options: RunOptions, signal: AbortSignal | undefined): Promise<boolean> {
  if (form.expiration_time !== null && form.expiration_time * 1000 < Date.now()) {
    options.onFormRefused?.(form, 'expired');
    return true;
  }
  const answer = await options.answerForm!(form);
  if (!answer) return false;
  try {
    await client.submitHumanInputForm(form.form_token!, answer, { signal });
  } catch (error) {
    if (!(error instanceof DifyApiError && error.status === 412)) throw error;
    options.onFormRefused?.(form, error.code === 'human_input_form_expired' ? 'expired' : 'answered');
  }
  return true;
}
