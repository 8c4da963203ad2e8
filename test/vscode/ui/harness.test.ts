// The harness's own check, on VS Code's built-in UI only (so it holds whatever the extension's features become):
// palette, quick pick typing and picking, an editor, a webview's nested frames, and the Output panel helpers.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, session, useWorkbench } from './harness.js';

describe('UI harness on built-in VS Code UI', () => {
  const wb = useWorkbench();
  const file = (): string => join(session().env.workspaceFolder, 'harness-check.md');
  after(() => rmSync(file(), { force: true }));

  it('opens a file through Go to File (runCommand, quickPickType, quickPickSelect)', async () => {
    writeFileSync(file(), '# Harness check\n\nA paragraph.\n');
    await wb.runCommand('Go to File...');
    await wb.quickPickType('harness-check');
    await wb.quickPickSelect('harness-check.md');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'harness-check.md' }).waitFor();
  });

  it('reads a webview through its two nested frames (webviewFrame)', async () => {
    await wb.runCommand('Markdown: Open Preview');
    const h1 = wb.webviewFrame('vscode.markdown-language-features').locator('h1');
    await eventually(async () => assert.equal((await h1.innerText({ timeout: 5_000 })).trim(), 'Harness check'), 30_000);
  });
});
