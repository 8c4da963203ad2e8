// The test Dify server: conversations, messages, feedback, variables, files, audio, workflow runs and logs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generatedName, provisionalName } from '../dify-server/apps/answers.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { CHAT_INPUTS, call, post } from './dify-server-helpers.js';

type Json = Record<string, unknown>;
const parse = (text: string): Json => JSON.parse(text) as Json;

/** A multipart body with hand-written part headers (to send what busboy-style clients cannot). */
function multipart(parts: { headers: string; body: string | Buffer }[]): { body: Buffer; contentType: string } {
  const boundary = '----dify-test-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) chunks.push(Buffer.from(`--${boundary}\r\n${p.headers}\r\n\r\n`), Buffer.from(p.body), Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const filePart = (name: string, type: string | undefined, body: string | Buffer, field = 'file'): { headers: string; body: string | Buffer } => ({
  headers: `Content-Disposition: form-data; name="${field}"; filename="${name}"${type ? `\r\nContent-Type: ${type}` : ''}`,
  body,
});

describe('test Dify server: state', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  async function chat(query: string, user = 'u', extra: Json = {}): Promise<Json> {
    const res = await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query, user, ...extra });
    assert.equal(res.status, 200, res.text);
    return parse(res.text);
  }

  it('conversation names, keyset paging, sort and per-user visibility', async () => {
    const first = await chat('A question that is quite long indeed', 'u', { auto_generate_name: false });
    const second = await chat('Second conversation here');
    await chat('Third one');
    const list = parse((await call(server, 'GET', '/conversations?user=u&limit=2', { key: server.keys.chat })).text);
    const data = list.data as Json[];
    assert.equal(list.has_more, true);
    assert.deepEqual(Object.keys(data[0]!), ['id', 'name', 'inputs', 'status', 'introduction', 'created_at', 'updated_at']);
    assert.equal(data[0]!.name, generatedName('Third one'));
    assert.equal(data[0]!.introduction, 'Hello Ada! 你好，我是测试助手。');
    const rest = parse((await call(server, 'GET', `/conversations?user=u&limit=2&last_id=${String(data[1]!.id)}`, { key: server.keys.chat })).text);
    assert.deepEqual((rest.data as Json[]).map((c) => c.id), [first.conversation_id]);
    assert.equal((rest.data as Json[])[0]!.name, provisionalName('A question that is quite long indeed'));
    assert.equal(rest.has_more, false);
    const asc = parse((await call(server, 'GET', '/conversations?user=u&sort_by=created_at', { key: server.keys.chat })).text);
    assert.equal((asc.data as Json[])[1]!.id, second.conversation_id);
    const other = parse((await call(server, 'GET', '/conversations?user=v', { key: server.keys.chat })).text);
    assert.deepEqual(other.data, []);
    const unknown = await call(server, 'GET', '/conversations?user=u&last_id=9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', { key: server.keys.chat });
    assert.equal(unknown.status, 404);
  });

  it('rename, auto-generate, delete (JSON body required, 204 empty)', async () => {
    const { conversation_id: id } = await chat('Rename me please');
    const renamed = await post(server, `/conversations/${String(id)}/name`, server.keys.chat, { name: '新名字', user: 'u' });
    assert.equal(parse(renamed.text).name, '新名字');
    const missing = await post(server, `/conversations/${String(id)}/name`, server.keys.chat, { user: 'u' });
    assert.equal(missing.status, 400);
    const auto = await post(server, `/conversations/${String(id)}/name`, server.keys.chat, { auto_generate: true, user: 'u' });
    assert.equal(parse(auto.text).name, generatedName('Rename me please'));
    const noJson = await call(server, 'DELETE', `/conversations/${String(id)}`, { key: server.keys.chat });
    assert.equal(noJson.status, 415);
    const deleted = await call(server, 'DELETE', `/conversations/${String(id)}`, { key: server.keys.chat, json: { user: 'u' } });
    assert.deepEqual([deleted.status, deleted.text], [204, '']);
    const again = await call(server, 'DELETE', `/conversations/${String(id)}`, { key: server.keys.chat, json: { user: 'u' } });
    assert.equal(again.status, 404);
  });

  it('messages: newest page oldest-first, first_id walks back, has_more', async () => {
    const first = await chat('m1');
    const cid = String(first.conversation_id);
    for (const q of ['m2', 'm3', 'm4', 'm5']) await chat(q, 'u', { conversation_id: cid });
    const page = parse((await call(server, 'GET', `/messages?user=u&conversation_id=${cid}&limit=2`, { key: server.keys.chat })).text);
    assert.deepEqual((page.data as Json[]).map((m) => m.query), ['m4', 'm5']);
    assert.equal(page.has_more, true);
    const older = parse((await call(server, 'GET', `/messages?user=u&conversation_id=${cid}&limit=2&first_id=${String((page.data as Json[])[0]!.id)}`, { key: server.keys.chat })).text);
    assert.deepEqual((older.data as Json[]).map((m) => m.query), ['m2', 'm3']);
    assert.equal(older.has_more, true);
    const item = (page.data as Json[])[0]!;
    assert.deepEqual(Object.keys(item), ['id', 'conversation_id', 'parent_message_id', 'inputs', 'query', 'answer', 'feedback', 'retriever_resources', 'created_at', 'agent_thoughts', 'message_files', 'status', 'error', 'extra_contents']);
    const empty = parse((await call(server, 'GET', '/messages?user=u&conversation_id=', { key: server.keys.chat })).text);
    assert.deepEqual(empty, { limit: 20, has_more: false, data: [] });
    const badFirst = await call(server, 'GET', `/messages?user=u&conversation_id=${cid}&first_id=9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b`, { key: server.keys.chat });
    assert.equal(badFirst.status, 404);
  });

  it('feedback with the rating-null rules, app feedbacks with ISO timestamps, suggestions', async () => {
    const { message_id: mid } = await chat('rate me');
    const path = `/messages/${String(mid)}/feedbacks`;
    assert.equal((await post(server, path, server.keys.chat, { rating: 'like', user: 'u' })).text, '{"result": "success"}\n');
    assert.equal((await post(server, path, server.keys.chat, { rating: 'like', user: 'other' })).status, 404);
    const list = parse((await call(server, 'GET', '/app/feedbacks', { key: server.keys.chat })).text);
    const fb = (list.data as Json[])[0]!;
    assert.equal(fb.rating, 'like');
    assert.match(String(fb.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
    assert.equal((await post(server, path, server.keys.chat, { rating: null, user: 'u' })).status, 200);
    const none = await post(server, path, server.keys.chat, { rating: null, user: 'u' });
    assert.equal(none.text, '{"code": "invalid_param", "message": "rating cannot be None when feedback not exists", "status": 400}\n');
    const suggested = parse((await call(server, 'GET', `/messages/${String(mid)}/suggested?user=u`, { key: server.keys.chat })).text);
    assert.equal((suggested.data as string[]).length, 3);
    const flow = parse((await post(server, '/chat-messages', server.keys.advancedChat, { inputs: {}, query: 'q', user: 'u' })).text);
    const disabled = await call(server, 'GET', `/messages/${String(flow.message_id)}/suggested?user=u`, { key: server.keys.advancedChat });
    assert.equal(disabled.text, '{"code": "bad_request", "message": "Suggested Questions Is Disabled.", "status": 400}\n');
  });

  it('conversation variables come back as Python str() values; updates check the type', async () => {
    const flow = parse((await post(server, '/chat-messages', server.keys.advancedChat, { inputs: {}, query: 'q', user: 'u' })).text);
    const path = `/conversations/${String(flow.conversation_id)}/variables`;
    const vars = parse((await call(server, 'GET', `${path}?user=u`, { key: server.keys.advancedChat })).text).data as Json[];
    const byName = Object.fromEntries(vars.map((v) => [v.name, v]));
    assert.equal(byName.profile!.value, "{'name': 'Ada', 'lang': '中文'}");
    assert.equal(byName.tags!.value, "['dify', 'vscode']");
    const mismatch = await call(server, 'PUT', `${path}/${String(byName.turn_count!.id)}`, { key: server.keys.advancedChat, json: { value: 'x', user: 'u' } });
    assert.equal(parse(mismatch.text).code, 'bad_request');
    const ok = await call(server, 'PUT', `${path}/${String(byName.tags!.id)}`, { key: server.keys.advancedChat, json: { value: ['a', "it's"], user: 'u' } });
    assert.equal(parse(ok.text).value, `['a', "it's"]`);
  });

  it('upload: 201 shape, bytes recorded by sha256, preview only once attached to a message', async () => {
    const bytes = Buffer.from('\x89PNG fake image 图片');
    const { body, contentType } = multipart([filePart('图.png', 'image/png', bytes), { headers: 'Content-Disposition: form-data; name="user"', body: 'u' }]);
    const res = await call(server, 'POST', '/files/upload', { key: server.keys.chat, body, contentType });
    assert.equal(res.status, 201);
    const file = parse(res.text);
    assert.deepEqual(Object.keys(file), ['id', 'name', 'size', 'extension', 'mime_type', 'created_by', 'created_at', 'preview_url', 'source_url', 'original_url', 'user_id', 'tenant_id', 'conversation_id', 'file_key']);
    assert.deepEqual([file.name, file.size, file.extension, file.mime_type], ['图.png', bytes.length, 'png', 'image/png']);
    assert.equal(server.uploads()[0]!.sha256, createHash('sha256').update(bytes).digest('hex'));
    const previewPath = `/files/${String(file.id)}/preview?user=u`;
    assert.equal(parse((await call(server, 'GET', previewPath, { key: server.keys.chat })).text).code, 'file_not_found');
    await chat('look', 'u', { files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: file.id }] });
    const preview = await fetch(`${server.baseUrl}${previewPath}`, { headers: { Authorization: `Bearer ${server.keys.chat}` } });
    assert.equal(preview.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await preview.arrayBuffer()), bytes);
  });

  it('upload errors: no file, too many, no Content-Type, no filename, bad name, blacklist, too large', async () => {
    const send = async (parts: { headers: string; body: string | Buffer }[]): Promise<[number, string]> => {
      const { body, contentType } = multipart(parts);
      const res = await call(server, 'POST', '/files/upload', { key: server.keys.chat, body, contentType });
      const json = parse(res.text);
      return [res.status, String(json.code)];
    };
    assert.deepEqual(await send([{ headers: 'Content-Disposition: form-data; name="user"', body: 'u' }]), [400, 'no_file_uploaded']);
    assert.deepEqual(await send([filePart('a.txt', 'text/plain', 'a'), filePart('b.txt', 'text/plain', 'b', 'other')]), [400, 'too_many_files']);
    assert.deepEqual(await send([filePart('a.txt', undefined, 'a')]), [415, 'unsupported_file_type']);
    assert.deepEqual(await send([filePart('', 'text/plain', 'a')]), [400, 'filename_not_exists_error']);
    assert.deepEqual(await send([filePart('dir/a.txt', 'text/plain', 'a')]), [400, 'invalid_param']);
    assert.deepEqual(await send([filePart('setup.exe', 'application/octet-stream', 'a')]), [400, 'invalid_param']);
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    const { body, contentType } = multipart([filePart('big.png', 'image/png', big)]);
    const tooLarge = await call(server, 'POST', '/files/upload', { key: server.keys.chat, body, contentType });
    assert.equal(tooLarge.text, '{"code": "file_too_large", "message": "File size exceeded. {message}", "status": 413}\n');
  });

  it('a 100 MB upload is streamed, not buffered', async function () {
    this.timeout(60_000);
    const boundary = 'big-boundary';
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const hash = createHash('sha256');
    let peak = 0;
    const base = process.memoryUsage().arrayBuffers;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - base)), 5);
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i === 0) controller.enqueue(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="movie.mp4"\r\nContent-Type: video/mp4\r\n\r\n`));
        if (i < 100) {
          hash.update(chunk);
          controller.enqueue(chunk); // the same bytes each time: the client allocates nothing per chunk
        } else {
          controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
          controller.close();
        }
        i++;
      },
    });
    const res = await fetch(`${server.baseUrl}/files/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.keys.chat}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    clearInterval(sampler);
    assert.equal(res.status, 201, await res.text());
    assert.equal(server.uploads()[0]!.size, 100 * 1024 * 1024);
    assert.equal(server.uploads()[0]!.sha256, hash.digest('hex'));
    assert.ok(peak < 50 * 1024 * 1024, `peak buffer growth ${Math.round(peak / 1024 / 1024)} MB`);
  });

  it('audio: the literal mimetype check, missing part, disabled feature; text-to-audio', async () => {
    const audio = async (key: string, type: string | undefined): Promise<[number, string]> => {
      const { body, contentType } = multipart([filePart('a.mp3', type, 'ID3')]);
      const res = await call(server, 'POST', '/audio-to-text', { key, body, contentType });
      const json = parse(res.text);
      return [res.status, String(json.code ?? json.text)];
    };
    assert.deepEqual(await audio(server.keys.chat, 'audio/mpeg'), [415, 'unsupported_audio_type']);
    assert.equal((await audio(server.keys.chat, 'audio/mp3'))[0], 200);
    assert.deepEqual(await audio(server.keys.completion, 'audio/mp3'), [400, 'invalid_param']);
    const { body, contentType } = multipart([{ headers: 'Content-Disposition: form-data; name="user"', body: 'u' }]);
    const noFile = await call(server, 'POST', '/audio-to-text', { key: server.keys.chat, body, contentType });
    assert.equal(parse(noFile.text).code, 'bad_request_key_error');
    const tts = await fetch(`${server.baseUrl}/text-to-audio`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.keys.chat}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: '你好', user: 'u' }),
    });
    assert.equal(tts.headers.get('content-type'), 'audio/mpeg');
    assert.equal(Buffer.from(await tts.arrayBuffer()).subarray(0, 3).toString(), 'ID3');
    assert.equal((await post(server, '/text-to-audio', server.keys.chat, { message_id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', user: 'u' })).text, 'null\n');
    assert.equal(parse((await post(server, '/text-to-audio', server.keys.chat, { user: 'u' })).text).message, 'Text is required');
  });

  it('workflow run detail (inputs as a JSON string) and logs paging; end users', async () => {
    const run = parse((await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: '主题' }, user: 'u' })).text);
    await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: 'two' }, user: 'u' });
    const detail = parse((await call(server, 'GET', `/workflows/run/${String(run.workflow_run_id)}`, { key: server.keys.workflow })).text);
    assert.deepEqual(Object.keys(detail), ['id', 'workflow_id', 'status', 'inputs', 'outputs', 'error', 'total_steps', 'total_tokens', 'created_at', 'finished_at', 'elapsed_time']);
    assert.equal(typeof detail.inputs, 'string');
    assert.equal((JSON.parse(detail.inputs as string) as Json).topic, '主题');
    assert.ok((detail.inputs as string).includes('"topic": "\\u4e3b\\u9898"'), 'Python json.dumps text');
    const logs = parse((await call(server, 'GET', '/workflows/logs?limit=1', { key: server.keys.workflow })).text);
    assert.deepEqual([logs.page, logs.limit, logs.total, logs.has_more], [1, 1, 2, true]);
    const created = ((logs.data as Json[])[0]!.created_by_end_user as Json).id;
    const user = parse((await call(server, 'GET', `/end-users/${String(created)}`, { key: server.keys.workflow })).text);
    assert.equal(user.session_id, 'u');
    assert.match(String(user.created_at), /^\d{4}-\d\d-\d\dT/);
  });
});
