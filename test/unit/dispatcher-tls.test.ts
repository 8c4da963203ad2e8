// The network dispatcher against a real HTTPS server with a private CA: the extra CA, strictSSL, the handshake timeout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { caCertificates } from '../../src/dify/index.js';
import { client, closeClients, failure, info, runIsolated, startSilentServer } from '../helpers/dispatcher-fixtures.js';
import { createTestPki, startHttpsServer, type HttpsTestServer, type TestPki } from '../helpers/tls-ca.js';

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
  afterEach(closeClients);

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
