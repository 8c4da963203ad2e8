// A person adds their Dify apps and a knowledge key by typing into VS Code's input boxes, makes the usual mistakes
// (the URL without /v1, a knowledge key where the app key goes), and sees the views and the status bar follow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, session, useWorkbench } from './harness.js';

describe('UI: adding Dify apps and knowledge keys', () => {
  const wb = useWorkbench();
  const server = () => session().dify;

  it('with nothing configured, the Apps view says what Dify is, where the key comes from, and offers Add App…', async () => {
    await wb.activityBarOpen('Dify');
    const apps = await wb.sideBarSection('Apps');
    await eventually(async () => assert.match(await apps.innerText(), /Dify is an open-source platform for AI apps/));
    const text = await apps.innerText();
    assert.match(text, /choose "API Access" in the left bar/);
    assert.doesNotMatch(text, /npm run|repository/, 'nothing meant for the extension\'s developers');
    await apps.getByRole('button', { name: 'Add App…' }).waitFor();
    await wb.screenshot('first-run');
    await wb.statusBarText('Dify');
  });

  it('Add App: the URL without /v1 is caught and corrected, the typed key is kept, the app shows with its mode', async () => {
    const { url, baseUrl, keys } = server();
    await wb.runCommand('Dify: Add App…');
    await wb.inputBox(url, { title: 'Add Dify App' });
    await wb.inputBox(keys.chat, { prompt: 'API key' });
    // Back at the URL, with the problem under the box and the right URL filled in.
    await eventually(async () => assert.match(await wb.inputBoxMessage(), /ends with \/v1/));
    assert.equal(await wb.quickInput.locator('input').inputValue(), baseUrl);
    await wb.inputBox(baseUrl);
    // The key box still holds the key that was typed.
    await eventually(async () => assert.equal(await wb.quickInput.locator('input').inputValue(), keys.chat));
    await wb.inputBox(keys.chat);
    // The name comes from Dify's /info.
    await eventually(async () => assert.equal(await wb.quickInput.locator('input').inputValue(), 'Test Chat 测试助手'));
    await wb.inputBox('Test Chat 测试助手', { prompt: 'Chatbot' });
    await wb.waitForNotification('Added "Test Chat 测试助手" (Chatbot).');
    const row = await wb.treeItem('Apps', 'Test Chat 测试助手');
    await eventually(async () => assert.match(await row.innerText(), /Chatbot · default/));
    assert.match(await wb.statusBarText('Dify: Test Chat 测试助手'), /Test Chat 测试助手/);
    // The end-user id Dify scopes conversations by was generated once and is shown in the user settings.
    const settings = JSON.parse(readFileSync(join(session().userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.match(String(settings['dify.user']), /^vscode-[0-9a-f-]{36}$/);
    await wb.screenshot('apps-view-after-add');
  });

  it('a knowledge key pasted as an app key is refused in the key box itself', async () => {
    const { baseUrl, keys } = server();
    await wb.runCommand('Dify: Add App…');
    await wb.inputBox(baseUrl, { title: 'Add Dify App' });
    await wb.inputBox(keys.dataset, { submit: false, prompt: 'API key' });
    await eventually(async () => assert.match(await wb.inputBoxMessage(), /knowledge \(dataset\) key, not an app key/));
    await wb.page.keyboard.press('Escape');
    await eventually(async () => assert.deepEqual(await wb.treeLabels('Apps'), ['Test Chat 测试助手']));
  });

  it('plain http to another machine is warned about in the URL box without blocking; https and this machine are not', async () => {
    const clear = /plain http to another machine: the API key and every message travel unencrypted/;
    const message = () => wb.inputBoxMessage();
    await wb.runCommand('Dify: Add App…');
    await wb.inputBox('http://dify.intranet/v1', { submit: false, title: 'Add Dify App' });
    await eventually(async () => assert.match(await message(), clear));
    await wb.inputBox(server().baseUrl, { submit: false }); // http://127.0.0.1:…
    await eventually(async () => assert.doesNotMatch(await message(), clear));
    await wb.inputBox('http://dify.intranet/v1', { submit: false });
    await eventually(async () => assert.match(await message(), clear));
    await wb.inputBox('https://dify.intranet/v1', { submit: false });
    await eventually(async () => assert.doesNotMatch(await message(), clear));
    await wb.inputBox('http://dify.intranet/v1');
    await wb.quickInput.locator('.quick-input-message', { hasText: 'API key' }).waitFor(); // the next step: a warning does not block
    await wb.page.keyboard.press('Escape');
  });

  it('a workflow app and a knowledge key are added; the workflow app is not offered as the chat app', async () => {
    const { baseUrl, keys } = server();
    await wb.runCommand('Dify: Add App…');
    await wb.inputBox(baseUrl, { title: 'Add Dify App' });
    await wb.inputBox(keys.workflow, { prompt: 'API key' });
    await wb.inputBox('My Workflow', { prompt: 'Workflow' });
    await wb.waitForNotification('Added "My Workflow" (Workflow).');

    await wb.runCommand('Dify: Add Knowledge Key…');
    await wb.inputBox(baseUrl, { title: 'Add Dify Knowledge Key' });
    await wb.inputBox(keys.dataset, { prompt: 'knowledge API key' });
    await wb.inputBox('Team Knowledge', { prompt: 'datasets' });
    await wb.waitForNotification('Added knowledge key "Team Knowledge".');
    await wb.treeItem('Knowledge', 'Team Knowledge');

    // Clicking a row selects it, as in any tree: nothing is sent to Dify.
    const before = server().requests.length;
    await (await wb.treeItem('Apps', 'My Workflow')).click();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(server().requests.length, before, 'no request on a click');

    await wb.runCommand('Dify: Choose Default Chat App…');
    await wb.quickPickType('', { title: 'Default Dify Chat App' });
    await eventually(async () => assert.deepEqual(await wb.quickPickLabels(), ['Test Chat 测试助手']));
    await wb.page.keyboard.press('Escape');
  });

  it('a key Dify stops accepting turns the status bar to a warning, with a way to fix it', async () => {
    server().fault({ kind: 'http', status: 401, body: { code: 'unauthorized', message: 'Access token is invalid', status: 401 } }, { path: '/info' });
    await wb.runCommand('Dify: Test Connection');
    await wb.quickPickSelect('Test Chat 测试助手');
    const toast = await wb.waitForNotification(/Dify rejected the key/);
    assert.match(await toast.innerText(), /Set Key…/);
    await eventually(async () =>
      assert.equal(await wb.page.locator('.part.statusbar .statusbar-item', { hasText: 'Dify: Test Chat' }).locator('.codicon-warning').count(), 1),
    );
    await wb.screenshot('status-bar-warning');
    await wb.clearNotifications();
    await wb.runCommand('Dify: Test Connection');
    await wb.quickPickSelect('Test Chat 测试助手');
    await wb.waitForNotification('"Test Chat 测试助手" works (Chatbot).');
    await eventually(async () =>
      assert.equal(await wb.page.locator('.part.statusbar .statusbar-item', { hasText: 'Dify: Test Chat' }).locator('.codicon-warning').count(), 0),
    );
  });

  it('the keys typed are in no log line', async () => {
    const { keys } = server();
    await wb.runCommand('Dify: Show Log');
    await eventually(async () => assert.match(await wb.outputText(), /GET \/info 200/));
    const text = await wb.outputText();
    for (const key of [keys.chat, keys.workflow, keys.dataset]) assert.ok(!text.includes(key), 'a key is in the Dify log');
  });
});
