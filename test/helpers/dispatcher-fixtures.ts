// Shared setup for the dispatcher tests (test/unit/dispatcher-*.test.ts): credentials, AppClients over createDispatcher, failure and leak checks, a silent TCP server, an isolated Node run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import type { Dispatcher } from 'undici';
import { AppClient, createDispatcher, DifyNetworkError, type NetworkSettings, type RequestLogEntry } from '../../src/dify/index.js';
import type { RawHandler } from './raw-server.js';

const execFileAsync = promisify(execFile);
export const KEY = 'app-ProxyTestKey0123456789';
export const USER = 'alice';
/** tinyproxy's BasicAuth takes [-a-z0-9._] only. */
export const PASSWORD = 'pr0xy-S3cret_pw.9';

export const info = (name: string): RawHandler => (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ name }));
};

const open: Dispatcher[] = [];
/** The request log of every client() since the last closeClients(). */
export const logs: RequestLogEntry[] = [];

/** Closes the dispatchers of client() and clears the request log: register it with afterEach where client() is used. */
export async function closeClients(): Promise<void> {
  await Promise.all(open.splice(0).map((d) => d.close()));
  logs.length = 0;
}

/** An AppClient whose every request goes through createDispatcher(settings). `env: {}` unless the test gives one. */
export function client(baseUrl: string, settings: NetworkSettings): AppClient {
  const dispatcher = createDispatcher({ env: {}, ...settings });
  open.push(dispatcher);
  return new AppClient({ baseUrl, apiKey: KEY, user: 'u', dispatcher, retry: { retries: 0 }, onRequest: (e) => logs.push(e) });
}

/** The base URL of a server with a path prefix, so that the proxy log line of each test is its own. */
export function tagged(baseUrl: string, tag: string): string {
  return baseUrl.replace(/\/v1$/, `/${tag}/v1`);
}

/** Awaits a call that must fail with a DifyNetworkError, and returns that error. */
export async function failure(call: Promise<unknown>): Promise<DifyNetworkError> {
  const error = await call.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DifyNetworkError, `expected DifyNetworkError, got ${String(error)}`);
  return error;
}

/** The password must be in no form of the error, nor in the request log. */
export function assertNoPassword(error: unknown, password = PASSWORD) {
  const base64 = Buffer.from(`${USER}:${password}`).toString('base64');
  for (const text of [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error), JSON.stringify(logs)]) {
    assert.ok(!text.includes(password), `password leaked: ${text}`);
    assert.ok(!text.includes(base64), `credentials leaked: ${text}`);
  }
}

/** A TCP server that accepts connections and never says a word: a TLS handshake against it hangs. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs `body` in a fresh Node (through tsx) that loads nothing but src/dify, as the extension bundle does: no undici
 * module loaded by a test, no state of this process. `get(dispatcher, baseUrl)` there gives the app name or the error
 * message; the body prints JSON, which is returned parsed.
 */
export async function runIsolated(body: string, env: Record<string, string>): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'dify-isolated-'));
  try {
    const script = join(dir, 'run.ts');
    const src = JSON.stringify(join(__dirname, '..', '..', 'src', 'dify', 'index.ts'));
    writeFileSync(
      script,
      `import { AppClient, createDispatcher } from ${src};
import type { Dispatcher } from 'undici';
const get = (dispatcher: Dispatcher, baseUrl: string) =>
  new AppClient({ baseUrl, apiKey: 'k', user: 'u', dispatcher, retry: { retries: 0 } }).getInfo().then((i) => i.name, (e: Error) => e.message);
async function main() {
${body}
}
void main();
`,
    );
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', script], { cwd: join(__dirname, '..', '..'), env: { ...process.env, ...env } });
    return JSON.parse(stdout) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
