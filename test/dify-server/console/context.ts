// What the console route modules share: the state, the Service API and Knowledge API they manage, and Dify's console
// error bodies (CONSOLE.md §3).
import type { Apps } from '../apps/context.js';
import type { KnowledgeState } from '../knowledge/state.js';
import { normalizeUuid } from '../knowledge/state.js';
import { BodyError, HttpError } from '../router.js';
import type { RouteContext } from '../router.js';
import type { KeyStore } from './keys.js';
import type { ConsoleState } from './state.js';
import type { ConsoleApp } from './store.js';

export interface Console {
  state: ConsoleState;
  /** The apps of every workspace. */
  consoleApps: ConsoleApp[];
  keys: KeyStore;
  /** The Service API side (its key lookup and workflow engine). */
  apps: Apps;
  knowledge: KnowledgeState;
  /** The X-Version the console speaks. */
  version: string;
  /** Below 1.11.2 the login password is plain text, not base64 (CONSOLE.md §10). */
  plainPassword: boolean;
  /** 1.13.2: comma-separated `tag_ids`, no `sort_by`, the older AppPartial (CONSOLE.md §10). */
  v113: boolean;
  /** The server origin, as it listens. */
  origin(): string;
}

/**
 * `request.host_url` without its slash: the scheme Flask sees and the request's Host header (what `api_base_url`
 * and `app_base_url` are built from when SERVICE_API_URL / APP_WEB_URL are unset, the docker default).
 */
export function hostUrl(c: Console, ctx: RouteContext): string {
  const host = ctx.req.headers.host;
  if (!host) return c.origin();
  return `${'encrypted' in ctx.req.socket ? 'https' : 'http'}://${host}`;
}

const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="api"' };

/** Every 401 that passes through Dify's handler carries `WWW-Authenticate: Bearer realm="api"` (§3.1). */
export const unauthorized = (code: string, message: string): HttpError => new HttpError(401, code, message, WWW_AUTHENTICATE);

export const consoleErrors = {
  notSetup: () =>
    unauthorized(
      'not_setup',
      'Dify has not been initialized and installed yet. Please proceed with the initialization and installation process first.',
    ),
  notInitValidated: () =>
    unauthorized('not_init_validated', 'Init validation has not been completed yet. Please proceed with the init validation process first.'),
  /** `abort(403)` without a description. */
  forbidden: () =>
    new HttpError(
      403,
      'forbidden',
      "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
    ),
  /** flask-login's unauthorized handler: `json.dumps` of two keys, no `status`, no newline, no WWW-Authenticate. */
  loginUnauthorized: () => new BodyError(401, { code: 'unauthorized', message: 'Unauthorized.' }, {}, false),
  appNotFound: (message = 'App not found.') => new HttpError(404, 'app_not_found', message),
  /** `flask_restx.abort(404, message=...)`: only a `message`. */
  abort: (status: number, message: string, extra: Record<string, unknown> = {}) => new BodyError(status, { message, ...extra }),
};

/** A console app of the current workspace, or undefined (another workspace's, unknown). */
export function findApp(c: Console, workspaceId: string, id: string | undefined): ConsoleApp | undefined {
  const wanted = normalizeUuid(id ?? '');
  return c.consoleApps.find((a) => a.id === wanted && a.workspaceId === workspaceId);
}
