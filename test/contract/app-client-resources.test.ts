// AppClient's non-generation endpoints against the test Dify server: app info, conversations, variables, files,
// audio, end users, and the errors that tell a user their key or app is the wrong one.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppClient, DifyApiError, type WorkflowFinishedEvent } from '../../src/dify/index.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
let dir: string;
const USER = 'vscode-user-2';
const NAME = { name: 'Ada' };

before(async () => {
  server = await startDifyServer();
  dir = mkdtempSync(join(tmpdir(), 'dify-files-'));
});
after(() => server.close());
beforeEach(() => server.reset());

const app = (handle: keyof DifyTestServer['keys'], user = USER) =>
  new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys[handle], user, retry: { baseDelayMs: 5 } });
const rejectsWith = (code: string, status?: number) => (e: unknown) =>
  e instanceof DifyApiError && e.code === code && (status === undefined || e.status === status);

describe('AppClient: app info', () => {
  it('info, parameters, meta and site describe the app', async () => {
    const chat = app('chat');
    const info = await chat.getInfo();
    assert.equal(info.mode, 'chat');
    assert.equal(info.name, 'Test Chat 测试助手');
    const params = await chat.getParameters();
    assert.match(params.opening_statement ?? '', /你好/);
    assert.equal(params.suggested_questions_after_answer.enabled, true);
    const name = params.user_input_form.find((f) => f['text-input']?.variable === 'name');
    assert.equal(name?.['text-input']?.required, true);
    assert.equal(params.system_parameters.file_size_limit, 15);
    assert.ok(typeof (await chat.getMeta()).tool_icons === 'object');
    assert.equal(typeof (await chat.getSite()).title, 'string');
  });

  it('an app without a site, and an app whose API is disabled, are 403 forbidden', async () => {
    await assert.rejects(app('noSite').getSite(), rejectsWith('forbidden', 403));
    await assert.rejects(app('disabled').getInfo(), (e: unknown) => rejectsWith('forbidden', 403)(e) && /disabled/.test((e as DifyApiError).difyMessage));
  });

  it('a key for the wrong kind of app is named: not_chat_app, not_workflow_app', async () => {
    await assert.rejects(app('workflow').sendChatMessage({ query: 'q' }), rejectsWith('not_chat_app', 400));
    await assert.rejects(app('chat').runWorkflow({ inputs: {} }), rejectsWith('not_workflow_app', 400));
    await assert.rejects(app('workflow').getConversations(), rejectsWith('not_chat_app', 400));
  });

  it('a dataset key on an app route is "Access token is invalid"', async () => {
    const wrong = new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys.dataset, user: USER });
    await assert.rejects(wrong.getInfo(), (e: unknown) => rejectsWith('unauthorized', 401)(e) && (e as DifyApiError).difyMessage === 'Access token is invalid');
  });
});

describe('AppClient: conversations', () => {
  async function seed(n: number) {
    const chat = app('chat');
    for (let i = 0; i < n; i++) await chat.sendChatMessage({ query: `question ${i}`, inputs: NAME, auto_generate_name: false });
    return chat;
  }

  it('lists newest first and pages with last_id; other users see none of them', async () => {
    const chat = await seed(3);
    const first = await chat.getConversations({ limit: 2 });
    assert.equal(first.data.length, 2);
    assert.equal(first.has_more, true);
    assert.equal(first.data[0]!.name, 'question 2…');
    const rest = await chat.getConversations({ limit: 2, last_id: first.data[1]!.id });
    assert.deepEqual(rest.data.map((c) => c.name), ['question 0…']);
    assert.equal(rest.has_more, false);
    const oldestFirst = await chat.getConversations({ sort_by: 'created_at' });
    assert.equal(oldestFirst.data[0]!.name, 'question 0…');
    assert.equal((await app('chat', 'another-user').getConversations()).data.length, 0);
  });

  it('a limit out of 1–100 is Dify\'s validation error', async () => {
    await assert.rejects(app('chat').getConversations({ limit: 101 }), rejectsWith('invalid_param', 400));
  });

  it('renames by name and by auto_generate, deletes (then 404)', async () => {
    const chat = await seed(1);
    const [conversation] = (await chat.getConversations()).data;
    assert.equal((await chat.renameConversation(conversation!.id, { name: '我的对话' })).name, '我的对话');
    const generated = await chat.renameConversation(conversation!.id, { auto_generate: true });
    assert.notEqual(generated.name, '我的对话');
    await chat.deleteConversation(conversation!.id);
    await assert.rejects(chat.deleteConversation(conversation!.id), rejectsWith('not_found', 404));
  });

  it('conversation variables: list and update (values come back as Python str())', async () => {
    const flow = app('advancedChat');
    const answer = await flow.sendChatMessage({ query: 'hi' });
    const vars = await flow.getConversationVariables(answer.conversation_id);
    assert.ok(vars.data.length > 0, 'the chatflow has conversation variables');
    const variable = vars.data.find((v) => v.value_type === 'string') ?? vars.data[0]!;
    const updated = await flow.updateConversationVariable(answer.conversation_id, variable.id, variable.value_type === 'string' ? 'new value' : variable.value);
    assert.equal(updated.id, variable.id);
    assert.equal(server.requests.at(-1)!.method, 'PUT');
  });
});

describe('AppClient: files and audio', () => {
  it('uploads from disk: the server got the same bytes; an attached file can be previewed', async () => {
    const path = join(dir, 'diagram.png');
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]);
    writeFileSync(path, bytes);
    const chat = app('chat');
    const uploaded = await chat.uploadFile({ path });
    assert.equal(uploaded.name, 'diagram.png');
    assert.equal(uploaded.size, bytes.length);
    const stored = server.uploads().find((u) => u.id === uploaded.id)!;
    assert.equal(stored.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(stored.mimeType, 'image/png');

    await chat.sendChatMessage({ query: 'look', inputs: NAME, files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: uploaded.id }] });
    const preview = await chat.previewFile(uploaded.id);
    const chunks: Buffer[] = [];
    for await (const c of preview.body) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), bytes);
  });

  it('a blacklisted extension is refused; an oversized file is 413 file_too_large', async () => {
    writeFileSync(join(dir, 'tool.exe'), 'MZ');
    await assert.rejects(app('chat').uploadFile({ path: join(dir, 'tool.exe') }), rejectsWith('invalid_param', 400));
    const big = join(dir, 'big.txt');
    writeFileSync(big, '');
    truncateSync(big, 16 * 1024 * 1024); // over the 15 MB default for documents
    await assert.rejects(app('chat').uploadFile({ path: big }), rejectsWith('file_too_large', 413));
  });

  it('audio-to-text where speech-to-text is on, and text-to-audio bytes', async () => {
    const mp3 = join(dir, 'voice.mp3');
    writeFileSync(mp3, Buffer.from('ID3\u0004\u0000fake mp3'));
    const text = await app('chat').audioToText({ path: mp3 });
    assert.equal(typeof text.text, 'string');
    await assert.rejects(app('workflow').audioToText({ path: mp3 }), (e: unknown) => e instanceof DifyApiError && /not enabled/.test(e.difyMessage));
    const audio = await app('chat').textToAudio({ text: '你好' });
    assert.match(String(audio.headers['content-type']), /audio\/mpeg/);
    let size = 0;
    for await (const c of audio.body) size += (c as Buffer).length;
    assert.ok(size > 0);
  });
});

describe('AppClient: end users', () => {
  it('the end user behind a run can be read back', async () => {
    const wf = app('workflow');
    let finished: WorkflowFinishedEvent | undefined;
    for await (const e of await wf.streamWorkflow({ inputs: { topic: 't' } })) if (e.event === 'workflow_finished') finished = e;
    const endUserId = finished!.data.created_by!.id;
    const endUser = await wf.getEndUser(endUserId);
    assert.equal(endUser.session_id, USER);
    assert.equal(typeof endUser.created_at, 'string');
  });
});

describe('AppClient: the upload is a stream', () => {
  it('a 40 MB video reaches the server whole (sha256); its memory cost is measured by npm run bench', async function () {
    this.timeout(30_000);
    const path = join(dir, 'clip.mp4');
    const block = createHash('sha256').update('seed').digest();
    const parts: Buffer[] = [];
    for (let i = 0; i < (40 * 1024 * 1024) / 4096; i++) parts.push(Buffer.alloc(4096, block[i % 32]!));
    const data = Buffer.concat(parts);
    writeFileSync(path, data);
    const uploaded = await app('chat').uploadFile({ path });
    assert.equal(uploaded.size, data.length);
    assert.equal(server.uploads().find((u) => u.id === uploaded.id)!.sha256, createHash('sha256').update(data).digest('hex'));
  });
});
