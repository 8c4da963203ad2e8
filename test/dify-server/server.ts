// The test Dify server: behaves like Dify 1.15.0 on the wire (CONTRACT.md plus CONSOLE.md §11), or exactly like
// 1.13.2 with `version: '1.13.2'` (see /work/shared/dify-api/). Its Console API (/console/api, CONSOLE.md) is in
// console/: log in with `server.console.email` / `password`, then manage the same apps, keys and datasets.
//
//   const server = await startDifyServer();                       // 1.15.0
//   const old = await startDifyServer({ version: '1.13.2' });
//   await fetch(`${server.baseUrl}/info`, { headers: { Authorization: `Bearer ${server.keys.chat}` } });
//   server.fault({ kind: 'cut', afterEvents: 3 }, { path: '/chat-messages' });
//   await server.close();
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApps, registerApps } from './apps/index.js';
import type { AppFixture, AppHandle } from './apps/fixtures.js';
import { DATASET_KEY, buildApps } from './apps/fixtures.js';
import { sendFile } from './apps/files.js';
import { FAULT_HEADER, FaultQueue, isStreamFault, parseFaultHeader } from './faults.js';
import type { Fault, FaultMatch } from './faults.js';
import { seedConversations } from './apps/seed.js';
import { ConsoleApi } from './console/index.js';
import type { ConsoleHandle, ConsoleOptions, LegacyConsoleVersion } from './console/index.js';
import { KnowledgeApi } from './knowledge.js';
import { Router, routeContext, sendJson } from './router.js';
import type { RecordedRequest } from './router.js';
import { sleep } from './sse.js';
import { DEFAULT_DIFY_VERSION } from './version.js';
import type { DifyVersion } from './version.js';
import { NGINX_413_HTML, pyJson, WERKZEUG_404_HTML } from './wire.js';

export type { Fault, FaultMatch, StreamFault } from './faults.js';
export type { RecordedRequest } from './router.js';
export type { AppFixture, AppHandle, AppMode } from './apps/fixtures.js';
export type { DifyVersion } from './version.js';
export type { ConsoleHandle, ConsoleOptions, LegacyConsoleVersion } from './console/index.js';

export interface DifyTestServerOptions {
  /**
   * The Dify release to speak (default '1.15.0'): the `X-Version` header, and on 1.15.0 what CONSOLE.md §11 adds
   * (`GET /workflow/:id/events`, `/form/human_input/:token`, reasoning_chunk, the `agent` mode app `newAgent`, the
   * 1.14 paused blocking bodies, segment validation, the PATCH document alias). On '1.13.2' those routes are
   * werkzeug 404s and `keys.newAgent` is an unknown key.
   */
  version?: DifyVersion;
  /**
   * The console (`/console/api`) speaks this release below 1.11.2 instead of `version`: its X-Version, and `/login`
   * takes the password in plain text, so a base64 one is just a wrong password (CONSOLE.md §10).
   */
  consoleVersion?: LegacyConsoleVersion;
  /** The console's configuration: https cookies, setup state, password login, token lifetimes, lock-out. */
  console?: ConsoleOptions;
  /** How long the middle (crawler) node of `workflowSlow` runs, with only pings meanwhile (default 180000). */
  slowNodeMs?: number;
  /** How long a human-input form can be answered before it times out (default 3 days). */
  humanInputTimeoutMs?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Pause before each streamed data frame (default 0). */
  eventDelayMs?: number;
  /** Keep-alive ping interval (default 10000, Dify's). */
  pingIntervalMs?: number;
  /** 1.13 pub/sub idle timeout that ends a hung stream (default 300000). */
  idleTimeoutMs?: number;
  /** Pace of the simulated document indexing (Knowledge API). */
  indexingStepMs?: number;
  /**
   * APP_MAX_ACTIVE_REQUESTS: in-flight generation requests (chat, completion, workflow runs; a stream counts until it
   * ends) allowed per app. One more is refused with Dify's 400 invalid_param "Too many requests...". Default unlimited.
   */
  maxActiveRequests?: number;
  /** nginx `client_max_body_size`: a larger Content-Length gets nginx's HTML 413 page (default 100 MB, Dify's). */
  maxBodyBytes?: number;
}

export interface UploadedFile {
  id: string;
  name: string;
  extension: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/** One key per seeded app, plus the workspace dataset key. */
export type DifyTestKeys = Record<AppHandle, string> & { dataset: string };

export interface DifyTestServer {
  /** The origin, e.g. `http://127.0.0.1:5001`. */
  url: string;
  /** `url + '/v1'`, what a Dify client is configured with. */
  baseUrl: string;
  keys: DifyTestKeys;
  /** The Console API: its URL, the seeded login, test hooks. */
  console: ConsoleHandle;
  /** The Dify release this server speaks. */
  version: DifyVersion;
  apps: AppFixture[];
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  /** Queues a one-shot fault for the next request matching `match` (all requests when omitted). */
  fault(fault: Fault, match?: FaultMatch): void;
  /** What `/files/upload` stored (size and sha256 of the bytes received). */
  uploads(): UploadedFile[];
  /** Adds `count` past conversations (one exchange each) of app `handle` for end user `user`; returns their ids, oldest first. */
  seedConversations(handle: AppHandle, user: string, count: number): string[];
  /** Turns a dataset's Knowledge-API access on or off, as its switch in Dify's console does. */
  setDatasetApi(datasetId: string, enabled: boolean): void;
  /** Changes the pause between stream events for the streams that start from now on (e.g. slow enough to click Stop). */
  setEventDelay(ms: number): void;
  /**
   * Back to the seed state: no conversations, files, runs, recorded requests or queued faults; the console's sessions,
   * lock-outs, clock, apps, drafts, published versions and API keys as seeded (console-made keys stop working).
   */
  reset(): void;
  /** Closes every socket (open streams included) and stops listening. */
  close(): Promise<void>;
}

/**
 * nginx's 413 page: its headers, not Flask's (no X-Version / X-Env). nginx reads and discards the rest of the body
 * (lingering close) so the client sees the answer rather than a reset; the body is drained here for the same reason.
 */
function sendNginx413(req: IncomingMessage, res: ServerResponse): void {
  res.removeHeader('X-Version');
  res.removeHeader('X-Env');
  res.writeHead(413, { Server: 'nginx', 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(NGINX_413_HTML) });
  res.end(NGINX_413_HTML);
  req.resume();
}

const CONSOLE_PREFIX = '/console/api';

const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export async function startDifyServer(options: DifyTestServerOptions = {}): Promise<DifyTestServer> {
  const filesDir = mkdtempSync(join(tmpdir(), 'dify-test-server-'));
  const version = options.version ?? DEFAULT_DIFY_VERSION;
  let origin = '';
  const apps = createApps({
    version,
    slowNodeMs: options.slowNodeMs ?? 180_000,
    humanInputTimeoutMs: options.humanInputTimeoutMs ?? 3 * 24 * 3600 * 1000,
    eventDelayMs: options.eventDelayMs ?? 0,
    pingIntervalMs: options.pingIntervalMs ?? 10_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 300_000,
    filesDir,
    origin: () => origin,
    maxActiveRequests: options.maxActiveRequests ?? 0,
  });
  const maxBodyBytes = options.maxBodyBytes ?? 100 * 1024 * 1024;
  const knowledge = new KnowledgeApi({ datasetKeys: new Set([DATASET_KEY]), indexingStepMs: options.indexingStepMs ?? 50, version });
  const router = new Router();
  registerApps(router, apps);
  knowledge.register(router);
  const consoleApi = new ConsoleApi({
    version,
    legacyVersion: options.consoleVersion,
    options: options.console ?? {},
    apps,
    knowledge: knowledge.state,
    origin: () => origin,
  });

  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue();
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Version', version);
    res.setHeader('X-Env', 'PRODUCTION');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const fullPath = url.pathname;
    const path = fullPath === '/v1' ? '' : fullPath.startsWith('/v1/') ? fullPath.slice(3) : undefined;
    const method = req.method ?? 'GET';
    const record: RecordedRequest = {
      method,
      path: path ?? fullPath,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
    };
    requests.push(record);
    res.on('close', () => {
      if (res.headersSent) record.status = res.statusCode;
    });

    // nginx in front of Dify refuses a too-large body from its Content-Length, before anything reaches Flask.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      sendNginx413(req, res);
      return;
    }

    let fault: Fault | undefined;
    const header = req.headers[FAULT_HEADER];
    if (typeof header === 'string') {
      const parsed = parseFaultHeader(header);
      if (typeof parsed === 'string') {
        req.resume();
        sendJson(res, 400, { code: 'bad_request', message: parsed, status: 400 });
        return;
      }
      fault = parsed;
    } else {
      fault = faults.take(method, record.path);
    }
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'http') {
      req.resume();
      const { body } = fault;
      const bytes =
        body === undefined ? Buffer.alloc(0) : typeof body === 'string' || Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(pyJson(body) + '\n');
      const type = fault.contentType ?? (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body) ? 'application/json' : 'text/html');
      res.writeHead(fault.status, { ...(bytes.length || fault.contentType ? { 'Content-Type': type } : {}), 'Content-Length': bytes.length, ...fault.headers });
      res.end(bytes);
      return;
    }
    if (fault?.kind === 'slowFirstByte') await sleep(fault.delayMs);

    const ctx = routeContext(req, res, url.searchParams, record, fault && isStreamFault(fault) ? fault : undefined);
    if (fullPath === CONSOLE_PREFIX || fullPath.startsWith(`${CONSOLE_PREFIX}/`)) {
      res.setHeader('X-Version', consoleApi.c.version);
      await consoleApi.router.serve(ctx, fullPath.slice(CONSOLE_PREFIX.length), fullPath);
      return;
    }
    if (path === undefined) {
      if (method === 'GET' && (await servePublicFile(fullPath, url, res))) return;
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(WERKZEUG_404_HTML) });
      res.end(WERKZEUG_404_HTML);
      return;
    }
    if (path === '') {
      const location = `${origin}/v1/`;
      const html =
        '<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n' +
        `<p>You should be redirected automatically to the target URL: <a href="${location}">${location}</a>. If not, click the link.\n`;
      res.writeHead(308, { 'Content-Type': 'text/html; charset=utf-8', Location: location });
      res.end(html);
      return;
    }

    await router.serve(ctx, path, fullPath);
  }

  /** Signed file URLs outside /v1: upload previews and tool files. */
  async function servePublicFile(fullPath: string, url: URL, res: ServerResponse): Promise<boolean> {
    const preview = /^\/files\/([0-9a-f-]{36})\/file-preview$/i.exec(fullPath);
    if (preview) {
      const file = apps.state.files.get(preview[1]!.toLowerCase());
      if (!file || !url.searchParams.get('sign')) {
        sendJson(res, 404, { code: 'not_found', message: 'File not found or signature is invalid', status: 404 });
      } else {
        await sendFile(res, file, url.searchParams.get('as_attachment') === 'true');
      }
      return true;
    }
    if (/^\/files\/tools\/[0-9a-f-]{36}\.png$/i.test(fullPath)) {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': TINY_PNG.length });
      res.end(TINY_PNG);
      return true;
    }
    return false;
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      console.error('[dify-test-server] handler crashed', e);
      res.destroy();
    });
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;

  // Every handle has its key; one whose app does not exist in this version (newAgent on 1.13.2) is refused as unknown.
  const keys = Object.fromEntries(buildApps('1.15.0').map((a) => [a.handle, a.key])) as Record<AppHandle, string>;
  return {
    url: origin,
    baseUrl: `${origin}/v1`,
    version,
    keys: { ...keys, dataset: DATASET_KEY },
    console: consoleApi.handle(),
    apps: apps.state.apps.map(({ key, id, name, mode, description }) => ({ key, id, name, mode, description })),
    requests,
    fault: (fault, match) => faults.add(fault, match),
    uploads: () =>
      [...apps.state.files.values()].map(({ id, name, extension, mimeType, size, sha256 }) => ({ id, name, extension, mimeType, size, sha256 })),
    seedConversations: (handle, user, count) => seedConversations(apps, handle, user, count),
    setDatasetApi: (datasetId, enabled) => knowledge.setDatasetApi(datasetId, enabled),
    setEventDelay: (ms) => {
      apps.options.eventDelayMs = ms;
    },
    reset: () => {
      for (const task of apps.state.tasks.values()) task.stopped = true;
      apps.state.reset();
      requests.length = 0;
      faults.clear();
      knowledge.reset();
      consoleApi.reset();
    },
    close: async () => {
      for (const task of apps.state.tasks.values()) task.stopped = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      apps.state.reset();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
