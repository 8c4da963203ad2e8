// A person opens the command palette, runs "Dify: Show Log", and sees the Output panel on the "Dify" channel.
import assert from 'node:assert/strict';
import { useWorkbench } from './harness.js';

describe('UI: Dify: Show Log', () => {
  const wb = useWorkbench();

  it('F1 → "Dify: Show Log" → Enter shows the Dify channel in the Output panel', async () => {
    assert.equal(await wb.outputChannel(), undefined, 'the Output panel is not open before the command');
    await wb.runCommand('Dify: Show Log');
    await wb.page.locator('.part.panel').waitFor({ state: 'visible' });
    await wb.page.locator('.part.panel .composite-bar .action-item.checked', { hasText: /output/i }).waitFor();
    await wb.waitForOutputChannel('Dify');
    assert.equal(await wb.outputChannel(), 'Dify');
  });
});

