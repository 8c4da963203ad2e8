// `GET /workflow/:workflow_run_id/events` (1.14+, CONSOLE §11 item 1): re-attach to a workflow or advanced-chat
// run, after a dropped connection or a human-input pause. Modelled on Dify's WorkflowEventsApi:
// * a finished run (finished_at set) gives one `workflow_finished` frame framed `data: <json.dumps>\n\n`, its key
//   order task_id (= the run id), workflow_run_id, data, event (model_dump, then `event` assigned last), and ends;
// * otherwise the handler subscribes to the run's Redis topic. That is pub/sub (CONTRACT §4.1: 1.13 streams are
//   read from a pub/sub topic), which keeps no history: a plain re-attach gets a leading ping and then ONLY the
//   frames produced from now on, never the ones already sent. include_state_snapshot=true first replays a summary
//   built from the database: workflow_started, node_started / node_finished per node execution (details nulled),
//   and workflow_paused when the run is paused; then the live frames;
// * the stream ends at workflow_finished, or at workflow_paused unless continue_on_pause=true. Dify's plain
//   re-attach passes an EMPTY terminal-event list when continue_on_pause=true, so that stream does not even end at
//   workflow_finished: it ends when no frame arrived for idleTimeoutMs (300 s), pings meanwhile. Kept here.
// Pings every pingIntervalMs; `Cache-Control: no-cache`. Booleans are `.lower() == "true"`.
import type { RouteContext, Router } from '../router.js';
import { errors } from '../router.js';
import { SseWriter } from '../sse.js';
import { since114 } from '../version.js';
import { pyJson } from '../wire.js';
import type { Apps } from './context.js';
import { notWorkflowApp, queryEndpoint } from './context.js';
import type { RunLog } from './run-log.js';
import { workflowFinishedData } from './runs.js';
import type { WorkflowRun } from './state.js';

const HEADERS = { 'Cache-Control': 'no-cache', Connection: 'keep-alive' };

const flag = (ctx: RouteContext, name: string): boolean => (ctx.query.get(name) ?? 'false').toLowerCase() === 'true';

function events(apps: Apps, ctx: RouteContext): void {
  const { app, endUser } = queryEndpoint(apps, ctx, true);
  if (app.mode !== 'workflow' && app.mode !== 'advanced-chat') throw notWorkflowApp();
  const run = apps.state.runs.get(ctx.params.workflow_run_id!);
  const log = run && apps.state.runLogs.get(run.id);
  if (!run || !log || run.appId !== app.id || run.endUserId !== endUser.id) throw errors.notFound('Workflow run not found');
  ctx.record.status = 200;
  if (run.finishedAt !== null) return finishedRun(ctx, run);
  const snapshot = flag(ctx, 'include_state_snapshot');
  const continueOnPause = flag(ctx, 'continue_on_pause');
  const terminal = new Set(snapshot || !continueOnPause ? ['workflow_finished'] : []);
  if (!continueOnPause) terminal.add('workflow_paused');

  const writer = new SseWriter(ctx.res, {
    eventDelayMs: 0,
    pingIntervalMs: apps.options.pingIntervalMs,
    idleTimeoutMs: apps.options.idleTimeoutMs,
    leadingPing: true,
    headers: HEADERS,
    fault: ctx.fault,
    errorEnvelope: () => ({}),
  });
  let idle: NodeJS.Timeout | undefined;
  let done = false;
  const end = (): void => {
    if (done) return;
    done = true;
    clearTimeout(idle);
    unsubscribe();
    void writer.finish();
  };
  const touch = (): void => {
    clearTimeout(idle);
    idle = setTimeout(end, apps.options.idleTimeoutMs);
  };
  const deliver = (frame: Record<string, unknown>): void => {
    if (done) return;
    touch();
    void writer.send(frame);
    if (terminal.has(String(frame.event))) end();
  };
  // Subscribed before the snapshot is built, as Dify buffers the topic while it reads the database.
  const unsubscribe = log.subscribe(deliver);
  ctx.res.on('close', end);
  writer.start();
  touch();
  if (snapshot) for (const frame of snapshotFrames(run, log, app.mode === 'advanced-chat')) deliver(frame);
}

/**
 * One `workflow_finished` frame in json.dumps style (spaces, \u escapes), `event` last; then the response ends. Its
 * data comes from the run, as Dify reads it from the database: the worker may not have published its own
 * workflow_finished yet.
 */
function finishedRun(ctx: RouteContext, run: WorkflowRun): void {
  const payload = { task_id: run.id, workflow_run_id: run.id, data: workflowFinishedData(run), event: 'workflow_finished' };
  ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', ...HEADERS });
  ctx.res.end(`data: ${pyJson(payload)}\n\n`);
}

const NODE_STARTED_KEYS = ['id', 'node_id', 'node_type', 'title', 'index', 'predecessor_node_id', 'created_at', 'iteration_id', 'loop_id'];

/**
 * The state snapshot (workflow_event_snapshot_service): workflow_started (reason "initial", `event` last), then per
 * node execution node_started and, unless it is still running, node_finished in their "ignore detail" form
 * (`event` first; inputs, outputs, process_data, error, execution_metadata null); workflow_paused (`event` last)
 * when the run is paused. Advanced-chat frames get conversation_id, message_id and created_at appended.
 */
export function snapshotFrames(run: WorkflowRun, log: RunLog, chat: boolean): Record<string, unknown>[] {
  const taskId = log.taskId;
  const first = log.frames[0] as Record<string, unknown> | undefined;
  const message = chat && first ? { conversation_id: first.conversation_id, message_id: first.message_id, created_at: first.created_at } : {};
  const started = log.frames.find((f) => f.event === 'workflow_started');
  const startedData = (started?.data ?? {}) as Record<string, unknown>;
  const frames: Record<string, unknown>[] = [
    {
      task_id: taskId,
      workflow_run_id: run.id,
      data: { id: run.id, workflow_id: run.workflowId, inputs: startedData.inputs ?? {}, created_at: startedData.created_at, reason: 'initial' },
      event: 'workflow_started',
      ...message,
    },
  ];
  const finishedById = new Map<unknown, Record<string, unknown>>();
  for (const f of log.frames) if (f.event === 'node_finished') finishedById.set((f.data as Record<string, unknown>).id, f.data as Record<string, unknown>);
  const seen = new Set<unknown>();
  for (const f of log.frames) {
    if (f.event !== 'node_started') continue;
    const data = f.data as Record<string, unknown>;
    if (seen.has(data.id)) continue;
    seen.add(data.id);
    const pick = Object.fromEntries(NODE_STARTED_KEYS.map((k) => [k, data[k] ?? null]));
    const base = { event: 'node_started', task_id: taskId, workflow_run_id: run.id };
    frames.push({ ...base, data: { ...pick, inputs: null, extras: {} }, ...message });
    const done = finishedById.get(data.id);
    if (!done) continue;
    frames.push({
      ...base,
      event: 'node_finished',
      data: {
        id: data.id,
        node_id: data.node_id,
        node_type: data.node_type,
        title: data.title,
        index: data.index,
        predecessor_node_id: null,
        inputs: null,
        process_data: null,
        outputs: null,
        status: done.status,
        error: null,
        elapsed_time: done.elapsed_time,
        execution_metadata: null,
        created_at: data.created_at,
        finished_at: done.finished_at,
        files: [],
        iteration_id: data.iteration_id ?? null,
        loop_id: data.loop_id ?? null,
      },
      ...message,
    });
  }
  if (run.status === 'paused') {
    const paused = [...log.frames].reverse().find((f) => f.event === 'workflow_paused');
    if (paused) frames.push({ task_id: taskId, workflow_run_id: run.id, data: paused.data, event: 'workflow_paused', ...message });
  }
  return frames;
}

/** 1.14+ only: on 1.13.2 the path is an unknown URL (werkzeug's HTML 404). */
export function registerWorkflowEvents(router: Router, apps: Apps): void {
  if (!since114(apps.options.version)) return;
  router.add('GET', '/workflow/:workflow_run_id/events', (ctx) => events(apps, ctx));
}
