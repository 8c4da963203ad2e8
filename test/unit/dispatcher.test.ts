// The network dispatcher (src/dify/dispatcher.ts) against real servers: a real forward proxy (tinyproxy), a real
// HTTPS server with a private CA, and the whole client path (AppClient → DifyHttp → dispatcher). Shows which requests
// go through the proxy (tinyproxy's log, its Via header), that the no-proxy lists and the environment are honoured,
// that proxy failures are named as the proxy's and never show its password, and how the extra CA and strictSSL work.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { inspect, promisify } from 'node:util';
import type { Dispatcher } from 'undici';
import {
  AppClient,
  caCertificates,
  createDispatcher,
  describeNetworkSettings,
  DifyNetworkError,
  proxyFor,
  type NetworkSettings,
  type RequestLogEntry,
} from '../../src/dify/index.js';
import { startRawServer, type RawHandler, type RawServer } from '../helpers/raw-server.js';
import { findTinyproxy, freePort, startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy.js';
import { createTestPki, startHttpsServer, type HttpsTestServer, type TestPki } from '../helpers/tls-ca.js';

const execFileAsync = promisify(execFile);
const KEY = 'app-ProxyTestKey0123456789';
const USER = 'alice';
/** tinyproxy's BasicAuth takes [-a-z0-9._] only. */
const PASSWORD = 'pr0xy-S3cret_pw.9';

const info = (name: string): RawHandler => (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ name }));
};

const open: Dispatcher[] = [];
const logs: RequestLogEntry[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
  logs.length = 0;
});

/** An AppClient whose every request goes through createDispatcher(settings). `env: {}` unless the test gives one. */
function client(baseUrl: string, settings: NetworkSettings): AppClient {
  const dispatcher = createDispatcher({ env: {}, ...settings });
  open.push(dispatcher);
  return new AppClient({ baseUrl, apiKey: KEY, user: 'u', dispatcher, retry: { retries: 0 }, onRequest: (e) => logs.push(e) });
}

/** The base URL of a server with a path prefix, so that the proxy log line of each test is its own. */
function tagged(baseUrl: string, tag: string): string {
  return baseUrl.replace(/\/v1$/, `/${tag}/v1`);
}

async function failure(call: Promise<unknown>): Promise<DifyNetworkError> {
  const error = await call.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DifyNetworkError, `expected DifyNetworkError, got ${String(error)}`);
  return error;
}

/** The password must be in no form of the error, nor in the request log. */
function assertNoPassword(error: unknown, password = PASSWORD) {
  const base64 = Buffer.from(`${USER}:${password}`).toString('base64');
  for (const text of [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error), JSON.stringify(logs)]) {
    assert.ok(!text.includes(password), `password leaked: ${text}`);
    assert.ok(!text.includes(base64), `credentials leaked: ${text}`);
  }
}

/** A TCP server that accepts connections and never says a word: a TLS handshake against it hangs. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
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
async function runIsolated(body: string, env: Record<string, string>): Promise<unknown> {
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

// ------------------------------------------------------------------------------------------ rules, no network

describe('dispatcher: which requests the proxy applies to', () => {
  const settings: NetworkSettings = {
    proxy: 'http://proxy.corp:3128',
    noProxy: ['localhost', '.corp.example', '*.internal', 'svc.local:8080', '10.0.0.0/8', '192.168.1.5, [::1]'],
    env: {},
  };

  it('http.proxy applies to http and https; noProxy hosts, domains, ports, IPs, CIDR ranges and IPv6 bypass it', () => {
    const via = (url: string) => proxyFor(settings, url);
    assert.equal(via('https://api.dify.ai/v1'), 'http://proxy.corp:3128');
    assert.equal(via('http://dify.example.org/v1'), 'http://proxy.corp:3128');
    assert.equal(via('http://localhost:5001/v1'), undefined);
    assert.equal(via('https://corp.example/v1'), undefined, '.corp.example matches the domain itself');
    assert.equal(via('https://dify.corp.example/v1'), undefined);
    assert.equal(via('https://a.b.internal/v1'), undefined, '*.internal');
    assert.equal(via('http://svc.local:8080/v1'), undefined);
    assert.equal(via('http://svc.local:9090/v1'), 'http://proxy.corp:3128', 'host:port only bypasses that port');
    assert.equal(via('http://10.20.30.40/v1'), undefined, 'CIDR');
    assert.equal(via('http://11.0.0.1/v1'), 'http://proxy.corp:3128');
    assert.equal(via('http://192.168.1.5:81/v1'), undefined);
    assert.equal(via('http://[::1]:3000/v1'), undefined);
    assert.equal(via('https://notcorp.example/v1'), 'http://proxy.corp:3128', 'a domain matches at a dot only');
    assert.equal(via('https://mylocalhost/v1'), 'http://proxy.corp:3128');
    assert.equal(proxyFor({ ...settings, noProxy: ['*'] }, 'https://api.dify.ai/v1'), undefined);
  });

  it('without http.proxy the environment decides: https_proxy/HTTPS_PROXY, http_proxy/HTTP_PROXY, NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://secure-proxy:1', HTTP_PROXY: 'http://plain-proxy:2', NO_PROXY: '.corp,localhost' };
    assert.equal(proxyFor({ env }, 'https://api.dify.ai/v1'), 'http://secure-proxy:1');
    assert.equal(proxyFor({ env }, 'http://dify.example.org/v1'), 'http://plain-proxy:2');
    assert.equal(proxyFor({ env }, 'https://dify.corp/v1'), undefined);
    assert.equal(proxyFor({ env }, 'http://localhost/v1'), undefined);
    assert.equal(proxyFor({ env: { http_proxy: 'plain-proxy:2' } }, 'https://api.dify.ai/v1'), 'http://plain-proxy:2', 'https falls back to HTTP_PROXY; no scheme = http');
    assert.equal(proxyFor({ env: { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' } }, 'https://x/v1'), 'http://lower:1');
    assert.equal(proxyFor({ env: { HTTPS_PROXY: '' } }, 'https://x/v1'), undefined);
    assert.equal(proxyFor({ env, noProxy: ['api.dify.ai'] }, 'https://api.dify.ai/v1'), undefined, 'http.noProxy applies to an env proxy too');
  });

  it('http.proxy wins over the environment, and the environment NO_PROXY does not apply to it', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:1', NO_PROXY: 'dify.corp' };
    assert.equal(proxyFor({ proxy: 'http://set-proxy:3', env }, 'https://dify.corp/v1'), 'http://set-proxy:3');
    assert.equal(proxyFor({ proxy: '  ', env }, 'https://api.dify.ai/v1'), 'http://env-proxy:1', 'a blank http.proxy is none');
  });

  it('describeNetworkSettings is one line that never shows credentials', () => {
    const pki = createTestPki();
    const line = describeNetworkSettings({
      proxy: `http://${USER}:${PASSWORD}@proxy.corp:3128`,
      noProxy: ['localhost', '.corp.example'],
      strictSSL: false,
      extraCaPem: pki.caPem,
      connectTimeoutMs: 5000,
      env: {},
    });
    assert.equal(
      line,
      'proxy http://***@proxy.corp:3128 (http.proxy); bypass: localhost, .corp.example; TLS certificates not verified (http.proxyStrictSSL off), 1 extra CA certificate(s); connect timeout 5000 ms',
    );
    const fromEnv = describeNetworkSettings({ env: { HTTPS_PROXY: `https://${USER}:${PASSWORD}@secure:8443`, HTTP_PROXY: 'http://plain:3128' } });
    assert.equal(fromEnv, 'proxy from the environment: https → https://***@secure:8443, http → http://plain:3128; TLS certificates verified');
    assert.equal(describeNetworkSettings({ env: {} }), 'no proxy; TLS certificates verified');
    // Not a URL at all, with an '@' in the password: still masked, and no throw.
    const garbled = describeNetworkSettings({ proxy: `http://${USER}:p@ss ${PASSWORD}@:bad`, env: {} });
    assert.ok(!garbled.includes(PASSWORD) && !garbled.includes(USER), garbled);
    assert.match(garbled, /invalid proxy setting/);
  });

  it('invalid settings fail at creation with a TypeError that does not echo the password', () => {
    for (const proxy of [`socks5://${USER}:${PASSWORD}@h:1080`, `http://${USER}:${PASSWORD}@`, `http://${USER}:${PASSWORD}@exa mple:1`]) {
      const error = (() => {
        try {
          createDispatcher({ proxy, env: {} });
        } catch (e) {
          return e;
        }
        return assert.fail(`accepted ${proxy}`);
      })();
      assert.ok(error instanceof TypeError);
      assert.ok(!error.message.includes(PASSWORD), error.message);
    }
    assert.throws(() => createDispatcher({ extraCaPem: 'not a certificate', env: {} }), /no PEM certificate/);
    assert.throws(
      () => createDispatcher({ extraCaPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', env: {} }),
      /certificate 1 is not a valid certificate/,
    );
  });
});

// ------------------------------------------------------------------------------------------ TLS

describe('dispatcher: TLS with a private CA (real HTTPS server)', () => {
  let pki: TestPki;
  let otherPki: TestPki;
  let server: HttpsTestServer;

  before(async function () {
    this.timeout(20_000);
    pki = createTestPki('Dispatcher Test CA');
    otherPki = createTestPki('Some Other CA');
    server = await startHttpsServer(pki);
  });
  after(() => server?.close());

  it('the extra CA adds to Node default roots: every default root is still trusted', () => {
    const list = caCertificates(pki.caPem);
    const trusted = new Set(list.map((c) => c.trim()));
    for (const root of rootCertificates) assert.ok(trusted.has(root.trim()), 'a default root was dropped');
    assert.ok(trusted.has(pki.caPem.trim()), 'the extra CA is missing');
    assert.ok(list.length >= rootCertificates.length + 1);
  });

  it('the default trust still works with an extra CA: a CA Node trusts by itself and the extra CA both verify', async function () {
    // Node's bundled roots cannot sign a test certificate, so a child Node gets another private CA the way Node itself
    // adds to its defaults (NODE_EXTRA_CA_CERTS), then an extra CA through the dispatcher: it must trust both servers.
    this.timeout(20_000);
    const other = await startHttpsServer(otherPki, info('default trust ok'));
    const dir = mkdtempSync(join(tmpdir(), 'dify-trust-'));
    try {
      writeFileSync(join(dir, 'node-extra.pem'), otherPki.caPem);
      const names = await runIsolated(
        `const dispatcher = createDispatcher({ extraCaPem: process.env.EXTRA_PEM, env: {} });
const names = await Promise.all([get(dispatcher, process.env.DEFAULT_URL!), get(dispatcher, process.env.EXTRA_URL!)]);
await dispatcher.close();
console.log(JSON.stringify(names));`,
        { NODE_EXTRA_CA_CERTS: join(dir, 'node-extra.pem'), EXTRA_PEM: pki.caPem, DEFAULT_URL: other.baseUrl, EXTRA_URL: server.baseUrl },
      );
      assert.deepEqual(names, ['default trust ok', 'tls ok']);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without the CA: kind "certificate", naming the Dify host', async () => {
    const error = await failure(client(server.baseUrl, {}).getInfo());
    assert.equal(error.kind, 'certificate');
    assert.equal(error.host, `127.0.0.1:${server.port}`);
    assert.match(error.message, /not trusted/);
  });

  it('with extraCaPem: works', async () => {
    assert.equal((await client(server.baseUrl, { extraCaPem: pki.caPem }).getInfo()).name, 'tls ok');
  });

  it('with strictSSL false: works without the CA', async () => {
    assert.equal((await client(server.baseUrl, { strictSSL: false }).getInfo()).name, 'tls ok');
  });

  it('a different extra CA does not make the server trusted: verification stays on', async () => {
    const error = await failure(client(server.baseUrl, { extraCaPem: otherPki.caPem }).getInfo());
    assert.equal(error.kind, 'certificate');
  });

  it('connectTimeoutMs bounds the TLS handshake', async () => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      const error = await failure(client(`https://127.0.0.1:${silent.port}/v1`, { connectTimeoutMs: 300 }).getInfo());
      assert.equal(error.kind, 'timeout');
      assert.ok(performance.now() - started < 3000);
    } finally {
      await silent.close();
    }
  });
});

// ------------------------------------------------------------------------------------------ a real proxy

describe('dispatcher: through a real proxy (tinyproxy)', function () {
  this.timeout(15_000);
  let pki: TestPki;
  let http: RawServer;
  let httpPort: number;
  let https: HttpsTestServer;
  let silent: { port: number; close(): Promise<void> };
  let proxy: Tinyproxy;
  let authProxy: Tinyproxy;

  before(async function () {
    if (!findTinyproxy()) {
      if (process.env.CI) throw new Error('tinyproxy is not installed; .ci/run installs it');
      this.skip();
    }
    pki = createTestPki('Proxy Test CA');
    http = await startRawServer(info('via http'));
    httpPort = Number(new URL(http.baseUrl).port);
    https = await startHttpsServer(pki, info('via https'));
    silent = await startSilentServer();
    const connectPorts = [https.port, silent.port];
    proxy = await startTinyproxy({ connectPorts });
    authProxy = await startTinyproxy({ connectPorts, basicAuth: { user: USER, password: PASSWORD } });
  });
  after(async () => {
    await Promise.all([proxy?.stop(), authProxy?.stop(), http?.close(), https?.close(), silent?.close()]);
  });

  const httpLine = (tag: string) => `GET http://127.0.0.1:${httpPort}/${tag}/v1/info`;
  const connectLine = () => `CONNECT 127.0.0.1:${https.port} `;

  describe('routing', () => {
    it('http:// goes through the proxy (absolute-form request; the server sees its Via header)', async () => {
      const c = client(tagged(http.baseUrl, 'fwd'), { proxy: proxy.url });
      assert.equal((await c.getInfo()).name, 'via http');
      assert.equal(await proxy.waitForCount(httpLine('fwd'), 0), 1);
      const seen = http.requests.at(-1)!;
      assert.equal(seen.path, '/fwd/v1/info');
      assert.match(String(seen.headers.via), /tinyproxy/);
    });

    it('https:// goes through a CONNECT tunnel, with the private CA checked end to end', async () => {
      const before = proxy.count(connectLine());
      const c = client(https.baseUrl, { proxy: proxy.url, extraCaPem: pki.caPem });
      assert.equal((await c.getInfo()).name, 'via https');
      assert.equal(await proxy.waitForCount(connectLine(), before), before + 1);
    });

    it('noProxy bypasses the proxy for http and https', async () => {
      const connects = proxy.count(connectLine());
      const settings: NetworkSettings = { proxy: proxy.url, noProxy: ['127.0.0.1'], extraCaPem: pki.caPem };
      assert.equal((await client(tagged(http.baseUrl, 'bypass'), settings).getInfo()).name, 'via http');
      assert.equal((await client(https.baseUrl, settings).getInfo()).name, 'via https');
      assert.equal(http.requests.at(-1)!.headers.via, undefined);
      assert.equal(proxy.count(httpLine('bypass')), 0);
      assert.equal(proxy.count(connectLine()), connects);
    });

    it('HTTPS_PROXY and HTTP_PROXY from env are used when http.proxy is empty', async () => {
      const connects = proxy.count(connectLine());
      const env = { HTTPS_PROXY: proxy.url, http_proxy: proxy.url };
      assert.equal((await client(https.baseUrl, { proxy: '', env, extraCaPem: pki.caPem }).getInfo()).name, 'via https');
      assert.equal(await proxy.waitForCount(connectLine(), connects), connects + 1);
      assert.equal((await client(tagged(http.baseUrl, 'env'), { env }).getInfo()).name, 'via http');
      assert.equal(await proxy.waitForCount(httpLine('env'), 0), 1);
    });

    it('src/dify alone, in a fresh Node as in the extension bundle, tunnels and forwards through the proxy', async function () {
      // undici's ProxyAgent opens the tunnel with dispatcher.connect(), a method undici's index installs: this fails if
      // src/dify stops loading that index (e.g. when trimming the bundle) without installing it another way.
      this.timeout(20_000);
      const connects = proxy.count(connectLine());
      const names = await runIsolated(
        `const dispatcher = createDispatcher({ proxy: process.env.PROXY_URL, extraCaPem: process.env.EXTRA_PEM, env: {} });
const names = await Promise.all([get(dispatcher, process.env.HTTPS_URL!), get(dispatcher, process.env.HTTP_URL!)]);
await dispatcher.close();
console.log(JSON.stringify(names));`,
        { PROXY_URL: proxy.url, EXTRA_PEM: pki.caPem, HTTPS_URL: https.baseUrl, HTTP_URL: tagged(http.baseUrl, 'isolated') },
      );
      assert.deepEqual(names, ['via https', 'via http']);
      assert.equal(await proxy.waitForCount(connectLine(), connects), connects + 1);
      assert.equal(await proxy.waitForCount(httpLine('isolated'), 0), 1);
    });

    it('NO_PROXY from env is honoured with an env proxy', async () => {
      const connects = proxy.count(connectLine());
      const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: 'example.org, 127.0.0.1' };
      assert.equal((await client(https.baseUrl, { env, extraCaPem: pki.caPem }).getInfo()).name, 'via https');
      assert.equal((await client(tagged(http.baseUrl, 'envbypass'), { env }).getInfo()).name, 'via http');
      assert.equal(proxy.count(connectLine()), connects);
      assert.equal(proxy.count(httpLine('envbypass')), 0);
    });
  });

  describe('failures are attributed to the right party', () => {
    it('a tunnel the proxy refuses (port not allowed): kind "proxy" with HTTP 403, naming the proxy', async () => {
      // tinyproxy allows CONNECT only to the ConnectPort ports; the plain HTTP server's port is not one.
      const error = await failure(client(`https://127.0.0.1:${httpPort}/v1`, { proxy: proxy.url }).getInfo());
      assert.equal(error.kind, 'proxy');
      assert.equal(error.proxyStatus, 403);
      assert.equal(error.proxy, proxy.host);
      assert.match(error.message, new RegExp(`^The proxy ${proxy.host} refused the connection to 127\\.0\\.0\\.1:${httpPort} \\(HTTP 403\\)`));
    });

    it("Dify's untrusted certificate behind the proxy is still Dify's: kind 'certificate', not 'proxy'", async () => {
      const error = await failure(client(https.baseUrl, { proxy: proxy.url }).getInfo());
      assert.equal(error.kind, 'certificate');
      assert.equal(error.host, `127.0.0.1:${https.port}`);
      assert.equal(error.proxy, undefined);
    });

    it("a TLS handshake with Dify that hangs behind the proxy is Dify's timeout, not the proxy's", async () => {
      const error = await failure(client(`https://127.0.0.1:${silent.port}/v1`, { proxy: proxy.url, connectTimeoutMs: 300 }).getInfo());
      assert.equal(error.kind, 'timeout');
      assert.equal(error.host, `127.0.0.1:${silent.port}`);
    });
  });

  describe('an authenticated proxy (BasicAuth)', () => {
    const withCredentials = () => `http://${USER}:${PASSWORD}@127.0.0.1:${authProxy.port}`;

    it('credentials in the URL work for http and https, and Dify never sees them', async () => {
      const connects = authProxy.count(connectLine());
      const settings: NetworkSettings = { proxy: withCredentials(), extraCaPem: pki.caPem };
      assert.equal((await client(tagged(http.baseUrl, 'auth'), settings).getInfo()).name, 'via http');
      assert.equal(await authProxy.waitForCount(httpLine('auth'), 0), 1);
      assert.equal(http.requests.at(-1)!.headers['proxy-authorization'], undefined);
      assert.equal((await client(https.baseUrl, settings).getInfo()).name, 'via https');
      assert.equal(await authProxy.waitForCount(connectLine(), connects), connects + 1);
      assert.equal(https.requests.at(-1)!.headers['proxy-authorization'], undefined);
    });

    it('without credentials: kind "proxy", HTTP 407, for http (forwarding) and https (CONNECT)', async () => {
      for (const baseUrl of [tagged(http.baseUrl, 'noauth'), https.baseUrl]) {
        const error = await failure(client(baseUrl, { proxy: authProxy.url, extraCaPem: pki.caPem }).getInfo());
        assert.equal(error.kind, 'proxy');
        assert.equal(error.proxyStatus, 407);
        assert.equal(error.proxy, authProxy.host);
        assert.match(error.message, new RegExp(`^The proxy ${authProxy.host} requires authentication \\(HTTP 407\\)`));
      }
    });

    it('a wrong password: kind "proxy", and neither password shows in the error or the request log', async () => {
      const wrong = 'wr0ng-pass';
      const error = await failure(client(https.baseUrl, { proxy: `http://${USER}:${wrong}@127.0.0.1:${authProxy.port}` }).getInfo());
      assert.equal(error.kind, 'proxy');
      assert.equal(error.proxyStatus, 401, 'tinyproxy answers a wrong password with 401');
      assert.equal(logs.length, 1);
      assertNoPassword(error, wrong);
    });
  });

  describe('an unreachable proxy', () => {
    it('refused: kind "proxy" naming the proxy host:port (not Dify), without the password, for http and https', async () => {
      const dead = await freePort();
      for (const baseUrl of [http.baseUrl, https.baseUrl]) {
        const error = await failure(client(baseUrl, { proxy: `http://${USER}:${PASSWORD}@127.0.0.1:${dead}` }).getInfo());
        assert.equal(error.kind, 'proxy');
        assert.equal(error.proxy, `127.0.0.1:${dead}`);
        assert.equal(error.causeCode, 'ECONNREFUSED');
        assert.equal(
          error.message,
          `Cannot connect to the proxy 127.0.0.1:${dead}: connection refused (ECONNREFUSED). Check the proxy setting (http.proxy, or HTTPS_PROXY / HTTP_PROXY) and that the proxy is running.`,
        );
        assertNoPassword(error);
      }
    });

    it('a proxy host that does not resolve: kind "proxy", naming it', async () => {
      for (const baseUrl of [http.baseUrl, https.baseUrl]) {
        const error = await failure(client(baseUrl, { env: { HTTPS_PROXY: 'http://proxy.nonexistent.invalid:3128', HTTP_PROXY: 'http://proxy.nonexistent.invalid:3128' } }).getInfo());
        assert.equal(error.kind, 'proxy');
        assert.match(error.message, /^Cannot resolve the proxy host proxy\.nonexistent\.invalid:3128 \((ENOTFOUND|EAI_AGAIN)\)/);
      }
    });
  });
});

// ------------------------------------------------------------------------------------------ credentials on the wire

describe('dispatcher: proxy credentials on the wire', () => {
  let fakeProxy: RawServer | undefined;
  afterEach(() => fakeProxy?.close());

  it('user and password from the URL reach the proxy percent-decoded, as Basic Proxy-Authorization', async () => {
    // A plain HTTP server standing in for a forwarding proxy: it gets the absolute-form request and its headers.
    // The client never resolves dify.example: the proxy is the only thing it talks to.
    fakeProxy = await startRawServer(info('from the fake proxy'));
    const port = new URL(fakeProxy.baseUrl).port;
    const c = client('http://dify.example/v1', { proxy: `http://al%40ice:p%3Ass%2Fw%20rd@127.0.0.1:${port}` });
    assert.equal((await c.getInfo()).name, 'from the fake proxy');
    const seen = fakeProxy.requests[0]!;
    assert.equal(seen.path, 'http://dify.example/v1/info');
    assert.equal(seen.headers['proxy-authorization'], `Basic ${Buffer.from('al@ice:p:ss/w rd').toString('base64')}`);
    assert.equal(seen.headers.authorization, `Bearer ${KEY}`);
  });

  it('a closed dispatcher closes its agents', async () => {
    fakeProxy = await startRawServer(info('x'));
    const dispatcher = createDispatcher({ proxy: `http://127.0.0.1:${new URL(fakeProxy.baseUrl).port}`, env: {} });
    await dispatcher.close();
    const c = new AppClient({ baseUrl: 'http://dify.example/v1', apiKey: KEY, user: 'u', dispatcher, retry: { retries: 0 } });
    await assert.rejects(c.getInfo(), /closed|destroyed/i);
  });
});
