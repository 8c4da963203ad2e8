// What a person does while an answer streams, in a real VS Code: the form locks as the first answer starts (with
// the values sent); New Chat mid-answer empties the chat for good (nothing of the old answer comes back, Dify is
// told to stop, the next question starts a new conversation, a reload opens nothing old); and the form's values
// survive the view being hidden and shown, and are what is sent.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { eventually, session, useWorkbench } from './harness.js';

const DELAY_MS = 15;

describe('UI: the chat while an answer streams', () => {
  // An app of its own (not the "Test Chat" of chat.test.ts): the windows of both share VS Code's global state, where
  // the chat keeps per app the conversation to reopen.
  const wb = useWorkbench({ seed: [{ kind: 'app', label: 'Streaming Chat', key: session().dify.keys.chat, mode: 'chat', default: true }] });
  const server = () => session().dify;
  const chatPosts = () => server().requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages');
  let chat: FrameLocator;

  before(() => server().reset());
  afterEach(() => server().setEventDelay(0));

  const composer = () => chat.getByRole('textbox', { name: 'Message' });
  const turns = () => chat.locator('article[data-turn-id]');
  const nameField = () => chat.getByLabel('Your name');
  const summary = () => chat.locator('details.inputs-summary');
  const chatHeader = () => wb.page.locator('.part.sidebar .pane-header', { has: wb.page.locator('h3.title', { hasText: /^\s*Chat\s*$/i }) }).first();
  async function send(text: string): Promise<void> {
    await composer().fill(text);
    await composer().press('Enter');
  }

  it('the form locks as soon as the first answer starts, showing the values sent', async () => {
    await wb.activityBarOpen('Dify');
    await wb.sideBarSection('Chat');
    chat = wb.webviewFrame();
    await nameField().fill('Grace');
    server().setEventDelay(DELAY_MS);
    await send('long:120');
    await chat.getByRole('button', { name: 'Stop' }).waitFor();
    // While the first answer streams: no field to edit (edits would go nowhere), the summary of what was sent.
    await summary().waitFor();
    assert.equal(await nameField().count(), 0, 'the field is no longer editable');
    assert.match(await summary().textContent() ?? '', /Grace/);
    assert.equal((chatPosts()[0]!.json as { inputs: { name: string } }).inputs.name, 'Grace');
  });

  it('New Chat mid-answer: the chat empties for good, Dify is told to stop, the next question starts afresh', async () => {
    assert.equal(await turns().last().getAttribute('data-status'), 'streaming', 'the answer is still streaming');
    const taskPosts = chatPosts().length;
    await chat.getByRole('button', { name: 'New Chat' }).click();
    await eventually(async () => assert.equal(await turns().count(), 0));
    await eventually(async () => assert.ok(server().requests.some((r) => /^\/chat-messages\/[^/]+\/stop$/.test(r.path)), 'the old answer was stopped on Dify'));
    // Long enough for the old stream to have ended: nothing of it comes back.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(await turns().count(), 0, 'no ghost turn');
    assert.equal(await composer().inputValue(), '');
    // The form is the new conversation's again; a question right away is sent, in a new conversation.
    await nameField().fill('Ada');
    server().setEventDelay(0);
    await send('hello');
    await eventually(async () => assert.equal(await turns().last().getAttribute('data-status'), 'done'));
    assert.equal(await turns().count(), 1);
    await turns().last().getByText('Echo: hello').waitFor();
    const sent = chatPosts().slice(taskPosts);
    assert.equal(sent.length, 1, 'the question was sent once');
    assert.equal((sent[0]!.json as { conversation_id?: string }).conversation_id, undefined, 'a new conversation');
    assert.equal((sent[0]!.json as { inputs: { name: string } }).inputs.name, 'Ada');
  });

  it('a reload opens the conversation started after New Chat, not the one abandoned', async () => {
    const lastQuery = await turns().last().locator('.turn-query').innerText();
    chat = await wb.reloadToChat();
    await eventually(async () => assert.equal(await turns().last().locator('.turn-query').innerText(), lastQuery));
    assert.equal(await turns().count(), 1, 'only the new conversation');
  });

  it('hidden and shown right after typing, the form and the composer show what was typed, and that is what is sent', async () => {
    await chat.getByRole('button', { name: 'New Chat' }).click();
    await eventually(async () => assert.equal(await turns().count(), 0));
    await nameField().fill('Linus');
    await composer().fill('who am I?');
    await chatHeader().click();
    await eventually(async () => assert.equal(await chatHeader().getAttribute('aria-expanded'), 'false'));
    await wb.sideBarSection('Chat');
    chat = wb.webviewFrame();
    await eventually(async () => assert.equal(await nameField().inputValue(), 'Linus'));
    assert.equal(await composer().inputValue(), 'who am I?');
    const before = chatPosts().length;
    await composer().press('Enter');
    await eventually(async () => assert.equal(await turns().last().getAttribute('data-status'), 'done'));
    assert.equal((chatPosts()[before]!.json as { inputs: { name: string } }).inputs.name, 'Linus');
  });

  it('everyday moves: ↑ recalls the last question, Ask Again answers it once more after the last answer, Edit puts a question back', async () => {
    await composer().click();
    await composer().press('ArrowUp');
    assert.equal(await composer().inputValue(), 'who am I?');
    await composer().fill('');
    const posts = chatPosts().length;
    const count = await turns().count();
    await turns().last().getByRole('button', { name: 'Ask Again', exact: true }).click();
    await eventually(async () => assert.equal(await turns().count(), count + 1));
    await eventually(async () => assert.equal(await turns().last().getAttribute('data-status'), 'done'));
    assert.equal(await turns().last().locator('.turn-query').innerText(), 'who am I?');
    assert.equal(chatPosts().length, posts + 1, 'asked once more');
    assert.ok((chatPosts().at(-1)!.json as { conversation_id?: string }).conversation_id, 'in the same conversation');
    await turns().first().locator('.turn-question').hover();
    await turns().first().getByRole('button', { name: 'Edit and Ask Again' }).click();
    assert.equal(await composer().inputValue(), 'who am I?');
    await chat.getByText(/the edited question is asked at its end/).waitFor();
  });

  it('another conversation opened mid-answer shows alone; nothing of the abandoned answer follows it', async () => {
    await chat.getByRole('button', { name: 'New Chat' }).click();
    await eventually(async () => assert.equal(await turns().count(), 0));
    await nameField().fill('Ada');
    server().setEventDelay(DELAY_MS);
    const stops = () => server().requests.filter((r) => /^\/chat-messages\/[^/]+\/stop$/.test(r.path)).length;
    const stopsBefore = stops();
    await send('long:150');
    await chat.getByRole('button', { name: 'Stop' }).waitFor();
    await chat.getByRole('button', { name: 'Conversation History' }).click();
    await wb.quickPickSelect('Chat: hello', { title: 'Conversations with "Streaming Chat"' });
    await eventually(async () => assert.equal((await chat.locator('header .conversation-name').innerText()).trim(), 'Chat: hello'));
    await eventually(async () => assert.equal(stops(), stopsBefore + 1, 'the abandoned answer was stopped on Dify'));
    // Past the end of the abandoned stream: the opened conversation alone, no ghost turn, no Stop.
    await new Promise((resolve) => setTimeout(resolve, 150 * DELAY_MS + 500));
    assert.deepEqual(await turns().locator('.turn-query').allInnerTexts(), ['hello']);
    await chat.getByRole('button', { name: 'Send' }).waitFor();
  });

  it('the conversation deleted while its answer streams: the chat empties, and stays empty', async () => {
    server().setEventDelay(DELAY_MS);
    await send('long:150');
    await chat.getByRole('button', { name: 'Stop' }).waitFor();
    const app = await wb.treeItem('Conversations', 'Streaming Chat');
    if ((await app.getAttribute('aria-expanded')) !== 'true') await app.click();
    const row = await wb.treeItem('Conversations', 'Chat: hello');
    await wb.contextMenu(row, 'Delete Conversation…');
    await wb.dialogButton('Delete the conversation "Chat: hello" in Dify?', 'Delete');
    await eventually(async () => assert.equal(await turns().count(), 0));
    await new Promise((resolve) => setTimeout(resolve, 150 * DELAY_MS + 500));
    assert.equal(await turns().count(), 0, 'no ghost turn');
    assert.equal(await chat.locator('header .conversation-name').isVisible(), false);
  });

  it('the window reloaded mid-answer: the answer was not stopped, and the new window follows it to its end', async () => {
    await chat.getByRole('button', { name: 'New Chat' }).click();
    await eventually(async () => assert.equal(await turns().count(), 0));
    await nameField().fill('Ada');
    server().setEventDelay(DELAY_MS);
    const stops = () => server().requests.filter((r) => /\/stop$/.test(r.path)).length;
    const stopsBefore = stops();
    const posts = chatPosts().length;
    await send('long:1500');
    await turns().last().getByText('Chunk 20 ', { exact: false }).waitFor();
    chat = await wb.reloadToChat();
    // Reopened mid-answer: it shows as still coming (Dify has not saved it yet), then whole.
    await eventually(async () => assert.equal(await turns().last().locator('.turn-query').innerText(), 'long:1500'));
    assert.equal(await turns().last().getAttribute('data-status'), 'streaming', 'followed on, not shown empty');
    await eventually(async () => assert.equal(await turns().last().getAttribute('data-status'), 'done'), 45_000);
    await turns().last().getByText('Chunk 1500 块1500.', { exact: false }).waitFor();
    assert.equal(chatPosts().length, posts + 1, 'asked once');
    assert.equal(stops(), stopsBefore, 'the reload did not stop it on Dify');
  });
});
