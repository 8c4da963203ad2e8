// Workflows as code: a person signed in to their Dify workspace exports a workflow app into dify/<app>.yml.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { session, useWorkbench } from './harness.js';

describe('UI: workflows as code', () => {
  const wb = useWorkbench();
  const server = () => session().dify;
  const app = () => server().apps.find((a) => a.name === 'Test Workflow')!;
  const folder = () => join(session().env.workspaceFolder, 'dify');
  const file = () => join(folder(), 'test-workflow.yml');
  const onDisk = () => (existsSync(file()) ? readFileSync(file(), 'utf8') : '');
  const activeTab = (name: string) => wb.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name });

  before(() => server().reset());
  after(() => {
    rmSync(folder(), { recursive: true, force: true });
    server().reset();
  });
  // Nothing unsaved is left for VS Code to back up into later windows on the same folder.
  wb.beforeClose(() => wb.runCommand('View: Close All Editors'));

  it("Open App as DSL…: the app's draft in dify/test-workflow.yml, headed by the app it belongs to", async () => {
    const { url } = server();
    await wb.runCommand('Dify: Sign In to Workspace…');
    await wb.inputBox(url, { title: 'Sign In to Dify Workspace' });
    await wb.inputBox(server().console.email, { prompt: 'email address' });
    await wb.inputBox(server().console.password, { prompt: 'Password for' });
    await wb.waitForNotification(/Signed in to Dify at .+ as /);

    await wb.runCommand('Dify: Open App as DSL…');
    await wb.quickPickType('Test Workflow', { title: /Open App as DSL/ });
    await wb.quickPickSelect('Test Workflow');
    await wb.quickPickSelect('Without secret values', { title: 'Include secret values?' });
    await wb.quickPickSelect('dify/', { title: 'Save the DSL in' });
    await activeTab('test-workflow.yml').waitFor();
    const text = onDisk();
    assert.ok(text.startsWith(`# dify-app-id: ${app().id}\n# dify-console: ${url}\napp:\n`), text.slice(0, 200));
    assert.match(text, /^version: 0\.6\.0$/m);
    assert.match(text, /^ +title: Summarize$/m);
    assert.deepEqual(server().requests.filter((r) => r.path === `/console/api/apps/${app().id}/export`).map((r) => r.query), [{ include_secret: 'false' }]);
  });
});
