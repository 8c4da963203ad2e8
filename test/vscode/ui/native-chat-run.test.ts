// `@dify /run` in VS Code's Chat view (current VS Code): a Dify workflow runs on the editor's selection, or on a file
// added to the chat, through the same runner as "Run Dify Workflow…", and its output comes back as a diff to accept.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activeEditor, editorText, openFile, selectLines } from './editors.js';
import { eventually, session, useWorkbench } from './harness.js';
import { responseDone, sendChat } from './vscode-chat.js';

const folder = () => join(session().env.workspaceFolder, 'chat-run');
const ADD = 'def add(a, b):\n    return a + b\n';

describe('UI: @dify /run in VS Code Chat', () => {
  const keys = session().dify.keys;
  const wb = useWorkbench({
    seed: [
      { kind: 'app', label: 'Test Chat', key: keys.chat, mode: 'chat', default: true },
      { kind: 'app', label: 'Test Workflow', key: keys.workflow, mode: 'workflow' },
    ],
  });
  const server = () => session().dify;
  const runs = () => server().requests.filter((r) => r.path === '/workflows/run');

  before(() => {
    server().reset();
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'add.py'), ADD);
  });
  after(() => rmSync(folder(), { recursive: true, force: true }));

  it('runs the named workflow on the selection; the output is a diff to accept, and the chat says so', async () => {
    await openFile(wb, 'add.py');
    await selectLines(wb, 2, 1);
    const response = await sendChat(wb, '@dify /run Test Workflow');
    await wb.page.locator('.tabs-container .tab.active', { hasText: /output of Test Workflow/ }).waitFor();
    await response.getByText(/add\.py: "Test Workflow" finished; its output is shown as a diff to accept or reject\./).waitFor();
    await responseDone(response);
    assert.deepEqual((runs()[0]?.json as { inputs: unknown }).inputs, { topic: '    return a + b\n' });
    await wb.editorTitleAction('Accept Proposed Change');
    await eventually(async () => assert.match(await editorText(wb), /^def add\(a, b\):\nEcho: return a \+ b\n/));
    await activeEditor(wb).locator('.view-lines').click();
    await wb.page.keyboard.press('Control+Z');
  });

  it("shows the run's steps in the chat as it goes", async () => {
    await openFile(wb, 'add.py');
    await selectLines(wb, 1, 2);
    // The stream stalls inside the LLM node: the step stays on screen. (Cancelled from its notification: VS Code 1.139
    // did not pass the Chat view's Stop on to a participant whose response showed only progress.)
    server().fault({ kind: 'stall', afterEvents: 5 }, { path: '/workflows/run' });
    const response = await sendChat(wb, '@dify /run Test Workflow');
    await wb.waitForNotification(/Dify: Test Workflow.*Summarize/);
    await response.getByText('Summarize', { exact: true }).first().waitFor();
    // The toast is redrawn as the run's line changes: a click can land between two drawings, so it is tried again
    // until Dify is told to stop (a second Cancel does nothing more).
    await eventually(
      async () => {
        await wb.notificationAction(/Dify: Test Workflow/, 'Cancel').catch(() => {});
        assert.ok(server().requests.some((r) => r.method === 'POST' && /^\/workflows\/tasks\/[^/]+\/stop$/.test(r.path)), 'the stop endpoint was called');
      },
      20_000,
      1_000,
    );
    await response.getByText(/"Test Workflow" was cancelled; nothing was changed\./).waitFor();
    await responseDone(response);
    assert.equal((await editorText(wb)).trim(), ADD.trim());
    await wb.clearNotifications();
  });
});
