// A self-hosted Dify behind an internal certificate authority, reached through a proxy: what a person sees before
// and after setting the extra CA file, and that VS Code's http.proxy really carries the requests (a real tinyproxy).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDifyServer, type DifyTestServer } from '../../dify-server/server.js';
import { startTinyproxy, type Tinyproxy } from '../../helpers/tinyproxy.js';
import { createTestPki } from '../../helpers/tls-ca.js';
import { eventually, extensionLog, useWorkbench } from './harness.js';

/** VS Code notices a changed settings.json through its file watcher: wait until the extension says it saw it. */
async function settingsApplied(before: string): Promise<void> {
  const count = (log: string) => log.split('Network settings changed').length;
  await eventually(async () => assert.ok(count(extensionLog()) > count(before), 'the extension saw the settings change'), 20_000);
}

describe('UI: internal certificate and proxy', () => {
  const wb = useWorkbench();
  let dify: DifyTestServer;
  let caFile: string;
  let proxy: Tinyproxy | undefined;

  wb.beforeClose(() => wb.updateUserSettings({ 'dify.network.extraCaFile': undefined, 'http.proxy': undefined }));

  before(async () => {
    const pki = createTestPki('Corp Internal CA');
    dify = await startDifyServer({ tls: { key: pki.key, cert: pki.cert } });
    caFile = join(mkdtempSync(join(tmpdir(), 'dify-ca-')), 'corp-ca.pem');
    writeFileSync(caFile, pki.caPem);
  });

  after(async () => {
    await proxy?.stop();
    await dify?.close();
  });

  it('an untrusted certificate says which setting fixes it; with the CA file set, Retry adds the app', async () => {
    await wb.runCommand('Dify: Add App…');
    await wb.inputBox(dify.baseUrl, { title: 'Add Dify App' });
    await wb.inputBox(dify.keys.chat, { prompt: 'API key' });
    const toast = await wb.waitForNotification(/certificate of 127\.0\.0\.1:\d+ is not trusted/);
    assert.match(await toast.innerText(), /dify\.network\.extraCaFile/);
    await wb.screenshot('certificate-not-trusted');

    const log = extensionLog();
    await wb.updateUserSettings({ 'dify.network.extraCaFile': caFile });
    await settingsApplied(log);
    await wb.notificationAction(/is not trusted/, 'Retry');
    await wb.quickInput.locator('input').waitFor({ state: 'visible' });
    assert.equal(await wb.quickInput.locator('input').inputValue(), dify.keys.chat, 'the key box still holds the key');
    await wb.inputBox(dify.keys.chat);
    await wb.inputBox('Internal Dify', { prompt: 'Chatbot' });
    await wb.waitForNotification('Added "Internal Dify" (Chatbot).');
  });

  it('with http.proxy set, the requests go through the proxy (a CONNECT tunnel for https)', async () => {
    proxy = await startTinyproxy();
    const log = extensionLog();
    await wb.updateUserSettings({ 'http.proxy': proxy.url });
    await settingsApplied(log);
    const before = proxy.count('CONNECT');
    await wb.runCommand('Dify: Test Connection');
    await wb.quickPickSelect('Internal Dify');
    await wb.waitForNotification('"Internal Dify" works (Chatbot).');
    assert.ok((await proxy.waitForCount('CONNECT', before)) > before, 'tinyproxy saw the tunnel');
  });
});
