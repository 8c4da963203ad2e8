// A run as the user follows it: Dify's stream events (CONTRACT.md §4.3, §4.4) folded into steps, the iteration or
// loop in progress, the streamed text and the end state. One reducer for workflow and completion apps.
import type { HumanInputRequiredData } from '../dify/index.js';

export type RunStatus = 'running' | 'succeeded' | 'partial-succeeded' | 'failed' | 'stopped' | 'paused';

export interface RunStep {
  /** The node execution id (a node inside an iteration runs once per round). */
  id: string;
  nodeId: string;
  title: string;
  type: string;
  status: 'running' | 'succeeded' | 'failed' | 'exception' | 'stopped' | 'retry';
  error?: string;
  elapsedSeconds?: number;
  /** The container round this step ran in. */
  round?: { container: string; index: number };
  /** When this client saw it start (ms since the epoch, local clock): how long a running node has been running. */
  startedAt?: number;
}

/** An iteration or loop node: Dify sends *_started / *_next / *_completed for it instead of node events. */
export interface RunContainer {
  nodeId: string;
  kind: 'iteration' | 'loop';
  title: string;
  /** 0-based round now running. */
  index: number;
  /** Rounds in all, when Dify says (iterator_length / loop_length). */
  total?: number;
  done: boolean;
}

export interface RunProgress {
  status: RunStatus;
  taskId?: string;
  workflowRunId?: string;
  messageId?: string;
  steps: RunStep[];
  containers: RunContainer[];
  /** Streamed text: text_chunk (workflow) or message answers (completion), with text_replace / message_replace. */
  text: string;
  /** workflow_finished outputs. */
  outputs?: Record<string, unknown>;
  error?: string;
  /** The first node that failed. */
  failedNode?: { title: string; type: string; error: string };
  /** Nodes waiting for a person (human-input), when the run paused. */
  waitingFor: string[];
  /** The forms of those nodes, as Dify sent them (answerable through the Service API when they have a form_token). */
  forms: HumanInputRequiredData[];
  elapsedSeconds?: number;
  totalTokens?: number;
  totalSteps?: number;
  events: number;
  /** The stream broke and the run is being followed again (re-attached, or its result looked up) until the next event. */
  reconnecting?: 'events' | 'lookup';
}

/** The fields of a stream event this reducer reads; anything else passes. */
export interface StreamEventLike {
  event: string;
  task_id?: string;
  workflow_run_id?: string;
  message_id?: string;
  answer?: string;
  data?: unknown;
  metadata?: unknown;
}

export function initialProgress(): RunProgress {
  return { status: 'running', steps: [], containers: [], text: '', waitingFor: [], forms: [], events: 0 };
}

type Data = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Folds one event into `progress` (in place, it is called per event of long streams) and returns it. */
export function applyEvent(progress: RunProgress, event: StreamEventLike): RunProgress {
  progress.events++;
  progress.reconnecting = undefined;
  progress.taskId ??= event.task_id;
  progress.workflowRunId ??= event.workflow_run_id;
  const data = (event.data && typeof event.data === 'object' ? event.data : {}) as Data;
  switch (event.event) {
    case 'node_started':
      // A re-attached run replays its nodes (state snapshot): a step is known by its execution id.
      if (!progress.steps.some((s) => s.id === str(data.id))) {
        progress.steps.push({ id: str(data.id), nodeId: str(data.node_id), title: str(data.title), type: str(data.node_type), status: 'running', round: roundOf(progress, data), startedAt: Date.now() });
      }
      break;
    case 'node_finished':
    case 'node_retry':
      finishStep(progress, data, event.event === 'node_retry');
      break;
    case 'iteration_started':
    case 'loop_started': {
      const kind = event.event === 'iteration_started' ? 'iteration' : 'loop';
      const metadata = (data.metadata ?? {}) as Data;
      const total = num(kind === 'iteration' ? metadata.iterator_length : metadata.loop_length);
      progress.containers = progress.containers.filter((c) => c.nodeId !== str(data.node_id));
      progress.containers.push({ nodeId: str(data.node_id), kind, title: str(data.title), index: 0, total, done: false });
      break;
    }
    case 'iteration_next':
    case 'loop_next': {
      const container = progress.containers.find((c) => c.nodeId === str(data.node_id));
      if (container) container.index = num(data.index) ?? container.index + 1;
      break;
    }
    case 'iteration_completed':
    case 'loop_completed': {
      const container = progress.containers.find((c) => c.nodeId === str(data.node_id));
      if (container) container.done = true;
      if (data.status === 'failed') noteFailure(progress, str(data.title), event.event.split('_')[0]!, str(data.error));
      break;
    }
    case 'text_chunk':
      progress.text += str(data.text);
      break;
    case 'text_replace':
      progress.text = str(data.text);
      break;
    case 'message':
    case 'agent_message':
      progress.messageId ??= event.message_id;
      progress.text += str(event.answer);
      break;
    case 'message_replace':
      progress.text = str(event.answer);
      break;
    case 'message_end': {
      const usage = ((event.metadata ?? {}) as Data).usage as Data | undefined;
      progress.totalTokens = num(usage?.total_tokens) ?? progress.totalTokens;
      const latency = num(usage?.latency);
      if (latency !== undefined) progress.elapsedSeconds = latency;
      // A completion ends here; in a workflow-based app workflow_finished follows and decides.
      if (!progress.workflowRunId) progress.status = 'succeeded';
      break;
    }
    case 'human_input_required':
      if (!progress.forms.some((f) => f.form_id === data.form_id)) {
        progress.waitingFor.push(str(data.node_title));
        progress.forms.push(data as unknown as HumanInputRequiredData);
      }
      break;
    case 'workflow_paused':
      progress.status = 'paused';
      progress.totalTokens = num(data.total_tokens) ?? progress.totalTokens;
      progress.elapsedSeconds = num(data.elapsed_time) ?? progress.elapsedSeconds;
      break;
    case 'workflow_finished':
      finishRun(progress, data);
      break;
  }
  return progress;
}

function roundOf(progress: RunProgress, data: Data): RunStep['round'] {
  const container = str(data.iteration_id) || str(data.loop_id);
  if (!container) return undefined;
  const index = progress.containers.find((c) => c.nodeId === container)?.index ?? 0;
  return { container, index };
}

function finishStep(progress: RunProgress, data: Data, retry: boolean): void {
  const id = str(data.id);
  let step = progress.steps.findLast((s) => s.id === id);
  if (!step) {
    step = { id, nodeId: str(data.node_id), title: str(data.title), type: str(data.node_type), status: 'running', round: roundOf(progress, data) };
    progress.steps.push(step);
  }
  const status = str(data.status);
  step.status = retry ? 'retry' : status === 'failed' || status === 'exception' || status === 'stopped' ? status : 'succeeded';
  step.elapsedSeconds = num(data.elapsed_time) ?? step.elapsedSeconds;
  if (data.error) step.error = str(data.error);
  if (step.status === 'failed') noteFailure(progress, step.title, step.type, step.error ?? '');
}

function noteFailure(progress: RunProgress, title: string, type: string, error: string): void {
  progress.failedNode ??= { title, type, error };
}

function finishRun(progress: RunProgress, data: Data): void {
  const status = str(data.status);
  progress.status = status === 'succeeded' || status === 'partial-succeeded' || status === 'failed' || status === 'stopped' ? status : 'failed';
  progress.outputs = (data.outputs && typeof data.outputs === 'object' ? data.outputs : {}) as Record<string, unknown>;
  if (data.error) progress.error = str(data.error);
  progress.elapsedSeconds = num(data.elapsed_time) ?? progress.elapsedSeconds;
  progress.totalTokens = num(data.total_tokens) ?? progress.totalTokens;
  progress.totalSteps = num(data.total_steps) ?? progress.totalSteps;
  for (const step of progress.steps) if (step.status === 'running') step.status = progress.status === 'stopped' ? 'stopped' : step.status;
}

/** What the run is doing now, for a one-line progress message. */
export type RunActivity =
  | { kind: 'starting' }
  | { kind: 'node'; title: string; type: string; container?: RunContainer; startedAt?: number }
  | { kind: 'container'; container: RunContainer }
  | { kind: 'writing' }
  | { kind: 'done' };

export function currentActivity(progress: RunProgress): RunActivity {
  if (progress.status !== 'running') return { kind: 'done' };
  const running = progress.steps.findLast((s) => s.status === 'running');
  const container = progress.containers.findLast((c) => !c.done);
  if (running) {
    const inside = running.round ? progress.containers.find((c) => c.nodeId === running.round!.container) : undefined;
    return { kind: 'node', title: running.title, type: running.type, container: inside, startedAt: running.startedAt };
  }
  if (container) return { kind: 'container', container };
  if (progress.text) return { kind: 'writing' };
  return { kind: 'starting' };
}

/** Finished steps so far (a retried attempt is not a step). */
export const finishedSteps = (progress: RunProgress): number => progress.steps.filter((s) => s.status !== 'running' && s.status !== 'retry').length;
