// A person browses their Dify conversations in the Conversations view: expands an app (one request per page),
// loads more, keeps them as the chat answers, opens one in the chat view with its history, renames it (typed or by
// Dify), deletes it after confirming.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, session, useWorkbench } from './harness.js';

describe('UI: conversations view', () => {
  const USER = 'vscode-ui-conversations';
  const wb = useWorkbench({ seed: [{ kind: 'app', label: 'Test Chat', key: session().dify.keys.chat, mode: 'chat', default: true }] });
  const server = () => session().dify;
  const pages = () => server().requests.filter((r) => r.method === 'GET' && r.path === '/conversations');
  let previousUser: unknown;

  before(async () => {
    // Dify keeps conversations per end user: use a known one, so the seeded history is this user's.
    const settings = JSON.parse(readFileSync(join(session().userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    previousUser = settings['dify.user'];
    await wb.updateUserSettings({ 'dify.user': USER });
    server().reset();
    server().seedConversations('chat', USER, 45);
  });
  wb.beforeClose(() => wb.updateUserSettings({ 'dify.user': previousUser }));

  it('nothing is fetched until the app is expanded; then 20 newest, and Load more fetches the next page', async () => {
    await wb.activityBarOpen('Dify');
    await wb.soloSection('Conversations');
    const app = await wb.treeItem('Conversations', 'Test Chat');
    assert.equal(pages().length, 0);
    await app.click();
    await wb.treeItem('Conversations', 'Conversation 45');
    await wb.treeItem('Conversations', 'Load more…');
    assert.equal(pages().length, 1);
    const first = await wb.treeLabels('Conversations');
    assert.deepEqual(first.slice(0, 3), ['Test Chat', 'Conversation 45', 'Conversation 44']);
    await (await wb.treeItem('Conversations', 'Load more…')).click();
    await wb.treeItem('Conversations', 'Conversation 25');
    assert.equal(pages().length, 2);
    await wb.screenshot('conversations-tree');
  });

  it('an answer in the chat puts its conversation on top; the app stays expanded with both pages, none fetched again', async () => {
    await wb.sideBarSection('Chat');
    const chat = wb.webviewFrame();
    await chat.getByLabel('Your name').fill('Ada');
    const before = server().requests.length;
    await chat.getByRole('textbox', { name: 'Message' }).fill('a new conversation');
    await chat.getByRole('textbox', { name: 'Message' }).press('Enter');
    await chat.locator('article[data-turn-id][data-status="done"]').first().waitFor();
    await wb.soloSection('Conversations');
    // The new conversation is listed first, above the 45 of before; the second page (Conversation 25 on) is still shown.
    await eventually(async () => assert.deepEqual((await wb.treeLabels('Conversations')).slice(0, 3), ['Test Chat', 'Chat: a new conversation', 'Conversation 45']));
    await wb.treeItem('Conversations', 'Conversation 25');
    const after = server().requests.slice(before);
    assert.ok(after.some((r) => r.path === '/conversations'), 'the first page was fetched again');
    assert.ok(after.every((r) => r.path !== '/conversations' || r.query.last_id === undefined), 'no page after it was loaded again');
    assert.deepEqual(after.filter((r) => r.path !== '/conversations' && !r.path.startsWith('/messages')).map((r) => `${r.method} ${r.path}`), ['POST /chat-messages']);
  });

  it('opens a conversation in the chat view with its history', async () => {
    await (await wb.treeItem('Conversations', 'Conversation 44')).click();
    // Opening a conversation shows the chat view by itself.
    const chatHeader = wb.page.locator('.part.sidebar .pane-header', { has: wb.page.locator('h3.title', { hasText: /^\s*Chat\s*$/i }) }).first();
    await eventually(async () => assert.equal(await chatHeader.getAttribute('aria-expanded'), 'true'));
    const chat = wb.webviewFrame();
    await chat.getByText('Question 44').first().waitFor();
    await chat.getByText('Answer 44').first().waitFor();
    assert.ok(server().requests.some((r) => r.path === '/messages' && r.query.conversation_id !== undefined));
  });

  it('the open conversation is named in the chat header and marked in the view; renamed from the header, everywhere', async () => {
    const chat = wb.webviewFrame();
    const name = chat.locator('header .conversation-name');
    await eventually(async () => assert.equal((await name.innerText()).trim(), 'Conversation 44'));
    const row = await wb.treeItem('Conversations', 'Conversation 44');
    await eventually(async () => assert.match(await row.locator('.label-description').innerText(), /^open in chat · /));
    await name.click();
    await wb.inputBox('周会纪要 notes', { title: 'Rename Conversation' });
    await eventually(async () => assert.equal((await name.innerText()).trim(), '周会纪要 notes'));
    assert.ok(server().requests.some((r) => r.method === 'POST' && r.path.endsWith('/name') && (r.json as { name?: string }).name === '周会纪要 notes'));
    const renamed = await wb.treeItem('Conversations', '周会纪要 notes');
    await eventually(async () => assert.match(await renamed.locator('.label-description').innerText(), /^open in chat · /));
  });

  it('renames a conversation by typing a name; blank text is refused, not taken for "let Dify generate"', async () => {
    await wb.soloSection('Conversations');
    const row = await wb.treeItem('Conversations', 'Conversation 43');
    const renames = () => server().requests.filter((r) => r.method === 'POST' && r.path.endsWith('/name'));
    const before = renames().length;
    await wb.contextMenu(row, 'Rename Conversation…');
    await wb.inputBox('   ', { submit: false, title: 'Rename Conversation', prompt: 'Type a new name and press Enter, or click "Let Dify Name It"' });
    await eventually(async () => assert.equal(await wb.inputBoxMessage(), 'A name cannot be only spaces.'));
    await wb.page.keyboard.press('Enter');
    assert.equal(await wb.inputBoxMessage(), 'A name cannot be only spaces.', 'the box stays, with the reason');
    await wb.inputBox('重构计划');
    await wb.treeItem('Conversations', '重构计划');
    assert.deepEqual(renames().slice(before).map((r) => r.json), [{ name: '重构计划', user: USER }]);
  });

  it('"Let Dify Name It" asks Dify for a name', async () => {
    const row = await wb.treeItem('Conversations', '重构计划');
    await wb.contextMenu(row, 'Rename Conversation…');
    await wb.quickInput.getByRole('button', { name: 'Let Dify Name It' }).click();
    await wb.treeItem('Conversations', 'Chat: Question 43');
    assert.deepEqual(server().requests.filter((r) => r.method === 'POST' && r.path.endsWith('/name')).at(-1)?.json, { auto_generate: true, user: USER });
  });

  it('deletes a conversation only after the user confirms', async () => {
    const row = await wb.treeItem('Conversations', 'Conversation 42');
    await wb.contextMenu(row, 'Delete Conversation…');
    await wb.dialogButton('Delete the conversation "Conversation 42" in Dify?', 'Cancel');
    await wb.treeItem('Conversations', 'Conversation 42');
    await wb.contextMenu(row, 'Delete Conversation…');
    await wb.dialogButton('Delete the conversation "Conversation 42" in Dify?', 'Delete');
    await eventually(async () => assert.ok(!(await wb.treeLabels('Conversations')).includes('Conversation 42')));
    assert.equal(server().requests.filter((r) => r.method === 'DELETE').length, 1);
  });

  it('a conversation deleted elsewhere disappears with a message, not an error dialog', async () => {
    const row = await wb.treeItem('Conversations', 'Conversation 41');
    server().fault({ kind: 'http', status: 404, body: { code: 'not_found', message: 'Conversation Not Exists.', status: 404 } }, { path: /\/conversations\/[^/]+\/name$/ });
    await wb.contextMenu(row, 'Rename Conversation…');
    await wb.inputBox('renamed', { title: 'Rename Conversation' });
    await wb.waitForNotification('"Conversation 41" was already deleted in Dify; it is removed from the list.');
    await eventually(async () => assert.ok(!(await wb.treeLabels('Conversations')).includes('Conversation 41')));
  });

  it('History in the chat header lists the conversations and opens the one picked', async () => {
    await wb.sideBarSection('Chat');
    const chat = wb.webviewFrame();
    await chat.getByRole('button', { name: 'Conversation History' }).click();
    await wb.quickPickSelect('Conversation 40', { title: 'Conversations with "Test Chat"' });
    await chat.getByText('Question 40').first().waitFor();
    await eventually(async () => assert.equal((await chat.locator('header .conversation-name').innerText()).trim(), 'Conversation 40'));
  });
});
