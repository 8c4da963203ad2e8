// POST /login, /refresh-token and /logout (CONSOLE.md §2.2, §2.5, §2.7, §2.9).
import type { RouteContext, Router } from '../router.js';
import { HttpError, isJsonObject } from '../router.js';
import { Validator, pydanticError } from '../pyfmt.js';
import { orjson } from '../wire.js';
import type { Console } from './context.js';
import { consoleErrors, unauthorized } from './context.js';
import { pyB64DecodeUtf8 } from './pybase64.js';
import { cookie, issueTokens, loadAccount, setupRequired, tokenCookie } from './session.js';
import type { TokenPair } from './session.js';

/** `make_response(dict)`: Flask's JSON provider (orjson), compact, with the `Set-Cookie` headers in order. */
function sendWithCookies(ctx: RouteContext, body: Record<string, unknown>, cookies: string[]): void {
  const text = orjson(body);
  ctx.record.status = 200;
  ctx.res.setHeader('Set-Cookie', cookies);
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  ctx.res.end(text);
}

/** email-validator's reason, as pydantic's EmailStr puts it into "value is not a valid email address: <reason>". */
function emailProblem(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 0) return 'An email address must have an @-sign.';
  if (at === 0) return 'There must be something before the @-sign.';
  const domain = email.slice(at + 1);
  if (!domain) return 'There must be something after the @-sign.';
  if (email.indexOf('@') !== at) return 'The part before the @-sign contains invalid characters: "@".';
  if (!domain.includes('.')) return 'The part after the @-sign is not valid. It should have a period.';
  return undefined;
}

interface LoginPayload {
  email: string;
  password: string;
}

/** `LoginPayload.model_validate`: email (EmailStr), password (str), remember_me (bool, ignored), invite_token. */
function loginPayload(body: Record<string, unknown>): LoginPayload {
  const v = new Validator('LoginPayload', body);
  const email = v.str('email', { required: true });
  const password = v.str('password', { required: true });
  v.bool('remember_me', false);
  v.str('invite_token', { nullable: true });
  if (typeof email === 'string') {
    const problem = emailProblem(email);
    if (problem) v.issue('email', `value is not a valid email address: ${problem}`, 'value_error', email);
  }
  v.throwIfAny();
  return { email: email!, password: password! };
}

/** How a login's password arrives: base64 from 1.11.2 on, plain below (CONSOLE.md §10). */
function decryptPassword(c: Console, body: Record<string, unknown>): void {
  if (c.plainPassword || !('password' in body)) return;
  const decoded = pyB64DecodeUtf8(body.password);
  if (decoded === undefined) throw unauthorized('authentication_failed', 'Invalid encrypted data');
  body.password = decoded;
}

async function login(c: Console, ctx: RouteContext): Promise<void> {
  setupRequired(c);
  if (c.state.options.passwordLoginDisabled || c.state.options.ssoOnly) throw consoleErrors.forbidden();
  const raw = await ctx.jsonValue();
  const body = isJsonObject(raw) ? { ...raw } : raw;
  if (isJsonObject(body)) decryptPassword(c, body);
  if (!isJsonObject(body)) throw pydanticError('LoginPayload', [{ loc: '', msg: 'Input should be a valid dictionary or instance of LoginPayload', type: 'model_type', input: body }]);
  const args = loginPayload(body);
  const email = args.email.toLowerCase();
  if (c.state.loginLocked(email)) {
    throw new HttpError(429, 'email_code_login_limit', 'Too many incorrect password attempts. Please try again later.');
  }
  // _authenticate_account_with_case_fallback: the address as given, then lower-cased.
  const account = c.state.accountByEmail(args.email) ?? c.state.accountByEmail(email);
  if (account?.status === 'banned') throw new HttpError(400, 'account_banned', 'Account is banned.');
  if (!account || account.password !== args.password) {
    c.state.addLoginError(email);
    throw unauthorized('authentication_failed', 'Invalid email or password.');
  }
  if (c.state.joined().length === 0) {
    ctx.send(200, { result: 'fail', data: 'workspace not found, please contact system admin to invite you to join in a workspace' });
    return;
  }
  if (account.status === 'pending') account.status = 'active';
  account.lastLoginAt = c.state.nowSeconds();
  account.lastLoginIp = (ctx.req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const tokens = issueTokens(c, account);
  c.state.resetLoginErrors(email);
  sendWithCookies(ctx, { result: 'success' }, [
    tokenCookie(c, 'access_token', tokens.access),
    tokenCookie(c, 'refresh_token', tokens.refresh),
    tokenCookie(c, 'csrf_token', tokens.csrf),
  ]);
}

/** `AccountService.refresh_token`: a new pair, the old refresh token deleted (single use). Throws the failure text. */
function rotate(c: Console, refresh: string): TokenPair {
  const accountId = c.state.refreshAccount(refresh);
  if (!accountId) throw new Error('Invalid refresh token');
  const account = c.state.accountById(accountId);
  if (!account || c.state.joined().length === 0) throw new Error('Invalid account');
  if (account.status === 'banned') throw new Error('401 Unauthorized: Account is banned.');
  c.state.deleteRefreshToken(refresh, account.id);
  return issueTokens(c, account);
}

function refreshToken(c: Console, ctx: RouteContext): void {
  ctx.req.resume();
  const refresh = cookie(c, ctx, 'refresh_token');
  if (!refresh) {
    ctx.send(401, { result: 'fail', message: 'No refresh token provided' });
    return;
  }
  let tokens: TokenPair;
  try {
    tokens = rotate(c, refresh);
  } catch (e) {
    ctx.send(401, { result: 'fail', message: (e as Error).message });
    return;
  }
  sendWithCookies(ctx, { result: 'success' }, [
    tokenCookie(c, 'csrf_token', tokens.csrf),
    tokenCookie(c, 'access_token', tokens.access),
    tokenCookie(c, 'refresh_token', tokens.refresh),
  ]);
}

/** `AccountService.logout`: deletes the account's latest refresh token (whoever got it), then clears the cookies. */
function logout(c: Console, ctx: RouteContext): void {
  ctx.req.resume();
  const { account } = loadAccount(c, ctx);
  const latest = c.state.latestRefresh.get(account.id);
  if (latest) c.state.deleteRefreshToken(latest, account.id);
  sendWithCookies(ctx, { result: 'success' }, [
    tokenCookie(c, 'access_token', undefined),
    tokenCookie(c, 'refresh_token', undefined),
    tokenCookie(c, 'csrf_token', undefined),
  ]);
}

export function registerLogin(router: Router, c: Console): void {
  router.add('POST', '/login', (ctx) => login(c, ctx));
  router.add('POST', '/refresh-token', (ctx) => refreshToken(c, ctx));
  router.add('POST', '/logout', (ctx) => logout(c, ctx));
}
