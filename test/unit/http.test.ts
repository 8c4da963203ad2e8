// The network module: what goes over the wire, how every kind of failure is mapped, retries, timeouts,
// cancellation, TLS, and that the key never leaks into errors or logs.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Agent } from 'undici';
import {
  AppClient,
  DifyAbortError,
  DifyApiError,
  DifyNetworkError,
  DifyRateLimitError,
  DifyUnexpectedResponseError,
  DifyWorkflowRunError,
  formatSeconds,
  KnowledgeClient,
  type RequestLogEntry,
} from '../../src/dify/index.js';
import { startRawServer, type RawHandler, type RawServer } from '../helpers/raw-server.js';
import { createTestPki, startHttpsServer, type HttpsTestServer, type TestPki } from '../helpers/tls-ca.js';

const KEY = 'app-SecretKey0123456789abcdef';
let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function client(handler: RawHandler, extra: { onRequest?: (e: RequestLogEntry) => void; timeoutMs?: number } = {}) {
  server = await startRawServer(handler);
  return new AppClient({
    baseUrl: server.baseUrl,
    apiKey: KEY,
    user: 'u-1',
    onRequest: extra.onRequest,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    timeouts: extra.timeoutMs ? { requestMs: extra.timeoutMs, generationMs: extra.timeoutMs } : {},
  });
}

function reply(status: number, body: string, contentType = 'application/json', headers: Record<string, string> = {}): RawHandler {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': contentType, ...headers });
    res.end(body);
  };
}

function assertNoKey(error: unknown) {
  for (const text of [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error)]) {
    assert.ok(!text.includes(KEY), `key leaked: ${text}`);
  }
}

describe('http: what goes over the wire', () => {
  it('a client object does not reveal its key when inspected or serialised', () => {
    const c = new AppClient({ baseUrl: 'https://api.dify.ai/v1', apiKey: KEY, user: 'u' });
    assertNoKey(c);
  });

  it('sends the key as a bearer token and reads JSON', async () => {
    const c = await client(reply(200, '{"name": "Bot", "description": "", "tags": [], "mode": "chat", "author_name": "a"}\n'));
    const info = await c.getInfo();
    assert.equal(info.mode, 'chat');
    const req = server!.requests[0]!;
    assert.equal(req.method, 'GET');
    assert.equal(req.path, '/v1/info');
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  });

  it('a blocking chat sends inputs {} and user, response_mode blocking, as JSON', async () => {
    const c = await client(reply(200, '{"event": "message", "answer": "hi"}'));
    await c.sendChatMessage({ query: '你好' });
    const req = server!.requests[0]!;
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), { query: '你好', inputs: {}, response_mode: 'blocking', user: 'u-1' });
  });

  it('query strings carry the user and skip unset values; ids are escaped into the path', async () => {
    const c = await client(reply(200, '{"limit": 20, "has_more": false, "data": []}'));
    await c.getMessages({ conversation_id: 'c 1', limit: 5 });
    await c.getConversationVariables('a/b', {});
    assert.equal(server!.requests[0]!.path, '/v1/messages?conversation_id=c+1&limit=5&user=u-1');
    assert.equal(server!.requests[1]!.path, '/v1/conversations/a%2Fb/variables?user=u-1');
  });

  it('deleteConversation sends its user in a JSON body (Dify reads it there)', async () => {
    const c = await client((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    await c.deleteConversation('c1');
    const req = server!.requests[0]!;
    assert.equal(req.method, 'DELETE');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), { user: 'u-1' });
  });

  it('uploads a file from disk as multipart with the part type, file name and user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dify-up-'));
    const path = join(dir, '报告.pdf');
    writeFileSync(path, Buffer.from('%PDF-1.4 fake'));
    const c = await client(reply(201, '{"id": "f1", "name": "x.pdf"}'));
    const uploaded = await c.uploadFile({ path });
    assert.equal(uploaded.id, 'f1');
    const req = server!.requests[0]!;
    assert.match(String(req.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.match(req.body, /name="file"; filename="报告.pdf"\r\nContent-Type: application\/pdf\r\n\r\n%PDF-1.4 fake\r\n/);
    assert.match(req.body, /name="user"\r\n\r\nu-1\r\n/);
  });

  it('audio-to-text labels mp3 parts audio/mp3 (Dify rejects audio/mpeg)', async () => {
    const c = await client(reply(200, '{"text": "hello"}'));
    const blob = new Blob([Buffer.from('ID3')], { type: 'audio/mpeg' });
    assert.deepEqual(await c.audioToText({ blob, filename: 'voice.mp3' }), { text: 'hello' });
    assert.match(server!.requests[0]!.body, /filename="voice.mp3"\r\nContent-Type: audio\/mp3\r\n/);
  });

  it('the request log has method, path, status and duration, never the key or the query', async () => {
    const entries: RequestLogEntry[] = [];
    const c = await client(reply(200, '{"limit": 20, "has_more": false, "data": []}'), { onRequest: (e) => entries.push(e) });
    await c.getConversations({ limit: 3 });
    assert.equal(entries.length, 1);
    assert.deepEqual({ ...entries[0], durationMs: 0 }, { method: 'GET', path: '/conversations', status: 200, durationMs: 0, attempt: 1, error: undefined });
    assert.ok(!JSON.stringify(entries).includes(KEY));
  });
});

describe('http: error bodies', () => {
  it('Dify JSON errors become DifyApiError with code, status and endpoint, without the key', async () => {
    const c = await client(
      reply(401, '{"code": "unauthorized", "message": "Access token is invalid", "status": 401}\n', 'application/json', {
        'WWW-Authenticate': 'Bearer realm="api"',
      }),
    );
    const error = await c.getParameters().catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.endpoint, 'GET /parameters');
    assert.match(error.message, /rejected the API key/);
    assertNoKey(error);
  });

  it('a pydantic dump is shortened in the message and kept whole in difyMessage', async () => {
    const pydantic =
      '1 validation error for ChatRequestPayload\nquery\n  Field required [type=missing, input_value={}, input_type=dict]\n    For further information visit https://errors.pydantic.dev/2.12/v/missing';
    const c = await client(reply(400, JSON.stringify({ code: 'invalid_param', message: pydantic, status: 400 })));
    const error = await c.sendChatMessage({ query: '' }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError);
    assert.equal(error.difyMessage, pydantic);
    assert.ok(!error.message.includes('pydantic.dev'));
    assert.match(error.message, /query · Field required/);
  });

  it('the werkzeug HTML 404 is DifyUnexpectedResponseError that points at the /v1 base URL', async () => {
    const c = await client(reply(404, '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>', 'text/html; charset=utf-8'));
    const error = await c.getInfo().catch((e: unknown) => e);
    assert.ok(error instanceof DifyUnexpectedResponseError);
    assert.equal(error.status, 404);
    assert.match(error.message, /ends with \/v1/);
  });

  it('a 200 HTML page where JSON was expected (the console URL) says so', async () => {
    const c = await client(reply(200, '<!DOCTYPE html><html><head><title>Dify</title></head></html>', 'text/html'));
    const error = await c.getInfo().catch((e: unknown) => e);
    assert.ok(error instanceof DifyUnexpectedResponseError);
    assert.match(error.message, /Expected JSON .* HTML page/);
  });

  it('an empty 500 body is named as such', async () => {
    const c = await client(reply(500, '', 'text/plain'));
    const error = await c.sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyUnexpectedResponseError);
    assert.match(error.message, /empty body/);
  });

  it('the non-standard {"error": ...} body still becomes a DifyApiError', async () => {
    server = await startRawServer(reply(400, '{"error": "Segments is required"}'));
    const k = new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: 'dataset-x' });
    const error = await k.createSegments('d', 'doc', []).catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError);
    assert.equal(error.difyMessage, 'Segments is required');
  });

  it('a failed blocking workflow (HTTP 200) is thrown as DifyWorkflowRunError', async () => {
    const body = { task_id: 't', workflow_run_id: 'r1', data: { id: 'r1', status: 'failed', error: 'boom', outputs: null } };
    const c = await client(reply(200, JSON.stringify(body)));
    const error = await c.runWorkflow({ inputs: {} }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyWorkflowRunError);
    assert.equal(error.difyMessage, 'boom');
    assert.equal(error.workflowRunId, 'r1');
  });
});

describe('http: rate limits', () => {
  it('429 with a Retry-After from a proxy is DifyRateLimitError with the wait', async () => {
    const c = await client(reply(429, '{"code": "rate_limit_error", "message": "slow down", "status": 429}', 'application/json', { 'Retry-After': '30' }));
    const error = await c.sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyRateLimitError);
    assert.equal(error.retryAfterMs, 30_000);
    assert.match(error.message, /Retry in 30 s/);
  });

  it("Dify's 400 invalid_param 'Too many requests' is the same rate-limit error", async () => {
    const message = 'Too many requests. Please try again later. The current maximum concurrent requests allowed for app-1 is 2.';
    const c = await client(reply(400, JSON.stringify({ code: 'invalid_param', message, status: 400 })));
    const error = await c.sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyRateLimitError);
    assert.equal(error.status, 400);
    // One full stop after Dify's own sentence, and the server that said it.
    assert.doesNotMatch(error.message, /\.\./);
    assert.match(error.message, new RegExp(`POST /chat-messages at 127\\.0\\.0\\.1:\\d+\\): Too many requests\\.`));
    assert.equal(error.host, new URL(server!.baseUrl).host);
  });

  it('a sub-second Retry-After is said as it is, not rounded up to the next second', async () => {
    const c = await client(reply(429, '{"code": "too_many_requests", "message": "slow down", "status": 429}', 'application/json', { 'Retry-After': 'x' }));
    const error = await c.sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyRateLimitError);
    assert.match(error.message, /\(POST \/chat-messages at 127\.0\.0\.1:\d+\): slow down\. Wait a moment/);
    assert.equal(formatSeconds(1_500), '1.5 s');
    assert.equal(formatSeconds(150), '0.15 s');
    assert.equal(formatSeconds(120_000), '120 s');
  });

  it("Dify's JSON errors and non-Dify pages name the host that answered", async () => {
    const c = await client(reply(404, '{"code": "not_found", "message": "Conversation Not Exists.", "status": 404}'));
    const error = await c.getConversations().catch((e: unknown) => e);
    assert.ok(error instanceof DifyApiError);
    assert.match(error.message, /GET \/conversations at 127\.0\.0\.1:\d+/);
    await server!.close();
    const page = await (await client(reply(502, '<html><title>502 Bad Gateway</title></html>', 'text/html'))).sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(page instanceof DifyUnexpectedResponseError);
    assert.match(page.message, /at 127\.0\.0\.1:\d+/);
  });

  it('the Cloud knowledge rate limit (403) is a rate-limit error too', async () => {
    server = await startRawServer(
      reply(403, '{"code": "forbidden", "message": "Sorry, you have reached the knowledge base request rate limit of your subscription.", "status": 403}'),
    );
    const k = new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: 'dataset-x' });
    assert.ok((await k.listDatasets().catch((e: unknown) => e)) instanceof DifyRateLimitError);
  });
});

describe('http: retries', () => {
  it('GET retries a 502 HTML page and succeeds', async () => {
    let n = 0;
    const c = await client((_req, res) => {
      if (++n < 3) return reply(502, '<html><head><title>502 Bad Gateway</title></head></html>', 'text/html')(_req, res);
      return reply(200, '{"name": "ok"}')(_req, res);
    });
    assert.equal((await c.getInfo()).name, 'ok');
    assert.equal(server!.requests.length, 3);
  });

  it('GET gives up after the retries with the gateway error', async () => {
    const c = await client(reply(503, '<html><title>503 Service Unavailable</title></html>', 'text/html'));
    const error = await c.getInfo().catch((e: unknown) => e);
    assert.ok(error instanceof DifyUnexpectedResponseError);
    assert.equal(error.status, 503);
    assert.equal(server!.requests.length, 3);
  });

  it('POST never retries by itself', async () => {
    const c = await client(reply(502, '<html><title>502 Bad Gateway</title></html>', 'text/html'));
    await assert.rejects(c.sendChatMessage({ query: 'q' }), DifyUnexpectedResponseError);
    assert.equal(server!.requests.length, 1);
  });

  it('GET retries a reset connection', async () => {
    let n = 0;
    const c = await client((req, res) => {
      if (++n === 1) req.socket.destroy();
      else reply(200, '{"name": "ok"}')(req, res);
    });
    assert.equal((await c.getInfo()).name, 'ok');
  });
});

describe('http: network failures name the host and the cause', () => {
  it('connection refused', async () => {
    const probe = await startRawServer(reply(200, '{}'));
    const baseUrl = probe.baseUrl;
    await probe.close();
    const attempts: RequestLogEntry[] = [];
    const c = new AppClient({ baseUrl, apiKey: KEY, user: 'u', retry: { baseDelayMs: 1 }, onRequest: (e) => attempts.push(e) });
    const error = await c.getInfo().catch((e: unknown) => e);
    assert.ok(error instanceof DifyNetworkError);
    assert.equal(error.kind, 'refused');
    assert.equal(error.host, new URL(baseUrl).host);
    assert.match(error.message, /connection refused/);
    assert.equal(attempts.length, 3, 'GET retried twice');
    assertNoKey(error);
  });

  it('a name that does not resolve', async () => {
    const c = new AppClient({ baseUrl: 'http://dify.nonexistent.invalid/v1', apiKey: KEY, user: 'u', retry: { retries: 0 } });
    const error = await c.getInfo().catch((e: unknown) => e);
    assert.ok(error instanceof DifyNetworkError);
    assert.equal(error.kind, 'dns');
    assert.match(error.message, /Cannot resolve dify\.nonexistent\.invalid/);
  });

  it('no answer within the timeout', async () => {
    const c = await client(() => undefined, { timeoutMs: 150 });
    const error = await c.sendChatMessage({ query: 'q' }).catch((e: unknown) => e);
    assert.ok(error instanceof DifyNetworkError);
    assert.equal(error.kind, 'timeout');
  });

  it('an abort signal cancels a call in flight', async () => {
    const c = await client(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(c.sendChatMessage({ query: 'q' }, { signal: controller.signal }), DifyAbortError);
  });

  it('bad base URLs are refused before any request', () => {
    assert.throws(() => new AppClient({ baseUrl: 'api.dify.ai/v1', apiKey: KEY, user: 'u' }), /not a valid URL/);
    assert.throws(() => new AppClient({ baseUrl: 'ftp://x/v1', apiKey: KEY, user: 'u' }), /https:\/\/ or http:\/\//);
    assert.throws(() => new AppClient({ baseUrl: 'https://u:p@x/v1', apiKey: KEY, user: 'u' }), /user name or password/);
    assert.throws(() => new AppClient({ baseUrl: 'https://x/v1', apiKey: '', user: 'u' }), /key is required/);
  });
});

describe('http: TLS with a private CA', () => {
  let pki: TestPki;
  let https: HttpsTestServer;

  before(async function () {
    this.timeout(20_000);
    pki = createTestPki();
    https = await startHttpsServer(pki);
  });
  after(() => https?.close());

  it('an untrusted certificate is a "certificate" error that says what to do', async () => {
    const c = new AppClient({ baseUrl: https.baseUrl, apiKey: KEY, user: 'u', retry: { retries: 0 } });
    const error = await c.getInfo().catch((e: unknown) => e);
    assert.ok(error instanceof DifyNetworkError);
    assert.equal(error.kind, 'certificate');
    assert.match(error.message, /not trusted .*CA certificate/);
  });

  it('works once the CA is given through the dispatcher', async () => {
    const dispatcher = new Agent({ connect: { ca: pki.caPem } });
    const c = new AppClient({ baseUrl: https.baseUrl, apiKey: KEY, user: 'u', dispatcher });
    assert.equal((await c.getInfo()).name, 'tls ok');
    await dispatcher.close();
  });
});
