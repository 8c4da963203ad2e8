// Workflow runs on the 1.13 pub/sub path (leading ping, hang on worker-side errors), plus /workflows/run,
// /workflows/:id/run, /workflows/run/:id and /workflows/logs (CONTRACT §3.7, §4, §5.3). Chatflows: chatflow.ts.
import type { RouteContext, Router } from '../router.js';
import { HttpError, errors } from '../router.js';
import { Validator, unix, uuid } from '../pyfmt.js';
import { PyFloat, pyJson } from '../wire.js';
import { sendBlocking } from './chat.js';
import type { Apps } from './context.js';
import { enterRateLimit, hangStream, jsonEndpoint, notWorkflowApp, queryEndpoint, runSink } from './context.js';
import { RunEmitter, iterationGraph } from './engine.js';
import type { AppSpec } from './fixtures.js';
import { agentGraph } from './graphs.js';
import { HUMAN_NODE, awaitForm, humanInputPause, resumeHumanNode } from './human-input.js';
import { largeNode, slowNode } from './long-runs.js';
import { wantsReasoning } from './reasoning.js';
import { since115 } from '../version.js';
import { prepareFiles, prepareInputs } from './inputs.js';
import { blockingRunBody, fileDict, finishRun, newRun, pauseRun, resolveWorkflowId, runDetail, startNode } from './runs.js';
import type { EndUser, MessageFile } from './state.js';

/** One workflow run being produced. */
interface WorkflowJob {
  apps: Apps;
  app: AppSpec;
  endUser: EndUser;
  em: RunEmitter;
  inputs: Record<string, unknown>;
  sysInputs: Record<string, unknown>;
}

/**
 * The workflow app graphs: summary (Start, LLM, End; a topic with "think" runs a reasoning model), iteration,
 * failing, agent (node_retry, agent_log), humanInput (Start, LLM, a human-input node: human_input_required then
 * workflow_paused, the stream's last frame; on 1.14+ the form's answer resumes the run), fileInput (Start, document
 * extractor, LLM, End), slow (a crawler node that runs slowNodeMs) and large (a code node with size_kb KB of output).
 */
async function produceWorkflow(job: WorkflowJob): Promise<void> {
  const { apps, app, em, inputs, sysInputs } = job;
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
    await finishRun(em, started, 'failed', {}, error);
    await em.sink.finish();
    return;
  }
  if (kind === 'iteration') {
    const items = String(inputs.items ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    outputs = await iterationGraph(em, items);
  } else if (kind === 'agent') {
    outputs = await agentGraph(em, String(inputs.city ?? '') || 'Berlin');
  } else if (kind === 'fileInput') {
    outputs = await fileInputGraph(em, inputs);
  } else if (kind === 'large') {
    outputs = await largeNode(em, Number(inputs.size_kb ?? 2048));
  } else {
    const topic = String(inputs.topic ?? '');
    let prompt = topic;
    if (kind === 'slow') {
      const crawled = await slowNode(em, topic, apps.options.slowNodeMs);
      prompt = crawled === undefined ? '' : `${topic} ${crawled}`;
    }
    const llm = { id: '1741234568002', type: 'llm', title: 'Summarize' };
    const reasoning = wantsReasoning(topic) ? { format: since115(apps.options.version) ? ('separated' as const) : ('tagged' as const), messageId: null } : undefined;
    const result = em.checkStop()
      ? undefined
      : await em.llmNode(llm, prompt, (text) => em.emitPlain('text_chunk', { text, from_variable_selector: [llm.id, 'text'] }), reasoning);
    if (result) outputs = { text: result.text };
    if (result && kind === 'humanInput' && !em.checkStop()) {
      await pauseForReview(job, started, result.text);
      return;
    }
  }
  if (!outputs || em.checkStop()) {
    await finishRun(em, started, 'stopped', {}, 'Stopped by user.');
  } else {
    await endNode(em, outputs);
    await finishRun(em, started, 'succeeded', outputs, null);
  }
  await em.sink.finish();
}

async function endNode(em: RunEmitter, outputs: Record<string, unknown>): Promise<void> {
  const exec = await em.nodeStarted({ id: '1741234568003', type: 'end', title: 'End' });
  await em.nodeFinished(exec, { inputs: outputs, outputs });
}

/** The human-input node pauses the run; on 1.14+ the form's answer resumes it (End: text, comment, action). */
async function pauseForReview(job: WorkflowJob, started: number, draft: string): Promise<void> {
  const { apps, app, endUser, em } = job;
  const pause = await humanInputPause(em, apps, app, draft);
  await pauseRun(em, started, [HUMAN_NODE.id], [pause.reason]);
  await em.sink.finish();
  const form = pause.form;
  if (!form) return;
  awaitForm(apps, app, endUser, em, form, async (resumed, outcome) => {
    if (!(await resumeHumanNode(resumed, form, outcome, apps.options.version))) {
      await finishRun(resumed, started, 'failed', {}, 'Human input form timed out.');
      return;
    }
    const outputs = { text: draft, comment: outcome.kind === 'submitted' ? (outcome.inputs.comment ?? null) : null, action: outcome.kind === 'submitted' ? outcome.action : null };
    await endNode(resumed, outputs);
    await finishRun(resumed, started, 'succeeded', outputs, null);
  });
}

/** Start, a document extractor on the `doc` file input, an LLM told the instruction and the file name, End. */
async function fileInputGraph(em: RunEmitter, inputs: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const doc = (inputs.doc ?? {}) as Record<string, unknown>;
  const filename = String(doc.filename ?? '');
  const extractor = await em.nodeStarted({ id: '1741234571002', type: 'document-extractor', title: 'Read document' });
  const extracted = `${filename} (${String(doc.size ?? 0)} bytes)`;
  await em.nodeFinished(extractor, { inputs: { doc }, outputs: { text: extracted } });
  const llm = { id: '1741234571003', type: 'llm', title: 'Follow instruction' };
  const prompt = `${String(inputs.instruction ?? '') || 'Summarize'}: ${filename}`;
  const result = await em.llmNode(llm, prompt, (text) => em.emitPlain('text_chunk', { text, from_variable_selector: [llm.id, 'text'] }));
  return result ? { text: result.text, file_name: filename } : undefined;
}

export interface WorkflowRunPayload {
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
  const exit = enterRateLimit(apps, app);
  try {
    await runWorkflowApp(apps, ctx, app, endUser, payload, { workflowId: resolveWorkflowId(app, requestedId), titles: app.workflow?.titles });
  } finally {
    exit();
  }
}

/** Which version a run executes: a published one (Service API), or the console's draft (a debugger run). */
export interface RunVersion {
  workflowId: string;
  /** The version's node titles where they differ from the built-in ones. */
  titles?: Record<string, string>;
  draft?: boolean;
}

/** AppGenerateService.generate for a workflow app, after the rate limit let it in. */
export async function runWorkflowApp(apps: Apps, ctx: RouteContext, app: AppSpec, endUser: EndUser, payload: WorkflowRunPayload, version: RunVersion): Promise<void> {
  const { workflowId } = version;
  let inputs: Record<string, unknown>;
  let files: MessageFile[];
  try {
    files = prepareFiles(apps, app, payload.files, true);
    inputs = prepareInputs(app, payload.inputs, { apps, strict: true });
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
  const { run, log } = newRun(apps, app, endUser, workflowId, sysInputs, runId, task.id, version.draft);
  const envelope = (event: string): Record<string, unknown> => ({ event, workflow_run_id: run.id });
  const sink = runSink(apps, ctx, payload.streaming, log, () => envelope('error'));
  const em = new RunEmitter(sink, task, run, envelope, version.titles);
  try {
    await produceWorkflow({ apps, app, endUser, em, inputs, sysInputs });
  } finally {
    apps.state.endTask(task);
  }
  if (!payload.streaming) sendBlocking(ctx, blockingRunBody(task.id, run, apps.options.version));
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
