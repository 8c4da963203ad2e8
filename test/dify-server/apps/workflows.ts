// Workflow and advanced-chat runs on the 1.13 pub/sub path (leading ping, hang on worker-side errors),
// plus /workflows/run, /workflows/:id/run, /workflows/run/:id and /workflows/logs (CONTRACT §3.7, §4, §5.3).
import type { RouteContext, Router } from '../router.js';
import { HttpError, errors } from '../router.js';
import { Validator, isUuid, unix, uuid } from '../pyfmt.js';
import { PyFloat, pyJson } from '../wire.js';
import type { ChatPayload } from './chat.js';
import { completeRecords, findConversation, initRecords, sendBlocking } from './chat.js';
import type { Apps, Sink } from './context.js';
import { BlockingSink, hangStream, jsonEndpoint, notWorkflowApp, openStream, queryEndpoint, usageBlock } from './context.js';
import { RunEmitter, elapsed, iterationGraph } from './engine.js';
import type { AppSpec } from './fixtures.js';
import { TENANT_ID } from './fixtures.js';
import { prepareFiles, prepareInputs } from './inputs.js';
import type { EndUser, MessageFile, WorkflowRun } from './state.js';

const WORKFLOW_VERSION = '2026-03-21 12:00:00.000000';

/** `_get_workflow`: the published workflow to run (400 bad_request / 404 / draft 400). */
function resolveWorkflowId(app: AppSpec, requested: string | null | undefined): string {
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

function fileDict(f: MessageFile): Record<string, unknown> {
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

function newRun(apps: Apps, app: AppSpec, endUser: EndUser, workflowId: string, runInputs: Record<string, unknown>, id: string): WorkflowRun {
  const run: WorkflowRun = {
    id,
    appId: app.id,
    workflowId,
    version: WORKFLOW_VERSION,
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
    logId: app.mode === 'workflow' ? uuid() : null,
  };
  apps.state.runs.set(run.id, run);
  return run;
}

/** Finishes the run record and emits workflow_finished. */
async function finishRun(
  em: RunEmitter,
  endUser: EndUser,
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
  await em.emit('workflow_finished', {
    id: run.id,
    workflow_id: run.workflowId,
    status,
    outputs,
    error,
    elapsed_time: new PyFloat(run.elapsedTime),
    total_tokens: run.totalTokens,
    total_steps: run.totalSteps,
    created_by: { id: endUser.id, user: endUser.sessionId },
    created_at: unix(run.createdAt),
    finished_at: unix(run.finishedAt!),
    exceptions_count: 0,
    files: [],
  });
}

async function startNode(em: RunEmitter, id: string, io: Record<string, unknown>): Promise<void> {
  const exec = await em.nodeStarted({ id, type: 'start', title: 'Start' });
  await em.nodeFinished(exec, { inputs: io, outputs: io });
}

/** The workflow app graphs: summary (Start, LLM, End), iteration, failing. */
async function produceWorkflow(em: RunEmitter, app: AppSpec, endUser: EndUser, inputs: Record<string, unknown>, sysInputs: Record<string, unknown>): Promise<void> {
  const started = Date.now();
  const run = em.run;
  await em.emit('workflow_started', { id: run.id, workflow_id: run.workflowId, inputs: sysInputs, created_at: unix(run.createdAt), reason: 'initial' });
  await startNode(em, '1741234568001', sysInputs);
  const kind = app.workflow!.kind;
  let outputs: Record<string, unknown> | undefined;
  if (kind === 'failing') {
    const exec = await em.nodeStarted({ id: '1741234570002', type: 'code', title: 'Divide 除法' });
    const error = 'ZeroDivisionError: division by zero';
    await em.nodeFinished(exec, { inputs: { a: 1, b: 0 }, status: 'failed', error });
    await finishRun(em, endUser, started, 'failed', {}, error);
    await em.sink.finish();
    return;
  }
  if (kind === 'iteration') {
    const items = String(inputs.items ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    outputs = await iterationGraph(em, items);
  } else {
    const topic = String(inputs.topic ?? '');
    const llm = { id: '1741234568002', type: 'llm', title: 'Summarize' };
    const result = await em.llmNode(llm, topic, (text) => em.emitPlain('text_chunk', { text, from_variable_selector: [llm.id, 'text'] }));
    if (result) outputs = { text: result.text };
  }
  if (!outputs || em.checkStop()) {
    await finishRun(em, endUser, started, 'stopped', {}, 'Stopped by user.');
  } else {
    const exec = await em.nodeStarted({ id: '1741234568003', type: 'end', title: 'End' });
    await em.nodeFinished(exec, { inputs: outputs, outputs });
    await finishRun(em, endUser, started, 'succeeded', outputs, null);
  }
  await em.sink.finish();
}

interface WorkflowRunPayload {
  inputs: Record<string, unknown>;
  files: unknown;
  streaming: boolean;
}

function parseWorkflowPayload(body: Record<string, unknown>): WorkflowRunPayload {
  const v = new Validator('WorkflowRunPayload', body);
  const inputs = v.dict('inputs', { required: true });
  if (body.files !== undefined && body.files !== null && !Array.isArray(body.files)) {
    v.issue('files', 'Input should be a valid list', 'list_type', body.files);
  }
  const mode = v.literal('response_mode', ['blocking', 'streaming'] as const, null);
  v.throwIfAny();
  return { inputs: inputs!, files: body.files, streaming: mode === 'streaming' };
}

async function workflowRun(apps: Apps, ctx: RouteContext, requestedId?: string): Promise<void> {
  const { app, body, endUser } = await jsonEndpoint(apps, ctx, true);
  if (app.mode !== 'workflow') throw notWorkflowApp();
  const payload = parseWorkflowPayload(body);
  const workflowId = resolveWorkflowId(app, requestedId);
  let inputs: Record<string, unknown>;
  let files: MessageFile[];
  try {
    files = prepareFiles(apps, app, payload.files, true);
    inputs = prepareInputs(app, payload.inputs);
  } catch (e) {
    // On 1.13 these checks run in the Celery worker: a streaming client sees a ping, then nothing (§6.2).
    if (payload.streaming && e instanceof HttpError) return hangStream(apps, ctx);
    throw e;
  }
  const runId = uuid();
  const task = apps.state.startTask(app, endUser);
  const sysInputs = {
    ...inputs,
    'sys.files': files.map(fileDict),
    'sys.user_id': endUser.sessionId,
    'sys.app_id': app.id,
    'sys.workflow_id': workflowId,
    'sys.workflow_run_id': runId,
    'sys.timestamp': unix(Date.now()),
  };
  const run = newRun(apps, app, endUser, workflowId, sysInputs, runId);
  const envelope = (event: string): Record<string, unknown> => ({ event, workflow_run_id: run.id });
  const sink: Sink = payload.streaming ? openStream(apps, ctx, true, () => envelope('error')) : new BlockingSink(apps.options.eventDelayMs);
  const em = new RunEmitter(sink, task, run, envelope);
  try {
    await produceWorkflow(em, app, endUser, inputs, sysInputs);
  } finally {
    apps.state.endTask(task);
  }
  if (!payload.streaming) {
    sendBlocking(ctx, {
      task_id: task.id,
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
      },
    });
  }
}

/** advanced-chat: ping, workflow_started, Start / LLM (message deltas) / Answer, message_end, workflow_finished. */
export async function runAdvancedChat(apps: Apps, ctx: RouteContext, app: AppSpec, endUser: EndUser, payload: ChatPayload): Promise<void> {
  const workflowId = resolveWorkflowId(app, payload.workflowId);
  let prepared;
  try {
    if (!payload.query) throw errors.invalidParam('query is required');
    const existing = findConversation(apps, app, endUser, payload.conversationId);
    const files = prepareFiles(apps, app, payload.files, false);
    const inputs = prepareInputs(app, payload.inputs);
    prepared = { existing, files, inputs };
  } catch (e) {
    // Worker-side failures publish nothing on 1.13 (langgenius/dify#37197): ping, then silence.
    if (payload.streaming && e instanceof HttpError) return hangStream(apps, ctx);
    throw e;
  }
  const { conversation, message } = initRecords(apps, app, endUser, prepared.existing, payload, prepared.inputs, prepared.files);
  const task = apps.state.startTask(app, endUser);
  const runId = uuid();
  const sys = {
    'sys.files': prepared.files.map(fileDict),
    'sys.user_id': endUser.sessionId,
    'sys.app_id': app.id,
    'sys.workflow_id': workflowId,
    'sys.workflow_run_id': runId,
    'sys.query': payload.query,
    'sys.dialogue_count': conversation.messages.length,
  };
  const startedInputs = { ...prepared.inputs, ...sys };
  const run = newRun(apps, app, endUser, workflowId, startedInputs, runId);
  const created = unix(message.createdAt);
  const envelope = (event: string): Record<string, unknown> => ({ event, conversation_id: conversation.id, message_id: message.id, created_at: created });
  const sink: Sink = payload.streaming ? openStream(apps, ctx, true, () => envelope('error')) : new BlockingSink(apps.options.eventDelayMs);
  const em = new RunEmitter(sink, task, run, envelope);
  const started = Date.now();
  try {
    await em.emit('workflow_started', { id: run.id, workflow_id: workflowId, inputs: startedInputs, created_at: unix(run.createdAt), reason: 'initial' });
    const { 'sys.query': query, ...rest } = sys;
    const startIo = { ...prepared.inputs, 'sys.query': query, ...rest };
    await startNode(em, '1741234567001', startIo);
    let answer = '';
    const llm = await em.llmNode({ id: 'llm', type: 'llm', title: 'LLM' }, payload.query, async (delta) => {
      answer += delta;
      await em.sink.send({ ...envelope('message'), task_id: task.id, id: message.id, answer: delta, from_variable_selector: ['llm', 'text'] });
    });
    message.answer = answer;
    if (!llm) {
      await finishRun(em, endUser, started, 'stopped', {}, 'Stopped by user.');
      await sink.finish();
      return;
    }
    const exec = await em.nodeStarted({ id: 'answer', type: 'answer', title: 'Answer' });
    const outputs = { answer, files: [] };
    await em.nodeFinished(exec, { outputs });
    const usage = em.runUsage(started);
    const metadata = { annotation_reply: null, retriever_resources: [], usage: usageBlock(usage, 'stream') };
    await sink.send({ ...envelope('message_end'), task_id: task.id, id: message.id, metadata, files: [] });
    await finishRun(em, endUser, started, 'succeeded', outputs, null);
    await sink.finish();
    completeRecords(conversation, message);
    if (!payload.streaming) {
      sendBlocking(ctx, {
        event: 'message',
        task_id: task.id,
        id: message.id,
        message_id: message.id,
        conversation_id: conversation.id,
        mode: 'advanced-chat',
        answer,
        metadata: { ...metadata, usage: usageBlock(usage, 'fixed') },
        created_at: created,
      });
    }
  } finally {
    apps.state.endTask(task);
  }
}

function runDetail(run: WorkflowRun): Record<string, unknown> {
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

export function registerWorkflows(router: Router, apps: Apps): void {
  router.add('POST', '/workflows/run', (ctx) => workflowRun(apps, ctx));
  router.add('POST', '/workflows/:workflow_id/run', (ctx) => workflowRun(apps, ctx, ctx.params.workflow_id));

  router.add('GET', '/workflows/run/:workflow_run_id', (ctx) => {
    const { app } = queryEndpoint(apps, ctx);
    if (app.mode !== 'workflow' && app.mode !== 'advanced-chat') throw notWorkflowApp();
    const run = apps.state.runs.get(ctx.params.workflow_run_id!);
    if (!run || run.appId !== app.id) throw errors.notFound('Workflow run not found.');
    ctx.send(200, runDetail(run));
  });

  router.add('GET', '/workflows/logs', (ctx) => {
    const { app } = queryEndpoint(apps, ctx);
    const q = Object.fromEntries(ctx.query.entries());
    const v = new Validator('WorkflowLogQuery', q);
    const status = v.literal('status', ['succeeded', 'failed', 'stopped'] as const, null);
    const page = v.int('page', { def: 1, ge: 1, le: 99999 });
    const limit = v.int('limit', { def: 20, ge: 1, le: 100 });
    v.throwIfAny();
    const keyword = (q.keyword ?? '').slice(0, 30).toLowerCase();
    const session = q.created_by_end_user_session_id;
    const before = q.created_at__before ? Date.parse(q.created_at__before) : undefined;
    const after = q.created_at__after ? Date.parse(q.created_at__after) : undefined;
    const runs = [...apps.state.runs.values()]
      .filter((r) => r.appId === app.id && r.logId)
      .filter((r) => !status || r.status === status)
      .filter((r) => !session || r.sessionId === session)
      .filter((r) => before === undefined || r.createdAt <= before)
      .filter((r) => after === undefined || r.createdAt >= after)
      .filter(
        (r) =>
          !keyword ||
          r.id === keyword ||
          r.inputs.toLowerCase().includes(keyword) ||
          pyJson(r.outputs ?? {}).toLowerCase().includes(keyword) ||
          r.sessionId.toLowerCase().includes(keyword),
      )
      .sort((a, b) => b.createdAt - a.createdAt);
    const slice = runs.slice((page - 1) * limit, page * limit);
    ctx.send(200, {
      page,
      limit,
      total: runs.length,
      has_more: page * limit < runs.length,
      data: slice.map((r) => ({
        id: r.logId,
        workflow_run: {
          id: r.id,
          version: r.version,
          status: r.status,
          triggered_from: 'app-run',
          error: r.error,
          elapsed_time: new PyFloat(r.elapsedTime),
          total_tokens: r.totalTokens,
          total_steps: r.totalSteps,
          created_at: unix(r.createdAt),
          finished_at: r.finishedAt === null ? null : unix(r.finishedAt),
          exceptions_count: 0,
        },
        details: null,
        created_from: 'service-api',
        created_by_role: 'end_user',
        created_by_account: null,
        created_by_end_user: { id: r.endUserId, type: 'service_api', is_anonymous: r.sessionId === 'DEFAULT-USER', session_id: r.sessionId },
        created_at: unix(r.createdAt),
      })),
    });
  });
}
