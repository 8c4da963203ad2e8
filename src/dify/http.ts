// The one network module: every request to Dify goes through DifyHttp, so auth, timeouts, retries, cancellation,
// error mapping and redaction happen in one place. Proxy / extra CA / TLS strictness come in as an undici dispatcher.
import { Readable } from 'node:stream';
import { FormDataEncoder } from 'form-data-encoder';
import type { Dispatcher } from 'undici';
import {
  DifyAbortError,
  DifyApiError,
  DifyError,
  DifyNetworkError,
  DifyRateLimitError,
  DifyUnexpectedResponseError,
} from './errors.js';
import { networkError } from './network-error.js';
import { defaultDispatcher, dispatchRequest } from './undici.js';

export interface DifyTimeouts {
  /** Time until response headers for ordinary API calls. */
  requestMs: number;
  /** Time for a whole blocking generation (chat, completion, workflow); LLM calls are slow. */
  generationMs: number;
  /** A stream with no bytes at all for this long is stalled (Dify pings every 10 s). */
  streamIdleMs: number;
  /**
   * A stream with pings but no event for this long is hung (Dify 1.13, CONTRACT.md §6.2): before its first event, or
   * in a workflow with no node running. A running node may send pings only for as long as it runs.
   */
  streamEventMs: number;
  /** The best-effort stop request after a cancel or a hang: short, since a stalled server stalls on it too. */
  stopMs: number;
}

export interface RetryOptions {
  /** Extra attempts for idempotent requests after a connection error or 502/503/504. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** One line of the request log. Never holds a key or a header. */
export interface RequestLogEntry {
  method: string;
  /** Path relative to the base URL, without the query string. */
  path: string;
  status?: number;
  durationMs: number;
  attempt: number;
  error?: string;
}

export interface DifyClientOptions {
  /** The API base URL, e.g. `https://api.dify.ai/v1`. */
  baseUrl: string;
  apiKey: string;
  /** An undici dispatcher carrying proxy, extra CA and TLS settings (createDispatcher). Defaults to a plain agent. */
  dispatcher?: Dispatcher;
  timeouts?: Partial<DifyTimeouts>;
  retry?: Partial<RetryOptions>;
  onRequest?: (entry: RequestLogEntry) => void;
  userAgent?: string;
}

export const DEFAULT_TIMEOUTS: DifyTimeouts = {
  requestMs: 30_000,
  generationMs: 600_000,
  streamIdleMs: 30_000,
  streamEventMs: 120_000,
  stopMs: 5_000,
};

/**
 * How requests authenticate: a Service API key (`Authorization: Bearer`), or headers asked for at each request (the
 * console's session: its cookies and CSRF header, which change when the session is refreshed).
 */
export type Credentials = { apiKey: string } | { headers: () => Record<string, string> };
export type HttpOptions = Omit<DifyClientOptions, 'apiKey'> & Credentials;

const DEFAULT_RETRY: RetryOptions = { retries: 2, baseDelayMs: 300, maxDelayMs: 4_000 };

/** Per-call options: cancellation and a timeout override. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Path segments are ids from Dify or the user; never let one change the path. */
export function enc(segment: string): string {
  return encodeURIComponent(segment);
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Retried on connection errors and 502/503/504. Defaults to true for GET only: POSTs never retry by themselves. */
  idempotent?: boolean;
  accept?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  endpoint: string;
}

export class DifyHttp {
  readonly baseUrl: string;
  readonly origin: string;
  /** host[:port] of the base URL, for messages. */
  readonly host: string;
  readonly timeouts: DifyTimeouts;
  /**
   * Dify's version from the `X-Version` header of the first answer that had one (Dify's Flask app sets it on every
   * response; an nginx error page does not). What the client may use (resume, 1.14+) is decided from it, never guessed
   * from errors.
   */
  serverVersion: string | undefined;
  private readonly retry: RetryOptions;
  readonly #credentials: () => Record<string, string>;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #onRequest: ((entry: RequestLogEntry) => void) | undefined;
  readonly #userAgent: string;

  constructor(options: HttpOptions) {
    const url = parseBaseUrl(options.baseUrl);
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.origin = url.origin;
    this.host = url.host;
    if ('apiKey' in options) {
      const apiKey = options.apiKey.trim();
      if (!apiKey || /\s/.test(apiKey)) throw new TypeError('A Dify API key is required and must not contain spaces.');
      this.#credentials = () => ({ authorization: `Bearer ${apiKey}` });
    } else {
      this.#credentials = options.headers;
    }
    this.#dispatcher = options.dispatcher;
    this.#onRequest = options.onRequest;
    this.#userAgent = options.userAgent ?? 'dify-vscode';
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** A JSON call. 204 and empty bodies give `undefined`. Errors are thrown as DifyError subclasses. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, { accept: 'application/json', ...options });
    return this.readJson<T>(response, options.signal);
  }

  /** The JSON body of a 2xx response from send(); 204 and empty bodies give `undefined`. */
  async readJson<T>(response: RawResponse, signal?: AbortSignal): Promise<T> {
    const endpoint = response.endpoint;
    const text = await this.readText(response, signal);
    if (response.status === 204 || text === '') return undefined as T;
    const contentType = header(response.headers, 'content-type');
    if (!/json/i.test(contentType)) {
      throw new DifyUnexpectedResponseError(response.status, contentType, snippet(text), endpoint, this.host);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new DifyUnexpectedResponseError(response.status, contentType, snippet(text), endpoint, this.host);
    }
  }

  /**
   * A call whose 2xx body the caller reads (streams, file bytes). Error statuses are read and thrown here.
   * The caller must consume or destroy `body`.
   */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const idempotent = options.idempotent ?? method === 'GET';
    const endpoint = `${method} ${path}`;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const log = (status?: number, error?: string) =>
        this.#onRequest?.({ method, path, status, durationMs: Math.round(performance.now() - started), attempt, error });
      let response: Dispatcher.ResponseData;
      try {
        response = await this.dispatch(method, path, options);
      } catch (e) {
        const error = this.mapRequestError(e, endpoint, options.signal);
        log(undefined, error.message);
        if (idempotent && attempt <= this.retry.retries && isTransient(error)) {
          await this.backoff(attempt, undefined, options.signal, endpoint);
          continue;
        }
        throw error;
      }
      log(response.statusCode);
      this.serverVersion ??= header(response.headers, 'x-version') || undefined;
      // A redirect is an error too: Dify's API never redirects (a proxy sending http to https, or a URL without /v1).
      if (response.statusCode < 300) {
        return { status: response.statusCode, headers: response.headers, body: response.body, endpoint };
      }
      const error = await this.readError(response, endpoint, options.signal);
      const retryAfter = error instanceof DifyRateLimitError ? error.retryAfterMs : undefined;
      const retryable =
        [502, 503, 504].includes(response.statusCode) ||
        (response.statusCode === 429 && retryAfter !== undefined && retryAfter <= this.retry.maxDelayMs);
      if (idempotent && attempt <= this.retry.retries && retryable) {
        await this.backoff(attempt, retryAfter, options.signal, endpoint);
        continue;
      }
      throw error;
    }
  }

  /** Reads a whole (small) body as UTF-8; a connection that breaks meanwhile is a network error. */
  async readText(response: RawResponse, signal?: AbortSignal, limit = Infinity): Promise<string> {
    try {
      return await collect(response.body, limit);
    } catch (e) {
      throw this.mapRequestError(e, response.endpoint, signal);
    }
  }

  private dispatch(method: string, path: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { ...this.#credentials(), 'user-agent': this.#userAgent };
    if (options.accept) headers.accept = options.accept;
    let body: string | Readable | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      // Encoded as it is sent, file parts read from disk chunk by chunk, with an exact Content-Length; undici's own
      // FormData path copies every chunk through a web stream (see npm run bench, upload memory).
      const encoder = new FormDataEncoder(options.form);
      Object.assign(headers, encoder.headers);
      body = Readable.from(encoder.encode(), { objectMode: false });
    }
    const timeout = options.timeoutMs ?? this.timeouts.requestMs;
    const url = new URL(this.baseUrl + path + queryString(options.query));
    return dispatchRequest(this.#dispatcher ?? defaultDispatcher(), {
      origin: url.origin,
      path: url.pathname + url.search,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: options.signal,
      headersTimeout: timeout,
      // Stream bodies are watched by sse.ts (distinct stall / no-event errors); other bodies get the same bound.
      bodyTimeout: options.accept === 'text/event-stream' ? 0 : timeout,
    });
  }

  private async readError(response: Dispatcher.ResponseData, endpoint: string, signal: AbortSignal | undefined): Promise<DifyError> {
    const status = response.statusCode;
    const text = await this.readText({ status, headers: response.headers, body: response.body, endpoint }, signal, MAX_ERROR_BODY);
    const contentType = header(response.headers, 'content-type');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'));
    if (parsed && typeof parsed === 'object') {
      const body = parsed as { code?: unknown; message?: unknown; error?: unknown; custom?: unknown };
      // flask-restx's abort() bodies have no code (`{"message"}`, with `custom` on the console's key limit), nor the
      // console's refresh failure (`{"result": "fail", "message"}`): their status names them, as werkzeug names it.
      const code =
        typeof body.code === 'string' ? body.code : typeof body.custom === 'string' ? body.custom : status === 429 ? 'too_many_requests' : undefined;
      const message = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : '';
      // `{"error": "..."}` is the one non-standard Dify body (CONTRACT.md §2.3).
      if (code !== undefined || typeof body.error === 'string' || typeof body.message === 'string') {
        return apiError(status, code ?? WERKZEUG_CODES[status] ?? 'bad_request', message, endpoint, this.host, retryAfterMs);
      }
    }
    if (status === 429) return new DifyRateLimitError(status, 'too_many_requests', '', endpoint, retryAfterMs, this.host);
    const location = status < 400 ? header(response.headers, 'location') : '';
    return new DifyUnexpectedResponseError(status, contentType, location ? `Location: ${location}` : snippet(text), endpoint, this.host);
  }

  private mapRequestError(e: unknown, endpoint: string, signal: AbortSignal | undefined): DifyError {
    if (e instanceof DifyError) return e;
    if (signal?.aborted) return new DifyAbortError(endpoint);
    return networkError(e, this.host, endpoint);
  }

  private async backoff(attempt: number, retryAfterMs: number | undefined, signal: AbortSignal | undefined, endpoint: string) {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    const delay = retryAfterMs ?? cap / 2 + Math.random() * (cap / 2);
    await sleep(delay, signal, endpoint);
  }
}

/** True when `version` (Dify's X-Version, e.g. "1.14.0") is at least `minimum`; false when unknown. */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
  if (!version) return false;
  const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`"${baseUrl}" is not a valid URL. Use the Dify API URL, e.g. https://api.dify.ai/v1.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`The Dify API URL must start with https:// or http://, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new TypeError('The Dify API URL must not contain a user name or password.');
  url.search = '';
  url.hash = '';
  return url;
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function header(headers: RawResponse['headers'], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

const MAX_ERROR_BODY = 64 * 1024;

/** werkzeug's exception names, snake-cased as Dify's handler turns them into codes. */
// prettier-ignore
const WERKZEUG_CODES: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found',
  405: 'method_not_allowed', 409: 'conflict', 415: 'unsupported_media_type', 500: 'internal_server_error' };

async function collect(body: RawResponse['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    if (size < limit) chunks.push(buf);
    size += buf.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One place that decides what counts as a rate limit (CONTRACT.md §2.2, §6.11). */
export function apiError(status: number, code: string, message: string, endpoint: string, host: string, retryAfterMs?: number): DifyApiError {
  const rateLimited =
    status === 429 ||
    (status === 400 && code === 'invalid_param' && /^too many requests/i.test(message)) ||
    (status === 403 && /request rate limit/i.test(message));
  return rateLimited
    ? new DifyRateLimitError(status, code, message, endpoint, retryAfterMs, host)
    : new DifyApiError(status, code, message, endpoint, host);
}

function parseRetryAfter(value: string): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Text of an HTML or other body, tags and whitespace collapsed, for messages. */
function snippet(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.slice(0, 200);
}

function isTransient(error: DifyError): boolean {
  return error instanceof DifyNetworkError && (error.kind === 'refused' || error.kind === 'reset' || error.kind === 'timeout');
}

export function sleep(ms: number, signal: AbortSignal | undefined, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DifyAbortError(endpoint));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DifyAbortError(endpoint));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
