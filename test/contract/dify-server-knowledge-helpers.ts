// Shared setup for the Knowledge API contract tests: a test Dify server per file, a fetch-based `call`, JSON helpers.
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';

const STEP_MS = 20;

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => v as Obj;
export const arr = (v: unknown): Obj[] => v as Obj[];
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface KnowledgeResponse {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/** The running server of one test file; its fields are set in the `before` hook `useKnowledgeServer()` registers. */
export interface KnowledgeServer {
  /** The server's base URL (…/v1). */
  readonly base: string;
  /** The dataset API key (the default key of `call`). */
  readonly key: string;
  /** An app (chat) key, which the Knowledge API refuses. */
  readonly appKey: string;
  /** A request with the dataset key (or `key`); a FormData body is sent as is, anything else as JSON. */
  call(method: string, path: string, body?: unknown, key?: string): Promise<KnowledgeResponse>;
  /** The dataset's API Access switch in Dify's console. */
  setDatasetApi(datasetId: string, enabled: boolean): void;
  /** Polls a batch's indexing status until its first document reaches `status`. */
  waitForStatus(datasetId: string, batch: string, status: string): Promise<Obj>;
}

/** Mocha hooks for a describe block: starts the test Dify server before, closes it after, resets it before each test. */
export function useKnowledgeServer(): KnowledgeServer {
  let server: DifyTestServer | undefined;
  const running = (): DifyTestServer => {
    if (!server) throw new Error('the test Dify server is not running (useKnowledgeServer() starts it in a before hook)');
    return server;
  };
  const api: KnowledgeServer = {
    get base() {
      return running().baseUrl;
    },
    get key() {
      return running().keys.dataset;
    },
    get appKey() {
      return running().keys.chat;
    },
    async call(method, path, body, key) {
      const headers: Record<string, string> = { Authorization: `Bearer ${key ?? api.key}` };
      let payload: BodyInit | undefined;
      if (body instanceof FormData) payload = body;
      else if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      const res = await fetch(api.base + path, { method, headers, body: payload });
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, text, json, headers: res.headers };
    },
    setDatasetApi(datasetId, enabled) {
      running().setDatasetApi(datasetId, enabled);
    },
    async waitForStatus(datasetId, batch, status) {
      for (let i = 0; i < 200; i++) {
        const r = await api.call('GET', `/datasets/${datasetId}/documents/${batch}/indexing-status`);
        const row = arr(obj(r.json)['data'])[0]!;
        if (row['indexing_status'] === status) return row;
        await sleep(5);
      }
      throw new Error(`document never reached ${status}`);
    },
  };
  before(async () => {
    server = await startDifyServer({ indexingStepMs: STEP_MS });
  });
  after(async () => {
    await server?.close();
    server = undefined;
  });
  beforeEach(() => running().reset());
  return api;
}
