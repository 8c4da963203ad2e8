// The extension shell inside a real extension host: what it contributes, that activation stays off the network,
// and that no setting a workspace could set can redirect a key.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { dify } from './env.js';

interface Contributions {
  commands: { command: string }[];
  configuration: { properties: Record<string, { scope?: string }> };
}

const extension = () => vscode.extensions.getExtension('dify-vscode.dify-vscode')!;

describe('extension shell', () => {
  it('activation made no request to Dify', async () => {
    await extension().activate();
    // Other suites call the test server with fetch; the extension's own client says who it is.
    const ours = (await dify.requests()).filter((r) => r.headers['user-agent'] === 'dify-vscode');
    assert.deepEqual(ours, [], 'no request before the user asked for one');
  });

  it('every contributed command is registered', async () => {
    const contributed = (extension().packageJSON.contributes as Contributions).commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of contributed) assert.ok(registered.has(command), `${command} is not registered`);
  });

  it('every setting is application-scoped, so a workspace cannot change where keys go', () => {
    const { properties } = (extension().packageJSON.contributes as Contributions).configuration;
    assert.ok(Object.keys(properties).length > 0);
    for (const [name, schema] of Object.entries(properties)) assert.equal(schema.scope, 'application', name);
    const inspect = vscode.workspace.getConfiguration('dify').inspect('network.extraCaFile');
    assert.equal(inspect?.workspaceValue, undefined);
  });

  it('declares how it behaves in untrusted workspaces', () => {
    const capabilities = extension().packageJSON.capabilities as { untrustedWorkspaces?: { supported: boolean | string } };
    assert.equal(capabilities.untrustedWorkspaces?.supported, true);
  });
});
