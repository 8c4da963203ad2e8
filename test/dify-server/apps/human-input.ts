// Human-input nodes (CONTRACT §4.3; CONSOLE §11 items 2, 5): the node pauses its run with human_input_required
// then workflow_paused. From 1.14 on the form has a `form_token` that `GET|POST /form/human_input/:form_token`
// answers; the answer (or the form's timeout) resumes the run in the background: workflow_started (reason
// "resumption"), the human-input node again with human_input_form_filled (or human_input_form_timeout), the rest of
// the graph, workflow_finished. A client follows that with `GET /workflow/:run_id/events` (events-stream.ts).
import { randomBytes } from 'node:crypto';
import { HttpError, errors } from '../router.js';
import type { RouteContext, Router } from '../router.js';
import { Validator, unix, uuid } from '../pyfmt.js';
import { since114, since115 } from '../version.js';
import { pyJsonUtf8 } from '../wire.js';
import type { Apps } from './context.js';
import { authApp, jsonEndpoint } from './context.js';
import { RunEmitter } from './engine.js';
import type { NodeDef } from './engine.js';
import type { AppSpec } from './fixtures.js';
import { LoggedSink } from './run-log.js';
import type { EndUser, FormOutcome, HumanForm } from './state.js';

export const HUMAN_NODE: NodeDef = { id: '1741234574003', type: 'human-input', title: 'Review 审核' };
/** `human_input_required.data.approval_channels` (1.15): where the form can be answered. The values are invented. */
export const APPROVAL_CHANNELS = ['service_api', 'webapp'];
/** setTimeout's ceiling (~24.8 days); a longer form timeout never fires while the server runs. */
const MAX_TIMER_MS = 2_147_483_647;

export interface HumanPause {
  /** The pause reason (pause_reason.HumanInputRequired, in its field order) that workflow_paused lists. */
  reason: Record<string, unknown>;
  /** The form to answer; undefined on 1.13.2 (no Service API endpoint for it). */
  form?: HumanForm;
}

/** node_started, then one human_input_required (1.15 adds approval_channels); registers the form on 1.14+. */
export async function humanInputPause(em: RunEmitter, apps: Apps, app: AppSpec, draft: string): Promise<HumanPause> {
  const version = apps.options.version;
  await em.nodeStarted(HUMAN_NODE);
  const formId = uuid();
  const token = since114(version) ? randomBytes(16).toString('base64url') : null;
  const expiresAt = Date.now() + apps.options.humanInputTimeoutMs;
  const inputs = [{ type: 'paragraph', output_variable_name: 'comment', default: null }];
  const actions = [
    { id: 'approve', title: 'Approve 通过', button_style: 'primary' },
    { id: 'reject', title: 'Reject', button_style: 'default' },
  ];
  const formContent = `Please review the draft:\n\n${draft}\n\n{{#$output.comment#}}`;
  await em.emit('human_input_required', {
    form_id: formId,
    node_id: HUMAN_NODE.id,
    node_title: HUMAN_NODE.title,
    form_content: formContent,
    inputs,
    actions,
    display_in_ui: true,
    form_token: token,
    resolved_default_values: {},
    expiration_time: unix(expiresAt),
    ...(since115(version) ? { approval_channels: APPROVAL_CHANNELS } : {}),
  });
  const reason = {
    TYPE: 'human_input_required',
    form_id: formId,
    form_content: formContent,
    inputs,
    actions,
    display_in_ui: true,
    node_id: HUMAN_NODE.id,
    node_title: HUMAN_NODE.title,
    resolved_default_values: {},
    form_token: token,
  };
  if (token === null) return { reason };
  const form: HumanForm = {
    token,
    id: formId,
    appId: app.id,
    runId: em.run.id,
    nodeId: HUMAN_NODE.id,
    nodeTitle: HUMAN_NODE.title,
    formContent,
    inputs,
    actions,
    resolvedDefaults: {},
    expiresAt,
    status: 'waiting',
  };
  apps.state.forms.set(token, form);
  return { reason, form };
}

/**
 * Waits for the form (submission or timeout) in the background, then runs `resume` on a fresh emitter: a new task,
 * no client attached (its frames reach the run's event log only), counters carried over from the paused run.
 */
export function awaitForm(
  apps: Apps,
  app: AppSpec,
  endUser: EndUser,
  paused: RunEmitter,
  form: HumanForm,
  resume: (em: RunEmitter, outcome: FormOutcome) => Promise<void>,
): void {
  form.resume = (outcome) => {
    form.resume = undefined;
    clearTimeout(form.timer);
    const log = apps.state.runLogs.get(form.runId)!;
    const task = apps.state.startTask(app, endUser);
    log.taskId = task.id;
    log.phase = 'running';
    const sink = new LoggedSink(log, undefined, apps.options.eventDelayMs);
    const em = new RunEmitter(sink, task, paused.run, paused.envelope, app.workflow?.titles);
    Object.assign(em, { index: paused.index, steps: paused.steps, tokens: paused.tokens, promptTokens: paused.promptTokens, completionTokens: paused.completionTokens });
    paused.run.status = 'running';
    resume(em, outcome)
      .catch((e: unknown) => console.error('[dify-test-server] resumed run crashed', e))
      .finally(() => apps.state.endTask(task));
  };
  const delay = Math.max(0, form.expiresAt - Date.now());
  if (delay <= MAX_TIMER_MS) {
    form.timer = setTimeout(() => expire(form), delay);
    form.timer.unref();
  }
}

/** The form's time is up: it can no longer be answered, and its run resumes with human_input_form_timeout. */
function expire(form: HumanForm): void {
  if (form.status !== 'waiting') return;
  form.status = 'timeout';
  form.resume?.({ kind: 'timeout' });
}

/** workflow_started (reason "resumption"), then the human-input node again with the form's outcome. */
export async function resumeHumanNode(em: RunEmitter, form: HumanForm, outcome: FormOutcome, version: Apps['options']['version']): Promise<boolean> {
  const { run } = em;
  await em.emit('workflow_started', { id: run.id, workflow_id: run.workflowId, inputs: JSON.parse(run.inputs) as unknown, created_at: unix(run.createdAt), reason: 'resumption' });
  const exec = await em.nodeStarted(HUMAN_NODE);
  if (outcome.kind === 'timeout') {
    await em.emit('human_input_form_timeout', { node_id: form.nodeId, node_title: form.nodeTitle, expiration_time: unix(form.expiresAt) });
    // What the node does after its timeout is not in CONTRACT/CONSOLE: here it fails the run.
    await em.nodeFinished(exec, { status: 'failed', error: 'Human input form timed out.' });
    return false;
  }
  const action = form.actions.find((a) => a.id === outcome.action)!;
  const rendered = form.formContent.replace(/\{\{#\$output\.(\w+)#\}\}/g, (_m, name: string) => String(outcome.inputs[name] ?? ''));
  await em.emit('human_input_form_filled', {
    node_id: form.nodeId,
    node_title: form.nodeTitle,
    rendered_content: rendered,
    action_id: action.id,
    action_text: action.title,
    ...(since115(version) ? { submitted_data: outcome.inputs } : {}),
  });
  await em.nodeFinished(exec, { inputs: {}, outputs: { ...outcome.inputs, __action_id: action.id, __rendered_content: rendered } });
  return true;
}

/** The form behind a token for this app; 404 "Form not found" otherwise; 412 when answered or expired. */
function activeForm(apps: Apps, app: AppSpec, token: string): HumanForm {
  const form = apps.state.forms.get(token);
  if (!form || form.appId !== app.id) throw errors.notFound('Form not found');
  if (form.status === 'waiting' && Date.now() >= form.expiresAt) expire(form);
  if (form.status === 'submitted') {
    throw new HttpError(412, 'human_input_form_submitted', `This form has already been submitted by another user, form_id=${form.id}`);
  }
  if (form.status === 'timeout') throw new HttpError(412, 'human_input_form_expired', `This form has expired, form_id=${form.id}`);
  return form;
}

function getForm(apps: Apps, ctx: RouteContext): void {
  const app = authApp(apps, ctx);
  const form = activeForm(apps, app, ctx.params.form_token!);
  // json.dumps(payload, ensure_ascii=False) in a flask Response: raw UTF-8, no trailing newline.
  const text = pyJsonUtf8({
    form_content: form.formContent,
    inputs: form.inputs,
    resolved_default_values: form.resolvedDefaults,
    user_actions: form.actions,
    expiration_time: unix(form.expiresAt),
  });
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  ctx.res.end(text);
  ctx.record.status = 200;
}

async function submitForm(apps: Apps, ctx: RouteContext): Promise<void> {
  const { app, body } = await jsonEndpoint(apps, ctx, true);
  // HumanInputFormSubmitPayload: {"inputs": dict, "action": str} (pydantic; 400 invalid_param).
  const v = new Validator('HumanInputFormSubmitPayload', body);
  const values = v.dict('inputs', { required: true });
  const action = v.str('action', { required: true });
  v.throwIfAny();
  if (!values || typeof action !== 'string') return;
  const form = activeForm(apps, app, ctx.params.form_token!);
  if (!form.actions.some((a) => a.id === action)) throw new HttpError(400, 'invalid_form_data', `Invalid action: ${action}`);
  const missing = form.inputs.map((i) => String(i.output_variable_name)).filter((name) => !(name in values));
  if (missing.length) throw new HttpError(400, 'invalid_form_data', `Missing required inputs: ${missing.join(', ')}`);
  form.status = 'submitted';
  form.resume?.({ kind: 'submitted', action, inputs: values });
  ctx.send(200, {});
}

/** 1.14+: `GET|POST /form/human_input/:form_token`. */
export function registerHumanInputForms(router: Router, apps: Apps): void {
  if (!since114(apps.options.version)) return;
  router.add('GET', '/form/human_input/:form_token', (ctx) => getForm(apps, ctx));
  router.add('POST', '/form/human_input/:form_token', (ctx) => submitForm(apps, ctx));
}
