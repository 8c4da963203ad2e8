// What workflow and advanced-chat runs share: the published workflow lookup, run records, workflow_finished,
// workflow_paused and the Start node (CONTRACT §3.7, §4.3, §5.3).
import { errors } from '../router.js';
import { isUuid, unix, uuid } from '../pyfmt.js';
import { PyFloat, pyJson } from '../wire.js';
import type { Apps } from './context.js';
import type { RunEmitter } from './engine.js';
import { elapsed } from './engine.js';
import type { AppSpec } from './fixtures.js';
import { TENANT_ID } from './fixtures.js';
import { RunLog } from './run-log.js';
import type { EndUser, MessageFile, WorkflowRun } from './state.js';
import { since114 } from '../version.js';
import type { DifyVersion } from '../version.js';

const WORKFLOW_VERSION = '2026-03-21 12:00:00.000000';

/** `_get_workflow`: the published workflow to run (400 bad_request / 404 / draft 400). */
export function resolveWorkflowId(app: AppSpec, requested: string | null | undefined): string {
  const wf = app.workflow!;
  if (!requested) return wf.id;
  if (!isUuid(requested)) throw errors.badRequest(`Invalid workflow_id format: '${requested}'. `);
  const id = requested.toLowerCase();
  if (id === wf.draftId) {
    throw errors.badRequest(
      `Cannot use draft workflow version. Workflow ID: ${requested}. Please use a published workflow version or leave workflow_id empty.`,
    );
  }
  if (id !== wf.id && id !== wf.previousId) throw errors.notFound(`Workflow not found with id: ${requested}`);
  return id;
}

/** A File dict as workflow inputs (`sys.files`) and outputs carry it. */
export function fileDict(f: MessageFile): Record<string, unknown> {
  return {
    dify_model_identity: '__dify__file__',
    id: f.id,
    tenant_id: TENANT_ID,
    type: f.type,
    transfer_method: f.transferMethod,
    remote_url: f.remoteUrl || null,
    related_id: f.uploadFileId,
    filename: f.filename,
    extension: f.extension,
    mime_type: f.mimeType,
    size: f.size,
    url: f.url,
  };
}

/** The run record and its (empty) event log; `taskId` is the task producing it. */
export function newRun(
  apps: Apps,
  app: AppSpec,
  endUser: EndUser,
  workflowId: string,
  runInputs: Record<string, unknown>,
  id: string,
  taskId: string,
  /** A console draft run (debugger): version `draft`, no workflow app log. */
  draft = false,
): { run: WorkflowRun; log: RunLog } {
  const run: WorkflowRun = {
    id,
    appId: app.id,
    workflowId,
    version: draft ? 'draft' : WORKFLOW_VERSION,
    status: 'running',
    inputs: pyJson(runInputs),
    outputs: null,
    error: null,
    totalSteps: 0,
    totalTokens: 0,
    createdAt: apps.state.clock.now(),
    finishedAt: null,
    elapsedTime: 0,
    endUserId: endUser.id,
    sessionId: endUser.sessionId,
    logId: app.mode === 'workflow' && !draft ? uuid() : null,
  };
  apps.state.runs.set(run.id, run);
  const log = new RunLog(taskId);
  apps.state.runLogs.set(run.id, log);
  return { run, log };
}

/** Finishes the run record and emits workflow_finished. */
export async function finishRun(
  em: RunEmitter,
  startedAt: number,
  status: WorkflowRun['status'],
  outputs: Record<string, unknown>,
  error: string | null,
): Promise<void> {
  const { run } = em;
  Object.assign(run, {
    status,
    outputs,
    error,
    totalSteps: em.steps,
    totalTokens: em.tokens,
    elapsedTime: elapsed(startedAt),
    finishedAt: Date.now(),
  });
  await em.emit('workflow_finished', workflowFinishedData(run));
}

/**
 * `workflow_finished.data` of a finished run, from the run itself (Dify's workflow_run_result_to_finish_response
 * reads the database row): the stream's terminal event, and what re-attaching to a finished run gives.
 */
export function workflowFinishedData(run: WorkflowRun): Record<string, unknown> {
  return {
    id: run.id,
    workflow_id: run.workflowId,
    status: run.status,
    outputs: run.outputs,
    error: run.error,
    elapsed_time: new PyFloat(run.elapsedTime),
    total_tokens: run.totalTokens,
    total_steps: run.totalSteps,
    created_by: { id: run.endUserId, user: run.sessionId },
    created_at: unix(run.createdAt),
    finished_at: run.finishedAt === null ? null : unix(run.finishedAt),
    exceptions_count: 0,
    files: [],
  };
}

/**
 * Pauses the run (status `paused`, outputs `{}`, no finished_at) and emits workflow_paused, the terminal event of a
 * paused run on the 1.13 pub/sub path. `reasons` are the pause reasons of the pending forms.
 */
export async function pauseRun(em: RunEmitter, startedAt: number, pausedNodes: string[], reasons: Record<string, unknown>[]): Promise<void> {
  const { run } = em;
  Object.assign(run, {
    status: 'paused',
    outputs: {},
    error: null,
    totalSteps: em.steps,
    totalTokens: em.tokens,
    elapsedTime: elapsed(startedAt),
    finishedAt: null,
    pausedNodes,
    pauseReasons: reasons,
  });
  await em.emit('workflow_paused', {
    workflow_run_id: run.id,
    paused_nodes: pausedNodes,
    outputs: {},
    reasons,
    status: 'paused',
    created_at: unix(run.createdAt),
    elapsed_time: new PyFloat(run.elapsedTime),
    total_tokens: run.totalTokens,
    total_steps: run.totalSteps,
  });
}

export async function startNode(em: RunEmitter, id: string, io: Record<string, unknown>): Promise<void> {
  const exec = await em.nodeStarted({ id, type: 'start', title: 'Start' });
  await em.nodeFinished(exec, { inputs: io, outputs: io });
}

/** `GET /workflows/run/:id` (§3.7): inputs as the raw JSON text, outputs `{}` while running or paused. */
export function runDetail(run: WorkflowRun): Record<string, unknown> {
  return {
    id: run.id,
    workflow_id: run.workflowId,
    status: run.status,
    inputs: run.inputs,
    outputs: run.outputs ?? {},
    error: run.error,
    total_steps: run.totalSteps,
    total_tokens: run.totalTokens,
    created_at: unix(run.createdAt),
    finished_at: run.finishedAt === null ? null : unix(run.finishedAt),
    elapsed_time: new PyFloat(run.elapsedTime),
  };
}

/** The blocking workflow response (§5.3); a paused run on 1.14+ adds `paused_nodes` and `reasons` (CONSOLE §11.3). */
export function blockingRunBody(taskId: string, run: WorkflowRun, version: DifyVersion): Record<string, unknown> {
  const paused = run.status === 'paused' && since114(version) ? { paused_nodes: run.pausedNodes ?? [], reasons: run.pauseReasons ?? [] } : {};
  return {
    task_id: taskId,
    workflow_run_id: run.id,
    data: {
      id: run.id,
      workflow_id: run.workflowId,
      status: run.status,
      outputs: run.outputs,
      error: run.error,
      elapsed_time: new PyFloat(run.elapsedTime),
      total_tokens: run.totalTokens,
      total_steps: run.totalSteps,
      created_at: unix(run.createdAt),
      finished_at: run.finishedAt === null ? null : unix(run.finishedAt),
      ...paused,
    },
  };
}
