// Helpers for the test Dify server's own contract tests: raw requests, SSE frame parsing, key-order shapes.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { DifyTestServer } from '../dify-server/server.js';

export const STREAMS_DIR = '/work/shared/dify-api/streams';

export function exampleStream(name: string): string {
  return readFileSync(join(STREAMS_DIR, name), 'utf8');
}

export type Frame = { kind: 'ping'; raw: string } | { kind: 'data'; raw: string; json: Record<string, unknown> };

/** Splits a Dify SSE body into frames; throws on anything that is not `data: <json>` or `event: ping`. */
export function parseFrames(body: string): Frame[] {
  if (body === '') return [];
  if (!body.endsWith('\n\n')) throw new Error(`stream does not end with a blank line: ${JSON.stringify(body.slice(-40))}`);
  return body
    .slice(0, -2)
    .split('\n\n')
    .map((raw): Frame => {
      if (raw === 'event: ping') return { kind: 'ping', raw };
      if (!raw.startsWith('data: ') || raw.includes('\n')) throw new Error(`unexpected frame ${JSON.stringify(raw.slice(0, 80))}`);
      return { kind: 'data', raw, json: JSON.parse(raw.slice(6)) as Record<string, unknown> };
    });
}

export function dataFrames(body: string): Record<string, unknown>[] {
  return parseFrames(body).flatMap((f) => (f.kind === 'data' ? [f.json] : []));
}

/** Objects whose keys are data, not schema (they are compared as opaque values). */
const OPEN = new Set(['inputs', 'outputs', 'process_data', 'execution_metadata', 'tool_labels', 'extras', 'metadata_open']);

/** The key sequence of an object, recursing into schema objects (arrays are compared by kind only). */
export function shape(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return 'array';
  if (value === null || typeof value !== 'object' || OPEN.has(key)) return null;
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v, k)]);
}

/** First shape seen per event type (for `node_finished`, keyed by node type too). */
export function shapesByEvent(frames: Record<string, unknown>[]): Map<string, unknown> {
  const shapes = new Map<string, unknown>();
  for (const f of frames) {
    const name = String(f.event);
    if (!shapes.has(name)) shapes.set(name, shape(f));
  }
  return shapes;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export async function call(
  server: DifyTestServer,
  method: string,
  path: string,
  opts: { key?: string; json?: unknown; body?: string | Buffer; contentType?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  let body: string | Buffer | undefined = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  }
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** POST a JSON body and read the whole (streamed) response. */
export function post(server: DifyTestServer, path: string, key: string, json: unknown): Promise<RawResponse> {
  return call(server, 'POST', path, { key, json });
}

export interface Chunked {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  chunks: Buffer[];
  error?: Error;
}

/** A raw node:http request that keeps the chunk boundaries as they arrived. */
export function rawRequest(
  server: DifyTestServer,
  method: string,
  path: string,
  opts: { key?: string; json?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Chunked> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.baseUrl}${path}`);
    const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Chunked | undefined;
    const req = httpRequest(url, { method, headers }, (res) => {
      const out: Chunked = { status: res.statusCode ?? 0, headers: res.headers, chunks: [] };
      response = out;
      const timer = opts.timeoutMs ? setTimeout(() => res.destroy(new Error('client timeout')), opts.timeoutMs) : undefined;
      res.on('data', (c: Buffer) => out.chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve(out);
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        out.error = e;
        resolve(out);
      });
      res.on('close', () => {
        clearTimeout(timer);
        if (!res.complete) out.error ??= new Error('connection closed before the response ended');
        resolve(out);
      });
    });
    req.on('error', (e) => {
      if (!response) return reject(e);
      response.error ??= e;
      resolve(response);
    });
    req.end(body);
  });
}

export const CHAT_INPUTS = { name: 'Ada' };
