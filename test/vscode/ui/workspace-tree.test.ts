// Signed in to a self-hosted Dify, a person finds the workspace in the Apps view: expands it (nothing is fetched
// before), sees its apps with their kinds, filters them to workflows, adds one with its row's button and another found
// by name from its context menu (both then listed among their apps, marked as added in the workspace), adds the
// workspace's knowledge and chats with the chat app; pages with "Load more", removes an app (its mark goes), retries
// after a failure, signs in again from the row of a session that ended, switches workspace (the node lists the other
// workspace's apps) and signs out (the node goes).
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, session, useWorkbench } from './harness.js';
import { asRegExp, type Matcher } from './session.js';
import { askTestChat } from './test-chat.js';

describe('UI: the workspace in the Apps view', () => {
  const wb = useWorkbench();
  const server = () => session().dify;
  const appCalls = () => server().requests.filter((r) => r.path === '/console/api/apps');
  const [current, other] = [() => server().console.workspaces[0]!, () => server().console.workspaces[1]!];
  const host = () => new URL(server().url).host;
  /** The current workspace's apps as Dify lists them (1.15's agent apps have a list of their own). */
  const listed = () => current().apps.filter((a) => a.mode !== 'agent');

  /** The user's app `label` (on the first level of the Apps view). */
  const myRow = (label: string) => wb.page.locator('.part.sidebar .pane .monaco-list-row[aria-level="1"]', { has: wb.page.locator('.label-name', { hasText: asRegExp(label) }) });
  /** The rows under the workspace node. */
  const workspaceRows = () => wb.page.locator('.part.sidebar .pane .monaco-list-row[aria-level="2"]');
  const workspaceRow = async (label: Matcher): Promise<Locator> => {
    const row = workspaceRows().filter({ has: wb.page.locator('.label-name', { hasText: asRegExp(label) }) }).first();
    await row.waitFor();
    return row;
  };
  const workspaceLabels = async () => (await workspaceRows().locator('.label-name').allInnerTexts()).map((t) => t.trim());
  const description = async (row: Locator) => (await row.locator('.label-description').allInnerTexts()).join('').trim();
  const node = () => wb.treeItem('Apps', `${current().name} · ${host()}`);

  before(() => server().reset());

  it('signed in, the Apps view shows the workspace; expanded, its first apps with their kinds', async () => {
    await wb.activityBarOpen('Dify');
    await wb.runCommand('Dify: Sign In to Workspace…');
    await wb.inputBox(server().url, { title: 'Sign In to Dify Workspace' });
    await wb.inputBox(server().console.email, { prompt: 'email address' });
    await wb.inputBox(server().console.password, { prompt: 'Password for' });
    await wb.waitForNotification(/Signed in to Dify at/);
    await wb.soloSection('Apps');
    const workspace = await node();
    assert.equal(appCalls().length, 0, 'nothing fetched before the node is expanded');
    await workspace.click();
    await wb.treeItem('Apps', 'Load more…');
    const labels = await workspaceLabels();
    assert.equal(labels.length, 11, labels.join(', '));
    const kinds = new Map(listed().map((a) => [a.name, a.mode]));
    const modeLabels: Record<string, string> = { chat: 'Chatbot', 'agent-chat': 'Agent', 'advanced-chat': 'Chatflow', completion: 'Text Generator', workflow: 'Workflow' };
    for (const label of labels.slice(0, 10)) assert.equal(await description(await workspaceRow(label)), modeLabels[kinds.get(label)!], label);
    assert.equal(await description(workspace), '', 'no filter');
    assert.deepEqual(appCalls().map((r) => r.query), [{ page: '1', limit: '10', mode: 'all' }]);
  });

  it('Filter Workspace Apps…: workflows only; Add to VS Code adds one, listed among the apps and marked as added', async () => {
    await wb.rowAction(await node(), 'Filter Workspace Apps…');
    await wb.quickPickSelect('Workflow', { title: 'Filter Workspace Apps' });
    const workflows = listed().filter((a) => a.mode === 'workflow').map((a) => a.name);
    await eventually(async () => assert.deepEqual((await workspaceLabels()).sort(), [...workflows].sort()));
    assert.equal(await description(await node()), 'Workflow');
    assert.deepEqual(appCalls().at(-1)!.query, { page: '1', limit: '10', mode: 'workflow' });

    await wb.rowAction(await workspaceRow('Test Workflow'), 'Add to VS Code');
    await wb.waitForNotification('Added "Test Workflow" (Workflow) from the workspace.');
    const added = await workspaceRow('Test Workflow');
    await eventually(async () => assert.equal(await description(added), 'Workflow · added'));
    await added.hover();
    assert.equal(await added.locator('.actions .action-label[aria-label="Add to VS Code"]').count(), 0, 'no Add button once added');
    const mine = myRow('Test Workflow');
    await mine.waitFor();
    // Add App from Workspace… says so too.
    await wb.runCommand('Dify: Add App from Workspace…');
    await wb.quickPickType('Test Workflow', { title: /Add App from Dify Workspace/ });
    await eventually(async () => assert.match(await wb.quickPickRows('Test Workflow').first().innerText(), /Workflow · added/));
    await wb.page.keyboard.press('Escape');
    // Each row keeps its own menu: the user's app its commands, the workspace's rows theirs (an added one none).
    assert.deepEqual(await wb.contextMenuLabels(mine), ['Run Dify Workflow…', 'Test Connection', 'Set or Replace Key…', 'Edit…', 'Remove App']);
    assert.deepEqual(await wb.contextMenuLabels(await workspaceRow('Test Iteration Workflow')), ['Add to VS Code']);
    assert.deepEqual(await wb.contextMenuLabels(await node()), ['Filter Workspace Apps…', 'Clear Filter', 'Refresh Workspace Apps', 'Switch Workspace…', 'Sign Out of Workspace']);
  });

  it('a name search finds the chat app, added from its context menu; the knowledge too, and the chat app answers', async () => {
    await wb.rowAction(await node(), 'Filter Workspace Apps…');
    await wb.quickPickType('chat 测试', { title: 'Filter Workspace Apps' });
    await wb.quickPickSelect('All');
    const chat = server().apps.find((a) => a.key === server().keys.chat)!;
    await eventually(async () => assert.deepEqual(await workspaceLabels(), [chat.name]));
    assert.equal(await description(await node()), 'name contains "chat 测试"');
    await wb.contextMenu(await workspaceRow(chat.name), 'Add to VS Code');
    await wb.waitForNotification(`Added "${chat.name}" (Chatbot) from the workspace.`);
    await eventually(async () => assert.equal(await description(await workspaceRow(chat.name)), 'Chatbot · added'));

    await wb.runCommand('Dify: Add Knowledge from Workspace');
    await wb.waitForNotification(`Added knowledge key "Knowledge of ${current().name}".`);

    await askTestChat(wb, 'hello from the Apps view');
  });

  it('Clear Filter lists every app again, a page at a time: "Load more" brings the rest', async () => {
    await wb.soloSection('Apps');
    await wb.rowAction(await node(), 'Clear Filter');
    await wb.treeItem('Apps', 'Load more…');
    assert.equal(await description(await node()), '');
    await (await wb.treeItem('Apps', 'Load more…')).click();
    await eventually(async () => assert.deepEqual((await workspaceLabels()).sort(), listed().map((a) => a.name).sort()));
    assert.deepEqual(appCalls().slice(-2).map((r) => r.query.page), ['1', '2']);
  });

  it('removing an added app takes its mark away: the workspace row offers Add again', async () => {
    const mine = myRow('Test Workflow');
    await wb.contextMenu(mine, 'Remove App');
    await wb.dialogButton('Remove "Test Workflow"', 'Remove');
    const row = await workspaceRow('Test Workflow');
    await eventually(async () => assert.equal(await description(row), 'Workflow'));
    await row.hover();
    await row.locator('.actions .action-label[aria-label="Add to VS Code"]').waitFor();
  });

  it('a failure to list shows as a row that retries', async () => {
    server().fault({ kind: 'http', status: 500, body: { code: 'internal_server_error', message: 'The server broke.', status: 500 } }, { path: '/console/api/apps' });
    await wb.rowAction(await node(), 'Refresh Workspace Apps');
    const failure = await workspaceRow(/^Could not list the workspace's apps: .*The server broke/);
    await failure.click();
    await wb.treeItem('Apps', 'Load more…');
  });

  it('a session that ended shows as a row that signs in again', async () => {
    server().console.advanceClock(31 * 86400); // past the refresh token's 30 days
    await wb.rowAction(await node(), 'Refresh Workspace Apps');
    const ended = await workspaceRow(/^Could not list the workspace's apps: The Dify console session at .+ has ended/);
    const logins = () => server().requests.filter((r) => r.path === '/console/api/login').length;
    const before = logins();
    await ended.click();
    await wb.inputBox(server().url, { title: 'Sign In to Dify Workspace' });
    await wb.inputBox(server().console.email, { prompt: 'email address' });
    await wb.inputBox(server().console.password, { prompt: 'Password for' });
    await wb.treeItem('Apps', 'Load more…');
    assert.equal(logins(), before + 1);
  });

  it("Switch Workspace…: the node shows the other workspace's apps; Sign Out: the node goes, the apps added stay", async () => {
    await wb.runCommand('Dify: Switch Workspace…');
    await wb.quickPickSelect(other().name);
    await wb.dialogButton('your browser sessions of this Dify switch too', 'Switch');
    await wb.treeItem('Apps', `${other().name} · ${host()}`);
    await eventually(async () => assert.deepEqual((await workspaceLabels()).sort(), other().apps.map((a) => a.name).sort()));
    assert.equal(await description(await workspaceRow('Paper Digest')), 'Workflow');

    await wb.runCommand('Dify: Sign Out of Workspace');
    await wb.waitForNotification(/Signed out of Dify at/);
    await eventually(async () => assert.ok(!(await wb.treeLabels('Apps')).some((l) => l.includes(host())), (await wb.treeLabels('Apps')).join(', ')));
    await wb.treeItem('Apps', server().apps.find((a) => a.key === server().keys.chat)!.name);
  });
});
