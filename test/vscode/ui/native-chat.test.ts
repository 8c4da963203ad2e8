// @dify in VS Code's own Chat view (current VS Code, signed out: the Dify apps are the only models): the chat app of
// the session answers there, with Dify's citations as references and its suggested questions as follow-ups; a
// required input is asked once per chat session; the session keeps its Dify conversation (across a window reload),
// a new session starts a new one; Stop stops the answer on Dify; /app switches the app. (VS Code 1.139 shows 👍/👎
// only when a default participant, Copilot's, is registered: not offline; the feedback mapping is a unit test.)
import assert from 'node:assert/strict';
import { eventually, session, useWorkbench } from './harness.js';
import { sleep } from './session.js';
import { followups, lastResponse, newChatSession, openChat, pickModel, responseDetails, responseDone, sendChat, waitForModel } from './vscode-chat.js';

const APPS = () => [
  { kind: 'app' as const, label: 'Test Chat', key: session().dify.keys.chat, mode: 'chat', default: true },
  { kind: 'app' as const, label: 'Test Chatflow', key: session().dify.keys.advancedChat, mode: 'advanced-chat' },
];

interface ChatBody {
  query: string;
  inputs: Record<string, unknown>;
  conversation_id?: string;
}

describe('UI: @dify in VS Code Chat', () => {
  const wb = useWorkbench({ seed: APPS() });
  const server = () => session().dify;
  const chatPosts = () => server().requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages');
  const body = (i: number) => chatPosts().at(i)!.json as ChatBody;
  const keyOf = (i: number) => String(chatPosts().at(i)!.headers.authorization);

  before(() => {
    server().reset();
    server().setEventDelay(0);
  });
  after(() => server().setEventDelay(0));

  it("answers with the default app: its required input asked once, the answer as markdown, citations as references, suggested questions as follow-ups", async () => {
    await waitForModel(wb);
    const response = await sendChat(wb, '@dify hello');
    await wb.inputBox('Ada', { title: /Your name/ });
    await response.getByText('Echo: hello').waitFor();
    await responseDone(response);
    assert.match(await response.innerText(), /你好！这是 Dify 测试服务器的回答。/);
    await responseDetails(response, /getting-started\.md[\s\S]*常见问题\.md|常见问题\.md[\s\S]*getting-started\.md/);
    await followups(wb).filter({ hasText: 'What should I try next?' }).waitFor();
    assert.equal(body(-1).query, 'hello');
    assert.equal(body(-1).inputs.name, 'Ada');
    assert.ok(!body(-1).conversation_id, 'a new Dify conversation');
    await wb.screenshot('native-chat-answer');
  });

  it('a follow-up continues the same Dify conversation, without asking the input again', async () => {
    await followups(wb).filter({ hasText: 'What should I try next?' }).click();
    const answer = await eventually(async () => {
      const response = await lastResponse(wb);
      await response.getByText('Echo: What should I try next?').waitFor({ timeout: 1_000 });
      return response;
    });
    await responseDone(answer);
    assert.equal(await wb.quickInput.isVisible(), false, 'no input asked');
    assert.equal(chatPosts().length, 2);
    assert.ok(body(1).conversation_id, 'the conversation of the first answer');
    assert.equal(body(1).inputs.name, 'Ada', 'the inputs go with every message');
  });

  it('Stop keeps what arrived and stops the answer on Dify', async () => {
    server().setEventDelay(60);
    const response = await sendChat(wb, '@dify long:400');
    await response.getByText(/Chunk 5 /).waitFor();
    await wb.page.locator('.interactive-input-part [aria-label^="Cancel"]').first().click();
    await eventually(async () => assert.ok(server().requests.some((r) => /^\/chat-messages\/[^/]+\/stop$/.test(r.path)), 'the stop endpoint was called'));
    server().setEventDelay(0);
    await responseDone(response);
    const text = await response.innerText();
    assert.match(text, /Chunk 1 /);
    assert.doesNotMatch(text, /Chunk 400 /, 'the answer stopped');
  });

  it("a failure says what the sidebar says, with its buttons", async () => {
    server().fault({ kind: 'http', status: 401, body: { code: 'unauthorized', message: 'Access token is invalid', status: 401 } }, { path: '/chat-messages' });
    const response = await sendChat(wb, '@dify are you there?');
    await response.getByText('Dify rejected the key of "Test Chat". Set the key again from the app\'s "API Access" page.').first().waitFor();
    await responseDone(response);
    // The response's own buttons (VS Code adds its Retry icon to the footer too).
    for (const button of ['Set Key', 'Retry']) await response.locator('a.monaco-text-button', { hasText: button }).first().waitFor();
  });

  it('/app switches this chat session to another app, whose own conversation starts', async () => {
    const response = await sendChat(wb, '@dify /app');
    await wb.quickPickSelect('Test Chatflow', { title: /Which Dify app/ });
    await response.getByText(/now talks to Test Chatflow/).waitFor();
    const answer = await sendChat(wb, '@dify hi chatflow');
    await answer.getByText(/Echo: hi chatflow/).waitFor();
    await responseDone(answer);
    assert.equal(keyOf(-1), `Bearer ${session().dify.keys.advancedChat}`);
    assert.ok(!body(-1).conversation_id, "the chatflow's own, new conversation");
  });

  it('a new chat session starts a new Dify conversation with the default app, and asks its input again', async () => {
    await newChatSession(wb);
    const response = await sendChat(wb, '@dify fresh start');
    await wb.inputBox('Grace', { title: /Your name/ });
    await responseDone(response);
    assert.equal(keyOf(-1), `Bearer ${session().dify.keys.chat}`);
    assert.ok(!body(-1).conversation_id, 'a new Dify conversation');
    assert.equal(body(-1).inputs.name, 'Grace');
  });

  it('after a window reload, the chat session continues its Dify conversation', async function () {
    this.timeout(180_000);
    // The conversation the session started before the reload.
    const response = await sendChat(wb, '@dify before reload');
    await responseDone(response);
    const conversation = body(-1).conversation_id;
    assert.ok(conversation);
    // VS Code writes chat sessions to storage a few seconds after a response (debounced): a reload sooner loses the
    // session whatever its participant.
    await sleep(5_000);
    await wb.reload({ command: true });
    await openChat(wb);
    await eventually(async () => (await lastResponse(wb)).getByText('Echo: before reload').waitFor({ timeout: 1_000 }), 30_000);
    await waitForModel(wb);
    const after = await sendChat(wb, '@dify after reload');
    await responseDone(after);
    assert.equal(await wb.quickInput.isVisible(), false, 'no input asked');
    assert.equal(body(-1).query, 'after reload');
    assert.equal(body(-1).conversation_id, conversation);
    assert.equal(body(-1).inputs.name, 'Grace');
  });

  it('the Dify app picked as the model in the Chat view answers @dify', async () => {
    await newChatSession(wb);
    await pickModel(wb, 'Dify: Test Chatflow');
    const response = await sendChat(wb, '@dify which app?');
    await response.getByText(/Echo: which app\?/).waitFor();
    await responseDone(response);
    assert.equal(keyOf(-1), `Bearer ${session().dify.keys.advancedChat}`);
    await wb.screenshot('native-chat-model-picker');
  });
});
