// The network dispatcher through a real forward proxy (tinyproxy) and a fake one: routing, no-proxy lists, the environment, failures named as the proxy's, credentials.
import assert from 'node:assert/strict';
import { AppClient, createDispatcher, type NetworkSettings } from '../../src/dify/index.js';
import {
  assertNoPassword,
  client,
  closeClients,
  failure,
  info,
  KEY,
  logs,
  PASSWORD,
  runIsolated,
  startSilentServer,
  tagged,
  USER,
} from '../helpers/dispatcher-fixtures.js';
import { startRawServer, type RawServer } from '../helpers/raw-server.js';
import { findTinyproxy, freePort, startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy.js';
import { createTestPki, startHttpsServer, type HttpsTestServer, type TestPki } from '../helpers/tls-ca.js';

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
  afterEach(closeClients);

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
  afterEach(closeClients);

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
