// GET /apps and /apps/{id} (CONSOLE.md §5.1, §5.2; 1.13.2's differences from §10), and the app API keys (§5.5).
import type { RouteContext, Router } from '../router.js';
import { errors } from '../router.js';
import { Validator, isUuid } from '../pyfmt.js';
import { appDetail, appPartial } from './app-fields.js';
import type { Console } from './context.js';
import { consoleErrors, findApp, hostUrl } from './context.js';
import { keyDict } from './keys.js';
import { requireLogin, requireRole } from './session.js';
import type { Workspace } from './state.js';
import type { ConsoleApp } from './store.js';

const MODES_115 = ['completion', 'chat', 'advanced-chat', 'workflow', 'agent-chat', 'agent', 'channel', 'all'] as const;
const MODES_113 = ['completion', 'chat', 'advanced-chat', 'workflow', 'agent-chat', 'channel', 'all'] as const;
const SORTS = ['last_modified', 'recently_created', 'earliest_created'] as const;
const MAX_KEYS = 10;

/** 1.15's indexed list form `name[0]=a&name[1]=b`; the plain or comma form is "Unsupported <name> type.". */
function indexedIds(ctx: RouteContext, name: string): string[] | undefined {
  if (ctx.query.has(name)) throw errors.invalidParam(`Unsupported ${name} type.`);
  const indexed = [...ctx.query.entries()]
    .map(([k, v]) => ({ m: new RegExp(`^${name}\\[(\\d+)\\]$`).exec(k), v }))
    .filter((e) => e.m)
    .sort((a, b) => Number(a.m![1]) - Number(b.m![1]))
    .map((e) => e.v);
  if (indexed.length === 0) return undefined;
  if (indexed.some((id) => !isUuid(id))) throw errors.invalidParam(`Invalid UUID format in ${name}.`);
  return indexed.map((id) => id.toLowerCase());
}

/** 1.13.2's comma-separated `tag_ids=a,b` (the indexed keys are unknown arguments there, so ignored: inferred). */
function commaIds(ctx: RouteContext, name: string): string[] | undefined {
  const raw = ctx.query.get(name);
  if (!raw) return undefined;
  const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.some((id) => !isUuid(id))) throw errors.invalidParam(`Invalid UUID format in ${name}.`);
  return ids.map((id) => id.toLowerCase());
}

/** `name ILIKE %<first 30 chars, % and _ escaped>%`. */
function nameMatches(app: ConsoleApp, name: string | null): boolean {
  if (!name) return true;
  return app.name.toLowerCase().includes(name.slice(0, 30).toLowerCase());
}

/** The app list (or, 1.15's `/apps/starred`, the starred apps only). */
export function listApps(c: Console, ctx: RouteContext, starredOnly = false): void {
  const { account, workspace } = requireLogin(c, ctx);
  const v = new Validator('AppListQuery', Object.fromEntries(ctx.query.entries()));
  const page = v.int('page', { def: 1, ge: 1, le: 99999 });
  const limit = v.int('limit', { def: 20, ge: 1, le: 100 });
  const mode = v.literal('mode', c.v113 ? MODES_113 : MODES_115, 'all')!;
  const sortBy = c.v113 ? 'recently_created' : v.literal('sort_by', SORTS, 'last_modified')!;
  // Every app is the seeded account's, so is_created_by_me filters nothing; it is still validated.
  if (ctx.query.has('is_created_by_me')) v.bool('is_created_by_me', false);
  v.throwIfAny();
  const tagIds = c.v113 ? commaIds(ctx, 'tag_ids') : indexedIds(ctx, 'tag_ids');
  const creatorIds = c.v113 ? undefined : indexedIds(ctx, 'creator_ids');
  const name = ctx.query.get('name');
  let apps = c.consoleApps.filter((a) => a.workspaceId === workspace.id && nameMatches(a, name) && (a.starred || !starredOnly));
  if (mode === 'all') apps = apps.filter((a) => a.mode !== 'agent');
  else if (mode !== 'channel') apps = apps.filter((a) => a.mode === mode);
  if (tagIds) apps = apps.filter((a) => tagIds.every((t) => a.tags.some((tag) => tag.id === t)));
  if (creatorIds) apps = apps.filter(() => creatorIds.includes(account.id));
  const key = (a: ConsoleApp): number => (sortBy === 'last_modified' ? a.updatedAt : a.createdAt);
  apps = [...apps].sort((a, b) => (sortBy === 'earliest_created' ? key(a) - key(b) : key(b) - key(a)));
  const total = apps.length;
  ctx.send(200, {
    page,
    limit,
    total,
    has_more: page * limit < total,
    data: apps.slice((page - 1) * limit, page * limit).map((a) => appPartial(c, a)),
  });
}

export function registerApps(router: Router, c: Console): void {
  router.add('GET', '/apps', (ctx) => listApps(c, ctx));

  router.add('GET', '/apps/:app_id<uuid>', (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    const app = findApp(c, workspace.id, ctx.params.app_id);
    if (!app) throw consoleErrors.appNotFound();
    ctx.send(200, appDetail(c, app, hostUrl(c, ctx)));
  });

  // The API-key resource: `abort(404, message=...)` bodies, no `code` (§3.1). Creating needs edit permission (checked
  // first, by its decorator), deleting admin or owner (checked after the app is found).
  const keyApp = (ctx: RouteContext, role?: 'edit'): { app: ConsoleApp; workspace: Workspace } => {
    const { workspace } = requireLogin(c, ctx);
    if (role) requireRole(workspace, role);
    const app = findApp(c, workspace.id, ctx.params.app_id);
    if (!app) throw consoleErrors.abort(404, 'App not found.');
    return { app, workspace };
  };

  router.add('GET', '/apps/:app_id<uuid>/api-keys', (ctx) => {
    ctx.send(200, { data: c.keys.appKeys(keyApp(ctx).app.id).map(keyDict) });
  });

  router.add('POST', '/apps/:app_id<uuid>/api-keys', (ctx) => {
    ctx.req.resume();
    const { app } = keyApp(ctx, 'edit');
    if (c.keys.appKeys(app.id).length >= MAX_KEYS) {
      throw consoleErrors.abort(400, 'Cannot create more than 10 API keys for this resource type.', { custom: 'max_keys_exceeded' });
    }
    ctx.send(201, keyDict(c.keys.create('app', 'app-', app.workspaceId, app.id, c.state.nowMs(), app.spec)));
  });

  router.add('DELETE', '/apps/:app_id<uuid>/api-keys/:api_key_id<uuid>', (ctx) => {
    const { app, workspace } = keyApp(ctx);
    requireRole(workspace, 'admin');
    const key = c.keys.appKeys(app.id).find((k) => k.id === ctx.params.api_key_id!.toLowerCase());
    if (!key) throw consoleErrors.abort(404, 'API key not found');
    c.keys.delete(key);
    ctx.sendEmpty(204);
  });
}
