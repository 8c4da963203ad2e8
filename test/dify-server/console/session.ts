// Who is calling (CONSOLE.md §2.4): `setup_required`, the console blueprint's request loader (access cookie, else
// Bearer), then `login_required`'s CSRF check; and the token pair a login or a refresh hands out (§2.3).
import type { RouteContext } from '../router.js';
import { HttpError, errors } from '../router.js';
import { cookieName, requestCookies, setCookie } from './cookies.js';
import type { CookieName } from './cookies.js';
import type { Console } from './context.js';
import { consoleErrors } from './context.js';
import { signJwt, verifyJwt } from './jwt.js';
import type { JwtClaims } from './jwt.js';
import type { Account, Workspace } from './state.js';

/** `setup_required`: 401 not_setup, or not_init_validated when INIT_PASSWORD is set. */
export function setupRequired(c: Console): void {
  if (!c.state.options.notSetUp) return;
  throw c.state.options.initPassword ? consoleErrors.notInitValidated() : consoleErrors.notSetup();
}

export function cookie(c: Console, ctx: RouteContext, name: CookieName): string | undefined {
  return requestCookies(ctx.req).get(cookieName(name, c.state.secure));
}

/** `extract_access_token`: the access cookie, or (only when it is absent or empty) `Authorization: Bearer <t>`. */
function accessToken(c: Console, ctx: RouteContext): string | undefined {
  const fromCookie = cookie(c, ctx, 'access_token');
  if (fromCookie) return fromCookie;
  const header = ctx.req.headers.authorization;
  if (!header || !header.includes(' ')) return undefined;
  const match = /^\s*(\S+)\s+(.*)$/s.exec(header);
  if (!match || match[1]!.toLowerCase() !== 'bearer') return undefined;
  return match[2]!.trimEnd() || undefined;
}

const VERIFY_TEXT = { invalid: 'Invalid token.', signature: 'Invalid token signature.', expired: 'Token has expired.' };

/** `PassportService().verify`: the claims, or 401 unauthorized with its text. */
function verify(c: Console, token: string): JwtClaims {
  const claims = verifyJwt(token, c.state.secret, c.state.nowSeconds());
  if (typeof claims === 'string') throw errors.unauthorized(VERIFY_TEXT[claims]);
  return claims;
}

/**
 * The request loader: the account behind the access token. A banned account is 401 "Account is banned."; an unknown
 * one, or one in no workspace, is flask-login's bare `{"code": "unauthorized", "message": "Unauthorized."}`.
 */
export function loadAccount(c: Console, ctx: RouteContext): { account: Account; workspace: Workspace; admin?: boolean } {
  const token = accessToken(c, ctx);
  if (!token) throw errors.unauthorized('Invalid Authorization token.');
  const admin = adminSession(c, ctx, token);
  if (admin) return admin;
  const claims = verify(c, token);
  if (claims.token_source || !claims.user_id) throw errors.unauthorized('Invalid Authorization token.');
  const account = c.state.accountById(claims.user_id);
  if (!account) throw consoleErrors.loginUnauthorized();
  if (account.status === 'banned') throw errors.unauthorized('Account is banned.');
  const workspace = c.state.current();
  if (!workspace) throw consoleErrors.loginUnauthorized();
  return { account, workspace };
}

/**
 * ADMIN_API_KEY: the workspace named by X-WORKSPACE-ID, as its owner (here: the seeded account, in one of its
 * workspaces, with the owner's role for this request). Without the header or with an unknown workspace the token
 * goes on to JWT verification. The persistent current workspace does not change.
 */
function adminSession(c: Console, ctx: RouteContext, token: string): { account: Account; workspace: Workspace; admin: true } | undefined {
  const key = c.state.options.adminApiKey;
  if (!key || token !== key) return undefined;
  const id = ctx.req.headers['x-workspace-id'];
  const workspace = c.state.joined().find((w) => w.id === id);
  if (!workspace) return undefined;
  return { account: c.state.account, workspace: { ...workspace, role: 'owner' }, admin: true };
}

/** `check_csrf_token`'s whitelist: `re.match` on the path, so anything below `.../workflows/draft` too. */
const CSRF_WHITE_LIST = [/^\/console\/api\/apps\/[a-f0-9-]+\/workflows\/draft/];

function checkCsrf(c: Console, ctx: RouteContext, account: Account): void {
  const path = new URL(ctx.req.url ?? '/', 'http://localhost').pathname;
  if (CSRF_WHITE_LIST.some((re) => re.test(path))) return;
  const fail = () => errors.unauthorized('CSRF token is missing or invalid.');
  const header = ctx.req.headers['x-csrf-token'];
  const fromHeader = typeof header === 'string' ? header : undefined;
  if (fromHeader !== cookie(c, ctx, 'csrf_token') || !fromHeader) throw fail();
  const claims = verifyJwt(fromHeader, c.state.secret, c.state.nowSeconds());
  if (typeof claims === 'string' || claims.sub !== account.id) throw fail();
  if (typeof claims.exp !== 'number' || !claims.exp || claims.exp < c.state.nowSeconds()) throw fail();
}

/**
 * `@setup_required @login_required @account_initialization_required`: the logged-in account and its current
 * workspace. The CSRF check runs for every method but OPTIONS (which the router answers by itself).
 */
export function requireLogin(c: Console, ctx: RouteContext): { account: Account; workspace: Workspace } {
  setupRequired(c);
  const session = loadAccount(c, ctx);
  if (!session.admin) checkCsrf(c, ctx, session.account);
  if (session.account.status === 'uninitialized') {
    throw new HttpError(400, 'account_not_initialized', 'The account has not been initialized yet. Please proceed with the initialization process first.');
  }
  return session;
}

export interface TokenPair {
  access: string;
  refresh: string;
  csrf: string;
}

/** `AccountService.get_account_jwt_token`, a new refresh token, `generate_csrf_token`. */
export function issueTokens(c: Console, account: Account): TokenPair {
  const exp = c.state.nowSeconds() + c.state.accessSeconds;
  return {
    access: signJwt({ user_id: account.id, exp, iss: 'SELF_HOSTED', sub: 'Console API Passport' }, c.state.secret),
    refresh: c.state.issueRefreshToken(account.id),
    csrf: signJwt({ exp, sub: account.id }, c.state.secret),
  };
}

/** The `Set-Cookie` header of one token (HttpOnly except csrf); `undefined` clears the cookie. */
export function tokenCookie(c: Console, name: CookieName, value: string | undefined): string {
  const secure = c.state.secure;
  const httpOnly = name !== 'csrf_token';
  const full = cookieName(name, secure);
  if (value === undefined) return setCookie(full, '', { nowMs: 0, httpOnly, secure });
  const maxAge = name === 'refresh_token' ? c.state.refreshSeconds : c.state.accessSeconds;
  return setCookie(full, value, { maxAge, nowMs: c.state.nowMs(), httpOnly, secure });
}

/** "Edit permission" (owner, admin, editor) or "admin or owner" in the current workspace, else `abort(403)`. */
export function requireRole(workspace: Workspace, needed: 'edit' | 'admin'): void {
  const allowed = needed === 'admin' ? ['owner', 'admin'] : ['owner', 'admin', 'editor'];
  if (!allowed.includes(workspace.role)) throw consoleErrors.forbidden();
}
