// ConsoleClient's workflows-as-code calls against the test Dify server's console (CONSOLE.md §6, §7): the DSL exported
// (secrets emptied unless asked), imported back into the same app with each of Dify's outcomes (completed, pending then
// confirmed, failed with Dify's words, completed with warnings), the plugins it lacks, the draft's hash and the 409 of
// a stale one, and a publish, listed among the versions, changing what the Service API runs.
import assert from 'node:assert/strict';
import { load } from 'js-yaml';
import { AppClient, ConsoleClient, DifyApiError, type WorkflowStreamEvent } from '../../src/dify/index.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';
import { drainStream } from '../helpers/drain-stream.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer()));
after(() => server.close());
beforeEach(() => server.reset());

const workflowApp = () => server.apps.find((a) => a.name === 'Test Workflow')!;
const sent = (path: string) => server.requests.filter((r) => r.path === `/console/api${path}`);

async function signedIn(): Promise<ConsoleClient> {
  const c = new ConsoleClient({ consoleUrl: server.url });
  await c.login(server.console.email, server.console.password, 'base64');
  return c;
}

/** The exported DSL with the node titled `from` retitled `to`. */
function retitled(yaml: string, from: string, to: string): string {
  assert.ok(yaml.includes(`title: ${from}\n`), yaml);
  return yaml.replace(`title: ${from}\n`, `title: ${to}\n`);
}

/** The titles of the nodes a Service API run of the workflow app goes through. */
async function runTitles(): Promise<string[]> {
  const app = new AppClient({ baseUrl: `${server.url}/v1`, apiKey: server.keys.workflow, user: 'u' });
  const { events } = await drainStream<WorkflowStreamEvent>(await app.streamWorkflow({ inputs: { topic: 'x' } }));
  return events.flatMap((e) => (e.event === 'node_started' ? [e.data.title] : []));
}

describe('ConsoleClient: DSL export and import', () => {
  it('exports the draft as Dify\'s YAML; secret values are emptied unless asked for', async () => {
    const c = await signedIn();
    const id = workflowApp().id;
    const draft = await c.draft(id);
    const env = [{ name: 'token', value_type: 'secret', value: 's3cret', description: '' }];
    await c.call('POST', `/apps/${id}/workflows/draft`, { json: { graph: draft.graph, features: draft.features, hash: draft.hash, environment_variables: env } });
    const plain = await c.exportDsl(id);
    const dsl = load(plain) as { version: string; app: { mode: string }; workflow: { environment_variables: { value: string }[] } };
    assert.equal(dsl.version, '0.6.0');
    assert.equal(dsl.app.mode, 'workflow');
    assert.equal(dsl.workflow.environment_variables[0]!.value, '');
    assert.match(await c.exportDsl(id, true), /value: s3cret/);
    assert.deepEqual(sent(`/apps/${id}/export`).map((r) => r.query), [{ include_secret: 'false' }, { include_secret: 'true' }]);
  });

  it('imports into the same app: completed replaces the draft (a new hash); the Service API still runs the published version', async () => {
    const c = await signedIn();
    const id = workflowApp().id;
    const before = await c.draft(id);
    const yaml = retitled(await c.exportDsl(id), 'Summarize', 'Condense 浓缩');
    const result = await c.importDsl({ mode: 'yaml-content', yaml_content: yaml, app_id: id });
    assert.equal(result.status, 'completed');
    assert.equal(result.app_id, id);
    assert.equal(result.current_dsl_version, '0.6.0');
    const after = await c.draft(id);
    assert.notEqual(after.hash, before.hash);
    assert.ok(after.graph.nodes.some((n) => (n.data as { title: string }).title === 'Condense 浓缩'));
    assert.deepEqual(sent('/apps/imports')[0]!.json, { mode: 'yaml-content', yaml_content: yaml, app_id: id });
    assert.ok((await runTitles()).includes('Summarize'), 'a draft is not what /v1 runs');
  });

  it('a newer DSL is pending (202) with both versions; confirming completes it', async () => {
    const c = await signedIn();
    const id = workflowApp().id;
    const yaml = retitled((await c.exportDsl(id)).replace('version: 0.6.0', 'version: 0.7.0'), 'Summarize', 'From the future');
    const pending = await c.importDsl({ mode: 'yaml-content', yaml_content: yaml, app_id: id });
    assert.equal(pending.status, 'pending');
    assert.equal(pending.imported_dsl_version, '0.7.0');
    assert.equal(pending.current_dsl_version, '0.6.0');
    assert.ok((await c.draft(id)).graph.nodes.every((n) => (n.data as { title: string }).title !== 'From the future'), 'nothing imported yet');
    const confirmed = await c.confirmImport(pending.id);
    assert.equal(confirmed.status, 'completed');
    assert.ok((await c.draft(id)).graph.nodes.some((n) => (n.data as { title: string }).title === 'From the future'));
    assert.equal(sent(`/apps/imports/${pending.id}/confirm`).length, 1);
    const again = await c.confirmImport(pending.id);
    assert.equal(again.status, 'failed');
    assert.equal(again.error, 'Import information expired or does not exist');
  });

  it("a failed import is an answer with Dify's words (not an exception); an older minor version completes with warnings", async () => {
    const c = await signedIn();
    const id = workflowApp().id;
    const yaml = await c.exportDsl(id);
    const float = await c.importDsl({ mode: 'yaml-content', yaml_content: yaml.replace('version: 0.6.0', 'version: 0.6'), app_id: id });
    assert.equal(float.status, 'failed');
    assert.equal(float.error, "Invalid version type, expected str, got <class 'float'>");
    const broken = await c.importDsl({ mode: 'yaml-content', yaml_content: 'app:\n  name: x\n mode: workflow\n', app_id: id });
    assert.equal(broken.status, 'failed');
    assert.match(broken.error, /^Invalid YAML format: .*\(3:/);
    const older = await c.importDsl({ mode: 'yaml-content', yaml_content: yaml.replace('version: 0.6.0', 'version: 0.5.0'), app_id: id });
    assert.equal(older.status, 'completed-with-warnings');
    assert.equal(older.imported_dsl_version, '0.5.0');
    // Dify's own 400s stay errors.
    await assert.rejects(c.importDsl({ mode: 'yaml-file' as 'yaml-url' }), (e: unknown) => e instanceof DifyApiError && e.code === 'invalid_param');
  });

  it('check-dependencies lists the plugins the imported DSL needs', async () => {
    const c = await signedIn();
    const id = workflowApp().id;
    const plugin = { type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/openai:0.0.1@abc' }, current_identifier: null };
    const yaml = (await c.exportDsl(id)).replace('dependencies: []', `dependencies:\n- ${JSON.stringify(plugin)}`);
    assert.equal((await c.importDsl({ mode: 'yaml-content', yaml_content: yaml, app_id: id })).status, 'completed');
    assert.deepEqual(await c.checkDependencies(id), [plugin]);
  });
});

describe('ConsoleClient: drafts, publishing and versions', () => {
  it('the draft carries its hash; a sync with a stale hash is 409 draft_workflow_not_sync', async () => {
    const c = await signedIn();
    const id = workflowApp().id;
    const draft = await c.draft(id);
    assert.match(draft.hash, /^[0-9a-f]{64}$/);
    assert.equal(draft.version, 'draft');
    const synced = await c.call<{ hash: string }>('POST', `/apps/${id}/workflows/draft`, { json: { graph: { ...draft.graph, nodes: [] }, features: draft.features, hash: draft.hash } });
    assert.equal((await c.draft(id)).hash, synced.hash);
    await assert.rejects(
      c.call('POST', `/apps/${id}/workflows/draft`, { json: { graph: draft.graph, features: draft.features, hash: draft.hash } }),
      (e: unknown) => e instanceof DifyApiError && e.status === 409 && e.code === 'draft_workflow_not_sync',
    );
  });

  it('publishing with a note: the Service API runs the new titles; the versions list the draft first, then the note', async () => {
    const c = await signedIn();
    const id = workflowApp().id;
    await c.importDsl({ mode: 'yaml-content', yaml_content: retitled(await c.exportDsl(id), 'Summarize', 'Condense 浓缩'), app_id: id });
    const published = await c.publish(id, { marked_name: 'v2', marked_comment: 'Shorter summaries' });
    assert.equal(published.result, 'success');
    assert.deepEqual(sent(`/apps/${id}/workflows/publish`).at(-1)!.json, { marked_name: 'v2', marked_comment: 'Shorter summaries' });
    assert.ok((await runTitles()).includes('Condense 浓缩'));
    const versions = await c.workflowVersions(id);
    assert.equal(versions.items[0]!.version, 'draft');
    assert.deepEqual(versions.items.slice(1, 2).map((v) => [v.marked_name, v.marked_comment]), [['v2', 'Shorter summaries']]);
    assert.deepEqual(sent(`/apps/${id}/workflows`).at(-1)!.query, { page: '1', limit: '20' });
    await assert.rejects(c.publish(id, { marked_name: 'x'.repeat(21) }), (e: unknown) => e instanceof DifyApiError && e.code === 'invalid_param');
  });
});
