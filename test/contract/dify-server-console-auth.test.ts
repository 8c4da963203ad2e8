// The test Dify server's Console API login (CONSOLE.md §0–§3, §10): the no-auth endpoints, /login with its base64
// password and lock-out, the cookies, the request loader and CSRF check, refresh rotation, logout, server options.
import assert from 'node:assert/strict';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { Session, claims, consoleCall, loggedIn } from './dify-server-console-helpers.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const WRONG = '{"code": "authentication_failed", "message": "Invalid email or password.", "status": 401}\n';
const CSRF = '{"code": "unauthorized", "message": "CSRF token is missing or invalid.", "status": 401}\n';
const unauthorized = (message: string) => `{"code": "unauthorized", "message": "${message}", "status": 401}\n`;

describe('test Dify server: console login', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ console: { lockoutSeconds: 600 } });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('no-auth endpoints: ping, setup, init, version, app-dsl-version, system-features (keys in order), X-Version and X-Env', async () => {
    const ping = await consoleCall(server, 'GET', '/ping');
    assert.equal(ping.text, '{"result":"pong"}');
    assert.equal(ping.headers.get('x-version'), '1.15.0');
    assert.equal(ping.headers.get('x-env'), 'PRODUCTION');
    assert.match((await consoleCall(server, 'GET', '/setup')).text, /^\{"step":"finished","setup_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?"\}$/);
    assert.equal((await consoleCall(server, 'GET', '/init')).text, '{"status":"finished"}');
    assert.equal((await consoleCall(server, 'GET', '/app-dsl-version')).text, '{"app_dsl_version": "0.6.0"}\n');
    assert.equal((await consoleCall(server, 'GET', '/version?current_version=1.0.0')).json.version, '1.15.0');
    const features = await consoleCall(server, 'GET', '/system-features');
    assert.deepEqual(Object.keys(features.json).slice(0, 7), [
      'enable_app_deploy', 'sso_enforced_for_signin', 'sso_enforced_for_signin_protocol', 'enable_marketplace',
      'max_plugin_package_size', 'enable_email_code_login', 'enable_email_password_login',
    ]);
    assert.equal(Object.keys(features.json).at(-1), 'rbac_enabled');
    assert.equal(features.json.enable_email_password_login, true);
    assert.equal(features.json.sso_enforced_for_signin, false);
  });

  it('login: compact success body and three cookies (access, refresh, csrf) with werkzeug attributes; JWT claims', async () => {
    const res = await consoleCall(server, 'POST', '/login', { email: server.console.email, password: b64(server.console.password), remember_me: true });
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"result":"success"}');
    assert.deepEqual(res.cookies.map((c) => c.split('=')[0]), ['access_token', 'refresh_token', 'csrf_token']);
    const [access, refresh, csrf] = res.cookies as [string, string, string];
    assert.match(access, /^access_token=[\w-]+\.[\w-]+\.[\w-]+; Expires=\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT; Max-Age=3600; HttpOnly; Path=\/; SameSite=Lax$/);
    assert.match(refresh, /^refresh_token=[0-9a-f]{128}; Expires=[^;]+ GMT; Max-Age=2592000; HttpOnly; Path=\/; SameSite=Lax$/);
    assert.match(csrf, /^csrf_token=[\w-]+\.[\w-]+\.[\w-]+; Expires=[^;]+ GMT; Max-Age=3600; Path=\/; SameSite=Lax$/);
    const token = access.split(';')[0]!.split('=')[1]!;
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg, 'HS256');
    const a = claims(token);
    assert.deepEqual(Object.keys(a), ['user_id', 'exp', 'iss', 'sub']);
    assert.equal(a.iss, 'SELF_HOSTED');
    assert.equal(a.sub, 'Console API Passport');
    assert.ok(Math.abs(Number(a.exp) - (Date.now() / 1000 + 3600)) < 5);
    const c = claims(csrf.split(';')[0]!.split('=')[1]!);
    assert.deepEqual(Object.keys(c), ['exp', 'sub']);
    assert.equal(c.sub, a.user_id);
  });

  it('login errors: 415 without JSON, invalid base64 401 (not counted), bad email 400, wrong password 401 with WWW-Authenticate', async () => {
    const form = await consoleCall(server, 'POST', '/login', 'email=a', { 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(form.json.code, 'unsupported_media_type');
    for (let i = 0; i < 8; i++) {
      const plain = await consoleCall(server, 'POST', '/login', { email: server.console.email, password: server.console.password });
      assert.equal(plain.text, '{"code": "authentication_failed", "message": "Invalid encrypted data", "status": 401}\n');
    }
    const email = await consoleCall(server, 'POST', '/login', { email: 'ada', password: b64('x') });
    assert.equal(email.status, 400);
    assert.equal(email.json.code, 'invalid_param');
    assert.match(String(email.json.message), /^1 validation error for LoginPayload\nemail\n {2}value is not a valid email address: /);
    const wrong = await consoleCall(server, 'POST', '/login', { email: server.console.email, password: b64('nope') });
    assert.equal(wrong.text, WRONG);
    assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="api"');
    assert.deepEqual(wrong.cookies, []);
    // '-' and '_' are dropped by Python's non-validating decoder; the upper-case address still finds the account.
    const dashed = b64(server.console.password).replace(/^(..)/, '$1-_');
    assert.equal((await consoleCall(server, 'POST', '/login', { email: 'ADA@example.com', password: dashed })).text, '{"result":"success"}');
  });

  it('lock-out: 6 failures lock the email (429 even for the right password) until the duration after the last one; success resets', async () => {
    const attempt = (password: string) => consoleCall(server, 'POST', '/login', { email: server.console.email, password: b64(password) });
    for (let i = 0; i < 5; i++) assert.equal((await attempt('bad')).status, 401);
    assert.equal((await attempt(server.console.password)).status, 200, 'five failures do not lock');
    for (let i = 0; i < 5; i++) assert.equal((await attempt('bad')).status, 401, 'the success reset the counter');
    assert.equal((await attempt('bad')).status, 401);
    const locked = await attempt(server.console.password);
    assert.equal(locked.status, 429);
    assert.equal(locked.text, '{"code": "email_code_login_limit", "message": "Too many incorrect password attempts. Please try again later.", "status": 429}\n');
    server.console.advanceClock(599);
    assert.equal((await attempt(server.console.password)).status, 429);
    server.console.advanceClock(2);
    assert.equal((await attempt(server.console.password)).status, 200);
  });

  it('request loader and CSRF: GET needs the csrf cookie and header too; cookie before Bearer; expired, forged tokens', async () => {
    const session = await loggedIn(server);
    assert.equal((await session.call('GET', '/account/profile')).status, 200);
    const access = session.cookie('access_token')!;
    const csrf = session.cookie('csrf_token')!;
    const none = await consoleCall(server, 'GET', '/account/profile');
    assert.equal(none.text, unauthorized('Invalid Authorization token.'));
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="api"');
    assert.equal((await consoleCall(server, 'GET', '/account/profile', undefined, { Authorization: `Bearer ${access}` })).text, CSRF);
    const both = { Authorization: `Bearer ${access}`, Cookie: `csrf_token=${csrf}`, 'X-CSRF-Token': csrf };
    assert.equal((await consoleCall(server, 'GET', '/account/profile', undefined, both)).status, 200);
    assert.equal((await consoleCall(server, 'GET', '/account/profile', undefined, { ...both, 'X-CSRF-Token': 'x' })).text, CSRF);
    assert.equal((await consoleCall(server, 'GET', '/account/profile', undefined, { ...both, Cookie: `csrf_token=${csrf}; access_token=garbage` })).text, unauthorized('Invalid token.'));
    const forged = `${access.slice(0, access.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    assert.equal((await consoleCall(server, 'GET', '/account/profile', undefined, { ...both, Authorization: `Bearer ${forged}` })).text, unauthorized('Invalid token signature.'));
    // A csrf token is a JWT without user_id.
    assert.equal((await consoleCall(server, 'GET', '/account/profile', undefined, { ...both, Authorization: `Bearer ${csrf}` })).text, unauthorized('Invalid Authorization token.'));
    server.console.expireTokens();
    assert.equal((await session.call('GET', '/account/profile')).text, unauthorized('Token has expired.'));
  });

  it('refresh: rotates csrf, access, refresh; single use; two concurrent refreshes with one token: one wins', async () => {
    const session = await loggedIn(server);
    const old = session.cookie('refresh_token')!;
    server.console.expireTokens();
    const res = await session.call('POST', '/refresh-token');
    assert.equal(res.text, '{"result":"success"}');
    assert.deepEqual(res.cookies.map((c) => c.split('=')[0]), ['csrf_token', 'access_token', 'refresh_token']);
    assert.notEqual(session.cookie('refresh_token'), old);
    assert.equal((await session.call('GET', '/account/profile')).status, 200);
    const again = await consoleCall(server, 'POST', '/refresh-token', undefined, { Cookie: `refresh_token=${old}` });
    assert.equal(again.status, 401);
    assert.equal(again.text, '{"result": "fail", "message": "Invalid refresh token"}\n');
    assert.equal(again.headers.get('www-authenticate'), null);
    assert.equal((await consoleCall(server, 'POST', '/refresh-token')).text, '{"result": "fail", "message": "No refresh token provided"}\n');
    const current = session.cookie('refresh_token')!;
    const both = await Promise.all([1, 2].map(() => consoleCall(server, 'POST', '/refresh-token', undefined, { Cookie: `refresh_token=${current}` })));
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 401]);
  });

  it('logout: POST only, clears the cookies, deletes the account\'s latest refresh token (another session\'s)', async () => {
    const browser = await loggedIn(server);
    const extension = await loggedIn(server);
    assert.equal((await consoleCall(server, 'GET', '/logout')).status, 405);
    const res = await browser.call('POST', '/logout', undefined, { 'X-CSRF-Token': 'ignored' });
    assert.equal(res.text, '{"result":"success"}');
    assert.deepEqual(res.cookies, [
      'access_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/; SameSite=Lax',
      'refresh_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/; SameSite=Lax',
      'csrf_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; SameSite=Lax',
    ]);
    assert.equal((await extension.call('POST', '/refresh-token')).json.message, 'Invalid refresh token', 'the latest token was the extension\'s');
    assert.equal((await consoleCall(server, 'POST', '/logout')).text, unauthorized('Invalid Authorization token.'));
  });

  it('account states: banned (login 400, tokens 401), no workspace (login 200 result fail, tokens the bare Unauthorized.)', async () => {
    const session = await loggedIn(server);
    server.console.setAccountStatus('banned');
    assert.equal((await new Session(server).login()).text, '{"code": "account_banned", "message": "Account is banned.", "status": 400}\n');
    assert.equal((await session.call('GET', '/account/profile')).text, unauthorized('Account is banned.'));
    server.console.setAccountStatus('active');
    server.console.setWorkspaceMember(false);
    assert.equal(
      (await new Session(server).login()).text,
      '{"result": "fail", "data": "workspace not found, please contact system admin to invite you to join in a workspace"}\n',
    );
    const bare = await session.call('GET', '/account/profile');
    assert.equal(bare.text, '{"code": "unauthorized", "message": "Unauthorized."}');
    assert.equal(bare.headers.get('www-authenticate'), null);
    assert.equal((await session.call('POST', '/refresh-token')).json.message, 'Invalid account');
  });
});

describe('test Dify server: console options', () => {
  it('https: __Host- cookie names with Secure, read back under those names', async () => {
    const server = await startDifyServer({ console: { https: true } });
    try {
      const session = new Session(server);
      const res = await session.login();
      assert.deepEqual(res.cookies.map((c) => c.split('=')[0]), ['__Host-access_token', '__Host-refresh_token', '__Host-csrf_token']);
      assert.match(res.cookies[0]!, /; Max-Age=3600; Secure; HttpOnly; Path=\/; SameSite=Lax$/);
      assert.equal((await session.call('GET', '/account/profile')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('setup not done: GET /setup not_started, login 401 not_setup (not_init_validated with INIT_PASSWORD)', async () => {
    const server = await startDifyServer({ console: { notSetUp: true } });
    const init = await startDifyServer({ console: { notSetUp: true, initPassword: true } });
    try {
      assert.equal((await consoleCall(server, 'GET', '/setup')).text, '{"step":"not_started","setup_at":null}');
      const res = await new Session(server).login();
      assert.equal(res.status, 401);
      assert.equal(res.json.code, 'not_setup');
      assert.equal((await consoleCall(init, 'GET', '/init')).text, '{"status":"not_started"}');
      assert.equal((await new Session(init).login()).json.code, 'not_init_validated');
    } finally {
      await server.close();
      await init.close();
    }
  });

  it('password login off: 403 forbidden; SSO-only: system-features says so', async () => {
    const off = await startDifyServer({ console: { passwordLoginDisabled: true } });
    const sso = await startDifyServer({ console: { ssoOnly: true } });
    try {
      assert.equal(
        (await new Session(off).login()).text,
        '{"code": "forbidden", "message": "You don\'t have the permission to access the requested resource. It is either read-protected or not readable by the server.", "status": 403}\n',
      );
      const features = (await consoleCall(sso, 'GET', '/system-features')).json;
      assert.equal(features.sso_enforced_for_signin, true);
      assert.equal(features.enable_email_password_login, false);
    } finally {
      await off.close();
      await sso.close();
    }
  });

  it('consoleVersion 1.10.1: X-Version 1.10.1, plain password; a base64 one is a wrong password counted toward the lock-out', async () => {
    const server = await startDifyServer({ consoleVersion: '1.10.1' });
    try {
      const login = (password: string) => consoleCall(server, 'POST', '/login', { email: server.console.email, password });
      const wrong = await login(b64(server.console.password));
      assert.equal(wrong.text, WRONG);
      assert.equal(wrong.headers.get('x-version'), '1.10.1');
      for (let i = 0; i < 5; i++) await login(b64(server.console.password));
      assert.equal((await login(server.console.password)).status, 429);
      const fresh = await startDifyServer({ consoleVersion: '1.10.1' });
      assert.equal((await consoleCall(fresh, 'POST', '/login', { email: fresh.console.email, password: fresh.console.password })).text, '{"result":"success"}');
      await fresh.close();
    } finally {
      await server.close();
    }
  });

  it('ADMIN_API_KEY: Bearer <key> with X-WORKSPACE-ID acts in that workspace without CSRF; without the header it is a bad JWT', async () => {
    const server = await startDifyServer({ console: { adminApiKey: 'admin-secret' } });
    try {
      const workspaces = (await (await loggedIn(server)).call('GET', '/workspaces')).json.workspaces as { id: string }[];
      const other = workspaces[1]!.id;
      const admin = { Authorization: 'Bearer admin-secret', 'X-WORKSPACE-ID': other };
      const apps = await consoleCall(server, 'GET', '/apps', undefined, admin);
      assert.equal(apps.status, 200, apps.text);
      assert.equal(apps.json.total, 2, 'the named workspace, not the current one');
      assert.equal((await consoleCall(server, 'GET', '/apps', undefined, { Authorization: 'Bearer admin-secret' })).text, unauthorized('Invalid token.'));
      const cookie = await consoleCall(server, 'GET', '/apps', undefined, { ...admin, Cookie: 'access_token=stale' });
      assert.equal(cookie.text, unauthorized('Invalid token.'), 'an access cookie wins over the header');
    } finally {
      await server.close();
    }
  });
});
