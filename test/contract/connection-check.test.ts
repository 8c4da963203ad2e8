// Adding an app or a knowledge key: every wrong URL or key is caught with the exact problem, against the test Dify server.
import assert from 'node:assert/strict';
import { checkApp, checkKnowledge, normalizeBaseUrl, apiUrlFor, keyKind, keyTravelsInClear } from '../../src/core/connection-check.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';
import { startRawServer } from '../helpers/raw-server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer()));
after(() => server.close());

const opts = { retry: { retries: 0 } };

describe('connection check: app keys', () => {
  it('a good key gives the mode and name from /info and the features from /parameters', async () => {
    const result = await checkApp(server.baseUrl + '/', server.keys.advancedChat, 'u', opts);
    assert.ok(result.ok);
    assert.equal(result.baseUrl, server.baseUrl);
    assert.equal(result.info.mode, 'advanced-chat');
    assert.equal(result.info.name, 'Test Chatflow');
    assert.ok(result.parameters?.user_input_form);
  });

  it('the URL without /v1 is caught, and the right one suggested after checking it works', async () => {
    const result = await checkApp(server.url, server.keys.chat, 'u', opts);
    assert.deepEqual(result, { ok: false, problem: { kind: 'missing_v1', suggestedUrl: server.baseUrl } });
  });

  it('a knowledge key given as an app key is named as such, before any request', async () => {
    const before = server.requests.length;
    const result = await checkApp(server.baseUrl, server.keys.dataset, 'u', opts);
    assert.deepEqual(result, { ok: false, problem: { kind: 'wrong_key_kind', expected: 'app', given: 'dataset' } });
    assert.equal(server.requests.length, before);
  });

  it('an unknown key is invalid_key', async () => {
    const result = await checkApp(server.baseUrl, 'app-000000000000000000000000', 'u', opts);
    assert.deepEqual(result, { ok: false, problem: { kind: 'invalid_key' } });
  });

  it('an app with its API switched off is app_disabled with Dify\'s words', async () => {
    const result = await checkApp(server.baseUrl, server.keys.disabled, 'u', opts);
    assert.ok(!result.ok && result.problem.kind === 'app_disabled');
    assert.match(result.problem.kind === 'app_disabled' ? result.problem.detail : '', /disabled/);
  });

  it('the console / web page URL (HTML with 200) is console_url', async () => {
    const web = await startRawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!DOCTYPE html><title>Dify</title>');
    });
    try {
      const result = await checkApp(web.baseUrl.replace(/\/v1$/, '/apps'), server.keys.chat, 'u', opts);
      assert.ok(!result.ok && result.problem.kind === 'console_url');
    } finally {
      await web.close();
    }
  });

  it('nothing listening is a network problem naming the host', async () => {
    const probe = await startRawServer(() => undefined);
    const url = probe.baseUrl;
    await probe.close();
    const result = await checkApp(url, server.keys.chat, 'u', opts);
    assert.ok(!result.ok && result.problem.kind === 'network');
    assert.equal(result.problem.kind === 'network' && result.problem.error.kind, 'refused');
  });

  it('garbage is invalid_url', async () => {
    const result = await checkApp('http://exa mple', server.keys.chat, 'u', opts);
    assert.equal(!result.ok && result.problem.kind, 'invalid_url');
  });
});

describe('connection check: knowledge keys', () => {
  it('a good dataset key counts the datasets', async () => {
    const result = await checkKnowledge(server.baseUrl, server.keys.dataset, opts);
    assert.ok(result.ok && result.datasetCount >= 4);
  });

  it('an app key given as a knowledge key is named as such', async () => {
    assert.deepEqual(await checkKnowledge(server.baseUrl, server.keys.chat, opts), {
      ok: false,
      problem: { kind: 'wrong_key_kind', expected: 'dataset', given: 'app' },
    });
  });

  it('missing /v1 for a knowledge key too', async () => {
    assert.deepEqual(await checkKnowledge(server.url, server.keys.dataset, opts), {
      ok: false,
      problem: { kind: 'missing_v1', suggestedUrl: server.baseUrl },
    });
  });
});

describe('connection check: helpers', () => {
  it('normalizes base URLs', () => {
    assert.equal(normalizeBaseUrl(' api.dify.ai/v1/ '), 'https://api.dify.ai/v1');
    assert.equal(normalizeBaseUrl('http://10.0.0.5:8080/v1?x=1#y'), 'http://10.0.0.5:8080/v1');
    assert.throws(() => normalizeBaseUrl('ftp://x'));
    assert.throws(() => normalizeBaseUrl('   '));
  });

  it('a key travels in clear over plain http to another machine, not over https nor to this one', () => {
    for (const url of ['http://dify.intranet/v1', 'HTTP://10.0.0.5:8080/v1', 'http://192.168.1.20/v1', 'http://[fe80::1]/v1', 'http://127.example.com/v1']) {
      assert.equal(keyTravelsInClear(url), true, url);
    }
    for (const url of ['https://api.dify.ai/v1', 'api.dify.ai/v1', 'http://localhost/v1', 'http://LOCALHOST:5001/v1', 'http://dify.localhost/v1', 'http://127.0.0.1:5001/v1', 'http://127.1.2.3/v1', 'http://[::1]:5001/v1', 'not a url', '']) {
      assert.equal(keyTravelsInClear(url), false, url);
    }
  });

  it('knows where the API lives for Dify Cloud and self-hosted consoles', () => {
    assert.equal(apiUrlFor('https://cloud.dify.ai/apps'), 'https://api.dify.ai/v1');
    assert.equal(apiUrlFor('https://dify.corp.example/apps'), 'https://dify.corp.example/v1');
    assert.equal(apiUrlFor('https://dify.corp.example/v1'), undefined);
  });

  it('reads key prefixes', () => {
    assert.equal(keyKind('app-abc'), 'app');
    assert.equal(keyKind('dataset-abc'), 'dataset');
    assert.equal(keyKind('ds-abc'), 'dataset');
    assert.equal(keyKind('sk-abc'), 'unknown');
  });
});
