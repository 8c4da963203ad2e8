// A person edits knowledge segments in editors: the tab is named after the document and the segment's position, an
// unsaved edit survives a window reload (hot exit) and is saved to Dify after it, and a save after someone changed
// the segment in Dify is refused by VS Code's "the content of the file is newer" instead of overwriting their edit.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { KnowledgeClient, type Segment } from '../../../src/dify/index.js';
import { KNOWLEDGE_SEED as SEED } from '../../dify-server/knowledge.js';
import { editorTab, tabName } from './editors.js';
import { eventually, session, useWorkbench } from './harness.js';

const VIEW = 'Knowledge';
const HANDBOOK = 'Acme Product Handbook';
const DOCUMENT = SEED.documents.gettingStarted;

describe('UI: knowledge segment editors', () => {
  const wb = useWorkbench({ seed: [{ kind: 'knowledge', label: 'Team Knowledge', key: session().dify.keys.dataset }] });
  const server = () => session().dify;
  const dify = () => new KnowledgeClient({ baseUrl: server().baseUrl, apiKey: server().keys.dataset });
  let segments: Segment[] = [];
  const segmentPath = (s: Segment) => `/datasets/${SEED.handbook}/documents/${DOCUMENT}/segments/${s.id}`;
  const contentInDify = async (s: Segment) => (await dify().getSegment(SEED.handbook, DOCUMENT, s.id)).data.content;

  before(async () => {
    server().reset();
    segments = (await dify().listSegments(SEED.handbook, DOCUMENT)).data;
    // VS Code for the Web saves after a delay by default: these edits must stay unsaved until Ctrl+S.
    await wb.updateUserSettings({ 'files.autoSave': 'off' });
  });

  /** The hot-exit backups of segment editors that VS Code has written (User/Backups/<workspace>/dify-segment/…). */
  const segmentBackups = (): string[] => {
    const backups = join(session().userDataDir, 'User', 'Backups');
    if (!existsSync(backups)) return [];
    return readdirSync(backups, { recursive: true, encoding: 'utf8' }).filter((p) => p.split(sep).includes('dify-segment') && statSync(join(backups, p)).isFile());
  };

  // A dirty segment tab left open would come back from its backup in every later window on this folder (and fail to
  // save there, its knowledge key gone): the edits are dropped and the backups are waited away first.
  wb.beforeClose(async () => {
    await wb.runCommand('View: Close All Editors');
    const dialog = wb.page.locator('.monaco-dialog-box');
    if (await dialog.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await wb.dialogButton(/save/i, "Don't Save");
    await eventually(async () => assert.deepEqual(segmentBackups(), []), 20_000);
  });
  wb.beforeClose(() => wb.updateUserSettings({ 'files.autoSave': undefined }));

  /** Expands the Knowledge view's row `label` unless it is open already (a reloaded window may restore it). */
  async function expand(label: string): Promise<void> {
    const row = await wb.treeItem(VIEW, label);
    await eventually(async () => {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
      assert.equal(await row.getAttribute('aria-expanded'), 'true');
    });
  }

  /** Opens the segment whose first line is `firstLine` from the tree, and types `text` at its end. */
  async function openAndType(firstLine: string, text: string): Promise<void> {
    await wb.activityBarOpen('Dify');
    await wb.soloSection(VIEW);
    await expand('Team Knowledge');
    await expand(HANDBOOK);
    await expand('getting-started.md');
    await (await wb.treeItem(VIEW, firstLine)).click();
    const editor = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await eventually(async () => assert.match(await editorText(), new RegExp(firstLine)));
    await editor.click();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type(text);
  }

  const editorText = async () => (await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  const tab = (name: string, state = '') => editorTab(wb, name, state);

  it('opens in a tab named after the document; after a reload the tabs read from Dify, and an unsaved edit is kept and saved', async () => {
    const [first, installing] = [segments.find((s) => s.position === 1)!, segments.find((s) => s.position === 2)!];
    await openAndType('## Installing the CLI', ' Edited before the reload.');
    const name = 'getting-started #2.md';
    await tab(name, '.active.dirty').waitFor();
    assert.equal(await tabName(wb.page.locator('.tabs-container .tab.active')), name, 'no ids, one extension');
    await (await wb.treeItem(VIEW, '# Getting started with Acme Cloud')).click();
    await tab('getting-started #1.md', '.active').waitFor();
    await wb.screenshot('knowledge-segment-editor');
    // VS Code backs a dirty editor up a moment after its last change (in code-server's user data): the reload needs it.
    await eventually(async () => assert.ok(segmentBackups().length > 0, 'backed up'), 20_000);
    const before = server().requests.length;
    await wb.reload({ command: true });

    // The active tab is read again from Dify, from its URI alone (the Knowledge view has loaded nothing).
    await eventually(async () => assert.match(await editorText(), /# Getting started with Acme Cloud/), 30_000);
    assert.ok(server().requests.slice(before).some((r) => r.method === 'GET' && r.path === segmentPath(first)));
    assert.equal(server().requests.slice(before).filter((r) => r.path === '/datasets').length, 0, 'no dataset list needed');
    // The edited one comes back from its backup, still unsaved, and Ctrl+S sends it.
    await tab(name, '.dirty').click();
    await eventually(async () => assert.match(await editorText(), /Edited before the reload\./));
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+S');
    await eventually(async () => assert.match(await contentInDify(installing), /Edited before the reload\.$/));
    await tab(name, '.active:not(.dirty)').waitFor();
  });

  it('a save after someone changed the segment in Dify is refused as newer; their edit stays', async () => {
    const deploying = segments.find((s) => s.position === 3)!;
    await openAndType('## Deploying', ' My edit.');
    await tab('getting-started #3.md', '.active.dirty').waitFor();
    const theirs = 'Changed in Dify by someone else while the editor was open.';
    await dify().updateSegment(SEED.handbook, DOCUMENT, deploying.id, { content: theirs });
    const saves = () => server().requests.filter((r) => r.method === 'POST' && r.path === segmentPath(deploying)).length;
    assert.equal(saves(), 1, "only the other person's save");

    await wb.page.keyboard.press('Control+S');
    await wb.waitForNotification(/The content of the file is newer/);
    await wb.screenshot('knowledge-segment-newer');
    assert.equal(await contentInDify(deploying), theirs, 'not overwritten');
    assert.equal(saves(), 1, 'nothing sent');
    await tab('getting-started #3.md', '.active.dirty').waitFor();
  });
});
