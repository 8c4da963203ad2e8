// A chat with one app against the test Dify server: what the view is told about the app, attachments uploaded and
// sent with the question, feedback, suggestions after the answer, and a conversation reopened from Dify's history.
import assert from 'node:assert/strict';
import { AppChat } from '../../src/core/app-chat.js';
import { ChatSession } from '../../src/core/chat-session.js';
import { isChatApp, type AppProfile } from '../../src/core/profile-store.js';
import { checkApp } from '../../src/core/connection-check.js';
import { AppClient } from '../../src/dify/index.js';
import { answerText } from '../dify-server/apps/answers.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer({ eventDelayMs: 1 })));
after(() => server.close());
beforeEach(() => server.reset());

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function open(handle: keyof DifyTestServer['keys'], mode: string): Promise<AppChat> {
  const client = new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys[handle], user: 'chat-user' });
  const profile: AppProfile = { id: handle, kind: 'app', label: `My ${handle}`, baseUrl: server.baseUrl, mode, appName: handle, description: '' };
  const describe = (e: unknown) => ({ message: (e as Error).message, actions: ['retry' as const] });
  return new AppChat(profile, client, (c, options) => new ChatSession(c, describe, options), await client.getParameters());
}

describe('app chat', () => {
  it('a Dify 1.15 agent app (mode "agent") is added as a chat app and its answer streams (it refuses blocking calls)', async () => {
    const check = await checkApp(server.baseUrl, server.keys.newAgent, 'chat-user');
    assert.ok(check.ok);
    assert.equal(check.info.mode, 'agent');
    const chat = await open('newAgent', 'agent');
    assert.ok(isChatApp(chat.profile));
    const turn = await chat.session.send({ query: 'What is the weather in Paris?' });
    assert.equal(turn.status, 'done', turn.error?.message);
    assert.ok(turn.answer.length > 0);
    assert.equal((server.requests.find((r) => r.path === '/chat-messages')?.json as { response_mode: string }).response_mode, 'streaming');
  });

  it("tells the view the app's opening statement, suggested questions, form and file rules", async () => {
    const chat = await open('chat', 'chat');
    const state = chat.state();
    assert.equal(state.app?.name, 'My chat');
    assert.equal(state.app?.openingStatement, 'Hello {{name}}! 你好，我是测试助手。');
    assert.deepEqual(state.app?.suggestedQuestions, ['What can you do?', '你能做什么？']);
    assert.deepEqual(state.app?.inputForm.map((f) => f.variable), ['name', 'tone', 'context', 'max_items']);
    assert.equal(state.app?.fileUpload.enabled, true);
    assert.equal(state.inputsLocked, false);
  });

  it('uploads a pasted image, shows it uploading then ready, and sends it with the question', async () => {
    const chat = await open('chat', 'chat');
    const seen: string[] = [];
    const problem = await chat.attach({ name: 'shot.png', size: PNG.byteLength, source: { blob: new Blob([PNG], { type: 'image/png' }), filename: 'shot.png' } }, { kind: 'draft' }, () =>
      seen.push(chat.draft().attachments.map((a) => a.status).join()),
    );
    assert.equal(problem, undefined);
    assert.deepEqual(seen, ['uploading', 'ready']);
    const [upload] = server.uploads();
    assert.equal(upload?.name, 'shot.png');
    const turn = await chat.session.send({ query: 'what is this?', inputs: { name: 'Ada' }, attachments: chat.session.draft.attachments });
    assert.equal(turn.status, 'done');
    assert.deepEqual(turn.attachments.map((a) => [a.name, a.fileType]), [['shot.png', 'image']]);
    const sent = server.requests.find((r) => r.path === '/chat-messages')?.json as { files: unknown[] };
    assert.deepEqual(sent.files, [{ type: 'image', transfer_method: 'local_file', upload_file_id: upload!.id }]);
    assert.deepEqual(chat.draft().attachments, [], 'the draft is empty after sending');
  });

  it('a file by URL is sent as a remote_url reference (Dify downloads it), and only where the app allows URLs', async () => {
    const chat = await open('chat', 'chat');
    assert.equal(chat.attachUrl('https://example.com/cat.png'), undefined);
    assert.deepEqual(chat.draft().attachments.map((a) => [a.name, a.status, a.url]), [['cat.png', 'ready', 'https://example.com/cat.png']]);
    assert.deepEqual(chat.attachUrl('https://example.com/notes.pdf'), { kind: 'type_not_allowed', allowed: ['image'] });
    await chat.session.send({ query: 'what is in the picture?', inputs: { name: 'Ada' }, attachments: chat.session.draft.attachments });
    const sent = server.requests.find((r) => r.path === '/chat-messages')?.json as { files: unknown[] };
    assert.deepEqual(sent.files, [{ type: 'image', transfer_method: 'remote_url', url: 'https://example.com/cat.png' }]);
    const agent = await open('agent', 'agent-chat');
    assert.deepEqual(agent.attachUrl('https://example.com/cat.png'), { kind: 'disabled' });
  });

  it('refuses a file the app does not take, before uploading anything', async () => {
    const chat = await open('chat', 'chat');
    const problem = await chat.attach({ name: 'notes.pdf', size: 10, source: { blob: new Blob(['%PDF']), filename: 'notes.pdf' } }, { kind: 'draft' }, () => {});
    assert.deepEqual(problem, { kind: 'type_not_allowed', allowed: ['image'] });
    assert.equal(server.uploads().length, 0);
  });

  it('a failed upload stays in the draft as an error the user can remove', async () => {
    const chat = await open('chat', 'chat');
    server.fault({ kind: 'http', status: 413, body: '<html><body>413 Request Entity Too Large</body></html>', contentType: 'text/html' }, { path: '/files/upload' });
    await chat.attach({ name: 'big.png', size: PNG.byteLength, source: { blob: new Blob([PNG]), filename: 'big.png' } }, { kind: 'draft' }, () => {});
    const [failed] = chat.draft().attachments;
    assert.equal(failed?.status, 'error');
    assert.match(failed?.error ?? '', /413/);
    chat.removeAttachment(failed!.id);
    assert.deepEqual(chat.draft().attachments, []);
  });

  it('an attachment removed while it uploads stays removed: it is not sent with the next question', async () => {
    const chat = await open('chat', 'chat');
    server.fault({ kind: 'slowFirstByte', delayMs: 200 }, { path: '/files/upload' });
    const attaching = chat.attach({ name: 'shot.png', size: PNG.byteLength, source: { blob: new Blob([PNG]), filename: 'shot.png' } }, { kind: 'draft' }, () => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [uploading] = chat.draft().attachments;
    assert.equal(uploading?.status, 'uploading');
    chat.removeAttachment(uploading!.id);
    assert.equal(chat.uploading, false);
    await attaching;
    assert.deepEqual(chat.draft().attachments, [], 'the finished upload did not come back');
    await chat.session.send({ query: 'no files', inputs: { name: 'Ada' }, attachments: chat.session.draft.attachments });
    const sent = server.requests.find((r) => r.path === '/chat-messages')?.json as { files?: unknown[] };
    assert.equal(sent.files, undefined);
  });

  it("a form's file input shows while it uploads and holds the send until it is ready; removed meanwhile, it stays out", async () => {
    const chat = await open('workflowFile', 'workflow');
    const doc = () => ({ name: 'notes.md', size: 5, source: { blob: new Blob(['# hi\n']), filename: 'notes.md' } });
    server.fault({ kind: 'slowFirstByte', delayMs: 150 }, { path: '/files/upload' });
    const attaching = chat.attach(doc(), { kind: 'input', variable: 'doc' }, () => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(chat.uploading, true, 'a send waits for the file input');
    assert.deepEqual(chat.state().inputFiles.doc?.map((f) => f.status), ['uploading']);
    await attaching;
    assert.equal(chat.uploading, false);
    assert.deepEqual(chat.state().inputFiles.doc?.map((f) => [f.name, f.status]), [['notes.md', 'ready']]);
    assert.deepEqual(chat.missingFileInputs(), []);

    server.fault({ kind: 'slowFirstByte', delayMs: 150 }, { path: '/files/upload' });
    const again = chat.attach(doc(), { kind: 'input', variable: 'doc' }, () => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    const pending = chat.state().inputFiles.doc!.find((f) => f.status === 'uploading')!;
    chat.removeAttachment(pending.id);
    await again;
    assert.deepEqual(chat.state().inputFiles.doc?.map((f) => f.name), ['notes.md'], 'the removed upload did not replace the ready file');
  });

  it('asks Dify for suggested questions after an answer when the app has them on', async () => {
    const chat = await open('chat', 'chat');
    const turn = await chat.session.send({ query: 'tell me more', inputs: { name: 'Ada' } });
    assert.ok(turn.suggestions && turn.suggestions.length > 0);
    const agent = await open('agent', 'agent-chat');
    const other = await agent.session.send({ query: 'what time is it' });
    assert.equal(other.suggestions, undefined);
    assert.ok(!server.requests.some((r) => r.path.endsWith('/suggested') && r.headers.authorization?.includes(server.keys.agent)));
  });

  it('feedback: like, change to dislike, take back; Dify records each', async () => {
    const chat = await open('chat', 'chat');
    const turn = await chat.session.send({ query: 'rate me', inputs: { name: 'Ada' } });
    await chat.session.setFeedback(turn.id, 'like');
    assert.equal(turn.feedback, 'like');
    await chat.session.setFeedback(turn.id, 'dislike');
    await chat.session.setFeedback(turn.id, null);
    assert.equal(turn.feedback, null);
    const ratings = server.requests.filter((r) => r.path.endsWith('/feedbacks')).map((r) => (r.json as { rating: unknown }).rating);
    assert.deepEqual(ratings, ['like', 'dislike', null]);
  });

  it('reopens a conversation from Dify: the latest page first, older pages on demand, in order', async () => {
    const chat = await open('advancedChat', 'advanced-chat');
    for (const q of ['one', 'two', 'three', 'four', 'five']) await chat.session.send({ query: q });
    const id = chat.session.conversationId!;
    const again = await open('advancedChat', 'advanced-chat');
    await again.session.openConversation(id, 2);
    assert.deepEqual(again.session.turns.map((t) => t.query), ['four', 'five']);
    assert.equal(again.session.turns[1]?.answer, answerText('five'));
    assert.equal(again.session.hasOlder, true);
    await again.session.loadOlder(2);
    await again.session.loadOlder(2);
    assert.deepEqual(again.session.turns.map((t) => t.query), ['one', 'two', 'three', 'four', 'five']);
    assert.equal(again.session.hasOlder, false);
    const next = await again.session.send({ query: 'six' });
    assert.equal(next.conversationId, id, 'the reopened conversation continues');
    assert.equal(again.state().inputsLocked, true);
  });
});
