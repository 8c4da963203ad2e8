// Workflow drafts, publishing and versions of workflow and chatflow apps (CONSOLE.md §7.1–§7.3). Publishing changes
// what the Service API runs: the new version's id and its node titles (apps/engine.ts reads them from the AppSpec).
import type { RouteContext, Router } from '../router.js';
import { BodyError, HttpError, drain, isJsonObject } from '../router.js';
import { Validator, unix, uuid } from '../pyfmt.js';
import type { Console } from './context.js';
import { consoleErrors, findApp } from './context.js';
import { graphHash, parsePyJson } from './graph-hash.js';
import { nodeTitles } from './seed-graphs.js';
import { requireLogin, requireRole } from './session.js';
import type { AppMode } from '../apps/fixtures.js';
import type { Account } from './state.js';
import type { ConsoleApp, EnvVariable, WorkflowRow } from './store.js';
import { versionName, workflowRow } from './store.js';

export const SECRET_MASK = '*'.repeat(20);

/** `@get_app_model(mode=[...])`: other modes are 404 app_not_found with the set's repr; then edit permission. */
export function workflowApp(
  c: Console,
  ctx: RouteContext,
  modes: AppMode[] = ['advanced-chat', 'workflow'],
): { app: ConsoleApp; account: Account } {
  const { account, workspace } = requireLogin(c, ctx);
  const app = findApp(c, workspace.id, ctx.params.app_id);
  if (!app) throw consoleErrors.appNotFound();
  if (!modes.includes(app.mode)) {
    throw consoleErrors.appNotFound(`App mode is not in the supported list: {${modes.map((m) => `'${m}'`).join(', ')}}`);
  }
  requireRole(workspace, 'edit');
  return { app, account };
}

/** `WorkflowResponse` in key order; secret environment variables masked. */
export function workflowResponse(row: WorkflowRow, account: Account): Record<string, unknown> {
  const by = { id: account.id, name: account.name, email: account.email };
  return {
    id: row.id,
    graph: row.graph,
    features: row.features,
    hash: graphHash(row.graph),
    version: row.version,
    marked_name: row.markedName,
    marked_comment: row.markedComment,
    created_by: by,
    created_at: unix(row.createdAt),
    updated_by: by,
    updated_at: unix(row.updatedAt),
    tool_published: false,
    environment_variables: row.environmentVariables.map((v) => ({
      value_type: v.value_type,
      id: v.id,
      name: v.name,
      value: v.value_type === 'secret' ? SECRET_MASK : v.value,
      description: v.description,
    })),
    conversation_variables: row.conversationVariables.map((v) => ({
      id: v.id,
      name: v.name,
      value_type: v.value_type,
      value: v.value,
      description: v.description,
    })),
    rag_pipeline_variables: [],
  };
}

/** The body of a draft sync: JSON, or text/plain carrying JSON (sendBeacon); else 415. */
async function syncBody(ctx: RouteContext): Promise<Record<string, unknown>> {
  const type = ctx.req.headers['content-type'] ?? '';
  const invalid = () => new BodyError(400, { message: 'Invalid JSON data' });
  if (!type.includes('application/json') && !type.includes('text/plain')) {
    await drain(ctx.req);
    throw new HttpError(415, 'unsupported_media_type', 'The server does not support the media type transmitted in the request.');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = parsePyJson(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!isJsonObject(body)) throw invalid();
  ctx.record.json = body;
  return body;
}

/** Each `{id?, name, value_type, value, description?}`; a secret sent back as the mask keeps the stored value. */
function variables(raw: unknown, stored: EnvVariable[], kind: string): EnvVariable[] {
  if (!Array.isArray(raw)) throw new HttpError(400, 'invalid_param', `${kind} must be a list`);
  return raw.map((item: unknown) => {
    if (!isJsonObject(item) || typeof item.name !== 'string' || typeof item.value_type !== 'string') {
      throw new HttpError(400, 'invalid_param', `Invalid ${kind.replace(/_/g, ' ')}: ${JSON.stringify(item)}`);
    }
    const id = typeof item.id === 'string' && item.id ? item.id : uuid();
    const before = stored.find((v) => v.id === id) ?? stored.find((v) => v.name === item.name);
    const value = item.value_type === 'secret' && item.value === SECRET_MASK && before ? before.value : item.value;
    return { id, name: item.name, value_type: item.value_type, value, description: typeof item.description === 'string' ? item.description : '' };
  });
}

async function syncDraft(c: Console, ctx: RouteContext): Promise<void> {
  const { app } = workflowApp(c, ctx);
  const body = await syncBody(ctx);
  const v = new Validator('SyncDraftWorkflowPayload', body);
  const graph = v.dict('graph', { required: true });
  const features = v.dict('features', { required: true });
  const hash = v.str('hash', { nullable: true });
  v.throwIfAny();
  const draft = app.draft;
  if (draft && graphHash(draft.graph) !== hash) {
    throw new HttpError(409, 'draft_workflow_not_sync', 'Workflow graph might have been modified, please refresh and resubmit.');
  }
  const now = c.state.nowMs();
  const row = draft ?? workflowRow(uuid(), 'draft', graph!, now);
  row.environmentVariables = variables(body.environment_variables ?? [], row.environmentVariables, 'environment_variables');
  row.conversationVariables = variables(body.conversation_variables ?? [], row.conversationVariables, 'conversation_variables');
  row.graph = graph!;
  row.features = features!;
  row.updatedAt = now;
  app.draft = row;
  ctx.send(200, { result: 'success', hash: graphHash(row.graph), updated_at: unix(row.updatedAt) });
}

/** A publish's optional body: `{"marked_name"? (≤20), "marked_comment"? (≤100)}`. */
async function publishBody(ctx: RouteContext): Promise<Record<string, unknown>> {
  if (!(ctx.req.headers['content-type'] ?? '').includes('json')) {
    await drain(ctx.req);
    return {};
  }
  const raw = await ctx.jsonValue();
  return isJsonObject(raw) ? raw : {};
}

/** `publish_workflow`: a new version from the draft; the app (and so the Service API) runs it from now on. */
export function publish(c: Console, app: ConsoleApp, markedName: string, markedComment: string): WorkflowRow {
  const draft = app.draft;
  if (!draft) throw new HttpError(400, 'invalid_param', 'No valid workflow found.');
  const now = c.state.nowMs();
  const row: WorkflowRow = {
    ...structuredClone(draft),
    id: uuid(),
    version: versionName(now),
    markedName,
    markedComment,
    createdAt: now,
    updatedAt: now,
  };
  app.published.unshift(row);
  app.updatedAt = now;
  const wf = app.spec?.workflow;
  if (wf) {
    wf.previousId = wf.id;
    wf.id = row.id;
    wf.titles = nodeTitles(row.graph);
  }
  return row;
}

/** `marked_name` (≤ 20) and `marked_comment` (≤ 100) of a publish or a version update; undefined when absent. */
function markedFields(v: Validator): { name?: string; comment?: string } {
  const name = v.str('marked_name', { nullable: true }) ?? undefined;
  const comment = v.str('marked_comment', { nullable: true }) ?? undefined;
  if (name && name.length > 20) v.issue('marked_name', 'String should have at most 20 characters', 'string_too_long', name);
  if (comment && comment.length > 100) v.issue('marked_comment', 'String should have at most 100 characters', 'string_too_long', comment);
  v.throwIfAny();
  return { name, comment };
}

/** A published version of the app; another id (the draft's included) is 404 "Workflow not found." (inferred). */
function publishedVersion(app: ConsoleApp, id: string | undefined): WorkflowRow {
  const row = app.published.find((w) => w.id === (id ?? '').toLowerCase());
  if (!row) throw new HttpError(404, 'not_found', 'Workflow not found.');
  return row;
}

export function registerWorkflows(router: Router, c: Console): void {
  const base = '/apps/:app_id<uuid>/workflows';
  router.add('GET', `${base}/draft`, (ctx) => {
    const { app, account } = workflowApp(c, ctx);
    if (!app.draft) throw new HttpError(404, 'draft_workflow_not_exist', 'Draft workflow need to be initialized.');
    ctx.send(200, workflowResponse(app.draft, account));
  });
  router.add('POST', `${base}/draft`, (ctx) => syncDraft(c, ctx));

  router.add('POST', `${base}/publish`, async (ctx) => {
    const { app } = workflowApp(c, ctx);
    const { name, comment } = markedFields(new Validator('PublishWorkflowPayload', await publishBody(ctx)));
    const row = publish(c, app, name ?? '', comment ?? '');
    ctx.send(200, { result: 'success', created_at: unix(row.createdAt) });
  });

  router.add('GET', `${base}/publish`, (ctx) => {
    const { app, account } = workflowApp(c, ctx);
    const row = app.published[0];
    ctx.send(200, row ? workflowResponse(row, account) : null);
  });

  // Copies a published version into the draft (its hash changes: a client holding the old one gets 409 next).
  router.add('POST', `${base}/:workflow_id<uuid>/restore`, (ctx) => {
    ctx.req.resume();
    const { app } = workflowApp(c, ctx);
    const source = publishedVersion(app, ctx.params.workflow_id);
    const now = c.state.nowMs();
    const draft = app.draft ?? workflowRow(uuid(), 'draft', {}, now);
    const copy = structuredClone(source);
    Object.assign(draft, {
      graph: copy.graph,
      features: copy.features,
      environmentVariables: copy.environmentVariables,
      conversationVariables: copy.conversationVariables,
      updatedAt: now,
    });
    app.draft = draft;
    ctx.send(200, { result: 'success', hash: graphHash(draft.graph), updated_at: unix(now) });
  });

  router.add('PATCH', `${base}/:workflow_id<uuid>`, async (ctx) => {
    const { app, account } = workflowApp(c, ctx);
    const row = publishedVersion(app, ctx.params.workflow_id);
    const { name, comment } = markedFields(new Validator('WorkflowUpdatePayload', await ctx.json()));
    if (name !== undefined) row.markedName = name;
    if (comment !== undefined) row.markedComment = comment;
    row.updatedAt = c.state.nowMs();
    ctx.send(200, workflowResponse(row, account));
  });

  router.add('GET', base, (ctx) => {
    const { app, account } = workflowApp(c, ctx);
    const v = new Validator('WorkflowListQuery', Object.fromEntries(ctx.query.entries()));
    const page = v.int('page', { def: 1, ge: 1, le: 99999 });
    const limit = v.int('limit', { def: 10, ge: 1, le: 100 });
    const namedOnly = v.bool('named_only', false);
    v.throwIfAny();
    const userId = ctx.query.get('user_id');
    if (userId && userId !== account.id) throw consoleErrors.forbidden();
    // Empty until the first publish; then the draft too, first (`ORDER BY version DESC`: "draft" > "2026-…").
    let rows = app.published.length === 0 ? [] : [...(app.draft ? [app.draft] : []), ...app.published];
    if (namedOnly) rows = rows.filter((r) => r.markedName !== '');
    const items = rows.slice((page - 1) * limit, page * limit + 1);
    ctx.send(200, {
      items: items.slice(0, limit).map((r) => workflowResponse(r, account)),
      page,
      limit,
      has_more: items.length > limit,
    });
  });
}
