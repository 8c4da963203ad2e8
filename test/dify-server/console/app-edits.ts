// Creating, updating and deleting apps, their API switch, and 1.15's starred apps (CONSOLE.md §5.3, §5.4). A Service
// API app's name, description and switch are the /v1 app's too (server.reset() puts the seeded ones back).
import type { RouteContext, Router } from '../router.js';
import { Validator } from '../pyfmt.js';
import { appDetail } from './app-fields.js';
import { listApps } from './apps.js';
import type { Console } from './context.js';
import { consoleErrors, findApp, hostUrl } from './context.js';
import { requireLogin, requireRole } from './session.js';
import type { Workspace } from './state.js';
import type { ConsoleApp } from './store.js';
import { newApp } from './store.js';

const CREATE_MODES = ['chat', 'agent-chat', 'advanced-chat', 'workflow', 'completion'] as const;
const ICON_TYPES = ['image', 'emoji', 'link'] as const;

/** The app of the path in the current workspace (404 app_not_found), then the role its change needs. */
function editedApp(c: Console, ctx: RouteContext, role: 'edit' | 'admin'): { app: ConsoleApp; workspace: Workspace } {
  const { workspace } = requireLogin(c, ctx);
  const app = findApp(c, workspace.id, ctx.params.app_id);
  if (!app) throw consoleErrors.appNotFound();
  requireRole(workspace, role);
  return { app, workspace };
}

/** `name` (≥ 1 character) and `description` (≤ 400) of a create or an update. */
function nameAndDescription(v: Validator): { name?: string; description: string } {
  const name = v.str('name', { required: true }) ?? undefined;
  const description = v.str('description', { nullable: true }) ?? '';
  if (name === '') v.issue('name', 'String should have at least 1 character', 'string_too_short', name);
  if (description.length > 400) v.issue('description', 'String should have at most 400 characters', 'string_too_long', description);
  return { name, description };
}

/** `POST /apps`: 201 AppDetailWithSite; a workflow-based app has no draft until the first sync. */
async function createApp(c: Console, ctx: RouteContext): Promise<void> {
  const { workspace } = requireLogin(c, ctx);
  requireRole(workspace, 'edit');
  const v = new Validator('CreateAppPayload', await ctx.json());
  const { name, description } = nameAndDescription(v);
  const mode = v.literal('mode', CREATE_MODES, null);
  if (!v.has('mode')) v.missing('mode');
  const iconType = v.literal('icon_type', ICON_TYPES, null);
  const icon = v.str('icon', { nullable: true });
  const iconBackground = v.str('icon_background', { nullable: true });
  v.throwIfAny();
  const app = newApp(workspace.id, c.state.nowMs(), {
    name: name!,
    description,
    mode: mode!,
    ...(iconType ? { iconType } : {}),
    ...(icon ? { icon } : {}),
    ...(iconBackground ? { iconBackground } : {}),
  });
  c.consoleApps.push(app);
  ctx.send(201, appDetail(c, app, hostUrl(c, ctx)));
}

/** `PUT /apps/{id}`: omitted optionals are reset ("", false, 0; the icon type is kept: inferred). */
async function updateApp(c: Console, ctx: RouteContext): Promise<void> {
  const { app } = editedApp(c, ctx, 'edit');
  const v = new Validator('UpdateAppPayload', await ctx.json());
  const { name, description } = nameAndDescription(v);
  const iconType = v.literal('icon_type', ICON_TYPES, null);
  const icon = v.str('icon', { nullable: true }) ?? '';
  const iconBackground = v.str('icon_background', { nullable: true }) ?? '';
  const answerIcon = v.bool('use_icon_as_answer_icon', false);
  const maxActive = v.int('max_active_requests', { def: 0, ge: 0 });
  v.throwIfAny();
  Object.assign(app, { name: name!, description, icon, iconBackground, useIconAsAnswerIcon: answerIcon, maxActiveRequests: maxActive });
  if (iconType) app.iconType = iconType;
  app.updatedAt = c.state.nowMs();
  if (app.spec) Object.assign(app.spec, { name: app.name, description });
  ctx.send(200, appDetail(c, app, hostUrl(c, ctx)));
}

export function registerAppEdits(router: Router, c: Console): void {
  router.add('POST', '/apps', (ctx) => createApp(c, ctx));
  router.add('PUT', '/apps/:app_id<uuid>', (ctx) => updateApp(c, ctx));

  router.add('DELETE', '/apps/:app_id<uuid>', (ctx) => {
    const { app } = editedApp(c, ctx, 'edit');
    c.consoleApps = c.consoleApps.filter((a) => a !== app);
    for (const key of c.keys.appKeys(app.id)) c.keys.delete(key);
    ctx.sendEmpty(204);
  });

  // `{"enable_api": bool}`, admin or owner; a Service API app's keys then get 403 "The app's API service has been
  // disabled.". The answer is AppDetail: here AppDetailWithSite's keys without site, api_base_url and deleted_tools
  // (inferred: CONSOLE.md does not list AppDetail's keys).
  router.add('POST', '/apps/:app_id<uuid>/api-enable', async (ctx) => {
    const { app } = editedApp(c, ctx, 'admin');
    const v = new Validator('AppApiStatusPayload', await ctx.json());
    if (!v.has('enable_api')) v.missing('enable_api');
    const enable = v.bool('enable_api', false);
    v.throwIfAny();
    if (app.spec) app.spec.apiEnabled = enable;
    else app.apiEnabled = enable;
    const { site: _site, api_base_url: _url, deleted_tools: _tools, ...detail } = appDetail(c, app, hostUrl(c, ctx));
    ctx.send(200, detail);
  });

  if (c.v113) return;
  // 1.15.0: starring is the account's; the list takes the app list's query.
  router.add('GET', '/apps/starred', (ctx) => listApps(c, ctx, true));
  for (const [method, starred] of [['POST', true], ['DELETE', false]] as const) {
    router.add(method, '/apps/:app_id<uuid>/star', (ctx) => {
      ctx.req.resume();
      const { workspace } = requireLogin(c, ctx);
      const app = findApp(c, workspace.id, ctx.params.app_id);
      if (!app) throw consoleErrors.appNotFound();
      app.starred = starred;
      ctx.send(200, { result: 'success' });
    });
  }
}
