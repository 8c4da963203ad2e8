// "Dify: Choose Apps for Chat Tools…": one list of the workflow apps and knowledge bases, what is enabled ticked; the
// ticks go into the two settings the language model tools read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, session, useWorkbench } from './harness.js';

const keys = () => session().dify.keys;
const settings = () => JSON.parse(readFileSync(join(session().userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('UI: choosing what the chat tools may reach', () => {
  const wb = useWorkbench({
    seed: [
      { kind: 'app', label: 'Test Workflow', key: keys().workflow, mode: 'workflow' },
      { kind: 'app', label: 'Test Completion', key: keys().completion, mode: 'completion' },
      { kind: 'app', label: 'Test Chat Autoplay', key: keys().chatTts, mode: 'chat' },
      { kind: 'knowledge', label: 'Test Knowledge', key: keys().dataset },
    ],
  });

  it('lists workflow apps and knowledge bases (no chat app), keeps what was enabled ticked, and writes the ticks', async () => {
    await wb.updateUserSettings({ 'dify.tools.knowledgeBases': ['产品知识库'] });
    await wb.runCommand('Dify: Choose Apps for Chat Tools…');
    const title = /Apps and knowledge bases for chat tools/;
    // The knowledge bases come from Dify once the list has loaded.
    await eventually(async () => assert.ok((await wb.quickPickLabels()).includes('Acme Product Handbook')));
    const labels = await wb.quickPickLabels();
    for (const shown of ['Test Workflow', 'Test Completion', '产品知识库', 'Support Tickets']) assert.ok(labels.includes(shown), `${shown} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('Test Chat Autoplay'), 'a chat app is not a workflow tool');
    const checked = async (label: string) => (await wb.quickPickRows(label).first().getAttribute('aria-checked')) === 'true';
    assert.equal(await checked('产品知识库'), true, 'enabled before: ticked');
    assert.equal(await checked('Test Workflow'), false);
    await wb.screenshot('chat-tools-choice');

    for (const label of ['Test Workflow', 'Acme Product Handbook']) {
      // A click on a row of a multi-select pick ticks it.
      await wb.quickPickRows(label).first().click();
      await eventually(async () => assert.equal(await checked(label), true));
    }
    await wb.quickPickType('', { title });
    await wb.page.keyboard.press('Enter');
    await eventually(async () => {
      const saved = settings();
      assert.deepEqual(saved['dify.tools.workflowApps'], ['Test Workflow']);
      assert.deepEqual([...(saved['dify.tools.knowledgeBases'] as string[])].sort(), ['Acme Product Handbook', '产品知识库']);
    });
  });
});
