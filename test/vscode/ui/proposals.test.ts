// A person decides on a proposed change without hunting for a notification: Accept and Reject are in the diff's
// title bar as text, on Ctrl+Enter / Ctrl+Backspace, and in the status bar entry while a proposal is open; a diff
// closed without a decision is gone from that entry. A run streaming into a new editor leaves what the person types
// there alone, and an output editor closed mid-run is offered again when the run ends.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerText } from '../../dify-server/apps/answers.js';
import { activeEditor, diffSide, editorText, openFile, selectLines } from './editors.js';
import { eventually, session, useWorkbench, type Workbench } from './harness.js';

const folder = () => join(session().env.workspaceFolder, 'proposals');
const ADD = 'def add(a, b):\n    return a + b\n';
const APP = 'Proposing Workflow';
const DIFF = 'Show a diff to accept or reject';

/** Whitespace as one space: monaco's lines differ from the raw text only there. */
const squash = (s: string): string => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/** The status bar entry of the open proposals (none when there are none). */
const proposalsEntry = (wb: Workbench) => wb.page.locator('.part.statusbar .statusbar-item', { hasText: /^\s*Dify: (proposed change to|\d+ proposed changes)/ });

/** Runs the app on line `line` of add.py with the output as a diff, and waits for the diff to be the active tab. */
async function propose(wb: Workbench, line: number): Promise<void> {
  await openFile(wb, 'add.py');
  await selectLines(wb, line, 1);
  await wb.runCommand('Dify: Run Dify Workflow (Choose Output)…');
  await wb.quickPickSelect(APP, { title: 'Run Dify Workflow' });
  await wb.quickPickSelect(DIFF, { title: `Where should the output of "${APP}" go?` });
  await wb.page.locator('.tabs-container .tab.active', { hasText: `output of ${APP}` }).waitFor();
}

/** Closes the active editor; an untitled one is closed without saving. */
async function closeUntitled(wb: Workbench): Promise<void> {
  await wb.runCommand('View: Close Editor');
  await wb.dialogButton(/Do you want to save/, "Don't Save");
}

describe('UI: proposed changes and streamed output', () => {
  const wb = useWorkbench({ seed: [{ kind: 'app', label: APP, key: session().dify.keys.workflow, mode: 'workflow' }] });
  const server = () => session().dify;

  before(() => {
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'add.py'), ADD);
  });
  after(() => rmSync(folder(), { recursive: true, force: true }));
  beforeEach(() => server().reset());
  /**
   * A run's last events (node and workflow finished) come after its text: its progress notification goes once it has
   * ended. A test closing its output editor before that gets the "closed before the run ended" notice (and the next
   * test's server reset would stop the run).
   */
  const runEnded = () => wb.page.locator('.notification-list-item', { hasText: `Dify: ${APP}` }).first().waitFor({ state: 'detached', timeout: 30_000 });
  /** Runs the app on add.py's lines into a new editor, slowly enough to act while it streams; returns once text shows. */
  async function streamIntoNewEditor(): Promise<void> {
    await openFile(wb, 'add.py');
    await selectLines(wb, 1, 2);
    server().setEventDelay(500);
    await wb.runCommand('Dify: Run Dify Workflow (Choose Output)…');
    await wb.quickPickSelect(APP, { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Open in a new editor', { title: `Where should the output of "${APP}" go?` });
    await eventually(async () => assert.match(await editorText(wb), /^Echo:/), 20_000);
  }
  afterEach(async () => {
    await runEnded();
    server().setEventDelay(0);
  });

  it('the output picker offers the diff first; the diff shows Accept and Reject as text in its title bar and in the status bar; Accept applies it', async () => {
    await openFile(wb, 'add.py');
    await selectLines(wb, 2, 1);
    await wb.runCommand('Dify: Run Dify Workflow…');
    await wb.quickPickSelect(APP, { title: 'Run Dify Workflow' });
    await wb.quickPickRows(DIFF).first().waitFor();
    assert.deepEqual(await wb.quickPickLabels(), [DIFF, 'Replace the selection', 'Insert below the selection', 'Open in a new editor', 'Copy to the clipboard', 'Show in the chat view']);
    await wb.quickPickSelect(DIFF);
    await wb.page.locator('.tabs-container .tab.active', { hasText: `output of ${APP}` }).waitFor();
    const title = wb.page.locator('.editor-group-container.active .editor-actions .action-label');
    await eventually(async () => assert.deepEqual((await title.allInnerTexts()).map((t) => t.trim()).filter(Boolean).slice(0, 2), ['Accept Proposed Change', 'Reject Proposed Change']));
    assert.equal(squash(await proposalsEntry(wb).innerText()), 'Dify: proposed change to add.py');
    assert.equal((await wb.notifications()).filter((n) => /proposed change/i.test(n)).length, 0, 'no notification to answer');
    await wb.screenshot('proposal-title-and-status');
    await wb.editorTitleAction('Accept Proposed Change');
    await eventually(async () => assert.match(await editorText(wb), /^def add\(a, b\):\nEcho: return a \+ b\n/));
    await proposalsEntry(wb).waitFor({ state: 'hidden' });
    await wb.runCommand('File: Revert File');
  });

  it('in the diff, Ctrl+Backspace rejects and Ctrl+Enter accepts', async () => {
    await propose(wb, 2);
    const modified = diffSide(wb, 'modified');
    await modified.click();
    await wb.page.keyboard.press('Control+Backspace');
    await wb.page.locator('.tabs-container .tab', { hasText: `output of ${APP}` }).waitFor({ state: 'detached' });
    await proposalsEntry(wb).waitFor({ state: 'hidden' });
    assert.equal(squash(await editorText(wb)), squash(ADD));

    await propose(wb, 2);
    await modified.click();
    await wb.page.keyboard.press('Control+Enter');
    await eventually(async () => assert.match(await editorText(wb), /^def add\(a, b\):\nEcho: return a \+ b\n/));
    await proposalsEntry(wb).waitFor({ state: 'hidden' });
    await wb.runCommand('File: Revert File');
  });

  it('a diff closed without a decision leaves the status bar entry; the entry accepts the ones still open', async () => {
    await propose(wb, 1);
    await propose(wb, 2);
    await eventually(async () => assert.equal(squash(await proposalsEntry(wb).innerText()), 'Dify: 2 proposed changes'));
    await wb.runCommand('View: Close Editor');
    await eventually(async () => assert.equal(squash(await proposalsEntry(wb).innerText()), 'Dify: proposed change to add.py'));
    // The one left (line 1) is in a background tab: the status bar entry reaches it.
    await openFile(wb, 'add.py');
    await wb.statusBarClick(/Dify: proposed change to add\.py/);
    await wb.quickPickSelect(/Accept$/, { title: 'Proposed Changes' });
    await eventually(async () => assert.match(await editorText(wb), /^Echo: def add\(a, b\):[\s\S]*Hope this helps\.\n {4}return a \+ b/));
    await proposalsEntry(wb).waitFor({ state: 'hidden' });
    await wb.runCommand('File: Revert File');
  });

  it('text typed into the new editor while the output streams in stays', async () => {
    await streamIntoNewEditor();
    assert.ok(!(await editorText(wb)).includes('Hope this helps.'), 'the run is still streaming');
    await activeEditor(wb).locator('.view-lines').click();
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.type('MY NOTES');
    await wb.page.keyboard.press('Enter');
    await eventually(async () => assert.ok((await editorText(wb)).includes('Hope this helps.')), 30_000);
    await runEnded();
    await wb.screenshot('streamed-output-with-typing');
    assert.equal(squash(await editorText(wb)), squash(`MY NOTES\n${answerText(ADD)}`));
    await closeUntitled(wb);
    await wb.runCommand('View: Close All Editors');
  });

  it('an output editor closed while the run streams: the output is offered again with Open Output', async () => {
    await streamIntoNewEditor();
    await closeUntitled(wb);
    await wb.notificationAction(`The editor showing the output of "${APP}" was closed before the run ended.`, 'Open Output');
    await eventually(async () => assert.equal(squash(await editorText(wb)), squash(answerText(ADD))));
    await wb.screenshot('streamed-output-offered-again');
    await closeUntitled(wb);
    await wb.runCommand('View: Close All Editors');
  });
});
