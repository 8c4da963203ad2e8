// A person runs Dify workflows and a text generator on selected code: from the editor's context menu and the
// palette, watches the steps, and finds the output replaced, inserted, in a diff or in a new editor; cancels a run
// and a failing workflow leave the file as it was; each bad input gives one clear message.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { answerText } from '../../dify-server/apps/answers.js';
import { activeEditor, editorText, openFile, selectLines } from './editors.js';
import { eventually, session, useWorkbench, type Workbench } from './harness.js';

const folder = () => join(session().env.workspaceFolder, 'wf');
const ADD = 'def add(a, b):\n    return a + b\n';

/** The text of a Markdown preview on screen (run documents open there) that matches `text` (several may show). */
async function previewText(wb: Workbench, text: RegExp): Promise<string> {
  return eventually(async () => {
    const webviews = wb.page.locator('iframe.webview.ready[src*="extensionId=vscode.markdown-language-features"]').filter({ visible: true });
    for (const webview of await webviews.all()) {
      const shown = await webview.contentFrame().locator('#active-frame').contentFrame().locator('body').innerText({ timeout: 1_000 }).catch(() => '');
      if (text.test(shown)) return shown;
    }
    throw new Error(`no Markdown preview on screen matches ${text}`);
  });
}

/** A Runs row's text: the app, then how long ago, the file, the output mode… (a run of this test is minutes old). */
const runRow = (app: string, rest: string): RegExp => new RegExp(`^${app}\\s*(now|\\d+ minutes? ago) · ${rest}`);

/** Right-clicks an Explorer row and clicks a menu item; the Explorer's menu can miss a click while it fades in. */
async function explorerMenu(wb: Workbench, row: Locator, label: string): Promise<void> {
  await row.click({ button: 'right' });
  const menu = wb.page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  const item = menu.locator('.action-item .action-label', { hasText: label }).first();
  for (let attempt = 0; attempt < 5 && (await menu.isVisible()); attempt++) {
    await item.click();
    await menu.waitFor({ state: 'hidden', timeout: 1_000 }).catch(() => {});
  }
}

/** Undoes the run's edit (one undo step) and checks the file is back to `text`. */
async function undo(wb: Workbench, text: string): Promise<void> {
  await activeEditor(wb).locator('.view-lines').click();
  await wb.page.keyboard.press('Control+Z');
  await eventually(async () => assert.equal((await editorText(wb)).trim(), text.trim()));
}

/** Collapses every side bar section but `title`, so its tree has room to show all its rows. */
async function onlySection(wb: Workbench, title: string): Promise<Locator> {
  const headers = wb.page.locator('.part.sidebar .pane-header');
  for (let i = 0; i < (await headers.count()); i++) {
    const header = headers.nth(i);
    const name = (await header.locator('h3.title').innerText()).trim();
    const expanded = (await header.getAttribute('aria-expanded')) === 'true';
    if (expanded !== (name.toLowerCase() === title.toLowerCase())) await header.click();
  }
  return wb.sideBarSection(title);
}

describe('UI: workflows on the selection', () => {
  const keys = session().dify.keys;
  const wb = useWorkbench({
    seed: [
      { kind: 'app', label: 'Test Workflow', key: keys.workflow, mode: 'workflow' },
      { kind: 'app', label: 'Test Iteration Workflow', key: keys.workflowIteration, mode: 'workflow' },
      { kind: 'app', label: 'Test Failing Workflow', key: keys.workflowFailing, mode: 'workflow' },
      { kind: 'app', label: 'Test Completion', key: keys.completion, mode: 'completion' },
      // A key whose app became a chat app in Dify after it was added here.
      { kind: 'app', label: 'Changed App', key: keys.chat, mode: 'workflow' },
    ],
  });
  const server = () => session().dify;

  before(() => {
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'add.py'), ADD);
    writeFileSync(join(folder(), 'items.txt'), 'alpha\nbeta\ngamma\n');
    writeFileSync(join(folder(), 'long.txt'), `${'x'.repeat(150)}\n`);
    writeFileSync(join(folder(), 'empty.py'), '');
    writeFileSync(join(folder(), 'logo.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
  });
  after(() => rmSync(folder(), { recursive: true, force: true }));
  beforeEach(() => server().reset());

  it('with workflow apps, the editor menu has one Run Dify Workflow… entry and the Explorer menu Run Dify Workflow on File…', async () => {
    await openFile(wb, 'add.py');
    await selectLines(wb, 1, 2);
    // The extension activates once the window has started, and its menus follow the apps it has then: the menu is
    // looked at again until they are there.
    await eventually(async () => {
      const editorMenu = await wb.contextMenuLabels(activeEditor(wb).locator('.view-line').first());
      assert.deepEqual(editorMenu.filter((l) => /Dify Workflow/.test(l)), ['Run Dify Workflow…']);
    });
    // The Explorer shows the open file (it reveals the active editor).
    await wb.runCommand('View: Show Explorer');
    const explorerMenu = await wb.contextMenuLabels(await wb.explorerRow('add.py'));
    assert.ok(explorerMenu.includes('Run Dify Workflow on File…'), explorerMenu.join(', '));
    assert.ok(!explorerMenu.includes('Upload to Dify Knowledge…'), 'no knowledge key: no upload');
  });

  it('replaces the selection with the output of a workflow run from the context menu', async () => {
    await openFile(wb, 'add.py');
    await selectLines(wb, 1, 2);
    await wb.contextMenu(activeEditor(wb).locator('.view-line').first(), 'Run Dify Workflow…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Replace the selection', { title: 'Where should the output of "Test Workflow" go?' });
    const expected = answerText(ADD);
    await eventually(async () => assert.match(await editorText(wb), /^Echo: def add\(a, b\):/), 15_000);
    assert.ok((await editorText(wb)).includes('Hope this helps.'));
    const sent = server().requests.find((r) => r.path === '/workflows/run');
    assert.deepEqual((sent?.json as { inputs: unknown }).inputs, { topic: ADD });
    assert.ok(expected.startsWith('Echo: def add(a, b):'));
    await wb.screenshot('workflow-replaced-selection');
    await undo(wb, ADD);
    // The run is in the Dify Runs view.
    await wb.activityBarOpen('Dify');
    const run = await wb.treeItem('Runs', 'Test Workflow');
    assert.match(await run.innerText(), runRow('Test Workflow', 'wf/add\\.py · replace · \\d+\\.\\d s$'));
  });

  it('shows the node steps while it runs; Cancel stops the task on Dify and leaves the file unchanged', async () => {
    await openFile(wb, 'add.py');
    const before = await editorText(wb);
    await selectLines(wb, 1, 2);
    // The stream stalls inside the LLM node, so the progress stays on screen.
    server().fault({ kind: 'stall', afterEvents: 5 }, { path: '/workflows/run' });
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    const toast = await wb.waitForNotification(/Dify: Test Workflow.*Summarize/);
    await wb.screenshot('workflow-progress');
    await toast.locator('.monaco-button', { hasText: /^Cancel$/ }).first().click();
    await wb.waitForNotification('"Test Workflow" was cancelled; nothing was changed.');
    assert.equal(await editorText(wb), before);
    await eventually(async () => assert.ok(server().requests.some((r) => r.method === 'POST' && /^\/workflows\/tasks\/[^/]+\/stop$/.test(r.path)), 'stop endpoint called'));
    await wb.clearNotifications();
  });

  it('a text generator inserts its answer below the selection (output chosen for this run)', async () => {
    await openFile(wb, 'add.py');
    await selectLines(wb, 1, 1);
    await wb.runCommand('Dify: Run Dify Workflow (Choose Output)…');
    await wb.quickPickSelect('Test Completion', { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Insert below the selection', { title: 'Where should the output of "Test Completion" go?' });
    await eventually(async () => assert.match(await editorText(wb), /^def add\(a, b\):\nEcho: def add\(a, b\):/), 15_000);
    assert.ok((await editorText(wb)).includes('    return a + b'));
    assert.ok(server().requests.some((r) => r.path === '/completion-messages'));
    await wb.screenshot('completion-inserted-below');
    await undo(wb, ADD);
  });

  it('shows the output as a diff; Accept applies it', async () => {
    await openFile(wb, 'add.py');
    await selectLines(wb, 2, 1);
    await wb.runCommand('Dify: Run Dify Workflow (Choose Output)…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Show a diff to accept or reject');
    await wb.page.locator('.tabs-container .tab.active', { hasText: /output of Test Workflow/ }).waitFor();
    await wb.screenshot('workflow-diff');
    await wb.editorTitleAction('Accept Proposed Change');
    await eventually(async () => assert.match(await editorText(wb), /^def add\(a, b\):\nEcho: return a \+ b\n/));
    await undo(wb, ADD);
  });

  it('an iteration workflow opens its chosen output in a new editor, and the choice is remembered', async () => {
    await openFile(wb, 'items.txt');
    await wb.page.keyboard.press('Control+A');
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect('Test Iteration Workflow', { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Open in a new editor', { title: /Test Iteration Workflow/ });
    await wb.quickPickSelect('results', { title: 'Which output of "Test Iteration Workflow" should be used?' });
    await eventually(async () => assert.equal((await editorText(wb)).trim(), 'ALPHA!\nBETA!\nGAMMA!'), 15_000);
    await wb.screenshot('workflow-new-editor');
    const sent = server().requests.find((r) => r.path === '/workflows/run');
    assert.deepEqual((sent?.json as { inputs: unknown }).inputs, { items: 'alpha\nbeta\ngamma\n' });
  });

  it("the Runs view says when, on which file and where the output went; a run's document shows its steps, inputs and outputs; it runs again, and pages the server's logs", async () => {
    await wb.activityBarOpen('Dify');
    const pane = await onlySection(wb, 'Runs');
    const row = await wb.treeItem('Runs', 'Test Iteration Workflow');
    assert.match(await row.innerText(), runRow('Test Iteration Workflow', 'wf/items\\.txt · new editor · \\d+\\.\\d s$'));
    await row.click();
    const document = await previewText(wb, /^Test Iteration Workflow\n/);
    for (const fact of [/File: wf\/items\.txt\n/, /Started: .+ \((now|\d+ minutes? ago)\)\n/, /Status: succeeded\n/, /Output mode: Open in a new editor\n/]) assert.match(document, fact);
    // The steps with their durations (the iteration's node runs once per item), then the inputs and the outputs.
    assert.match(document, /Steps\n+Node\tStatus\tDuration\nStart \(start\)\tsucceeded\t(\d+\.\d s|—)\n/);
    assert.equal(document.match(/Shout item \(template-transform\)\tsucceeded\t(\d+\.\d s|—)/g)?.length, 3, document);
    assert.match(document, /Inputs\n+items\n+alpha\nbeta\ngamma\n+Outputs\n[\s\S]*results\n+ALPHA!\nBETA!\nGAMMA!\n/);
    assert.doesNotMatch(document, /##|\*\*/, 'rendered, not Markdown source');
    await wb.screenshot('workflow-run-document');
    await wb.rowAction(row, 'Run Again');
    await eventually(async () => assert.equal((await editorText(wb)).trim(), 'ALPHA!\nBETA!\nGAMMA!'), 15_000);
    assert.equal(server().requests.filter((r) => r.path === '/workflows/run').length, 1);
    await (await wb.treeItem('Runs', 'Server Logs')).click();
    // Its children are the workflow apps; the last one showing means the app rows are there to click.
    await wb.treeItem('Runs', 'Changed App');
    const app = pane.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^\s*Test Iteration Workflow\s*$/ }) }).last();
    await app.click();
    await eventually(async () => assert.ok(server().requests.some((r) => r.path === '/workflows/logs' && r.query.page === '1' && r.query.limit === '20')));
    const log = pane.locator('.monaco-list-row[aria-level="3"]', { hasText: /succeeded/ }).first();
    await log.waitFor();
    assert.match(await log.innerText(), /^(now|\d+ minutes? ago)\s*succeeded · /);
    await wb.screenshot('workflow-runs-view');
    // A run from the server's logs opens as a document too (Dify's GET /workflows/run/:id: no steps, their number).
    await log.click();
    const logDocument = await previewText(wb, /^Test Iteration Workflow\n[\s\S]*Steps: \d+\n/);
    assert.match(logDocument, /Status: succeeded\n[\s\S]*Inputs\n+items\n+alpha\nbeta\ngamma\n/);
    assert.ok(server().requests.some((r) => r.method === 'GET' && /^\/workflows\/run\/[^/]+$/.test(r.path)));
  });

  it('a failing workflow names the node and the cause, with Show Details; the file is unchanged', async () => {
    await openFile(wb, 'add.py');
    const before = await editorText(wb);
    await selectLines(wb, 1, 2);
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect('Test Failing Workflow', { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Replace the selection');
    const message = '"Test Failing Workflow" failed in node "Divide 除法" (code): ZeroDivisionError: division by zero';
    const toast = await wb.waitForNotification(message);
    assert.match(await toast.innerText(), /Retry/);
    await wb.screenshot('workflow-failed');
    assert.equal(await editorText(wb), before);
    await wb.notificationAction(message, 'Show Details');
    const document = await previewText(wb, /^Test Failing Workflow\n/);
    // Dify's error text once, the node that failed among the steps, and how it failed.
    assert.equal(document.split('ZeroDivisionError: division by zero').length - 1, 1, document);
    assert.match(document, /Error\n+"Test Failing Workflow" failed in node "Divide 除法" \(code\): ZeroDivisionError: division by zero \(Dify at [\d.:]+\)\n/);
    assert.match(document, /Divide 除法 \(code\)\tfailed\t/);
    assert.doesNotMatch(document, /Output\n/, 'a failed run has no output');
    assert.match(document, /Status: failed\n[\s\S]*Output mode: Replace the selection\n[\s\S]*Diagnostics\n+Kind: node_failed\n/);
    await wb.screenshot('workflow-failure-document');
    await wb.clearNotifications();
  });

  it('bad inputs each give one clear message: too long, empty file, binary file, a key of the wrong kind of app', async () => {
    await openFile(wb, 'long.txt');
    await wb.page.keyboard.press('Control+A');
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect('Test Completion', { title: 'Run Dify Workflow' });
    await wb.waitForNotification('The selection has 151 characters, but "Topic" of "Test Completion" takes at most 100. Select less and run again.');

    await openFile(wb, 'empty.py');
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    await wb.waitForNotification('Nothing to send to "Test Workflow": the selection is empty, and so is empty.py.');

    await openFile(wb, 'add.py');
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect('Changed App', { title: 'Run Dify Workflow' });
    await wb.waitForNotification('The key of "Changed App" now belongs to a Chatbot app in Dify. Running on code needs a Workflow or Text Generator app.');

    await wb.runCommand('View: Show Explorer');
    const row = wb.page.locator('.part.sidebar .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^wf$/ }) }).first();
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    const binary = wb.page.locator('.part.sidebar .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^logo\.bin$/ }) }).first();
    await explorerMenu(wb, binary, 'Run Dify Workflow on File…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    await wb.waitForNotification('logo.bin is a binary file, and "Test Workflow" takes text only. Run it on a text file, or use an app with a file input.');
    await wb.screenshot('workflow-bad-inputs');
    assert.equal(server().requests.filter((r) => r.path === '/workflows/run' || r.path === '/completion-messages').length, 0, 'no bad input reached a run');
    await wb.clearNotifications();
  });

  it('from the palette without an editor, a required input is asked and cannot be left empty', async () => {
    await wb.runCommand('View: Close All Editors');
    // The new editor of an earlier run is untitled: close it without saving.
    await wb.dialogButton(/Do you want to save/, "Don't Save");
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    await wb.inputBox('', { title: 'Test Workflow: Topic', submit: false });
    await wb.page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await wb.inputBoxMessage(), '"Topic" is required.'));
    await wb.inputBox('code review');
    await wb.quickPickSelect('Open in a new editor', { title: /Test Workflow/ });
    await eventually(async () => assert.match(await editorText(wb), /^Echo: code review/), 15_000);
  });
});

describe('UI: workflows with no app configured', () => {
  const wb = useWorkbench();
  const plain = () => join(session().env.workspaceFolder, 'plain');

  before(() => {
    mkdirSync(plain(), { recursive: true });
    writeFileSync(join(plain(), 'notes.py'), ADD);
  });
  after(() => rmSync(plain(), { recursive: true, force: true }));

  it('the editor and Explorer menus offer no Dify run or upload until an app or a knowledge key is there', async () => {
    await wb.runCommand('View: Show Explorer');
    // The folder was made after the window opened: the Explorer shows it once it has looked again.
    await wb.page.locator('.part.sidebar .pane-header').first().hover();
    await wb.page.locator('.part.sidebar .action-label[aria-label="Refresh Explorer"]').first().click();
    await (await wb.explorerRow('plain')).click();
    const explorerMenu = await wb.contextMenuLabels(await wb.explorerRow('notes.py'));
    assert.deepEqual(explorerMenu.filter((l) => /Dify/.test(l)), [], explorerMenu.join(', '));
    await openFile(wb, 'notes.py');
    await activeEditor(wb).locator('.view-lines').click();
    await wb.page.keyboard.press('Control+A');
    const editorMenu = await wb.contextMenuLabels(activeEditor(wb).locator('.view-line').first());
    assert.deepEqual(editorMenu.filter((l) => /Dify/.test(l)), ['Ask Dify about Selection'], editorMenu.join(', '));
  });

  it('Run Dify Workflow says there is no app, and offers to add one', async () => {
    await wb.runCommand('Dify: Run Dify Workflow…');
    const toast = await wb.waitForNotification('No Dify app is configured yet. Add a Workflow or Text Generator app to run it on code.');
    assert.match(await toast.innerText(), /Add App…/);
  });
});
