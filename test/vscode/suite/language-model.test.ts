// Dify chat apps as VS Code language models, from inside the extension host: on VS Code 1.104+ they are listed as
// "Dify: <app>", answer as the test Dify server streams, continue one Dify conversation per thread, stop on Dify
// when cancelled, and follow the setting; on older VS Code nothing is registered and nothing breaks.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { answerText } from '../../dify-server/apps/answers.js';
import type { RecordedRequest } from '../../dify-server/server.js';
import { dify, testEnv } from './env.js';

const EXTENSION_ID = 'dify-vscode.dify-vscode';
const [major = 0, minor = 0] = vscode.version.split('.').map(Number);
const HAS_PROVIDER_API = major > 1 || (major === 1 && minor >= 104);

/** The seeded apps offered as models (chat modes), and one that is not (a text generator). */
const CHAT_APPS = ['Test Chat Autoplay', 'Test Agent', 'Test Chatflow', 'Test Chat 测试助手'];
const NOT_CHAT = 'Test Completion';

const config = () => vscode.workspace.getConfiguration('dify');
const difyModels = () => vscode.lm.selectChatModels({ vendor: 'dify' });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The models once their names are exactly `names` (VS Code asks the provider again after a change event). */
const modelsNamed = (names: string[]): Promise<vscode.LanguageModelChat[]> =>
  until(`models ${JSON.stringify(names)}`, async () => {
    const models = await difyModels();
    const shown = models.map((m) => m.name).sort();
    return JSON.stringify(shown) === JSON.stringify(names.map((n) => `Dify: ${n}`).sort()) ? models : undefined;
  });

async function model(app: string): Promise<vscode.LanguageModelChat> {
  const found = (await modelsNamed(CHAT_APPS)).find((m) => m.name === `Dify: ${app}`);
  assert.ok(found, `no model for ${app}`);
  return found;
}

async function collect(response: vscode.LanguageModelChatResponse): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of response.text) chunks.push(chunk);
  return chunks;
}

/** The error a request ends with (undefined when it answers). */
async function failure(chat: vscode.LanguageModelChat, text: string): Promise<Error | undefined> {
  return chat
    .sendRequest([vscode.LanguageModelChatMessage.User(text)])
    .then(collect)
    .then(
      () => undefined,
      (e: unknown) => e as Error,
    );
}

const chatMessages = async (): Promise<RecordedRequest[]> => (await dify.requests()).filter((r) => r.method === 'POST' && r.path === '/chat-messages');
const body = (r: RecordedRequest | undefined) => (r?.json ?? {}) as { query?: string; conversation_id?: string };

describe('Dify apps as language models', function () {
  this.timeout(30_000);

  if (!HAS_PROVIDER_API) {
    it(`VS Code ${vscode.version} (< 1.104): no provider API, nothing registered, and the extension works`, async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
      await extension.activate();
      assert.equal(extension.isActive, true);
      assert.equal(typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider, 'undefined');
      assert.deepEqual(await difyModels(), []);
      await vscode.commands.executeCommand('dify.showLog');
    });
    return;
  }

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const { baseUrl, apps } = testEnv();
    const profiles = apps
      .filter((a) => CHAT_APPS.includes(a.name) || a.name === NOT_CHAT)
      .map((a) => ({ kind: 'app', label: a.name, appName: a.name, mode: a.mode, baseUrl, key: a.key }));
    writeFileSync(testEnv().seedFile, JSON.stringify({ profiles }));
    await vscode.commands.executeCommand('dify.dev.seed');
  });

  beforeEach(() => dify.reset());

  afterEach(() => config().update('languageModels.apps', undefined, vscode.ConfigurationTarget.Global));

  it('lists each chat app as "Dify: <app>" (not the text generator), with the Dify family and its limits', async () => {
    const models = await modelsNamed(CHAT_APPS);
    for (const m of models) {
      assert.equal(m.vendor, 'dify');
      assert.equal(m.family, 'dify');
      assert.ok(m.maxInputTokens > 1000, `${m.name}: maxInputTokens ${m.maxInputTokens}`);
    }
    assert.ok(!models.some((m) => m.name.includes(NOT_CHAT)));
  });

  it('streams the app\'s answer as Dify streams it', async () => {
    const chat = await model('Test Chat Autoplay');
    const chunks = await collect(await chat.sendRequest([vscode.LanguageModelChatMessage.User('hello there')]));
    assert.equal(chunks.join(''), answerText('hello there'));
    assert.ok(chunks.length > 1, `streamed in ${chunks.length} part(s)`);
    const sent = await chatMessages();
    assert.equal(sent.length, 1);
    assert.equal(body(sent[0]).query, 'hello there');
    assert.ok(!body(sent[0]).conversation_id, 'a new thread starts a new conversation');
  });

  it('a request with the first exchange in its messages continues the same Dify conversation; another thread does not', async () => {
    const chat = await model('Test Agent');
    const { User, Assistant } = vscode.LanguageModelChatMessage;
    const first = (await collect(await chat.sendRequest([User('first question')]))).join('');
    const second = (await collect(await chat.sendRequest([User('first question'), Assistant(first), User('second question')]))).join('');
    assert.equal(second, answerText('second question'));
    const { baseUrl, keys } = testEnv();
    const user = config().get<string>('user')!;
    const listed = await fetch(`${baseUrl}/conversations?user=${encodeURIComponent(user)}`, { headers: { Authorization: `Bearer ${keys.agent}` } });
    const conversations = ((await listed.json()) as { data: { id: string }[] }).data;
    assert.equal(conversations.length, 1, 'one Dify conversation for the thread');
    let sent = await chatMessages();
    assert.deepEqual(sent.map((r) => body(r).query), ['first question', 'second question'], 'only the new question is sent');
    assert.equal(body(sent[1]).conversation_id, conversations[0]!.id);

    // Earlier messages Dify never saw (another model's answer): a new conversation, with them as context.
    await collect(await chat.sendRequest([User('first question'), Assistant('an answer from elsewhere'), User('third question')]));
    sent = await chatMessages();
    const third = body(sent[2]);
    assert.ok(!third.conversation_id, 'not the remembered conversation');
    assert.match(third.query ?? '', /<earlier_conversation>[\s\S]*User: first question[\s\S]*Assistant: an answer from elsewhere[\s\S]*<\/earlier_conversation>\s*third question$/);
  });

  for (const [app, handle] of [
    ['Test Agent', 'agent'],
    ['Test Chatflow', 'advancedChat'],
  ] as const) {
    it(`${app}: a thread whose conversation was deleted in Dify goes on in a new one, with the thread so far as context`, async () => {
      const chat = await model(app);
      const { User, Assistant } = vscode.LanguageModelChatMessage;
      const first = (await collect(await chat.sendRequest([User('remember this')]))).join('');
      const { baseUrl, keys } = testEnv();
      const user = config().get<string>('user')!;
      const headers = { Authorization: `Bearer ${keys[handle]}`, 'Content-Type': 'application/json' };
      const listed = (await (await fetch(`${baseUrl}/conversations?user=${encodeURIComponent(user)}`, { headers })).json()) as { data: { id: string }[] };
      const gone = listed.data[0]!.id;
      const deleted = await fetch(`${baseUrl}/conversations/${gone}`, { method: 'DELETE', headers, body: JSON.stringify({ user }) });
      assert.equal(deleted.status, 204);

      const answer = (await collect(await chat.sendRequest([User('remember this'), Assistant(first), User('what was it?')]))).join('');
      const sent = (await chatMessages()).map(body);
      const last = sent.at(-1)!;
      assert.ok(!last.conversation_id, 'a new conversation');
      assert.match(last.query ?? '', /<earlier_conversation>[\s\S]*User: remember this[\s\S]*<\/earlier_conversation>\s*what was it\?$/);
      assert.equal(answer, answerText(last.query!), "only the new conversation's answer shows");
      if (handle === 'agent') {
        assert.deepEqual(sent.map((b) => b.conversation_id), [undefined, gone, undefined], 'the remembered conversation was tried first');
      } else {
        // A chatflow would not say it is gone (its stream stays silent): the conversation is looked up first.
        assert.equal(sent.length, 2);
        const lookup = (await dify.requests()).find((r) => r.path === '/messages' && r.query.conversation_id === gone);
        assert.equal(lookup?.status, 404);
      }
    });
  }

  it('a failure says what the sidebar says, naming the app', async () => {
    const chat = await model('Test Agent');
    await dify.fault({ kind: 'http', status: 401, body: { code: 'unauthorized', message: 'Access token is invalid', status: 401 } }, { path: '/chat-messages' });
    const error = await failure(chat, 'hi');
    assert.equal(error?.message, 'Dify rejected the key of "Test Agent". Set the key again from the app\'s "API Access" page.');
  });

  it('a cancelled request stops the run on Dify', async () => {
    const chat = await model('Test Chat Autoplay');
    // A long generation: a few deltas, then Dify works on without sending more (never stopped on a guess: a stall
    // alone ends in the stream watchdog's error after 30 s, without the stop endpoint).
    await dify.fault({ kind: 'stall', afterEvents: 3 }, { path: '/chat-messages' });
    const cancel = new vscode.CancellationTokenSource();
    const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User('long:100')], {}, cancel.token);
    let parts = 0;
    // The loop ends: the response ends at the cancel, not after the stream watchdog's 30 s.
    for await (const _ of response.text) {
      if (++parts === 1) cancel.cancel();
    }
    const stop = await until('POST /chat-messages/:task/stop', async () => (await dify.requests()).find((r) => /^\/chat-messages\/[^/]+\/stop$/.test(r.path)));
    assert.equal(stop.method, 'POST');
    assert.ok(parts >= 1);
  });

  it('an app whose form has required fields without defaults says which, and where to chat with it instead', async () => {
    const chat = await model('Test Chat 测试助手');
    const error = await failure(chat, 'hi');
    assert.ok(error, 'the request failed');
    assert.match(error.message, /Your name/);
    assert.match(error.message, /@dify/);
    assert.deepEqual(await chatMessages(), [], 'nothing was sent to Dify');
  });

  it('counts tokens: about one per CJK character, four characters per token otherwise', async () => {
    const chat = await model('Test Chat Autoplay');
    assert.equal(await chat.countTokens('你好世界'), 4);
    assert.equal(await chat.countTokens('abcdefgh'), 2);
  });

  it('the setting chooses the apps: by name, and [] removes every model', async () => {
    await config().update('languageModels.apps', ['Test Agent'], vscode.ConfigurationTarget.Global);
    await modelsNamed(['Test Agent']);
    await config().update('languageModels.apps', [], vscode.ConfigurationTarget.Global);
    await modelsNamed([]);
    await config().update('languageModels.apps', undefined, vscode.ConfigurationTarget.Global);
    await modelsNamed(CHAT_APPS);
  });
});
