// Workflows as code: a person signed in to their Dify workspace exports a workflow app into dify/<app>.yml, renames a
// node in the editor, pushes the file into the app's draft (a broken file is refused before anything is sent) and
// publishes it with a note, after which the Service API runs the new title, and opens the published version from the
// list of versions. When someone changes the draft in Dify's web editor meanwhile, the next push asks first: Show Diff
// compares, Pull takes Dify's draft into the file (undoable), Overwrite pushes the file anyway. A DSL version newer
// than Dify's is imported once confirmed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppClient, ConsoleClient, type WorkflowStreamEvent } from '../../../src/dify/index.js';
import { drainStream } from '../../helpers/drain-stream.js';
import { diffSideText, openFile } from './editors.js';
import { eventually, session, useWorkbench } from './harness.js';

describe('UI: workflows as code', () => {
  const wb = useWorkbench();
  const server = () => session().dify;
  const app = () => server().apps.find((a) => a.name === 'Test Workflow')!;
  const folder = () => join(session().env.workspaceFolder, 'dify');
  const file = () => join(folder(), 'test-workflow.yml');
  const onDisk = () => (existsSync(file()) ? readFileSync(file(), 'utf8') : '');
  const imports = () => server().requests.filter((r) => r.method === 'POST' && r.path === '/console/api/apps/imports');
  const activeTab = (name: string) => wb.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name });

  before(() => server().reset());
  after(() => {
    rmSync(folder(), { recursive: true, force: true });
    server().reset();
  });
  // Nothing unsaved is left for VS Code to back up into later windows on the same folder.
  wb.beforeClose(() => wb.runCommand('View: Close All Editors'));

  /** The titles of the nodes a Service API run of the app goes through (what /v1 runs: the published version). */
  async function serviceApiTitles(): Promise<string[]> {
    const client = new AppClient({ baseUrl: server().baseUrl, apiKey: server().keys.workflow, user: 'ui-test' });
    const { events } = await drainStream<WorkflowStreamEvent>(await client.streamWorkflow({ inputs: { topic: 'x' } }));
    return events.flatMap((e) => (e.event === 'node_started' ? [e.data.title] : []));
  }

  /** Someone renames the node `from` in Dify's web editor (a draft sync with the current hash, as the editor does). */
  async function changedInBrowser(from: string, to: string): Promise<void> {
    const browser = new ConsoleClient({ consoleUrl: server().url });
    await browser.login(server().console.email, server().console.password, 'base64');
    const draft = await browser.draft(app().id);
    const graph = structuredClone(draft.graph) as unknown as { nodes: { data: { title: string } }[] };
    graph.nodes.find((n) => n.data.title === from)!.data.title = to;
    await browser.call('POST', `/apps/${app().id}/workflows/draft`, { json: { graph, features: draft.features, hash: draft.hash } });
  }

  /** Replaces the text of the line holding `from` with `to`, typed in the editor (Go to Line, select, type), and saves. */
  async function retype(from: string, to: string): Promise<void> {
    const line = onDisk().split('\n').findIndex((l) => l.trim() === from) + 1;
    assert.ok(line > 0, `"${from}" in ${onDisk()}`);
    await wb.runCommand('Go to Line/Column...');
    await wb.quickPickType(`:${line}`);
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.type(to);
    await wb.page.keyboard.press('Control+S');
    await eventually(async () => assert.ok(onDisk().includes(`${to}\n`), onDisk()));
  }

  const pushButton = () => wb.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label*="Push DSL to Dify"]').first();

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
    await pushButton().waitFor();
  });

  it('Push DSL to Dify: broken YAML is shown at its line, and nothing is sent', async () => {
    const kindLine = onDisk().split('\n').indexOf('kind: app') + 1;
    await retype('kind: app', 'kind: app: nested');
    await pushButton().click();
    await wb.waitForNotification('test-workflow.yml has problems Dify would refuse: see the Problems panel. Nothing was sent.');
    await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const problem = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'YAML syntax error: bad indentation of a mapping entry' }).first();
    assert.match(await problem.innerText(), new RegExp(`Ln ${kindLine}, Col 10`));
    assert.equal(imports().length, 0);
    await retype('kind: app: nested', 'kind: app');
  });

  it('a node renamed in the file is pushed into the draft, then published with a note: the Service API runs the new title', async () => {
    await retype('title: Summarize', 'title: Condense');
    await pushButton().click();
    await wb.waitForNotification('Pushed test-workflow.yml to the draft of "Test Workflow". Publish it for the Service API to run it.');
    assert.equal(imports().length, 1);
    assert.deepEqual({ ...(imports()[0]!.json as Record<string, unknown>), yaml_content: undefined }, { mode: 'yaml-content', yaml_content: undefined, app_id: app().id });
    assert.ok((imports()[0]!.json as { yaml_content: string }).yaml_content.includes('title: Condense\n'), 'the edited text');
    assert.ok((await serviceApiTitles()).includes('Summarize'), 'a pushed draft is not published yet');

    await wb.notificationAction('Pushed test-workflow.yml', 'Publish…');
    await wb.inputBox('x'.repeat(21), { title: 'Publish "Test Workflow"', prompt: 'A name for this version' });
    await eventually(async () => assert.equal(await wb.inputBoxMessage(), 'At most 20 characters (21 now).'));
    await wb.inputBox('Condensed titles');
    await wb.inputBox('Summarize is now Condense', { prompt: 'Release notes' });
    await wb.waitForNotification('Published "Test Workflow": the Service API runs this version now.');
    const published = server().requests.filter((r) => r.path === `/console/api/apps/${app().id}/workflows/publish`);
    assert.deepEqual(published.map((r) => r.json), [{ marked_name: 'Condensed titles', marked_comment: 'Summarize is now Condense' }]);
    assert.ok((await serviceApiTitles()).includes('Condense'));

    await wb.notificationAction('Published "Test Workflow"', 'Show Versions');
    await eventually(async () => assert.deepEqual((await wb.quickPickLabels()).slice(0, 2), ['Draft', 'Condensed titles']));
    await wb.quickPickSelect('Condensed titles');
    await activeTab('test-workflow-condensed-titles.yml').waitFor();
    const version = server().requests.filter((r) => r.path === `/console/api/apps/${app().id}/export`).at(-1)!;
    assert.deepEqual(Object.keys(version.query).sort(), ['include_secret', 'workflow_id'], 'the published version, not the draft');
    await wb.runCommand('View: Close Editor');
  });

  it('a draft changed in Dify meanwhile: the push asks first (Show Diff, Pull, Overwrite) and loses neither side', async () => {
    await changedInBrowser('Condense', 'Renamed in the browser');
    const before = imports().length;
    await pushButton().click();
    await wb.dialogButton('The draft of "Test Workflow" was changed in Dify since test-workflow.yml was exported, pushed or pulled.', 'Show Diff');
    await activeTab("test-workflow.yml (Dify's draft ↔ this file)").waitFor();
    // Dify's draft on the left, the file on the right.
    await eventually(async () => assert.match(await diffSideText(wb, 'original'), /title: Renamed in the browser/));
    assert.match(await diffSideText(wb, 'modified'), /title: Condense/);
    assert.equal(imports().length, before, 'nothing pushed');

    await wb.runCommand('View: Close Editor');
    await activeTab('test-workflow.yml').waitFor();
    await pushButton().click();
    await wb.dialogButton('was changed in Dify since', 'Pull');
    await wb.waitForNotification('test-workflow.yml now holds the draft of "Test Workflow" from Dify. Undo brings your version back; save to keep it.');
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+S');
    await eventually(async () => assert.match(onDisk(), /^ +title: Renamed in the browser$/m));
    assert.ok(onDisk().startsWith(`# dify-app-id: ${app().id}\n`), 'the header stays');
    assert.equal(imports().length, before, 'nothing pushed');

    await changedInBrowser('Renamed in the browser', 'Renamed again');
    await wb.clearNotifications();
    await pushButton().click();
    await wb.dialogButton('was changed in Dify since', 'Overwrite');
    await wb.waitForNotification(/Pushed test-workflow\.yml to the draft of "Test Workflow"/);
    assert.equal(imports().length, before + 1);
    const browser = new ConsoleClient({ consoleUrl: server().url });
    await browser.login(server().console.email, server().console.password, 'base64');
    const titles = (await browser.draft(app().id)).graph.nodes.map((n) => (n.data as { title: string }).title);
    assert.ok(titles.includes('Renamed in the browser') && !titles.includes('Renamed again'), titles.join(', '));
  });

  it('a DSL of a newer version than this Dify writes is imported only once confirmed, as Dify asks', async () => {
    await activeTab('test-workflow.yml').waitFor();
    await retype('version: 0.6.0', "version: '0.7.0'");
    const before = imports().length;
    await wb.clearNotifications();
    await pushButton().click();
    await wb.dialogButton('Dify asks to confirm: test-workflow.yml is DSL version 0.7.0, and this Dify writes version 0.6.0.', 'Import');
    await wb.waitForNotification(/Pushed test-workflow\.yml to the draft of "Test Workflow"/);
    assert.equal(imports().length, before + 1);
    const confirmed = server().requests.filter((r) => r.method === 'POST' && /^\/console\/api\/apps\/imports\/[^/]+\/confirm$/.test(r.path));
    assert.deepEqual(confirmed.map((r) => r.status), [200]);
  });

  it('a file a clone brought (no record here of when it last matched the draft): the push compares it with the draft and asks', async () => {
    // The same app's DSL as a teammate committed it, with a title of their own: never exported or pushed from here.
    const cloned = onDisk().replace("version: '0.7.0'", 'version: 0.6.0').replace(/title: Renamed in the browser/, 'title: From the clone');
    assert.ok(cloned.includes('title: From the clone'), cloned);
    writeFileSync(join(folder(), 'cloned.yml'), cloned);
    await openFile(wb, 'cloned.yml');
    const before = imports().length;
    await wb.clearNotifications();
    await pushButton().click();
    await wb.dialogButton('this workspace has no record of when they last matched (a fresh clone?)', 'Overwrite');
    await wb.waitForNotification(/Pushed cloned\.yml to the draft of "Test Workflow"/);
    assert.equal(imports().length, before + 1);
  });
});
