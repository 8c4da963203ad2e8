// DSL export and import (CONSOLE.md §6): GET /apps/{id}/export, POST /apps/imports (+ /confirm), check-dependencies.
import { dump, load } from 'js-yaml';
import type { RouteContext, Router } from '../router.js';
import { HttpError, errors } from '../router.js';
import { Validator, uuid } from '../pyfmt.js';
import { modelConfig } from './app-fields.js';
import type { Console } from './context.js';
import { consoleErrors, findApp } from './context.js';
import { plainJson } from './graph-hash.js';
import { requireLogin, requireRole } from './session.js';
import type { ConsoleApp } from './store.js';
import { DSL_VERSION } from './system.js';
import { applyDsl, checkVersion, fetchYaml } from './dsl-import.js';
import type { ImportStatus } from './dsl-import.js';

/** `yaml.dump(export_data, allow_unicode=True)`: keys sorted, block style, sequences not indented (PyYAML's look). */
export function toYaml(value: unknown): string {
  return dump(plainJson(value), { sortKeys: true, noArrayIndent: true, lineWidth: -1, noRefs: true });
}

/** `AppDslService.export_dsl`: the app, then its draft (or a published version) or its model config. */
function exportDsl(app: ConsoleApp, includeSecret: boolean, workflowId: string | null): string {
  const image = app.iconType === 'image';
  const data: Record<string, unknown> = {
    version: DSL_VERSION,
    kind: 'app',
    app: {
      name: app.name,
      mode: app.mode,
      icon: image ? '🤖' : app.icon,
      icon_background: image ? '#FFEAD5' : app.iconBackground,
      description: app.description,
      use_icon_as_answer_icon: app.useIconAsAnswerIcon,
    },
    dependencies: [],
  };
  if (app.mode === 'workflow' || app.mode === 'advanced-chat') {
    const row = workflowId ? app.published.find((w) => w.id === workflowId) : app.draft;
    // WorkflowNotFoundError is a bare Exception: the catch-all 500.
    if (!row) throw new HttpError(500, 'unknown', 'Internal Server Error');
    data.workflow = {
      graph: row.graph,
      features: row.features,
      environment_variables: row.environmentVariables.map((v) => ({ ...v, value: v.value_type === 'secret' && !includeSecret ? '' : v.value })),
      conversation_variables: row.conversationVariables,
      rag_pipeline_variables: [],
    };
  } else {
    const config = { ...modelConfig(app) };
    for (const key of ['created_by', 'created_at', 'updated_by', 'updated_at']) delete config[key];
    data.model_config = config;
  }
  return toYaml(data);
}

interface ImportResult {
  status: ImportStatus;
  appId?: string | null;
  appMode?: string | null;
  imported?: string;
  error?: string;
}

/** `Import` in key order (`permission_keys` from 1.15 on, like AppPartial's: inferred); failed 400, pending 202. */
function sendImport(c: Console, ctx: RouteContext, id: string, r: ImportResult): void {
  const status = r.status === 'failed' ? 400 : r.status === 'pending' ? 202 : 200;
  ctx.send(status, {
    id,
    status: r.status,
    app_id: r.appId ?? null,
    app_mode: r.appMode ?? null,
    ...(c.v113 ? {} : { permission_keys: [] }),
    current_dsl_version: DSL_VERSION,
    imported_dsl_version: r.imported ?? '',
    error: r.error ?? '',
  });
}

interface ImportArgs {
  appId: string | null;
  overrides: Record<string, string | null>;
}

/** `import_app` after the mode check: read, parse, check the version and the target, then create or hold. */
async function importApp(c: Console, workspaceId: string, importId: string, mode: string, body: Record<string, unknown>, args: ImportArgs): Promise<ImportResult> {
  let content: string;
  if (mode === 'yaml-url') {
    if (typeof body.yaml_url !== 'string' || !body.yaml_url) return { status: 'failed', error: 'yaml_url is required when import_mode is yaml-url' };
    const fetched = await fetchYaml(body.yaml_url);
    if (fetched.error !== undefined) return { status: 'failed', error: fetched.error };
    content = fetched.content;
  } else {
    if (typeof body.yaml_content !== 'string' || !body.yaml_content) {
      return { status: 'failed', error: 'yaml_content is required when import_mode is yaml-content' };
    }
    content = body.yaml_content;
  }
  let data: unknown;
  try {
    data = load(content);
  } catch (e) {
    return { status: 'failed', error: `Invalid YAML format: ${(e as Error).message}` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { status: 'failed', error: 'Invalid YAML format: content must be a mapping' };
  const dsl = data as Record<string, unknown>;
  if (!dsl.version) dsl.version = '0.1.0';
  if (dsl.kind !== 'app') dsl.kind = 'app';
  const imported = dsl.version;
  if (typeof imported !== 'string') {
    const type = typeof imported === 'number' ? (Number.isInteger(imported) ? 'int' : 'float') : typeof imported === 'boolean' ? 'bool' : 'dict';
    return { status: 'failed', error: `Invalid version type, expected str, got <class '${type}'>` };
  }
  const status = checkVersion(imported);
  if (!dsl.app) return { status: 'failed', error: 'Missing app data in YAML content' };
  let target: ConsoleApp | undefined;
  if (args.appId) {
    target = findApp(c, workspaceId, args.appId);
    if (!target) return { status: 'failed', error: 'App not found' };
    if (target.mode !== 'workflow' && target.mode !== 'advanced-chat') return { status: 'failed', error: 'Only workflow or advanced chat apps can be overwritten' };
  }
  if (status === 'pending') {
    c.state.pendingImports.set(importId, { content, ...args, workspaceId, expiresAt: c.state.nowMs() + 600_000 });
    return { status, appId: args.appId, imported };
  }
  try {
    const app = applyDsl(c, workspaceId, dsl, target, args.overrides);
    // An unparseable version is `failed` once the app is built, and the controller rolls the session back (inferred
    // from the code: the body still names the app that was not kept).
    if (status === 'failed' && !target) c.consoleApps = c.consoleApps.filter((a) => a !== app);
    return { status, appId: app.id, appMode: app.mode, imported };
  } catch (e) {
    return { status: 'failed', error: (e as Error).message };
  }
}

const OVERRIDES = ['name', 'description', 'icon_type', 'icon', 'icon_background'];

export function registerDsl(router: Router, c: Console): void {
  router.add('GET', '/apps/:app_id<uuid>/export', (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    const app = findApp(c, workspace.id, ctx.params.app_id);
    if (!app) throw consoleErrors.appNotFound();
    requireRole(workspace, 'edit');
    const v = new Validator('AppExportQuery', Object.fromEntries(ctx.query.entries()));
    const includeSecret = v.bool('include_secret', false);
    v.throwIfAny();
    ctx.send(200, { data: exportDsl(app, includeSecret, ctx.query.get('workflow_id')) });
  });

  router.add('POST', '/apps/imports', async (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    requireRole(workspace, 'edit');
    const body = await ctx.json();
    const v = new Validator('AppImportPayload', body);
    const mode = v.str('mode', { required: true });
    const appId = v.str('app_id', { nullable: true }) ?? null;
    const overrides = Object.fromEntries(OVERRIDES.map((k) => [k, v.str(k, { nullable: true }) ?? null]));
    v.throwIfAny();
    if (mode !== 'yaml-content' && mode !== 'yaml-url') throw errors.invalidParam(`Invalid import_mode: ${mode}`);
    const id = uuid();
    sendImport(c, ctx, id, await importApp(c, workspace.id, id, mode, body, { appId, overrides }));
  });

  router.add('POST', '/apps/imports/:import_id/confirm', (ctx) => {
    ctx.req.resume();
    const { workspace } = requireLogin(c, ctx);
    requireRole(workspace, 'edit');
    const id = ctx.params.import_id!;
    const pending = c.state.pendingImports.get(id);
    c.state.pendingImports.delete(id);
    if (!pending || pending.expiresAt <= c.state.nowMs() || pending.workspaceId !== workspace.id) {
      sendImport(c, ctx, id, { status: 'failed', error: 'Import information expired or does not exist' });
      return;
    }
    try {
      const dsl = load(pending.content) as Record<string, unknown>;
      const target = pending.appId ? findApp(c, workspace.id, pending.appId) : undefined;
      const app = applyDsl(c, workspace.id, dsl, target, pending.overrides);
      sendImport(c, ctx, id, { status: 'completed', appId: app.id, appMode: app.mode, imported: String(dsl.version ?? '0.1.0') });
    } catch (e) {
      sendImport(c, ctx, id, { status: 'failed', error: (e as Error).message });
    }
  });

  router.add('GET', '/apps/imports/:app_id<uuid>/check-dependencies', (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    const app = findApp(c, workspace.id, ctx.params.app_id);
    if (!app) throw consoleErrors.appNotFound();
    const leaked = c.state.leakedDependencies.get(app.id);
    ctx.send(200, { leaked_dependencies: leaked && leaked.expiresAt > c.state.nowMs() ? leaked.items : [] });
  });
}
