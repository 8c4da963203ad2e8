// The HTTP layer of the test Dify server: routing, auth, request bodies and error bodies as flask-restx
// produces them in Dify 1.13.2 (CONTRACT.md §1.3, §2.1). Route modules (apps.ts, knowledge.ts) register on it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamFault } from './faults.js';
import { MultipartError, multipartBoundary, parseMultipart } from './multipart.js';
import type { MultipartPart } from './multipart.js';
import { pyJson, WERKZEUG_404_HTML } from './wire.js';

export type { MultipartPart } from './multipart.js';

/** The 1.13.2 baseline this module's flask-restx behaviour comes from (the server's X-Version follows its option). */
export const SERVER_VERSION = '1.13.2';

/** An error as Dify's handlers serialise it: `{"code", "message", "status"}` (+ extra keys). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * An error whose body is not the handlers' `{"code", "message", "status"}`: a `flask_restx.abort(code, message=...)`
 * (`{"message": ...}` plus extras), flask-login's `{"code", "message"}`, or a handler's own dict.
 */
export class BodyError extends HttpError {
  constructor(
    status: number,
    readonly body: Record<string, unknown>,
    headers: Record<string, string> = {},
    /** false: `json.dumps(...)` handed to a Response by hand, without flask-restx's trailing newline. */
    readonly newline = true,
  ) {
    super(status, String(body.code ?? ''), String(body.message ?? ''), headers);
  }
}

export const errors = {
  invalidParam: (message: string) => new HttpError(400, 'invalid_param', message),
  badRequest: (message: string) => new HttpError(400, 'bad_request', message),
  notFound: (message: string) => new HttpError(404, 'not_found', message),
  forbidden: (message: string) => new HttpError(403, 'forbidden', message),
  unauthorized: (message: string) => new HttpError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="api"' }),
  userRequired: () => new HttpError(400, 'invalid_param', 'Arg user must be provided.'),
};

/** What a test can inspect afterwards: every request as it arrived. */
export interface RecordedRequest {
  method: string;
  /** Path relative to `/v1` (the full path for the console and other URLs), without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body when the request had one; undefined otherwise. */
  json?: unknown;
  status?: number;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  record: RecordedRequest;
  /** A stream fault chosen for this request (server.fault or X-Dify-Test-Fault); the SSE writer applies it. */
  fault?: StreamFault;
  /** The bearer token, or a 401 exactly as Dify words it. Token lookup is the route module's job. */
  bearer(): string;
  /** `request.get_json()`: 415 without an application/json content type, 400 bad_request on malformed JSON. */
  jsonValue(): Promise<unknown>;
  /** The body for a pydantic model: as jsonValue, and a body that is not an object is 400 invalid_param. */
  json(): Promise<Record<string, unknown>>;
  /** Streams multipart parts; file parts are handed over as streams and must be consumed. */
  multipart(onPart: (part: MultipartPart) => Promise<void> | void): Promise<Record<string, string>>;
  send(status: number, body: unknown, headers?: Record<string, string>): void;
  sendEmpty(status: number): void;
}

export type Handler = (ctx: RouteContext) => Promise<void> | void;

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
}

export interface RouterOptions {
  /** Where the router is mounted (`/v1`, `/console/api`): the rules named in a 404's "did you mean". */
  prefix: string;
  /** The blueprint's flask-cors headers, set on every response of a matched rule. */
  cors: (req: IncomingMessage, res: ServerResponse) => void;
}

/** `:name` matches one segment; `:name<uuid>` only a UUID (flask's `<uuid:name>` converter). */
const UUID = '[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}';

export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly options: RouterOptions = { prefix: '/v1', cors: setCorsHeaders }) {}

  add(method: string, pattern: string, handler: Handler): void {
    const names: string[] = [];
    const source = pattern.replace(/:(\w+)(<uuid>)?/g, (_m, name: string, uuid?: string) => {
      names.push(name);
      return uuid ? `(${UUID})` : '([^/]+)';
    });
    this.routes.push({ method, pattern, regex: new RegExp(`^${source}$`), names, handler });
  }

  /** Dispatches a request whose path is already relative to /v1. Returns false when no route matched the path. */
  async dispatch(ctx: Omit<RouteContext, 'params'>, path: string): Promise<void> {
    const onPath = this.routes.filter((r) => r.regex.test(path));
    // werkzeug answers HEAD with the GET rule (the body is dropped) and OPTIONS for every rule by itself.
    const method = ctx.req.method === 'HEAD' ? 'GET' : ctx.req.method;
    const route = onPath.find((r) => r.method === method);
    if (!route) {
      if (onPath.length > 0) {
        const allow = allowedMethods(onPath);
        if (method === 'OPTIONS') {
          this.options.cors(ctx.req, ctx.res);
          ctx.res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Allow: allow, 'Content-Length': 0 });
          ctx.res.end();
          ctx.record.status = 200;
          return;
        }
        throw new HttpError(405, 'method_not_allowed', 'The method is not allowed for the requested URL.', { Allow: allow });
      }
      ctx.res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(WERKZEUG_404_HTML) });
      ctx.res.end(WERKZEUG_404_HTML);
      ctx.record.status = 404;
      return;
    }
    const match = route.regex.exec(path)!;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
    this.options.cors(ctx.req, ctx.res);
    await route.handler({ ...ctx, params });
  }

  /** dispatch, then Dify's error handlers for what a route threw (`fullPath` for the 404 "did you mean"). */
  async serve(ctx: Omit<RouteContext, 'params'>, path: string, fullPath: string): Promise<void> {
    const { req, res } = ctx;
    try {
      await this.dispatch(ctx, path);
    } catch (e) {
      // The client went away (timeout, abort) while its request was read or answered: nothing to answer.
      if (res.headersSent || req.socket.destroyed || (e as NodeJS.ErrnoException).code === 'ECONNRESET') {
        res.destroy();
        return;
      }
      req.resume();
      if (e instanceof BodyError) {
        const message = e.body.message;
        const body = e.status === 404 && typeof message === 'string' ? { ...e.body, message: this.help404(message, fullPath) } : e.body;
        sendJson(res, e.status, body, e.headers, e.newline);
      } else if (e instanceof HttpError) {
        sendError(res, e, e.status === 404 ? this.help404(e.message, fullPath) : e.message);
      } else {
        console.error('[dify-test-server] unhandled error', e);
        sendError(res, new HttpError(500, 'unknown', 'Internal Server Error'), 'Internal Server Error');
      }
      ctx.record.status = res.statusCode;
    }
  }

  /** flask-restx RESTX_ERROR_404_HELP: "<msg>. You have requested this URI [...] but did you mean ... ?" */
  help404(message: string, fullPath: string): string {
    const rules = new Map<string, string>();
    for (const r of this.routes) {
      const rule = this.options.prefix + r.pattern.replace(/:(\w+)(<uuid>)?/g, (_m, name: string, uuid?: string) => `<${uuid ? 'uuid:' : ''}${name}>`);
      rules.set(rule.replace(/<[^>]*>/g, ''), rule);
    }
    const matches = closeMatches(fullPath, [...rules.keys()]);
    if (matches.length === 0) return message;
    const prefix = message ? `${message.replace(/\.+$/, '')}. ` : '';
    return `${prefix}You have requested this URI [${fullPath}] but did you mean ${matches.map((m) => rules.get(m)).join(' or ')} ?`;
  }
}

/**
 * werkzeug's MethodNotAllowed `Allow` header: the methods of every rule on the path, HEAD with GET, and the OPTIONS
 * flask adds to each rule. werkzeug lists them from a set (order varies per process); they are sorted here.
 */
function allowedMethods(routes: Route[]): string {
  const methods = new Set(routes.map((r) => r.method));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort().join(', ');
}

/** What Dify's `CORS(service_api_bp, allow_headers=[…], methods=[…])` allows (ext_blueprints.py). */
const CORS_ALLOW_HEADERS = ['content-type', 'authorization', 'x-app-code'];
const CORS_METHODS = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/**
 * flask-cors on the /v1 blueprint, so on every response of a matched rule (errors and streams included, not on a
 * 404 or 405 of the router): any origin, echoed with `Vary: Origin` when the request names one (send_wildcard off),
 * `*` otherwise (always_send); a preflight gets the sorted methods and those of its requested headers allowed.
 */
function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin) res.setHeader('Vary', 'Origin');
  const requested = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || typeof requested !== 'string' || !CORS_METHODS.includes(requested.toUpperCase())) return;
  const headers = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => CORS_ALLOW_HEADERS.includes(h.toLowerCase()));
  if (headers.length > 0) res.setHeader('Access-Control-Allow-Headers', headers.sort().join(', '));
  res.setHeader('Access-Control-Allow-Methods', CORS_METHODS.join(', '));
}

/** The context a route handler gets (without its path parameters), with the request's recording. */
export function routeContext(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  record: RecordedRequest,
  fault: StreamFault | undefined,
): Omit<RouteContext, 'params'> {
  const ctx: Omit<RouteContext, 'params'> = {
    req,
    res,
    query,
    record,
    fault,
    bearer: () => bearerToken(req),
    jsonValue: async () => {
      const json = await readJson(req);
      record.json = json;
      return json;
    },
    json: async () => jsonObject(await ctx.jsonValue()),
    multipart: (onPart) => readMultipart(req, onPart),
    send: (status, body, headers) => {
      record.status = status;
      sendJson(res, status, body, headers);
    },
    sendEmpty: (status) => {
      record.status = status;
      res.writeHead(status);
      res.end();
    },
  };
  return ctx;
}

export function bearerToken(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header || !/\s/.test(header)) {
    throw errors.unauthorized("Authorization header must be provided and start with 'Bearer'");
  }
  const [scheme, ...rest] = header.split(/\s+/);
  if (scheme!.toLowerCase() !== 'bearer') throw errors.unauthorized("Authorization scheme must be 'Bearer'");
  return rest.join(' ').trim();
}

/** `request.get_json()` as Flask gives it: any JSON value (an object, a list, a string, a number, null). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[^/]*\+json$/.test(type)) {
    await drain(req);
    throw new HttpError(
      415,
      'unsupported_media_type',
      "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw errors.badRequest('Failed to decode JSON object: ' + (e as Error).message);
  }
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A body that must be an object for a pydantic model: anything else is the model's validation error (a ValueError). */
export function jsonObject(value: unknown): Record<string, unknown> {
  if (!isJsonObject(value)) throw errors.invalidParam('Input should be a valid dictionary');
  return value;
}

/**
 * werkzeug's form parsing: parts with a filename parameter are files (streamed to `onPart`), the others are
 * fields (returned). A body that is not multipart/form-data yields no parts and no fields.
 */
export async function readMultipart(
  req: IncomingMessage,
  onPart: (part: MultipartPart) => Promise<void> | void,
): Promise<Record<string, string>> {
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) {
    await drain(req);
    return {};
  }
  try {
    return await parseMultipart(req, boundary, onPart);
  } catch (e) {
    if (e instanceof MultipartError) {
      throw errors.badRequest('The browser (or proxy) sent a request that this server could not understand.');
    }
    throw e;
  }
}

export async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    /* discard */
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, newline = true): void {
  const text = pyJson(body) + (newline ? '\n' : '');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError, message: string): void {
  const body =
    error.status === 500 && error.code === 'unknown'
      ? { message, code: error.code, status: error.status } // the catch-all handler's own key order
      : { code: error.code, message, status: error.status };
  sendJson(res, error.status, body, error.headers);
}

// difflib.get_close_matches(word, possibilities, n=3, cutoff=0.6) with SequenceMatcher's Ratcliff/Obershelp ratio.
function closeMatches(word: string, candidates: string[], n = 3, cutoff = 0.6): string[] {
  return candidates
    .map((c) => ({ c, score: ratio(c, word) }))
    .filter((x) => x.score >= cutoff)
    .sort((a, b) => b.score - a.score)
    .slice(0, n)
    .map((x) => x.c);
}

function ratio(a: string, b: string): number {
  const total = a.length + b.length;
  return total === 0 ? 1 : (2 * matchingCharacters(a, b)) / total;
}

function matchingCharacters(a: string, b: string): number {
  if (!a || !b) return 0;
  let best = { i: 0, j: 0, size: 0 };
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best.size) best = { i, j, size: k };
    }
  }
  if (best.size === 0) return 0;
  return (
    best.size +
    matchingCharacters(a.slice(0, best.i), b.slice(0, best.j)) +
    matchingCharacters(a.slice(best.i + best.size), b.slice(best.j + best.size))
  );
}
