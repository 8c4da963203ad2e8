// The test Dify server: every fault kind as it shows on the wire, and the request log.
import assert from 'node:assert/strict';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { NGINX_502_HTML } from '../dify-server/wire.js';
import { CHAT_INPUTS, call, dataFrames, exampleStream, parseFrames, post, rawRequest } from './dify-server-helpers.js';

const chatBody = { inputs: CHAT_INPUTS, query: 'Explain 流式 code', user: 'u', response_mode: 'streaming' };

describe('test Dify server: faults', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 200 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('http: canned responses before the route runs (nginx 502, 429 JSON, empty 500)', async () => {
    server.fault({ kind: 'http', status: 502, body: NGINX_502_HTML }, { path: '/info' });
    const html = await call(server, 'GET', '/info', { key: server.keys.chat });
    assert.equal(html.status, 502);
    assert.equal(html.text, NGINX_502_HTML);
    assert.equal(html.headers.get('content-type'), 'text/html');
    server.fault({ kind: 'http', status: 429, body: { code: 'rate_limit_error', message: 'Rate Limit Error', status: 429 } });
    const limited = await call(server, 'GET', '/info', { key: server.keys.chat });
    assert.equal(limited.text, '{"code": "rate_limit_error", "message": "Rate Limit Error", "status": 429}\n');
    server.fault({ kind: 'http', status: 500 });
    const empty = await call(server, 'GET', '/info', { key: server.keys.chat });
    assert.deepEqual([empty.status, empty.text], [500, '']);
    const normal = await call(server, 'GET', '/info', { key: server.keys.chat });
    assert.equal(normal.status, 200, 'faults are one-shot');
  });

  it('faults match on method and path, and also come from the X-Dify-Test-Fault header', async () => {
    server.fault({ kind: 'http', status: 503 }, { method: 'POST', path: /^\/chat-messages$/ });
    assert.equal((await call(server, 'GET', '/parameters', { key: server.keys.chat })).status, 200);
    assert.equal((await post(server, '/chat-messages', server.keys.chat, chatBody)).status, 503);
    const viaHeader = await call(server, 'GET', '/info', { key: server.keys.chat, headers: { 'X-Dify-Test-Fault': '{"kind":"http","status":504}' } });
    assert.equal(viaHeader.status, 504);
  });

  it('reset: the connection drops without a response', async () => {
    server.fault({ kind: 'reset' });
    await assert.rejects(fetch(`${server.baseUrl}/info`, { headers: { Authorization: `Bearer ${server.keys.chat}` } }));
  });

  it('slowFirstByte: the headers come late', async () => {
    server.fault({ kind: 'slowFirstByte', delayMs: 150 });
    const started = Date.now();
    const res = await call(server, 'GET', '/info', { key: server.keys.chat });
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 140);
  });

  it('cut: the socket dies after N data frames', async () => {
    server.fault({ kind: 'cut', afterEvents: 2 });
    const res = await rawRequest(server, 'POST', '/chat-messages', { key: server.keys.chat, json: chatBody });
    assert.ok(res.error, 'the response does not end cleanly');
    const events = dataFrames(Buffer.concat(res.chunks).toString('utf8'));
    assert.equal(events.length, 2);
    assert.ok(events.every((e) => e.event === 'message'));
  });

  it('end: a clean end after N frames, without a terminal event', async () => {
    server.fault({ kind: 'end', afterEvents: 3 });
    const res = await post(server, '/chat-messages', server.keys.chat, chatBody);
    const events = dataFrames(res.text);
    assert.deepEqual(events.map((e) => e.event), ['message', 'message', 'message']);
  });

  it('stall: N frames, then silence on an open connection, pings included', async () => {
    server.fault({ kind: 'stall', afterEvents: 1 });
    const res = await rawRequest(server, 'POST', '/chat-messages', { key: server.keys.chat, json: chatBody, timeoutMs: 250 });
    assert.equal(res.error?.message, 'client timeout');
    assert.equal(Buffer.concat(res.chunks).toString('utf8').split('\n\n').filter(Boolean).length, 1);
  });

  it('pingOnly: pings and nothing else until the idle timeout', async () => {
    server.fault({ kind: 'pingOnly' });
    const res = await post(server, '/chat-messages', server.keys.chat, chatBody);
    const frames = parseFrames(res.text);
    assert.ok(frames.length >= 3, `${frames.length} pings`);
    assert.ok(frames.every((f) => f.kind === 'ping'));
  });

  it('errorEvent: an error frame with the envelope and code, status, message; then the end', async () => {
    server.fault({ kind: 'errorEvent', afterEvents: 2 });
    const res = await post(server, '/chat-messages', server.keys.chat, chatBody);
    const events = dataFrames(res.text);
    assert.equal(events.length, 3);
    const error = events[2]!;
    assert.deepEqual(Object.keys(error), ['event', 'conversation_id', 'message_id', 'created_at', 'code', 'status', 'message']);
    assert.equal(error.conversation_id, events[0]!.conversation_id);
    assert.deepEqual([error.event, error.code, error.status], ['error', 'completion_request_error', 400]);
    server.fault({ kind: 'errorEvent', afterEvents: 1, code: 'provider_quota_exceeded', status: 400, message: 'quota' });
    const quota = dataFrames((await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: 't' }, user: 'u', response_mode: 'streaming' })).text);
    assert.deepEqual(Object.keys(quota[1]!), ['event', 'workflow_run_id', 'code', 'message', 'status']);
  });

  it('splitUtf8: multi-byte characters arrive split across chunks and still decode', async () => {
    server.fault({ kind: 'splitUtf8' });
    const res = await rawRequest(server, 'POST', '/chat-messages', { key: server.keys.chat, json: chatBody });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const broken = res.chunks.filter((c) => {
      try {
        decoder.decode(c);
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(broken.length > 0, 'some chunk ends inside a character');
    const text = Buffer.concat(res.chunks).toString('utf8');
    assert.equal(dataFrames(text).at(-1)!.event, 'message_end');
    assert.ok(text.includes('流式'));
  });

  it('crlf: every line ends with CRLF', async () => {
    server.fault({ kind: 'crlf' });
    const res = await post(server, '/chat-messages', server.keys.chat, chatBody);
    assert.ok(res.text.endsWith('\r\n\r\n'));
    assert.ok(!/[^\r]\n/.test(res.text), 'no bare LF');
    assert.equal(dataFrames(res.text.replace(/\r\n/g, '\n')).at(-1)!.event, 'message_end');
  });

  it('replay: serves the example bytes exactly as a stream', async () => {
    const body = exampleStream('agent-chat.sse');
    server.fault({ kind: 'replay', body });
    const res = await post(server, '/chat-messages', server.keys.agent, chatBody);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(res.text, body);
  });

  it('records every request with path, query, JSON body and final status', async () => {
    await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: 'q', user: 'u' });
    await call(server, 'GET', '/conversations?user=u&limit=5', { key: server.keys.chat });
    await call(server, 'GET', '/nope');
    const [chat, list, nope] = server.requests;
    assert.deepEqual([chat!.method, chat!.path, chat!.status], ['POST', '/chat-messages', 200]);
    assert.deepEqual(chat!.json, { inputs: CHAT_INPUTS, query: 'q', user: 'u' });
    assert.deepEqual([list!.path, list!.query, list!.status], ['/conversations', { user: 'u', limit: '5' }, 200]);
    assert.equal(list!.headers.authorization, `Bearer ${server.keys.chat}`);
    assert.equal(nope!.status, 404);
  });
});
