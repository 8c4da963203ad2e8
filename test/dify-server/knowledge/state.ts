// The mutable state behind the Knowledge API plus request-level helpers shared by the route modules.
import { bearerToken, errors } from '../router.js';
import type { RouteContext } from '../router.js';
import { buildSeed } from './seed.js';
import { Indexer } from './store.js';
import type { Dataset, Doc, ProcessRule, Tag } from './store.js';

export class KnowledgeState {
  datasets: Dataset[] = [];
  tags: Tag[] = [];
  bindings = new Map<string, Set<string>>();
  processRules = new Map<string, ProcessRule>();
  readonly indexer: Indexer;
  constructor(
    /** The accepted dataset keys, a live set the console adds keys to and deletes keys from. */
    readonly keys: Set<string>,
    indexingStepMs: number,
  ) {
    this.indexer = new Indexer(indexingStepMs);
    this.reset();
  }

  reset(): void {
    const seed = buildSeed();
    this.datasets = seed.datasets;
    this.tags = seed.tags;
    this.bindings = seed.bindings;
    this.processRules = seed.processRules;
  }

  /** validate_dataset_token: a known dataset key, else 401 "Access token is invalid". */
  auth(ctx: RouteContext): void {
    const token = bearerToken(ctx.req);
    if (!this.keys.has(token)) throw errors.unauthorized('Access token is invalid');
  }

  /** Auth plus the decorator's dataset checks: 404 when unknown, 403 when the API is disabled. */
  dataset(ctx: RouteContext): Dataset {
    this.auth(ctx);
    const id = (ctx.params['dataset_id'] ?? '').toLowerCase();
    const ds = this.datasets.find((d) => d.id === normalizeUuid(id));
    if (!ds) throw errors.notFound('Dataset not found.');
    if (!ds.enableApi) throw errors.forbidden('Dataset api access is not enabled.');
    return ds;
  }

  document(ds: Dataset, id: string | undefined, message = 'Document not found.'): Doc {
    const doc = ds.documents.find((d) => d.id === normalizeUuid(id ?? ''));
    if (!doc) throw errors.notFound(message);
    return doc;
  }

  latestRule(ds: Dataset): ProcessRule | undefined {
    let latest: ProcessRule | undefined;
    for (const r of this.processRules.values()) {
      if (r.datasetId === ds.id && (!latest || r.createdAt >= latest.createdAt)) latest = r;
    }
    return latest;
  }

  tagsOf(datasetId: string): Tag[] {
    return this.tags.filter((t) => this.bindings.get(t.id)?.has(datasetId));
  }
}

/** flask's uuid converter accepts the 32-hex form and upper case; str(uuid) is canonical. */
export function normalizeUuid(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return id;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `request.args.get(name, default, type=int)`: an unparsable value falls back to the default. */
export function intArg(ctx: RouteContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || !/^\s*[+-]?\d+\s*$/.test(raw)) return fallback;
  return parseInt(raw, 10);
}

/** flask-sqlalchemy paginate(page, per_page, max_per_page=100, error_out=False). */
export function paginate<T>(items: T[], page: number, limit: number): T[] {
  const p = page < 1 ? 1 : page;
  const perPage = Math.min(limit < 1 ? 20 : limit, 100);
  return items.slice((p - 1) * perPage, p * perPage);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
