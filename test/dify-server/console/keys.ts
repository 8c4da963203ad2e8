// API keys (CONSOLE.md §5.5, §8.2), shared with the Service API and Knowledge API: an app key created here is one
// `/v1` accepts for that app, a dataset key one the Knowledge API accepts, and a deleted key stops working at once.
import { randomBytes } from 'node:crypto';
import type { Apps } from '../apps/context.js';
import type { AppSpec } from '../apps/fixtures.js';
import { DATASET_KEY, TENANT_ID } from '../apps/fixtures.js';
import { stableUuid, uuid } from '../pyfmt.js';

export interface ApiKey {
  id: string;
  type: 'app' | 'dataset';
  /** The app, or the dataset of a per-dataset (`ds-`) key; null for a workspace dataset key. */
  resourceId: string | null;
  workspaceId: string;
  token: string;
  createdAt: number;
  lastUsedAt: number | null;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `ApiToken.generate_api_key(prefix, 24)`: the prefix and 24 characters of `[A-Za-z0-9]`. */
function generateToken(prefix: string): string {
  const bytes = randomBytes(24);
  let key = prefix;
  for (const b of bytes) key += ALNUM[b % ALNUM.length];
  return key;
}

const SEEDED_AT = Date.UTC(2026, 0, 6, 7, 0, 0);

export class KeyStore {
  keys: ApiKey[] = [];

  constructor(
    private readonly apps: Apps,
    /** The Knowledge API's live set of accepted dataset keys. */
    private readonly datasetKeys: Set<string>,
  ) {
    this.reset();
  }

  /** The seed: each Service API app's key and the workspace dataset key, and nothing else accepted. */
  reset(): void {
    const specs = this.apps.state.apps;
    this.keys = specs.map((spec) => ({
      id: stableUuid(`dify-test:app-key-id:${spec.handle}`),
      type: 'app' as const,
      resourceId: spec.id,
      workspaceId: TENANT_ID,
      token: spec.key,
      createdAt: SEEDED_AT,
      lastUsedAt: null,
    }));
    this.keys.push({
      id: stableUuid('dify-test:dataset-key-id'),
      type: 'dataset',
      resourceId: null,
      workspaceId: TENANT_ID,
      token: DATASET_KEY,
      createdAt: SEEDED_AT,
      lastUsedAt: null,
    });
    this.apps.byKey.clear();
    for (const spec of specs) this.apps.byKey.set(spec.key, spec);
    this.datasetKeys.clear();
    this.datasetKeys.add(DATASET_KEY);
  }

  appKeys(appId: string): ApiKey[] {
    return this.keys.filter((k) => k.type === 'app' && k.resourceId === appId);
  }

  /** Every dataset-type key of the workspace, per-dataset ones included. */
  datasetKeysOf(workspaceId: string): ApiKey[] {
    return this.keys.filter((k) => k.type === 'dataset' && k.workspaceId === workspaceId);
  }

  /** A new key; an app key of a Service API app (`spec`) works on /v1 from now on. */
  create(type: 'app' | 'dataset', prefix: string, workspaceId: string, resourceId: string | null, at: number, spec?: AppSpec): ApiKey {
    const key: ApiKey = { id: uuid(), type, resourceId, workspaceId, token: generateToken(prefix), createdAt: at, lastUsedAt: null };
    this.keys.push(key);
    if (spec) this.apps.byKey.set(key.token, spec);
    if (type === 'dataset') this.datasetKeys.add(key.token);
    return key;
  }

  delete(key: ApiKey): void {
    this.keys = this.keys.filter((k) => k !== key);
    this.apps.byKey.delete(key.token);
    this.datasetKeys.delete(key.token);
  }
}

/** The key as every key endpoint returns it. */
export function keyDict(key: ApiKey): Record<string, unknown> {
  return {
    id: key.id,
    type: key.type,
    token: key.token,
    last_used_at: key.lastUsedAt === null ? null : Math.floor(key.lastUsedAt / 1000),
    created_at: Math.floor(key.createdAt / 1000),
  };
}
