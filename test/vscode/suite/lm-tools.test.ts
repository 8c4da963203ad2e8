// The language model tools in a real extension host, invoked as any extension or agent invokes them
// (vscode.lm.invokeTool, outside a chat), against the test Dify server: knowledge hits, workflow outputs, input errors,
// nothing enabled, cancellation. VS Code confirms the workflow tool's dialog by itself in extension tests
// (DialogService.skipDialogs), so its confirmation text is not seen here.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import { dify, testEnv } from './env.js';

const KNOWLEDGE = 'dify_knowledge_search';
const WORKFLOW = 'dify_run_workflow';
const HANDBOOK = 'Acme Product Handbook';

const texts = (result: vscode.LanguageModelToolResult): string[] =>
  result.content.map((part) => {
    assert.ok(part instanceof vscode.LanguageModelTextPart, `a text part, not ${JSON.stringify(part)}`);
    return part.value;
  });

const invoke = (tool: string, input: object, token?: vscode.CancellationToken) =>
  vscode.lm.invokeTool(tool, { input, toolInvocationToken: undefined }, token ?? new vscode.CancellationTokenSource().token);

/** The message of the error a call failed with (it must fail). */
async function failure(call: Thenable<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  assert.fail('the tool call succeeded');
}

async function enable(setting: 'workflowApps' | 'knowledgeBases', names: string[]): Promise<void> {
  await vscode.workspace.getConfiguration('dify').update(`tools.${setting}`, names, vscode.ConfigurationTarget.Global);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await delay(100);
  }
}

describe('language model tools', function () {
  this.timeout(60_000);
  const env = testEnv();
  const keys = Object.values(env.keys);
  const noKeyIn = (parts: string[]) => {
    for (const part of parts) for (const key of keys) assert.ok(!part.includes(key), 'a key in a tool result');
  };

  before(async () => {
    await vscode.extensions.getExtension('dify-vscode.dify-vscode')!.activate();
    const app = (label: string, key: string, mode: string) => ({ kind: 'app', label, key, mode, appName: label, baseUrl: env.baseUrl });
    const profiles = [
      app('Test Workflow', env.keys.workflow, 'workflow'),
      app('Test Slow Workflow', env.keys.workflowSlow, 'workflow'),
      app('Test Completion', env.keys.completion, 'completion'),
      app('Test Failing Workflow', env.keys.workflowFailing, 'workflow'),
      app('Test Large Output Workflow', env.keys.workflowLarge, 'workflow'),
      app('Test Chat 测试助手', env.keys.chat, 'chat'),
      { kind: 'knowledge', label: 'Test Knowledge', key: env.keys.dataset, baseUrl: env.baseUrl },
    ];
    writeFileSync(env.seedFile, JSON.stringify({ profiles }));
    await vscode.commands.executeCommand('dify.dev.seed');
  });
  beforeEach(() => dify.reset());
  after(async () => {
    await enable('workflowApps', []);
    await enable('knowledgeBases', []);
    writeFileSync(env.seedFile, JSON.stringify({ profiles: [] }));
    await dify.reset();
  });

  it('are both listed, referenceable as #difyKnowledge and #difyWorkflow, with their input schema', () => {
    const ours = vscode.lm.tools.filter((t) => t.name === KNOWLEDGE || t.name === WORKFLOW);
    assert.deepEqual(ours.map((t) => t.name).sort(), [KNOWLEDGE, WORKFLOW]);
    const schema = (name: string) => ours.find((t) => t.name === name)!.inputSchema as { required: string[] };
    assert.deepEqual(schema(KNOWLEDGE).required, ['query']);
    assert.deepEqual(schema(WORKFLOW).required, ['app']);
  });

  it('with nothing enabled, say which command and setting enable something, and ask Dify nothing', async () => {
    await enable('workflowApps', []);
    await enable('knowledgeBases', []);
    const knowledge = await failure(invoke(KNOWLEDGE, { query: 'deploy' }));
    assert.match(knowledge, /No Dify knowledge base is enabled for chat tools/);
    assert.match(knowledge, /Dify: Choose Apps for Chat Tools…/);
    assert.match(knowledge, /dify\.tools\.knowledgeBases/);
    const workflow = await failure(invoke(WORKFLOW, { app: 'Test Workflow', inputs: { topic: 'owls' } }));
    assert.match(workflow, /No Dify workflow or text generator app is enabled for chat tools/);
    assert.match(workflow, /dify\.tools\.workflowApps/);
    assert.deepEqual(await dify.requests(), []);
  });

  it('knowledge search returns one text part per hit, naming its document, knowledge base and score', async () => {
    await enable('knowledgeBases', [HANDBOOK]);
    const parts = texts(await invoke(KNOWLEDGE, { query: 'acme deploy' }));
    assert.ok(parts.length > 0);
    for (const part of parts) assert.match(part, new RegExp(`^Document "[^"]+" in knowledge base "${HANDBOOK}" \\(score \\d\\.\\d{3}\\):\\n\\S`));
    assert.ok(parts.some((p) => p.startsWith('Document "getting-started.md"') && /acme deploy/i.test(p)), parts.join('\n---\n'));
    noKeyIn(parts);
    const retrieve = (await dify.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/retrieve'));
    assert.equal(retrieve.length, 1);
    assert.equal((retrieve[0]!.json as { query: string }).query, 'acme deploy');
  });

  it('knowledge search says plainly when nothing matched, and refuses a knowledge base not enabled', async () => {
    await enable('knowledgeBases', [HANDBOOK]);
    assert.deepEqual(texts(await invoke(KNOWLEDGE, { query: 'xylophone quokka' })), [`No hits for "xylophone quokka" in "${HANDBOOK}".`]);
    const other = await failure(invoke(KNOWLEDGE, { query: 'deploy', knowledgeBase: 'Support Tickets' }));
    assert.equal(other, `"Support Tickets" is not a knowledge base enabled for chat tools. Enabled: "${HANDBOOK}".`);
    assert.match(await failure(invoke(KNOWLEDGE, {})), /"query" is required/);
  });

  it('knowledge search says what Dify refused in the words of the Knowledge view', async () => {
    await enable('knowledgeBases', [HANDBOOK]);
    await dify.fault({ kind: 'http', status: 403, body: { code: 'forbidden', message: 'Dataset api access is not enabled.', status: 403 } }, { path: /\/retrieve$/ });
    const message = await failure(invoke(KNOWLEDGE, { query: 'deploy' }));
    assert.equal(message, `"${HANDBOOK}" could not be searched: API access to this dataset is turned off. Turn it on in Dify under the dataset's API settings.`);
  });

  it('runs an enabled workflow with the inputs given and returns its output', async () => {
    await enable('workflowApps', ['Test Workflow']);
    const result = await invoke(WORKFLOW, { app: 'test workflow', inputs: { topic: 'owls', count: 2 } });
    const parts = texts(result);
    assert.equal(parts.length, 1);
    assert.match(parts[0]!, /^Echo: owls\n/);
    noKeyIn(parts);
    const runs = (await dify.requests()).filter((r) => r.method === 'POST' && r.path === '/workflows/run');
    assert.deepEqual(runs.map((r) => (r.json as { inputs: unknown }).inputs), [{ topic: 'owls', count: 2 }]);
  });

  it('runs a text generator too, and says a failed run in the words of Run Workflow', async () => {
    await enable('workflowApps', ['Test Completion', 'Test Failing Workflow']);
    const parts = texts(await invoke(WORKFLOW, { app: 'Test Completion', inputs: { topic: 'larks' } }));
    assert.equal(parts.length, 1);
    assert.match(parts[0]!, /larks/);
    const failed = await failure(invoke(WORKFLOW, { app: 'Test Failing Workflow', inputs: {} }));
    assert.match(failed, /^"Test Failing Workflow" failed in node "Divide 除法" \(code\): ZeroDivisionError: division by zero/);
  });

  it('a large output reaches the model cut, saying how long it was', async () => {
    await enable('workflowApps', ['Test Large Output Workflow']);
    const [part, ...more] = texts(await invoke(WORKFLOW, { app: 'Test Large Output Workflow', inputs: { size_kb: 64 } }));
    assert.deepEqual(more, []);
    const [kept, note] = part!.split(/\n(?=\[cut: )/);
    assert.match(note!, /^\[cut: the output has \d{5,} characters; the first \d+ are above\]$/);
    assert.ok(kept!.length <= 20_000 && kept!.length > 16_000, `${kept!.length} characters kept`);
  });

  it('a bad input names the field and what it expects, and runs nothing', async () => {
    await enable('workflowApps', ['Test Workflow']);
    const message = await failure(invoke(WORKFLOW, { app: 'Test Workflow', inputs: { count: 'many', colour: 'red' } }));
    assert.match(message, /"Test Workflow" has no input "colour"\. Its inputs: topic, count\./);
    const types = await failure(invoke(WORKFLOW, { app: 'Test Workflow', inputs: { topic: ['a'] } }));
    assert.match(types, /Input "topic" \("Topic"\) must be a string; it was array\./);
    const values = await failure(invoke(WORKFLOW, { app: 'Test Workflow', inputs: { count: 'many' } }));
    assert.match(values, /Input "topic": "Topic" of "Test Workflow" is required\./);
    assert.match(values, /Input "count": "Count" of "Test Workflow" must be a number\./);
    assert.match(values, /"required":\["topic"\]/);
    const runs = (await dify.requests()).filter((r) => r.path === '/workflows/run');
    assert.deepEqual(runs, []);
  });

  it('an unknown app lists the enabled apps, each with the JSON schema of its inputs; chat apps are never among them', async () => {
    await enable('workflowApps', ['Test Workflow', 'Test Completion', 'Test Chat 测试助手']);
    const message = await failure(invoke(WORKFLOW, { app: 'Summarizer', inputs: {} }));
    assert.match(message, /^"Summarizer" is not a Dify app enabled for chat tools\./);
    assert.match(message, /"Test Workflow" \(Workflow\): [^\n]*\n\{"type":"object","properties":\{"topic":\{"type":"string","description":"Topic","maxLength":256\},"count":\{"type":"number","description":"Count"\}\},"required":\["topic"\],"additionalProperties":false\}/);
    assert.match(message, /"Test Completion" \(Text Generator\)/);
    assert.doesNotMatch(message, /Test Chat/);
    noKeyIn([message]);
  });

  it('cancelling the call stops the run on Dify, and nothing comes back as a success', async () => {
    await enable('workflowApps', ['Test Slow Workflow']);
    const source = new vscode.CancellationTokenSource();
    const call = invoke(WORKFLOW, { app: 'Test Slow Workflow', inputs: { topic: 'crawl' } }, source.token);
    const outcome = Promise.resolve(call).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    // The run is under way (its crawler node runs for minutes, with only pings meanwhile).
    await until('the run to start', async () => ((await dify.requests()).some((r) => r.path === '/workflows/run') ? true : undefined));
    await delay(500);
    source.cancel();
    const ended = await outcome;
    assert.ok('error' in ended, `the call resolved: ${JSON.stringify(ended)}`);
    const stop = await until('the stop call', async () => (await dify.requests()).find((r) => r.method === 'POST' && /^\/workflows\/tasks\/[^/]+\/stop$/.test(r.path)));
    assert.equal(stop.status, 200);
  });
});
