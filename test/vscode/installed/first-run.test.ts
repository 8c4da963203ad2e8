// A person installs the packaged .vsix into a VS Code that never had it (test/vscode/run.ts packages it with
// `npm run package` and installs it with code-server --install-extension): nothing of this folder is loaded. They see
// what Dify is and how to get a key, menus that offer nothing they cannot use yet, add their app, and chat with it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, session, useWorkbench } from '../ui/harness.js';
import { askTestChat } from '../ui/test-chat.js';

describe('Installed from the .vsix: first screen, menus without an app, adding an app and chatting', () => {
  // `npm run try`'s seed is there for the taking (DIFY_DEV_SEED): an installed extension must not add its apps.
  const wb = useWorkbench({ seed: [{ kind: 'app', label: 'Seeded App', key: 'app-never-added', mode: 'chat', default: true }] });
  const folder = () => join(session().env.workspaceFolder, 'installed');

  before(() => {
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'notes.py'), 'def add(a, b):\n    return a + b\n');
  });
  after(() => rmSync(folder(), { recursive: true, force: true }));

  it('runs the packaged extension: its bundles, no sources, and the page written for users', () => {
    const dir = session().extensionPath;
    assert.equal(session().extensionDevelopmentPath, undefined);
    for (const f of ['dist/extension.js', 'dist/webview.js', 'dist/llhttp/llhttp_simd-wasm.js', 'l10n/bundle.l10n.zh-cn.json']) {
      assert.ok(existsSync(join(dir, f)), `${f} is installed`);
    }
    assert.ok(!existsSync(join(dir, 'src')) && !existsSync(join(dir, 'test')), 'no sources or tests');
    const page = readFileSync(join(dir, 'readme.md'), 'utf8');
    assert.match(page, /^# Dify for VS Code/);
    assert.match(page, /API Access/, 'says where the key comes from');
    assert.doesNotMatch(page, /npm (ci|test|run)|\.ci\/run|CONTRIBUTING/, 'nothing meant for the extension\'s developers');
    for (const [, src] of page.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) assert.match(src!, /^https:\/\//, `image ${src} resolves on the Marketplace`);
  });

  it('the first screen says what Dify is and how to get a key, and offers Add App…', async () => {
    await wb.activityBarOpen('Dify');
    const apps = await wb.sideBarSection('Apps');
    await eventually(async () => assert.match(await apps.innerText(), /Dify is an open-source platform for AI apps/));
    assert.match(await apps.innerText(), /choose "API Access" in the left bar/);
    await apps.getByRole('button', { name: 'Add App…' }).waitFor();
    assert.deepEqual(await wb.treeLabels('Apps'), [], 'the seed of npm run try was ignored');
    await wb.screenshot('installed-first-run');
  });

  it('the editor and Explorer menus offer no Dify run or upload before an app is added', async () => {
    await wb.runCommand('View: Show Explorer');
    await (await wb.explorerRow('installed')).click();
    const explorerMenu = await wb.contextMenuLabels(await wb.explorerRow('notes.py'));
    assert.deepEqual(explorerMenu.filter((l) => /Dify/.test(l)), [], explorerMenu.join(', '));
    await (await wb.explorerRow('notes.py')).dblclick();
    const editor = wb.page.locator('.editor-group-container.active .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await wb.page.keyboard.press('Control+A');
    const editorMenu = await wb.contextMenuLabels(editor.locator('.view-line').first());
    assert.deepEqual(editorMenu.filter((l) => /Dify/.test(l)), ['Ask Dify about Selection'], editorMenu.join(', '));
  });

  it('Add App… from the first screen, then an answer streams into the chat', async () => {
    const { baseUrl, keys } = session().dify;
    await wb.activityBarOpen('Dify');
    const apps = await wb.sideBarSection('Apps');
    await apps.getByRole('button', { name: 'Add App…' }).click();
    await wb.inputBox(baseUrl, { title: 'Add Dify App' });
    await wb.inputBox(keys.chat, { prompt: 'API key' });
    await eventually(async () => assert.equal(await wb.quickInput.locator('input').inputValue(), 'Test Chat 测试助手'));
    await wb.inputBox('Test Chat 测试助手', { prompt: 'Chatbot' });
    await wb.waitForNotification('Added "Test Chat 测试助手" (Chatbot).');
    await wb.treeItem('Apps', 'Test Chat 测试助手');

    await askTestChat(wb, 'hello from the installed extension');
    await wb.screenshot('installed-chat');
  });
});
