// Dify knowledge and workflows in VS Code's Chat view (current VS Code): `@dify /knowledge` with its hits, Insert and
// "Ask" follow-up; the #difyKnowledge and #difyWorkflow tools referenced in an @dify request, run in that chat with
// their confirmation; both tools listed in Configure Tools.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorText, openFile } from './editors.js';
import { eventually, session, useWorkbench } from './harness.js';
import { followups, openChat, responseDetails, responseDone, sendChat } from './vscode-chat.js';

const HANDBOOK = 'Acme Product Handbook';
const folder = () => join(session().env.workspaceFolder, 'chat-tools');

describe('UI: Dify knowledge and workflow tools in VS Code Chat', () => {
  const keys = session().dify.keys;
  const wb = useWorkbench({
    seed: [
      { kind: 'app', label: 'Test Chat', key: keys.chat, mode: 'chat', default: true },
      { kind: 'app', label: 'Test Workflow', key: keys.workflow, mode: 'workflow' },
      { kind: 'knowledge', label: 'Test Knowledge', key: keys.dataset },
    ],
  });
  const server = () => session().dify;
  const chatPosts = () => server().requests.filter((r) => r.method === 'POST' && r.path === '/chat-messages');

  before(() => {
    server().reset();
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'notes.md'), '');
  });
  after(() => rmSync(folder(), { recursive: true, force: true }));

  it('/knowledge shows the hits with their documents; Insert puts one in the editor; "Ask" sends the question with the hits', async () => {
    await openFile(wb, 'notes.md');
    const response = await sendChat(wb, '@dify /knowledge acme deploy');
    await wb.quickPickSelect(HANDBOOK, { title: 'Search which knowledge base?' });
    await response.getByText(`Hits in "${HANDBOOK}" for "acme deploy":`).waitFor();
    await responseDone(response);
    await responseDetails(response, /getting-started\.md/);
    await wb.screenshot('native-chat-knowledge');
    const retrieve = server().requests.filter((r) => r.method === 'POST' && r.path.endsWith('/retrieve'));
    assert.equal((retrieve.at(-1)!.json as { query: string }).query, 'acme deploy');

    await response.getByRole('button', { name: /^Insert "getting-started\.md"/ }).first().click();
    await eventually(async () => assert.match(await editorText(wb), /deploy/i));

    await followups(wb).filter({ hasText: 'Ask Test Chat with these hits' }).click();
    await wb.inputBox('Ada', { title: /Your name/ });
    await eventually(async () => assert.equal(chatPosts().length, 1));
    const query = (chatPosts()[0]!.json as { query: string }).query;
    assert.match(query, /^acme deploy\n\nFrom the Dify knowledge base "Acme Product Handbook":/);
    assert.match(query, /Document "getting-started\.md":/);
  });

  it('#difyKnowledge in an @dify question searches the enabled knowledge base and sends the hits with the question', async () => {
    await wb.updateUserSettings({ 'dify.tools.knowledgeBases': [HANDBOOK], 'dify.tools.workflowApps': ['Test Workflow'] });
    const response = await sendChat(wb, '@dify #difyKnowledge acme deploy');
    await response.getByText(/Echo: acme deploy/).waitFor();
    await responseDone(response);
    const query = (chatPosts().at(-1)!.json as { query: string }).query;
    assert.match(query, /^acme deploy\n\nFrom the Dify knowledge base:\n\nDocument "getting-started\.md" in knowledge base "Acme Product Handbook"/);
  });

  it('#difyWorkflow in an @dify question asks to run the workflow, then shows its output', async () => {
    await wb.updateUserSettings({ 'dify.tools.knowledgeBases': [HANDBOOK], 'dify.tools.workflowApps': ['Test Workflow'] });
    const response = await sendChat(wb, '@dify #difyWorkflow summarize the release notes');
    const confirmation = wb.page.locator('.chat-confirmation-widget-container').filter({ visible: true }).first();
    const allow = confirmation.locator('a.monaco-button', { hasText: /Allow|Continue/ }).first();
    await allow.waitFor();
    assert.match(await confirmation.innerText(), /Runs the Workflow app "Test Workflow" in Dify with these inputs:\s+topic: summarize the release notes/);
    await wb.screenshot('native-chat-workflow-confirmation');
    await allow.click();
    await response.getByText(/Echo: summarize the release notes/).waitFor();
    await responseDone(response);
    const run = server().requests.find((r) => r.path === '/workflows/run');
    assert.deepEqual((run?.json as { inputs: unknown }).inputs, { topic: 'summarize the release notes' });
  });

  it('Configure Tools lists both Dify tools', async () => {
    await openChat(wb);
    await wb.page.locator('.interactive-input-part [aria-label^="Configure Tools"]').first().click();
    await wb.quickInput.locator('input').first().fill('dify');
    // Its group opens with its twistie.
    await wb.quickInput.locator('.monaco-list-row', { hasText: 'Dify for VS Code' }).locator('.monaco-tl-twistie').first().click();
    await eventually(async () => {
      const text = await wb.quickInput.innerText();
      assert.match(text, /Dify for VS Code/);
      assert.match(text, /difyKnowledge/);
      assert.match(text, /difyWorkflow/);
    });
    await wb.screenshot('native-chat-configure-tools');
    await wb.page.keyboard.press('Escape');
  });
});
