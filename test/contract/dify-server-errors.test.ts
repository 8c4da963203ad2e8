// The test Dify server: auth failures, error bodies and validation, byte for byte (CONTRACT §1.3, §2, §3.2).
import assert from 'node:assert/strict';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { WERKZEUG_404_HTML } from '../dify-server/wire.js';
import { CHAT_INPUTS, call, post } from './dify-server-helpers.js';

describe('test Dify server: errors', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const unauthorized = (message: string): string => `{"code": "unauthorized", "message": "${message}", "status": 401}\n`;

  it('401 variants are byte-exact with WWW-Authenticate', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, "Authorization header must be provided and start with 'Bearer'"],
      [{ Authorization: 'Bearer' }, "Authorization header must be provided and start with 'Bearer'"],
      [{ Authorization: `Basic ${server.keys.chat}` }, "Authorization scheme must be 'Bearer'"],
      [{ Authorization: 'Bearer app-doesnotexist000000000000' }, 'Access token is invalid'],
      [{ Authorization: `Bearer ${server.keys.dataset}` }, 'Access token is invalid'],
    ];
    for (const [headers, message] of cases) {
      const res = await call(server, 'GET', '/info', { headers });
      assert.equal(res.status, 401);
      assert.equal(res.text, unauthorized(message));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="api"');
      assert.equal(res.headers.get('content-type'), 'application/json');
    }
    const lower = await call(server, 'GET', '/info', { headers: { Authorization: `bearer ${server.keys.chat}` } });
    assert.equal(lower.status, 200, 'the scheme word is case-insensitive');
  });

  it('every response carries X-Version (1.15.0 by default) and X-Env, HTML 404s included', async () => {
    for (const res of [await call(server, 'GET', '/info', { key: server.keys.chat }), await call(server, 'GET', '/nope')]) {
      assert.equal(res.headers.get('x-version'), '1.15.0');
      assert.equal(res.headers.get('x-env'), 'PRODUCTION');
    }
    const outside = await fetch(`${server.url}/api/apps`);
    assert.equal(outside.status, 404);
    assert.equal(outside.headers.get('x-version'), '1.15.0');
    assert.equal(await outside.text(), WERKZEUG_404_HTML);
  });

  it('unknown routes and non-UUID path ids give werkzeug HTML 404s', async () => {
    for (const path of ['/nope', '/conversations/not-a-uuid/name', '/messages/123/feedbacks']) {
      const res = await call(server, 'POST', path, { key: server.keys.chat, json: { user: 'u' } });
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.text, WERKZEUG_404_HTML);
    }
  });

  it('disabled app and missing site are 403 forbidden', async () => {
    const disabled = await call(server, 'GET', '/parameters', { key: server.keys.disabled });
    assert.equal(disabled.status, 403);
    assert.equal(disabled.text, `{"code": "forbidden", "message": "The app's API service has been disabled.", "status": 403}\n`);
    const noSite = await call(server, 'GET', '/site', { key: server.keys.noSite });
    assert.equal(noSite.status, 403);
    assert.equal(JSON.parse(noSite.text).code, 'forbidden');
    assert.equal((await call(server, 'GET', '/site', { key: server.keys.chat })).status, 200);
  });

  it('415 without a JSON content type, 400 bad_request on malformed JSON', async () => {
    const res = await call(server, 'POST', '/chat-messages', { key: server.keys.chat, body: 'user=u', contentType: 'text/plain' });
    assert.equal(res.status, 415);
    assert.equal(
      res.text,
      `{"code": "unsupported_media_type", "message": "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.", "status": 415}\n`,
    );
    const bad = await call(server, 'POST', '/chat-messages', { key: server.keys.chat, body: '{"user":', contentType: 'application/json' });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.text).code, 'bad_request');
  });

  it('user is required, with the exact body', async () => {
    const res = await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: 'hi' });
    assert.equal(res.status, 400);
    assert.equal(res.text, '{"code": "invalid_param", "message": "Arg user must be provided.", "status": 400}\n');
  });

  it('a missing inputs field is a pydantic validation error', async () => {
    const res = await post(server, '/chat-messages', server.keys.chat, { query: 'hi', user: 'u' });
    assert.equal(res.status, 400);
    assert.equal(
      res.text,
      '{"code": "invalid_param", "message": "1 validation error for ChatRequestPayload\\ninputs\\n  Field required ' +
        "[type=missing, input_value={'query': 'hi', 'user': 'u'}, input_type=dict]\\n    For further information visit " +
        'https://errors.pydantic.dev/2.12/v/missing", "status": 400}\n',
    );
  });

  it('validates inputs against the form on every call', async () => {
    const send = (inputs: Record<string, unknown>): Promise<{ status: number; text: string }> =>
      post(server, '/chat-messages', server.keys.chat, { inputs, query: 'hi', user: 'u' });
    const message = async (inputs: Record<string, unknown>): Promise<string> => JSON.parse((await send(inputs)).text).message;
    assert.equal(await message({}), 'name is required in input form');
    assert.equal(await message({ name: 5 }), 'name in input form must be a string');
    assert.equal(await message({ name: 'x'.repeat(49) }), 'name in input form must be less than 48 characters');
    assert.equal(await message({ name: 'a', tone: 'rude' }), "tone in input form must be one of the following: ['friendly', 'formal', '简洁']");
    assert.equal(await message({ name: 'a', max_items: 'many' }), 'max_items in input form must be a valid number');
    const ok = await send({ name: 'a', max_items: '3', unknown: 1 });
    assert.equal(ok.status, 200);
    const conversationId = JSON.parse(ok.text).conversation_id as string;
    const again = await post(server, '/chat-messages', server.keys.chat, { inputs: {}, query: 'again', user: 'u', conversation_id: conversationId });
    assert.equal(again.status, 400, 'required inputs are re-validated on later turns');
  });

  it('404 errors get the flask-restx "did you mean" suffix', async () => {
    const res = await post(server, '/chat-messages', server.keys.chat, {
      inputs: CHAT_INPUTS,
      query: 'hi',
      user: 'u',
      conversation_id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    });
    assert.equal(res.status, 404);
    const body = JSON.parse(res.text) as { code: string; message: string; status: number };
    assert.equal(body.code, 'not_found');
    assert.match(body.message, /^Conversation Not Exists\. You have requested this URI \[\/v1\/chat-messages\] but did you mean \/v1\/chat-messages( or [^ ]+)* \?$/);
    assert.ok(res.text.startsWith('{"code": "not_found", "message": "Conversation Not Exists. You have requested'));
  });

  it('mode errors: not_chat_app, app_unavailable, not_workflow_app, agent blocking', async () => {
    const notChat = await post(server, '/chat-messages', server.keys.completion, { inputs: {}, query: 'q', user: 'u' });
    assert.equal(notChat.text, '{"code": "not_chat_app", "message": "Please check if your app mode matches the right API route.", "status": 400}\n');
    const unavailable = await post(server, '/completion-messages', server.keys.chat, { inputs: {}, user: 'u' });
    assert.equal(unavailable.text, '{"code": "app_unavailable", "message": "App unavailable, please check your app configurations.", "status": 400}\n');
    const notWorkflow = await post(server, '/workflows/run', server.keys.chat, { inputs: {}, user: 'u' });
    assert.equal(JSON.parse(notWorkflow.text).code, 'not_workflow_app');
    const agent = await post(server, '/chat-messages', server.keys.agent, { inputs: {}, query: 'q', user: 'u', response_mode: 'blocking' });
    assert.equal(agent.text, '{"code": "invalid_param", "message": "Agent Chat App does not support blocking mode", "status": 400}\n');
    const empty = await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: '', user: 'u' });
    assert.equal(empty.text, '{"code": "invalid_param", "message": "query is required", "status": 400}\n');
  });

  it('workflow_id checks on /workflows/:id/run', async () => {
    const bad = await post(server, '/workflows/not-a-uuid/run', server.keys.workflow, { inputs: { topic: 't' }, user: 'u' });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.text).code, 'bad_request');
    const unknown = await post(server, '/workflows/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/run', server.keys.workflow, { inputs: { topic: 't' }, user: 'u' });
    assert.equal(unknown.status, 404);
    assert.match(JSON.parse(unknown.text).message, /^Workflow not found with id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/);
  });

  it('conversation list limit bounds are pydantic errors', async () => {
    for (const [limit, text] of [
      ['0', 'Input should be greater than or equal to 1 [type=greater_than_equal'],
      ['101', 'Input should be less than or equal to 100 [type=less_than_equal'],
    ]) {
      const res = await call(server, 'GET', `/conversations?user=u&limit=${limit}`, { key: server.keys.chat });
      assert.equal(res.status, 400);
      const body = JSON.parse(res.text) as { code: string; message: string };
      assert.equal(body.code, 'invalid_param');
      assert.ok(body.message.startsWith(`1 validation error for ConversationListQuery\nlimit\n  ${text!}, input_value='${limit}', input_type=str]`), body.message);
    }
  });
});
