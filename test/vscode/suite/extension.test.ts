// The extension in a real VS Code extension host: it activates, its commands are registered and run, and the host
// reaches the test Dify server the orchestrator started.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { dify, testEnv } from './env.js';

const EXTENSION_ID = 'dify-vscode.dify-vscode';

describe('extension', () => {
  it('is installed from the development path and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among the host's extensions`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(ext.packageJSON.name, 'dify-vscode');
  });

  it('registers dify.showLog, and the command runs', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('dify.showLog'), 'dify.showLog is not registered');
    await vscode.commands.executeCommand('dify.showLog');
  });
});

describe('test Dify server, from the extension host', () => {
  beforeEach(() => dify.reset());

  it('answers /info with the chat app key', async () => {
    const { baseUrl, keys } = testEnv();
    const res = await fetch(`${baseUrl}/info`, { headers: { Authorization: `Bearer ${keys.chat}` } });
    assert.equal(res.status, 200);
    const info = (await res.json()) as { name?: unknown };
    assert.equal(typeof info.name, 'string');
    const requests = await dify.requests();
    assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), ['GET /info']);
  });

  it('takes faults queued through the control endpoint', async () => {
    const { baseUrl, keys } = testEnv();
    await dify.fault({ kind: 'http', status: 502, body: '<html>502 Bad Gateway</html>' }, { path: '/info' });
    const res = await fetch(`${baseUrl}/info`, { headers: { Authorization: `Bearer ${keys.chat}` } });
    assert.equal(res.status, 502);
    const again = await fetch(`${baseUrl}/info`, { headers: { Authorization: `Bearer ${keys.chat}` } });
    assert.equal(again.status, 200, 'a queued fault is one-shot');
  });
});
