// The network dispatcher's rules without network: which requests the proxy applies to, describeNetworkSettings, invalid settings.
import assert from 'node:assert/strict';
import { createDispatcher, describeNetworkSettings, proxyFor, type NetworkSettings } from '../../src/dify/index.js';
import { PASSWORD, USER } from '../helpers/dispatcher-fixtures.js';
import { createTestPki } from '../helpers/tls-ca.js';

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
