// Helpers for in-host suites: what the orchestrator passes (the test Dify server's URL and keys...) and a handle on
// the test Dify server's faults and recorded requests. Import from a suite file: `import { testEnv, dify } from './env.js'`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Fault, FaultMatch, RecordedRequest } from '../../dify-server/server.js';
import { TEST_ENV_FILE, TEST_ENV_VAR, type TestEnv } from '../lib/test-env.js';

export type { TestEnv } from '../lib/test-env.js';

let cached: TestEnv | undefined;

/** The orchestrator's test-env.json: test Dify server `baseUrl`, `keys`, `apps`, `controlUrl`, workspace, artifacts dir. */
export function testEnv(): TestEnv {
  if (cached) return cached;
  const candidates = [process.env[TEST_ENV_VAR]];
  for (const f of vscode.workspace.workspaceFolders ?? []) candidates.push(join(dirname(f.uri.fsPath), TEST_ENV_FILE));
  const file = candidates.find((c): c is string => !!c && existsSync(c));
  if (!file) throw new Error(`${TEST_ENV_FILE} not found (looked at: ${candidates.filter(Boolean).join(', ')}); run the suites with npm run test:vscode`);
  cached = JSON.parse(readFileSync(file, 'utf8')) as TestEnv;
  return cached;
}

async function control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(testEnv().controlUrl + path, {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`test Dify server control ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** The test Dify server, seen from the extension host (it runs in the orchestrator's process). */
export const dify = {
  /** Queues a one-shot fault for the next request matching `match` (see test/dify-server/faults.ts). */
  fault: (fault: Fault, match?: FaultMatch): Promise<unknown> =>
    control('POST', '/fault', {
      fault,
      match: match?.path instanceof RegExp ? { ...match, path: { regexp: match.path.source, flags: match.path.flags } } : match,
    }),
  /** Back to the seed state: no conversations, files, runs, recorded requests or queued faults. */
  reset: (): Promise<unknown> => control('POST', '/reset'),
  /** Every request the server received since the last reset, in arrival order. */
  requests: async (): Promise<RecordedRequest[]> => (await control('GET', '/requests')) as RecordedRequest[],
};
