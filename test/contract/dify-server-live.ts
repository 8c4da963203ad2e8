// A live SSE reader for the test Dify server's contract tests: frames as they arrive, waits for a given frame,
// disconnects on demand (for re-attach tests), and keeps the raw bytes.
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { DifyTestServer } from '../dify-server/server.js';
import type { Frame } from './dify-server-helpers.js';

export interface LiveStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Frames parsed so far. */
  frames: Frame[];
  /** The raw body so far. */
  raw(): string;
  /** Data frames so far. */
  data(): Record<string, unknown>[];
  /** Resolves with the first data frame (already seen or coming) that matches. */
  waitFor(match: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the response ended (cleanly or not). */
  ended: Promise<void>;
  /** Cuts the connection. */
  close(): void;
}

export function openLive(
  server: DifyTestServer,
  method: string,
  path: string,
  opts: { key: string; json?: unknown },
): Promise<LiveStream> {
  return new Promise((resolve, reject) => {
    const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const headers: Record<string, string> = { Authorization: `Bearer ${opts.key}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const req = httpRequest(new URL(`${server.baseUrl}${path}`), { method, headers }, (res) => {
      let text = '';
      let pending = '';
      const frames: Frame[] = [];
      const waiters: { match: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void }[] = [];
      let endResolve!: () => void;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        pending += chunk;
        let i: number;
        while ((i = pending.indexOf('\n\n')) >= 0) {
          const rawFrame = pending.slice(0, i);
          pending = pending.slice(i + 2);
          if (rawFrame === 'event: ping') {
            frames.push({ kind: 'ping', raw: rawFrame });
            continue;
          }
          const json = JSON.parse(rawFrame.slice('data: '.length)) as Record<string, unknown>;
          frames.push({ kind: 'data', raw: rawFrame, json });
          for (const w of [...waiters]) {
            if (w.match(json)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(json);
            }
          }
        }
      });
      res.on('close', () => endResolve());
      res.on('error', () => endResolve());
      const data = (): Record<string, unknown>[] => frames.flatMap((f) => (f.kind === 'data' ? [f.json] : []));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        raw: () => text,
        data,
        ended,
        close: () => req.destroy(),
        waitFor: (match, timeoutMs = 5000) => {
          const seen = data().find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching frame within ${timeoutMs} ms; got ${data().map((f) => String(f.event)).join(', ')}`)), timeoutMs);
            waiters.push({ match, resolve: (f) => (clearTimeout(timer), ok(f)) });
          });
        },
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const isEvent = (name: string) => (f: Record<string, unknown>): boolean => f.event === name;
