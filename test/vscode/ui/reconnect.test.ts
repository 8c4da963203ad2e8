// A person's connection to Dify breaks in the middle of an answer or a workflow run, and nothing is lost: the chat
// turn says it is reconnecting, re-attaches to the chatflow's run (GET /workflow/{id}/events) and ends with the whole
// answer; Run Dify Workflow on a selection says "Reconnecting…" and still replaces the selection with the output.
// Neither is started again in Dify.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { answerText } from '../../dify-server/apps/answers.js';
import { activeEditor, editorText } from './editors.js';
import { eventually, session, useWorkbench } from './harness.js';

const folder = () => join(session().env.workspaceFolder, 'reconnect');
const ADD = 'def add(a, b):\n    return a + b\n';

/** Whitespace as one space: rendered markdown and monaco lines differ from the raw text only there. */
const squash = (s: string): string => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/** A GET of the run's events: the client re-attached to a run instead of starting it again. */
const reattached = (r: { method: string; path: string }): boolean => r.method === 'GET' && /^\/workflow\/[^/]+\/events$/.test(r.path);

/** A GET of a workflow run's state: what a window that finds a run left by a reload asks first. */
const lookedUp = (r: { method: string; path: string }): boolean => r.method === 'GET' && /^\/workflows\/run\/[^/]+$/.test(r.path);

describe('UI: a broken connection is followed to the end of the run', () => {
  const keys = session().dify.keys;
  const wb = useWorkbench({
    seed: [
      { kind: 'app', label: 'Test Chatflow', key: keys.advancedChat, mode: 'advanced-chat', default: true },
      { kind: 'app', label: 'Test Workflow', key: keys.workflow, mode: 'workflow' },
    ],
  });
  const server = () => session().dify;
  const posts = (path: string) => server().requests.filter((r) => r.method === 'POST' && r.path === path);

  before(() => {
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'add.py'), ADD);
  });
  after(() => {
    server().setEventDelay(0);
    rmSync(folder(), { recursive: true, force: true });
  });
  beforeEach(() => server().reset());
  afterEach(() => server().setEventDelay(0));

  it('a chatflow answer cut mid-stream says it is reconnecting, then ends with the whole answer, asked once', async () => {
    await wb.activityBarOpen('Dify');
    await wb.sideBarSection('Chat');
    const chat: FrameLocator = wb.webviewFrame();
    await chat.getByRole('button', { name: /Chat app: Test Chatflow/ }).waitFor();
    const turn = chat.locator('article[data-turn-id]').last();
    const note = turn.locator('.turn-reconnecting');

    // ~70 events 60 ms apart: the answer streams for about 4 s; the connection breaks 8 events in (a few deltas shown).
    const query = 'long:60';
    const whole = answerText(query);
    server().setEventDelay(60);
    server().fault({ kind: 'cut', afterEvents: 8 }, { path: '/chat-messages' });
    const composer = chat.getByRole('textbox', { name: 'Message' });
    await composer.fill(query);
    await composer.press('Enter');

    // The note shows (the client waits a second before re-attaching), over what had arrived: that part is kept.
    await note.waitFor();
    assert.equal(await note.getAttribute('role'), 'status');
    assert.equal(squash(await note.innerText()), 'The connection broke; reconnecting to the answer…');
    assert.equal(await turn.getAttribute('data-status'), 'streaming');
    const sofar = squash(await turn.locator('.turn-answer').innerText());
    assert.ok(sofar.length > 0 && squash(whole).startsWith(sofar), `the part streamed before the cut stays: "${sofar}"`);
    await wb.screenshot('chat-reconnecting');

    // Re-attached: events flow again, the note goes, and the run's nodes (replayed by Dify's snapshot) show once each.
    await note.waitFor({ state: 'detached' });

    await eventually(async () => assert.equal(await turn.getAttribute('data-status'), 'done'), 20_000);
    // The steps stay, folded under the answer, each node once.
    const steps = await turn.locator('.turn-node-title').allTextContents();
    assert.deepEqual(steps.slice(0, 2), ['Start', 'LLM']);
    assert.equal(new Set(steps).size, steps.length, `each node once: ${steps.join(', ')}`);
    assert.equal(await turn.locator('details.turn-process').getAttribute('open'), null, 'folded once done');
    assert.equal(squash(await turn.locator('.turn-answer').innerText()), squash(whole), 'the whole answer, the gap included');
    assert.equal(await turn.locator('.turn-error, [role="alert"]').count(), 0, 'no error');
    assert.equal(await note.count(), 0);
    assert.equal(posts('/chat-messages').length, 1, 'the question was asked once');
    const reattach = server().requests.filter(reattached);
    assert.ok(reattach.length >= 1, 'the chatflow run was re-attached to (GET /workflow/{id}/events)');
    assert.equal(reattach[0]!.query.include_state_snapshot, 'true');
    assert.equal(server().requests.filter((r) => /\/stop$/.test(r.path)).length, 0, 'nothing was stopped');
    await chat.getByRole('button', { name: 'Send' }).waitFor();
  });

  it('a workflow run on the selection cut mid-stream shows "Reconnecting…" and still replaces the selection, run once', async () => {
    await wb.runCommand('Go to File...');
    await wb.quickPickType('add.py');
    await wb.quickPickSelect('add.py');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'add.py' }).waitFor();
    await activeEditor(wb).locator('.view-lines').click();
    await wb.page.keyboard.press('Control+A');

    server().setEventDelay(80);
    server().fault({ kind: 'cut', afterEvents: 4 }, { path: '/workflows/run' });
    await wb.runCommand('Dify: Run Dify Workflow (Choose Output)…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Replace the selection', { title: 'Where should the output of "Test Workflow" go?' });

    await wb.waitForNotification(/Dify: Test Workflow.*Reconnecting…/);
    await wb.screenshot('workflow-reconnecting');
    await eventually(async () => assert.match(await editorText(wb), /^Echo: def add\(a, b\):/), 20_000);
    assert.equal(squash(await editorText(wb)), squash(answerText(ADD)), 'the output is the whole of what an unbroken run gives');
    assert.equal(posts('/workflows/run').length, 1, 'the workflow was started once');
    assert.deepEqual((posts('/workflows/run')[0]?.json as { inputs: unknown }).inputs, { topic: ADD });
    assert.ok(server().requests.some(reattached), 'the run was re-attached to (GET /workflow/{id}/events)');
    assert.equal(server().requests.filter((r) => /\/stop$/.test(r.path)).length, 0, 'the run was not stopped');
    // No failure was reported.
    assert.equal(await wb.page.locator('.notification-list-item-message', { hasText: /failed|broke|cut/i }).count(), 0);

    // One undo step puts the file back, as after an unbroken run.
    await activeEditor(wb).locator('.view-lines').click();
    await wb.page.keyboard.press('Control+Z');
    await eventually(async () => assert.equal((await editorText(wb)).trim(), ADD.trim()));
  });

  it('a workflow run left by a window reload is followed in the new window, not started again; its output comes as a diff', async () => {
    await activeEditor(wb).locator('.view-lines').click();
    await wb.page.keyboard.press('Control+A');
    // Slow events: the run is still going when the window reloads, and Dify (the test server) carries on meanwhile.
    server().setEventDelay(800);
    await wb.runCommand('Dify: Run Dify Workflow (Choose Output)…');
    await wb.quickPickSelect('Test Workflow', { title: 'Run Dify Workflow' });
    await wb.quickPickSelect('Replace the selection', { title: 'Where should the output of "Test Workflow" go?' });
    await wb.waitForNotification(/Dify: Test Workflow.*Summarize/);
    await wb.reload({ command: true });

    await wb.waitForNotification(/Dify: Test Workflow \(followed after the window reloaded\)/);
    await wb.waitForNotification(/The window reloaded while "Test Workflow" ran; its output is shown as a diff to accept or reject\./);
    await wb.page.locator('.tabs-container .tab.active', { hasText: /output of Test Workflow/ }).waitFor();
    await wb.screenshot('workflow-followed-after-reload');
    assert.equal(posts('/workflows/run').length, 1, 'the workflow was started once');
    // The new window asked Dify for the run's state first (re-attaching after it if it was still going).
    assert.ok(server().requests.some(lookedUp), 'the new window followed the same run');
    assert.equal(server().requests.filter((r) => /\/stop$/.test(r.path)).length, 0, 'the reload did not stop the run');
    await wb.editorTitleAction('Accept Proposed Change');
    await eventually(async () => assert.equal(squash(await editorText(wb)), squash(answerText(ADD))), 20_000);

    // Delivered: the next reload has nothing left to follow.
    const lookups = server().requests.filter(lookedUp).length;
    await wb.reload({ command: true });
    assert.equal(await wb.page.locator('.notification-list-item-message', { hasText: /followed after the window reloaded/ }).count(), 0);
    assert.equal(server().requests.filter(lookedUp).length, lookups, 'followed once');
  });
});
