// ConsoleClient against the test Dify server's console (CONSOLE.md): what it learns before a password, one sign-in
// per call and never again by itself, the session's cookies and CSRF header on every call, one refresh however many
// calls find the session expired, a kept refresh token that still works in a new client (and is spent once used),
// sign-out revoking it, and keys made in the console working on the Service and Knowledge APIs.
import assert from 'node:assert/strict';
import {
  AppClient,
  ConsoleClient,
  DifyApiError,
  DifyConsoleSessionError,
  detectConsole,
  KnowledgeClient,
  type StoredConsoleSession,
} from '../../src/dify/index.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer()));
after(() => server.close());
beforeEach(() => server.reset());

const consoleCalls = (path?: string) => server.requests.filter((r) => r.path.startsWith('/console/api') && (!path || r.path === `/console/api${path}`));

function client(session?: StoredConsoleSession, onSession?: (s: StoredConsoleSession | undefined) => void): ConsoleClient {
  return new ConsoleClient({ consoleUrl: `${server.url}/signin`, session, onSession });
}

async function signedIn(onSession?: (s: StoredConsoleSession | undefined) => void): Promise<ConsoleClient> {
  const c = client(undefined, onSession);
  await c.login(server.console.email, server.console.password, 'base64');
  return c;
}

describe('ConsoleClient: signing in', () => {
  it('reads how the instance signs in before asking for a password', async () => {
    const instance = await detectConsole({ consoleUrl: `${server.url}/apps` });
    assert.deepEqual(instance, {
      origin: server.url,
      version: '1.15.0',
      setupFinished: true,
      passwordLogin: true,
      browserOnly: false,
      passwordEncoding: 'base64',
    });
    assert.deepEqual(consoleCalls().map((r) => r.path), ['/console/api/system-features', '/console/api/setup']);
  });

  it('signs in once, then sends the cookies and the CSRF header on every call, GET included', async () => {
    const saved: (StoredConsoleSession | undefined)[] = [];
    const c = await signedIn((s) => saved.push(s));
    assert.equal(saved.length, 1);
    assert.match(saved[0]!.token, /^[0-9a-f]{128}$/);
    assert.equal(saved[0]!.cookie, 'refresh_token');
    const workspaces = await c.workspaces();
    assert.equal(workspaces.filter((w) => w.current).length, 1);
    const sent = consoleCalls('/workspaces')[0]!;
    assert.match(String(sent.headers.cookie), /access_token=.*refresh_token=.*csrf_token=/);
    assert.ok(String(sent.headers.cookie).includes(`csrf_token=${String(sent.headers['x-csrf-token'])}`), 'the header repeats the csrf cookie');
    // The password went base64-encoded, as Dify >= 1.11.2 decodes it.
    const login = consoleCalls('/login')[0]!;
    assert.equal((login.json as { password: string }).password, Buffer.from(server.console.password).toString('base64'));
  });

  it('a wrong password is Dify\'s authentication_failed, sent once; the sixth locks the account even for the right one', async () => {
    const c = client();
    for (let i = 1; i <= 6; i++) {
      await assert.rejects(c.login(server.console.email, 'wrong', 'base64'), (e: unknown) => e instanceof DifyApiError && e.code === 'authentication_failed' && e.status === 401);
      assert.equal(consoleCalls('/login').length, i, 'never retried by itself');
    }
    await assert.rejects(c.login(server.console.email, server.console.password, 'base64'), (e: unknown) => {
      assert.ok(e instanceof DifyApiError);
      assert.equal(e.status, 429);
      assert.equal(e.code, 'email_code_login_limit');
      assert.equal(e.difyMessage, 'Too many incorrect password attempts. Please try again later.');
      return true;
    });
    assert.equal(c.signedIn, false);
  });

  it('an account in no workspace gets no session, and says so', async () => {
    server.console.setWorkspaceMember(false);
    await assert.rejects(signedIn(), (e: unknown) => e instanceof DifyConsoleSessionError && e.kind === 'no_workspace' && /workspace not found/.test(e.difyMessage));
  });

  it('a Dify below 1.11.2 is detected as taking the password as typed, and signs in with it', async () => {
    const old = await startDifyServer({ consoleVersion: '1.10.1' });
    try {
      const instance = await detectConsole({ consoleUrl: old.url });
      assert.equal(instance.passwordEncoding, 'plain');
      const c = new ConsoleClient({ consoleUrl: old.url });
      await c.login(old.console.email, old.console.password, instance.passwordEncoding);
      assert.ok((await c.workspaces()).length > 0);
    } finally {
      await old.close();
    }
  });

  it('password sign-in switched off is 403 forbidden, and an SSO-only instance is detected before', async () => {
    const sso = await startDifyServer({ console: { ssoOnly: true, passwordLoginDisabled: true } });
    try {
      const instance = await detectConsole({ consoleUrl: sso.url });
      assert.equal(instance.browserOnly, true);
      assert.equal(instance.passwordLogin, false);
      await assert.rejects(new ConsoleClient({ consoleUrl: sso.url }).login(sso.console.email, sso.console.password, 'base64'), (e: unknown) => e instanceof DifyApiError && e.status === 403 && e.code === 'forbidden');
    } finally {
      await sso.close();
    }
  });
});

describe('ConsoleClient: the session', () => {
  it('an access token expired mid-work: one refresh, the call retried, the new refresh token kept', async () => {
    const saved: (StoredConsoleSession | undefined)[] = [];
    const c = await signedIn((s) => saved.push(s));
    server.console.expireTokens();
    const page = await c.apps({ limit: 5 });
    assert.ok(page.data.length > 0);
    assert.deepEqual(
      consoleCalls().map((r) => `${r.path} ${r.status}`).slice(1),
      ['/console/api/apps 401', '/console/api/refresh-token 200', '/console/api/apps 200'],
    );
    assert.equal(saved.length, 2);
    assert.notEqual(saved[1]!.token, saved[0]!.token, 'refresh tokens rotate');
  });

  it('an access token about to expire is refreshed before the call, not after a 401 (tokens of 30 s, a minute of margin)', async () => {
    const short = await startDifyServer({ console: { accessTokenSeconds: 30 } });
    try {
      const c = new ConsoleClient({ consoleUrl: short.url });
      await c.login(short.console.email, short.console.password, 'base64');
      await c.workspaces();
      await c.workspaces();
      const calls = short.requests.filter((r) => r.path.startsWith('/console/api')).map((r) => `${r.path} ${r.status}`);
      assert.deepEqual(calls, [
        '/console/api/login 200',
        '/console/api/refresh-token 200',
        '/console/api/workspaces 200',
        '/console/api/refresh-token 200',
        '/console/api/workspaces 200',
      ]);
    } finally {
      await short.close();
    }
  });

  it('five calls finding the session expired at once share one refresh (refresh tokens are single-use)', async () => {
    const c = await signedIn();
    server.console.expireTokens();
    const results = await Promise.all([c.workspaces(), c.apps({}), c.datasets({}), c.accountProfile(), c.apps({ mode: 'workflow' })]);
    assert.equal(results.length, 5);
    assert.equal(consoleCalls('/refresh-token').length, 1);
    assert.equal(consoleCalls('/refresh-token')[0]!.status, 200);
  });

  it('a kept refresh token starts a new client (one refresh first); once used, the old one is spent', async () => {
    const first = await signedIn();
    const kept = first.session!;
    let latest: StoredConsoleSession | undefined;
    const restored = client(kept, (s) => (latest = s));
    assert.equal((await restored.accountProfile()).email, server.console.email);
    assert.ok(latest && latest.token !== kept.token);
    // The spent token, in a third client: Dify says so, and the client asks to sign in again.
    let cleared = false;
    const stale = client(kept, (s) => (cleared = s === undefined));
    await assert.rejects(stale.workspaces(), (e: unknown) => e instanceof DifyConsoleSessionError && e.kind === 'signed_out' && e.difyMessage === 'Invalid refresh token');
    assert.equal(cleared, true, 'the stored session is dropped');
    assert.equal(stale.signedIn, false);
  });

  it('sign-out revokes the refresh token on Dify', async () => {
    const c = await signedIn();
    const kept = c.session!;
    let dropped = false;
    const signedOut = new ConsoleClient({ consoleUrl: server.url, session: kept });
    await c.logout();
    assert.equal(c.signedIn, false);
    assert.equal(consoleCalls('/logout')[0]!.status, 200);
    await assert.rejects(signedOut.workspaces(), (e: unknown) => e instanceof DifyConsoleSessionError && e.kind === 'signed_out');
    await assert.rejects(c.workspaces(), (e: unknown) => (dropped = e instanceof DifyConsoleSessionError));
    assert.ok(dropped);
  });

  it('no session at all: a call fails at once, before any request', async () => {
    await assert.rejects(client().workspaces(), (e: unknown) => e instanceof DifyConsoleSessionError && e.kind === 'signed_out');
    assert.equal(consoleCalls().length, 0);
  });
});

describe('ConsoleClient: apps, datasets and keys of the workspace', () => {
  it('apps are paged and searched by name on Dify; an app\'s detail gives its Service API URL', async () => {
    const c = await signedIn();
    const all = await c.apps({ limit: 2 });
    assert.equal(all.data.length, 2);
    assert.equal(all.has_more, true);
    const found = await c.apps({ name: all.data[1]!.name.slice(0, 6) });
    assert.ok(found.data.some((a) => a.id === all.data[1]!.id));
    const detail = await c.app(all.data[0]!.id);
    assert.equal(detail.api_base_url, `${server.url}/v1`);
    assert.equal(typeof detail.enable_api, 'boolean');
  });

  it("an app's listed key is its Service API key; a created one works on /v1 at once; the eleventh is refused", async () => {
    const c = await signedIn();
    const chat = server.apps.find((a) => a.key === server.keys.chat)!;
    const keys = await c.appApiKeys(chat.id);
    assert.ok(keys.some((k) => k.token === server.keys.chat));
    const created = await c.createAppApiKey(chat.id);
    assert.match(created.token, /^app-[A-Za-z0-9]{24}$/);
    const info = await new AppClient({ baseUrl: `${server.url}/v1`, apiKey: created.token, user: 'u' }).getInfo();
    assert.equal(info.name, chat.name);
    for (let n = keys.length + 1; n < 10; n++) await c.createAppApiKey(chat.id);
    await assert.rejects(c.createAppApiKey(chat.id), (e: unknown) => {
      assert.ok(e instanceof DifyApiError);
      assert.equal(e.status, 400);
      assert.equal(e.code, 'max_keys_exceeded');
      assert.equal(e.difyMessage, 'Cannot create more than 10 API keys for this resource type.');
      return true;
    });
  });

  it("a knowledge key from the console reaches the workspace's datasets on the Knowledge API", async () => {
    const c = await signedIn();
    const datasets = await c.datasets({});
    assert.ok(datasets.data.length > 0);
    const key = (await c.datasetApiKeys())[0]?.token ?? (await c.createDatasetApiKey()).token;
    const baseUrl = await c.apiBaseUrl();
    assert.equal(baseUrl, `${server.url}/v1`);
    const listed = await new KnowledgeClient({ baseUrl, apiKey: key }).listDatasets({ limit: 100 });
    assert.deepEqual(listed.data.map((d) => d.id).sort(), datasets.data.map((d) => d.id).sort());
  });

  it('switching the workspace changes what the apps list shows', async () => {
    const c = await signedIn();
    const workspaces = await c.workspaces();
    const other = workspaces.find((w) => !w.current)!;
    const before = (await c.apps({ limit: 100 })).data.map((a) => a.id);
    await c.switchWorkspace(other.id);
    assert.equal((await c.workspaces()).find((w) => w.current)!.id, other.id);
    const after = (await c.apps({ limit: 100 })).data.map((a) => a.id);
    assert.ok(after.every((id) => !before.includes(id)), 'another workspace, other apps');
    await assert.rejects(c.switchWorkspace('00000000-0000-0000-0000-000000000000'), (e: unknown) => e instanceof DifyApiError && e.status === 403 && e.code === 'account_not_link_tenant');
  });
});
