// A person chats with their Dify apps in the sidebar of a real VS Code: the app's opening statement, suggested questions
// and form; a required input enforced; the answer streaming in; Stop; the conversation continuing; an agent's tool
// steps; a chatflow; the window reloaded and the conversation back; Apply of a code block as a diff they accept.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { eventually, extensionLog, session, useWorkbench } from './harness.js';

const APPS = () => [
  { kind: 'app' as const, label: 'Test Chat', key: session().dify.keys.chat, mode: 'chat', default: true },
  { kind: 'app' as const, label: 'Test Agent', key: session().dify.keys.agent, mode: 'agent-chat' },
  { kind: 'app' as const, label: 'Test Chatflow', key: session().dify.keys.advancedChat, mode: 'advanced-chat' },
  { kind: 'app' as const, label: 'Test Failing Chatflow', key: session().dify.keys.advancedChatFailing, mode: 'advanced-chat' },
  { kind: 'app' as const, label: 'Test Review Chatflow', key: session().dify.keys.advancedChatHumanInput, mode: 'advanced-chat' },
];

describe('UI: chat view', () => {
  const wb = useWorkbench({ seed: APPS() });
  const server = () => session().dify;
  const chatRequests = () => server().requests.filter((r) => r.path === '/chat-messages');
  let chat: FrameLocator;

  before(() => {
    server().reset();
    server().setEventDelay(0);
  });
  after(() => server().setEventDelay(0));

  const composer = () => chat.getByRole('textbox', { name: 'Message' });
  const turns = () => chat.locator('article[data-turn-id]');
  async function send(text: string): Promise<void> {
    await composer().fill(text);
    await composer().press('Enter');
  }
  async function lastTurnStatus(): Promise<string | null> {
    return turns().last().getAttribute('data-status');
  }

  it("shows the default app's opening statement, suggested questions and input form", async () => {
    await wb.activityBarOpen('Dify');
    await wb.sideBarSection('Chat');
    chat = wb.webviewFrame();
    await chat.getByText('你好，我是测试助手', { exact: false }).first().waitFor();
    await chat.getByRole('button', { name: 'What can you do?' }).waitFor();
    await chat.getByLabel('Your name').waitFor();
    await chat.getByRole('button', { name: /Chat app: Test Chat/ }).waitFor();
  });

  it('a required input is enforced before sending; then the answer streams in as markdown', async () => {
    await send('hello');
    await chat.getByText('Your name is required.').waitFor();
    assert.equal(chatRequests().length, 0, 'nothing was sent');
    assert.equal(await composer().inputValue(), 'hello', 'the draft is kept');
    await chat.getByLabel('Your name').fill('Ada');
    await composer().press('Enter');
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    await turns().last().getByText('Echo: hello').waitFor();
    await turns().last().getByText('你好！这是 Dify 测试服务器的回答。').waitFor();
    assert.equal((chatRequests()[0]?.json as { inputs: Record<string, unknown> }).inputs.name, 'Ada');
    assert.equal(await composer().inputValue(), '', 'the composer is empty after sending');
  });

  it('the next message continues the conversation; a code block renders highlighted with its actions', async () => {
    const count = await turns().count();
    await send('show me code');
    await eventually(async () => assert.equal(await turns().count(), count + 1));
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    const [first, second] = chatRequests().map((r) => (r.json as { conversation_id?: string }).conversation_id);
    assert.equal(first, undefined);
    assert.ok(second, 'the second message names the conversation');
    const block = turns().last().locator('pre code.hljs').first();
    await block.waitFor();
    await turns().last().getByRole('button', { name: 'Copy' }).first().waitFor();
    await turns().last().getByRole('button', { name: 'Apply to Editor' }).first().waitFor();
  });

  it('a citation opens the cited segment in an editor', async () => {
    const citation = turns().last().locator('details.citation').first();
    const document = (await citation.locator('.citation-document').innerText()).trim();
    await citation.locator('summary').click();
    await citation.getByRole('button', { name: 'Open in Editor' }).first().click();
    const tab = wb.page.locator('.tabs-container .tab.active');
    await eventually(async () => assert.ok((await tab.innerText()).includes(document.replace(/\.(md|markdown|txt)$/i, '')), await tab.innerText()));
    const text = (await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, new RegExp(`Cited from "${document.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    await wb.runCommand('View: Close Editor');
    await citation.locator('summary').click();
  });

  it('looks native in a dark, a light and a high-contrast theme (the screenshots of the README)', async () => {
    for (const [theme, name] of [
      ['Default Dark Modern', 'chat-dark'],
      ['Default Light Modern', 'chat-light'],
      ['Default High Contrast', 'chat-high-contrast'],
    ] as const) {
      await wb.updateUserSettings({ 'workbench.colorTheme': theme });
      await turns().last().locator('pre code.hljs').first().waitFor();
      // The webview gets the theme's colours a moment after the setting changed.
      await eventually(async () => {
        const background = await chat.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
        const [r = 0, g = 0, bl = 0] = (background.match(/\d+/g) ?? []).map(Number);
        const dark = (r + g + bl) / 3 < 128;
        assert.equal(dark, !theme.includes('Light'), `the view follows ${theme} (background ${background})`);
      });
      if (theme.includes('High Contrast')) {
        // High contrast draws the edge of everything: the question, the code block and the input have a border.
        await eventually(async () => {
          const borders = await chat
            .locator('.turn-question, .md-code, .composer-box')
            .evaluateAll((els) => els.map((e) => `${e.className}: ${getComputedStyle(e).borderTopColor}`));
          assert.ok(borders.length >= 3, borders.join('; '));
          assert.ok(borders.every((b) => !b.endsWith('rgba(0, 0, 0, 0)')), `visible borders: ${borders.join('; ')}`);
        });
      }
      await wb.page.mouse.move(900, 700);
      await wb.screenshot(name);
    }
    await wb.updateUserSettings({ 'workbench.colorTheme': undefined });
  });

  it('Stop keeps what arrived, and Dify is told to stop', async () => {
    server().setEventDelay(40);
    await send('long:4000');
    const stop = chat.getByRole('button', { name: 'Stop' });
    await stop.waitFor();
    await eventually(async () => assert.ok(((await turns().last().innerText()).length ?? 0) > 40, 'some of the answer arrived'));
    await stop.click();
    await eventually(async () => assert.equal(await lastTurnStatus(), 'stopped'));
    server().setEventDelay(0);
    assert.ok(server().requests.some((r) => /^\/chat-messages\/[^/]+\/stop$/.test(r.path)), 'the stop endpoint was called');
    await chat.getByText('You stopped this answer.').waitFor();
    await chat.getByRole('button', { name: 'Send' }).waitFor();
  });

  it('a cut stream shows the error inline with Retry, keeps the question on its turn, and Retry answers it', async () => {
    server().fault({ kind: 'cut', afterEvents: 0 }, { path: '/chat-messages' });
    await send('能再说一遍吗？');
    await eventually(async () => assert.equal(await lastTurnStatus(), 'error'));
    const alert = turns().last().getByRole('alert');
    assert.match(await alert.innerText(), /stopped before it was complete/);
    assert.equal(await turns().last().locator('.turn-query').innerText(), '能再说一遍吗？', 'the question stays on the failed turn');
    assert.equal(await composer().inputValue(), '', 'the composer is left alone: Retry is the one way to send it again');
    await turns().last().getByRole('button', { name: 'Retry' }).click();
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    assert.equal(await turns().filter({ hasText: '能再说一遍吗？' }).count(), 1, 'the failed turn was replaced by the answered one');
  });

  it('an answer keeps streaming while the view is hidden, and is all there when it is shown again', async () => {
    server().setEventDelay(15);
    await send('long:200');
    await chat.getByRole('button', { name: 'Stop' }).waitFor();
    const header = wb.page.locator('.part.sidebar .pane-header', { has: wb.page.locator('h3.title', { hasText: /^\s*Chat\s*$/i }) }).first();
    await header.click();
    await eventually(async () => assert.equal(await header.getAttribute('aria-expanded'), 'false'));
    // The whole answer is sent while nothing shows it.
    await eventually(async () => assert.ok(server().requests.filter((r) => r.path === '/chat-messages' && r.status === 200).length > 0));
    await new Promise((resolve) => setTimeout(resolve, 200 * 15 + 1_000));
    server().setEventDelay(0);
    await wb.sideBarSection('Chat');
    chat = wb.webviewFrame();
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    await turns().last().getByText('Chunk 200 块200.', { exact: false }).waitFor();
  });

  it('reloading the window brings the conversation back from Dify', async () => {
    const lastQuery = await turns().last().locator('.turn-query').innerText();
    // Developer: Reload Window, as a person reloads VS Code: the workbench writes its state first. (A browser reload
    // of code-server may drop the last seconds of extension state; that is the browser's, not something to test.)
    chat = await wb.reloadToChat();
    await eventually(async () => assert.equal(await turns().last().locator('.turn-query').innerText(), lastQuery));
    assert.equal(await lastTurnStatus(), 'done');
    await turns().last().getByText('Chunk 200 块200.', { exact: false }).waitFor();
    assert.ok(server().requests.some((r) => r.path === '/messages'), 'the history came from Dify');
  });

  it('an agent app shows its tool steps; a chatflow answers', async () => {
    await chat.getByRole('button', { name: /Chat app: Test Chat/ }).click();
    await wb.quickPickSelect('Test Agent', { title: 'Chat with which Dify app?' });
    await chat.getByText('I can draw pictures and tell the time.').waitFor();
    // Chosen for the chat only: the default chat app (status bar, Apps view) stays the one the user set.
    assert.match(await wb.statusBarText('Dify: '), /Dify: Test Chat/);
    await send('draw a cat');
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    assert.ok((await turns().last().locator('details').count()) > 0, 'the agent thoughts show as steps');
    // The tool's image is named by the tool and the host a click contacts, not by its file's UUID.
    const host = new URL(server().baseUrl).host;
    await turns().last().getByRole('button', { name: `Load image: Image from dalle3 (${host})` }).waitFor();
    await wb.screenshot('chat-agent');

    await chat.getByRole('button', { name: /Chat app: Test Agent/ }).click();
    await wb.quickPickSelect('Test Chatflow', { title: 'Chat with which Dify app?' });
    // The composer takes text once the chatflow is loaded (its form shows); nothing typed before goes elsewhere.
    await chat.getByLabel('Language').waitFor();
    await send('flow please');
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    await turns().last().getByText('Echo: flow please').waitFor();
  });

  it('a failed chatflow shows its steps open with the failed node and its error, and the Dify log has it', async () => {
    await chat.getByRole('button', { name: /Chat app: Test Chatflow/ }).click();
    await wb.quickPickSelect('Test Failing Chatflow', { title: 'Chat with which Dify app?' });
    await chat.getByRole('button', { name: /Chat app: Test Failing Chatflow/ }).waitFor();
    await send('parse this');
    await eventually(async () => assert.equal(await lastTurnStatus(), 'error'));
    const process = turns().last().locator('details.turn-process');
    assert.equal(await process.getAttribute('open'), '', 'open on a failure');
    const failed = process.locator('.turn-node.node-failed');
    assert.equal((await failed.locator('.turn-node-title').innerText()).trim(), 'Parse JSON 解析');
    assert.match(await failed.locator('.turn-node-error').innerText(), /JSONDecodeError: Expecting value/);
    await eventually(async () => {
      const log = extensionLog();
      assert.match(log, /Chat with "Test Failing Chatflow" failed: /);
      assert.match(log, /step "Parse JSON 解析" \(code\) failed: JSONDecodeError/);
    });
  });

  it('a chatflow that pauses for a review: the form is answered in the chat, and the run carries on in the same answer', async () => {
    await chat.getByRole('button', { name: /Chat app:/ }).click();
    await wb.quickPickSelect('Test Review Chatflow', { title: 'Chat with which Dify app?' });
    await chat.getByRole('button', { name: /Chat app: Test Review Chatflow/ }).waitFor();
    await send('draft a reply to Bob');
    await eventually(async () => assert.equal(await lastTurnStatus(), 'paused'));
    const form = turns().last().getByRole('region', { name: /asks for your answer/ });
    await form.getByRole('textbox', { name: 'comment' }).fill('Looks good 好');
    await form.getByRole('button', { name: 'Approve 通过' }).click();
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    await turns().last().getByText('Review (approve): Looks good 好', { exact: false }).waitFor();
    await form.getByText('Answered: Approve 通过').waitFor();
    assert.equal(chatRequests().filter((r) => (r.json as { query?: string } | undefined)?.query === 'draft a reply to Bob').length, 1, 'asked once');
    assert.ok(server().requests.some((r) => r.method === 'POST' && r.path.startsWith('/form/human_input/')), 'answered through the Service API');
  });

  it('Apply with nothing selected: a diff against the definition the block redefines, never the whole file; Accept changes it', async () => {
    const file = join(session().env.workspaceFolder, 'apply-me.py');
    const before = 'import os\n\n\ndef greet(name):\n    return "old " + name\n\n\ndef other():\n    return os.getcwd()\n';
    writeFileSync(file, before);
    // Written now: Go to File finds a file only once the workspace search has seen it.
    writeFileSync(join(session().env.workspaceFolder, 'insert-here.py'), 'x = 1\n');
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Go to File...');
    await wb.quickPickType('apply-me.py');
    await wb.quickPickSelect('apply-me.py');
    await wb.page.locator('.tab.active', { hasText: 'apply-me.py' }).waitFor();
    await chat.getByRole('button', { name: /Chat app:/ }).click();
    await wb.quickPickSelect('Test Chat', { title: 'Chat with which Dify app?' });
    // The chat app's conversation came back after the reload, with the inputs it was started with.
    await turns().last().getByText('Chunk 200 块200.', { exact: false }).waitFor();
    const count = await turns().count();
    await send('code please');
    await eventually(async () => assert.equal(await turns().count(), count + 1));
    await eventually(async () => assert.equal(await lastTurnStatus(), 'done'));
    await turns().last().getByRole('button', { name: 'Apply to Editor' }).first().click();
    await wb.page.locator('.monaco-diff-editor').first().waitFor();
    await wb.page.locator('.tab.active', { hasText: 'Dify suggestion for greet' }).waitFor();
    await wb.editorTitleAction('Accept Proposed Change');
    // The file now holds the block in place of greet (unsaved, like any refactoring); the rest is as it was.
    const editorText = async () => (await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    await eventually(async () => assert.match(await editorText(), /def greet\(name\):\s+return f"/));
    const text = await editorText();
    assert.ok(!text.includes('"old "'), 'the old greet is replaced');
    assert.match(text, /^import os/);
    assert.match(text, /def other\(\):\s+return os\.getcwd\(\)/);
    assert.equal(readFileSync(file, 'utf8'), before);

    // A file without that definition: the block goes in at the cursor, the file's own text stays.
    await wb.runCommand('Go to File...');
    await wb.quickPickType('insert-here.py');
    await wb.quickPickSelect('insert-here.py');
    await wb.page.locator('.tab.active', { hasText: 'insert-here.py' }).waitFor();
    await turns().last().getByRole('button', { name: 'Apply to Editor' }).first().click();
    await wb.page.locator('.tab.active', { hasText: 'Dify suggestion at line 1' }).waitFor();
    await wb.editorTitleAction('Accept Proposed Change');
    await eventually(async () => assert.match(await editorText(), /def greet\(name\):[\s\S]*x = 1/));
  });
});
