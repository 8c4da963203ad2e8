// A person works with Dify knowledge in the Knowledge view: expands a dataset (one request per page opened), uploads
// two files from the Explorer's context menu and one by dropping it on the dataset, watches them reach "completed"
// with their word counts, gets one clear message per bad file and one for a dataset whose API access is off, searches
// and opens a hit, adds an editor's selection as a document, and gets a refused dataset name back to change it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { KNOWLEDGE_SEED as SEED } from '../../dify-server/knowledge.js';
import { eventually, session, useWorkbench } from './harness.js';

const VIEW = 'Knowledge';
const HANDBOOK = 'Acme Product Handbook';

describe('UI: knowledge view', () => {
  const wb = useWorkbench({ seed: [{ kind: 'knowledge', label: 'Team Knowledge', key: session().dify.keys.dataset }] });
  const server = () => session().dify;
  const folder = () => join(session().env.workspaceFolder, 'kn');
  const documentPages = (datasetId: string) => server().requests.filter((r) => r.method === 'GET' && r.path === `/datasets/${datasetId}/documents`);

  before(() => {
    server().reset();
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'alpha.md'), '# Alpha\n\nThe alpha launch is in March.\n\nIt ships the new billing page.\n');
    writeFileSync(join(folder(), 'beta.txt'), 'Beta notes: the beta programme has forty customers.\n');
    writeFileSync(join(folder(), 'gamma.md'), 'Gamma: dropped on the dataset from the Explorer.\n');
    writeFileSync(join(folder(), 'empty.txt'), '');
    writeFileSync(join(folder(), 'tool.exe'), 'MZ');
    mkdirSync(join(folder(), 'sub'), { recursive: true });
  });

  /** Only the Knowledge pane open, so its rows are on screen (lists render only visible rows). */
  async function focusKnowledge(): Promise<Locator> {
    await wb.activityBarOpen('Dify');
    return wb.soloSection(VIEW);
  }

  /** Expands the row `label` of the Knowledge view (its twistie, so a layout shift cannot turn it into another click). */
  async function expand(label: string): Promise<void> {
    const row = await wb.treeItem(VIEW, label);
    await eventually(async () => {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
      assert.equal(await row.getAttribute('aria-expanded'), 'true');
    });
  }

  async function collapse(label: string): Promise<void> {
    const row = await wb.treeItem(VIEW, label);
    await eventually(async () => {
      if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
      assert.equal(await row.getAttribute('aria-expanded'), 'false');
    });
  }

  async function rowState(label: string): Promise<string> {
    const row = await wb.treeItem(VIEW, label);
    const icon = await row.locator('.custom-view-tree-node-item-icon').getAttribute('class');
    return `${icon ?? ''} ${await row.innerText()}`;
  }

  it('nothing is fetched before the key is expanded; datasets, then documents with their states, a page at a time', async () => {
    await wb.page.setViewportSize({ width: 1400, height: 1100 });
    await focusKnowledge();
    await wb.treeItem(VIEW, 'Team Knowledge');
    assert.equal(server().requests.filter((r) => r.path.startsWith('/datasets')).length, 0);
    await expand('Team Knowledge');
    await expand('Meeting Notes Archive');
    await wb.treeItem(VIEW, 'meeting-2000.txt');
    await wb.treeItem(VIEW, 'Load more…');
    assert.equal(documentPages(SEED.large).length, 1, 'the first page of the 2,000 documents only');
    await (await wb.treeItem(VIEW, 'Load more…')).click();
    await eventually(async () => assert.equal(documentPages(SEED.large).length, 2));
    await collapse('Meeting Notes Archive');
    assert.equal(documentPages(SEED.handbook).length, 0, 'a dataset nobody opened is not fetched');

    await expand(HANDBOOK);
    await eventually(async () => assert.match(await rowState('scanned-contract.pdf'), /codicon-error[\s\S]*no text layer/));
    assert.match(await rowState('old-pricing.md'), /codicon-circle-slash/);
    assert.match(await rowState('roadmap-2023.md'), /codicon-archive/);
    assert.match(await rowState('customers-export.csv'), /codicon-debug-pause/);
    assert.match(await rowState('getting-started.md'), /codicon-file-text/);
    await wb.screenshot('knowledge-tree');
  });

  it('uploads two files from the Explorer context menu; they reach "completed" in the tree', async () => {
    await wb.runCommand('View: Show Explorer');
    await (await wb.explorerRow('kn')).click();
    await (await wb.explorerRow('alpha.md')).click();
    await (await wb.explorerRow('beta.txt')).click({ modifiers: ['Control'] });
    await wb.contextMenu(await wb.explorerRow('beta.txt'), 'Upload to Dify Knowledge…');
    await wb.quickPickSelect(HANDBOOK, { title: 'Upload to Dify Knowledge' });
    await wb.quickPickSelect('Automatic', { title: /Segmenting documents/ });
    await wb.waitForNotification(`2 of 2 files sent to "${HANDBOOK}".`);
    await focusKnowledge();
    await eventually(async () => {
      assert.match(await rowState('alpha.md'), /codicon-file-text/);
      assert.match(await rowState('beta.txt'), /codicon-file-text/);
    });
    // Once indexed, the rows show Dify's word counts (the indexing status has none).
    await eventually(async () => assert.match(await rowState('alpha.md'), /\d+ words/));
    const polls = server().requests.filter((r) => r.path.startsWith(`/datasets/${SEED.handbook}/documents/`) && r.path.endsWith('/indexing-status'));
    assert.ok(polls.length >= 2, `indexing followed (${polls.length} polls)`);
    await wb.screenshot('knowledge-after-upload');
  });

  it('uploads a file dragged from its editor tab and dropped on the dataset (a real drag)', async () => {
    await wb.clearNotifications();
    await wb.runCommand('View: Show Explorer');
    await (await wb.explorerRow('gamma.md')).dblclick();
    const tab = wb.page.locator('.tabs-container .tab', { hasText: 'gamma.md' }).first();
    await tab.waitFor();
    await focusKnowledge();
    await tab.dragTo(await wb.treeItem(VIEW, HANDBOOK));
    await wb.quickPickSelect('As last time', { title: /Segmenting documents/ });
    await wb.waitForNotification(`1 of 1 file sent to "${HANDBOOK}".`);
    await eventually(async () => assert.match(await rowState('gamma.md'), /codicon-file-text/));
  });

  it('bad inputs from the Explorer (a folder, 0 bytes, an .exe): one message each, the good file still goes', async () => {
    await wb.clearNotifications();
    await wb.runCommand('View: Show Explorer');
    await (await wb.explorerRow('sub')).click();
    for (const name of ['empty.txt', 'tool.exe', 'alpha.md']) await (await wb.explorerRow(name)).click({ modifiers: ['Control'] });
    await wb.contextMenu(await wb.explorerRow('tool.exe'), 'Upload to Dify Knowledge…');
    // The click can land while the menu re-renders (late contributions): the item is then only focused.
    const menu = wb.page.locator('.context-view .monaco-menu');
    if (await menu.isVisible().catch(() => false)) await wb.page.keyboard.press('Enter');
    await wb.quickPickSelect(HANDBOOK, { title: 'Upload to Dify Knowledge' });
    await wb.quickPickSelect('As last time', { title: /Segmenting documents/ });
    // Toasts show three at a time: read every message in the notification center.
    await wb.runCommand('Notifications: Show Notifications');
    await eventually(async () => {
      const messages = (await wb.page.locator('.notifications-center .notification-list-item-message').allInnerTexts()).join('\n');
      assert.ok(messages.includes(`1 of 4 files sent to "${HANDBOOK}".`), messages);
      assert.match(messages, /"sub" was not uploaded: it is a folder/);
      assert.match(messages, /"empty\.txt" was not uploaded: the file is empty \(0 bytes\)\./);
      assert.match(messages, /"tool\.exe" was not uploaded: Dify knowledge cannot read \.exe files/);
    });
    await wb.screenshot('knowledge-bad-inputs');
  });

  it('a dataset whose API access is off is marked in the picker and refused before any other question', async () => {
    await wb.clearNotifications();
    await wb.runCommand('View: Show Explorer');
    await wb.contextMenu(await wb.explorerRow('beta.txt'), 'Upload to Dify Knowledge…');
    const row = wb.quickPickRows('Internal HR Policies').first();
    await row.waitFor();
    assert.match(await row.innerText(), /API access is off — turn it on in Dify/);
    assert.doesNotMatch(await wb.quickPickRows(HANDBOOK).first().innerText(), /API access/);
    await wb.quickPickSelect('Internal HR Policies', { title: 'Upload to Dify Knowledge' });
    await wb.waitForNotification(/"Internal HR Policies" cannot be used: its API access is off in Dify.*Turn on API access in the dataset's settings in Dify, then try again\./);
    assert.equal(await wb.quickInput.isVisible(), false, 'no segmentation question');
    assert.equal(server().requests.filter((r) => r.path.startsWith(`/datasets/${SEED.apiDisabled}/document`)).length, 0, 'nothing sent');
  });

  it('searches the dataset and opens a hit in an editor', async () => {
    await wb.clearNotifications();
    await wb.runCommand('Dify: Search Knowledge…');
    await wb.quickPickSelect(HANDBOOK, { title: 'Search Dify Knowledge' });
    await wb.inputBox('rollback release', { title: `Search "${HANDBOOK}"` });
    await wb.quickPickSelect('getting-started.md', { title: /rollback release/ });
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
    await eventually(async () => assert.match((await editor.innerText()).replace(/\u00a0/g, ' '), /acme rollback/));
    assert.ok(server().requests.some((r) => r.method === 'POST' && r.path === `/datasets/${SEED.handbook}/retrieve`));
    await wb.screenshot('knowledge-search-hit');
  });

  it('adds the selected lines of an editor as a new document named after them, and it gets indexed', async () => {
    await wb.clearNotifications();
    await wb.runCommand('Go to File...');
    await wb.quickPickType('gamma.md');
    await wb.quickPickSelect('gamma.md');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'gamma.md' }).waitFor();
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('Shift+End');
    await wb.runCommand('Dify: Add Selection to Dify Knowledge…');
    await wb.quickPickSelect(HANDBOOK, { title: 'Create Dify Knowledge Document' });
    const name = 'gamma.md (lines 1-1)';
    await eventually(async () => assert.equal(await wb.quickInput.locator('input').inputValue(), name));
    await wb.inputBox(name, { prompt: /Name of the new document/ });
    await wb.quickPickSelect('Automatic', { title: /Segmenting documents/ });
    await focusKnowledge();
    await eventually(async () => assert.match(await rowState(name), /codicon-file-text/), 20_000);
    const created = server().requests.filter((r) => r.method === 'POST' && r.path === `/datasets/${SEED.handbook}/document/create-by-text`);
    assert.deepEqual(created.map((r) => r.json as { name: string; text: string }).map(({ name, text }) => [name, text]), [[name, 'Gamma: dropped on the dataset from the Explorer.']]);
  });

  it('a dataset name Dify refuses is kept: Edit and Retry reopens the box with it, and the changed name is created', async () => {
    await wb.clearNotifications();
    const creates = () => server().requests.filter((r) => r.method === 'POST' && r.path === '/datasets');
    await wb.runCommand('Dify: Create Dataset…');
    await wb.inputBox(HANDBOOK, { title: 'Create Dataset' });
    await wb.quickPickSelect('Economy', { title: /How should/ });
    await wb.notificationAction(/Dataset name already exists/, 'Edit and Retry');
    await eventually(async () => assert.equal(await wb.quickInput.locator('input').inputValue(), HANDBOOK));
    await wb.inputBox(`${HANDBOOK} 2`, { title: 'Create Dataset' });
    await wb.quickPickSelect('Economy', { title: /How should/ });
    await wb.waitForNotification(`Created the dataset "${HANDBOOK} 2".`);
    assert.deepEqual(creates().map((r) => (r.json as { name: string }).name), [HANDBOOK, `${HANDBOOK} 2`]);
    await focusKnowledge();
    await wb.treeItem(VIEW, `${HANDBOOK} 2`);
  });
});
