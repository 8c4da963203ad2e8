// GET /datasets, the dataset API keys and the Knowledge API switch of a dataset, /datasets/api-base-info
// (CONSOLE.md §8). The datasets are the Knowledge API's own, in the current (first) workspace; the keys are shared
// with it (keys.ts), and `enable_api` is what its dataset routes check.
import { TENANT_ID } from '../apps/fixtures.js';
import { datasetJson } from '../knowledge/serialize.js';
import { intArg, normalizeUuid, paginate } from '../knowledge/state.js';
import type { Dataset } from '../knowledge/store.js';
import type { RouteContext, Router } from '../router.js';
import type { Console } from './context.js';
import { consoleErrors, hostUrl } from './context.js';
import { keyDict } from './keys.js';
import { requireLogin, requireRole } from './session.js';

const MAX_KEYS = 10;
const tooMany = () => consoleErrors.abort(400, 'Cannot create more than 10 API keys for this resource type.', { custom: 'max_keys_exceeded' });

/** The datasets of a workspace: the Knowledge API's for the seeded one, none elsewhere. */
function datasetsOf(c: Console, workspaceId: string): Dataset[] {
  return workspaceId === TENANT_ID ? c.knowledge.datasets : [];
}

function consoleDataset(c: Console, ds: Dataset): Record<string, unknown> {
  return { ...datasetJson(c.knowledge, ds), permission_keys: [], maintainer: null, partial_member_list: [] };
}

function listDatasets(c: Console, ctx: RouteContext): void {
  const { workspace } = requireLogin(c, ctx);
  const page = intArg(ctx, 'page', 1);
  const limit = intArg(ctx, 'limit', 20);
  const keyword = ctx.query.get('keyword');
  const ids = ctx.query.getAll('ids').map(normalizeUuid);
  const tagIds = ctx.query.getAll('tag_ids').map(normalizeUuid);
  const all = [...datasetsOf(c, workspace.id)]
    .filter((d) => !keyword || d.name.toLowerCase().includes(keyword.toLowerCase()))
    .filter((d) => ids.length === 0 || ids.includes(d.id))
    .filter((d) => tagIds.every((t) => c.knowledge.bindings.get(t)?.has(d.id)))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  const data = paginate(all, page, limit).map((d) => consoleDataset(c, d));
  // `has_more` is `len(data) == limit`: true on an exactly full last page.
  ctx.send(200, { data, has_more: data.length === limit, limit, total: all.length, page });
}

export function registerDatasets(router: Router, c: Console): void {
  router.add('GET', '/datasets', (ctx) => listDatasets(c, ctx));

  router.add('GET', '/datasets/api-base-info', (ctx) => {
    requireLogin(c, ctx);
    ctx.send(200, { api_base_url: `${hostUrl(c, ctx)}/v1` });
  });

  router.add('GET', '/datasets/api-keys', (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    ctx.send(200, { data: c.keys.datasetKeysOf(workspace.id).map(keyDict) });
  });

  // The workspace-level create answers 200, not 201, and counts every dataset key of the workspace.
  router.add('POST', '/datasets/api-keys', (ctx) => {
    ctx.req.resume();
    const { workspace } = requireLogin(c, ctx);
    requireRole(workspace, 'admin');
    if (c.keys.datasetKeysOf(workspace.id).length >= MAX_KEYS) throw tooMany();
    ctx.send(200, keyDict(c.keys.create('dataset', 'dataset-', workspace.id, null, c.state.nowMs())));
  });

  router.add('DELETE', '/datasets/api-keys/:api_key_id<uuid>', (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    requireRole(workspace, 'admin');
    const key = c.keys.datasetKeysOf(workspace.id).find((k) => k.id === normalizeUuid(ctx.params.api_key_id!));
    if (!key) throw consoleErrors.abort(404, 'API key not found');
    c.keys.delete(key);
    ctx.sendEmpty(204);
  });

  const keyDataset = (ctx: RouteContext, role?: 'edit' | 'admin'): { dataset: Dataset; workspaceId: string } => {
    const { workspace } = requireLogin(c, ctx);
    if (role === 'edit') requireRole(workspace, role);
    const dataset = datasetsOf(c, workspace.id).find((d) => d.id === normalizeUuid(ctx.params.dataset_id!));
    if (!dataset) throw consoleErrors.abort(404, 'Dataset not found.');
    if (role === 'admin') requireRole(workspace, role);
    return { dataset, workspaceId: workspace.id };
  };
  const perDataset = (workspaceId: string, datasetId: string) =>
    c.keys.datasetKeysOf(workspaceId).filter((k) => k.resourceId === datasetId);

  router.add('GET', '/datasets/:dataset_id<uuid>/api-keys', (ctx) => {
    const { dataset, workspaceId } = keyDataset(ctx);
    ctx.send(200, { data: perDataset(workspaceId, dataset.id).map(keyDict) });
  });

  router.add('POST', '/datasets/:dataset_id<uuid>/api-keys', (ctx) => {
    ctx.req.resume();
    const { dataset, workspaceId } = keyDataset(ctx, 'edit');
    if (perDataset(workspaceId, dataset.id).length >= MAX_KEYS) throw tooMany();
    ctx.send(201, keyDict(c.keys.create('dataset', 'ds-', workspaceId, dataset.id, c.state.nowMs())));
  });

  router.add('DELETE', '/datasets/:dataset_id<uuid>/api-keys/:api_key_id<uuid>', (ctx) => {
    const { dataset, workspaceId } = keyDataset(ctx, 'admin');
    const key = perDataset(workspaceId, dataset.id).find((k) => k.id === normalizeUuid(ctx.params.api_key_id!));
    if (!key) throw consoleErrors.abort(404, 'API key not found');
    c.keys.delete(key);
    ctx.sendEmpty(204);
  });

  // Any action other than `enable` disables.
  router.add('POST', '/datasets/:dataset_id<uuid>/api-keys/:action', (ctx) => {
    ctx.req.resume();
    const { dataset } = keyDataset(ctx);
    dataset.enableApi = ctx.params.action === 'enable';
    ctx.send(200, { result: 'success' });
  });
}
