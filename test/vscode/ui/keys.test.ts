// Every kind of Dify app can be added, and a key never goes to another origin unless the person agrees.
import assert from 'node:assert/strict';
import { eventually, session, useWorkbench } from './harness.js';

describe('UI: every kind of app, and keys bound to their origin', () => {
  const wb = useWorkbench();
  const dify = () => session().dify;

  before(() => wb.activityBarOpen('Dify'));

  for (const [handle, label, kind] of [
    ['agent', 'Test Agent', 'Agent'],
    ['advancedChat', 'Test Chatflow', 'Chatflow'],
    ['completion', 'Test Completion', 'Text Generator'],
  ] as const) {
    it(`adds a ${kind} app, its kind read from Dify`, async () => {
      await wb.runCommand('Dify: Add App…');
      await wb.inputBox(dify().baseUrl, { title: 'Add Dify App' });
      await wb.inputBox(dify().keys[handle], { prompt: 'API key' });
      await wb.inputBox(label, { prompt: kind });
      await wb.waitForNotification(`Added "${label}" (${kind}).`);
      const row = await wb.treeItem('Apps', label);
      assert.match(await row.innerText(), new RegExp(kind));
    });
  }

  it('moving an app to another origin does not send its key there until the person agrees', async () => {
    const { url, keys } = dify();
    const elsewhere = url.replace('127.0.0.1', 'localhost'); // the same server under another origin
    const sentThere = () => dify().requests.filter((r) => String(r.headers.host).startsWith('localhost') && r.headers.authorization === `Bearer ${keys.agent}`);

    await wb.runCommand('Dify: Edit…');
    await wb.quickPickSelect('Test Agent');
    await wb.quickPickSelect('Change URL…');
    await wb.inputBox(`${elsewhere}/v1`, { title: 'Change URL' });
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Send it to http:\/\/localhost/);
    await wb.screenshot('key-origin-confirmation');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(sentThere().length, 0, 'declined: the key went nowhere new');

    await wb.runCommand('Dify: Edit…');
    await wb.quickPickSelect('Test Agent');
    await wb.quickPickSelect('Change URL…');
    await wb.inputBox(`${elsewhere}/v1`, { title: 'Change URL' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: /Send Key to/ }).click();
    await wb.waitForNotification(`"Test Agent" now uses ${elsewhere}/v1.`);
    await eventually(async () => assert.ok(sentThere().length > 0, 'agreed: the key was sent to the new origin'));
  });
});
