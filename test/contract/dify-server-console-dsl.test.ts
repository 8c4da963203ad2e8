// The test Dify server's Console API DSL (CONSOLE.md §6): export as sorted YAML, imports with their statuses and
// texts, confirm and its expiry, overwrite rules, check-dependencies.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import type { Json, Session } from './dify-server-console-helpers.js';
import { loggedIn } from './dify-server-console-helpers.js';

const WORKFLOW_DSL = (version: string) =>
  `version: ${version}\nkind: app\napp:\n  name: Imported 导入\n  mode: workflow\n  icon: 🦊\nworkflow:\n  graph:\n    nodes: []\n    edges: []\n  features: {}\n`;

describe('test Dify server: console DSL', () => {
  let server: DifyTestServer;
  let session: Session;
  before(async () => {
    server = await startDifyServer();
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    session = await loggedIn(server);
  });

  const importYaml = (yaml: string, extra: Json = {}) => session.call('POST', '/apps/imports', { mode: 'yaml-content', yaml_content: yaml, ...extra });
  const byName = (name: string) => server.apps.find((a) => a.name === name)!;

  it('export: {"data": <YAML>} with sorted keys; workflow apps export the draft, chat apps their model config', async () => {
    const res = await session.call('GET', `/apps/${byName('Test Workflow').id}/export`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json), ['data']);
    const yaml = res.json.data as string;
    assert.deepEqual(yaml.split('\n').filter((l) => /^\w/.test(l)).map((l) => l.split(':')[0]), ['app', 'dependencies', 'kind', 'version', 'workflow']);
    assert.match(yaml, /^version: 0\.6\.0$/m);
    assert.match(yaml, /^kind: app$/m);
    assert.match(yaml, /title: Summarize/);
    const chat = (await session.call('GET', `/apps/${byName('Test Chat 测试助手').id}/export`)).json.data as string;
    assert.match(chat, /^model_config:$/m);
    assert.match(chat, /name: Test Chat 测试助手/, 'allow_unicode');
    assert.doesNotMatch((await session.call('GET', `/apps/${byName('Test Chat 测试助手').id}/export`)).text, /[^\p{ASCII}]/u, 'json.dumps: ASCII only');
  });

  it('import statuses: completed, completed-with-warnings (older minor), pending 202 (newer) then confirm; confirm expires after 10 minutes', async () => {
    const done = await importYaml(WORKFLOW_DSL('0.6.0'));
    assert.equal(done.status, 200);
    assert.deepEqual(Object.keys(done.json), ['id', 'status', 'app_id', 'app_mode', 'permission_keys', 'current_dsl_version', 'imported_dsl_version', 'error']);
    assert.equal(done.json.status, 'completed');
    assert.equal(done.json.app_mode, 'workflow');
    const app = (await session.call('GET', `/apps/${done.json.app_id as string}`)).json;
    assert.equal(app.name, 'Imported 导入');
    assert.equal((await session.call('GET', `/apps/${done.json.app_id as string}/workflows/draft`)).status, 200);
    const warn = await importYaml(WORKFLOW_DSL('0.5.0'));
    assert.equal(warn.json.status, 'completed-with-warnings');
    const pending = await importYaml(WORKFLOW_DSL('0.7.0'));
    assert.equal(pending.status, 202);
    assert.equal(pending.json.status, 'pending');
    assert.equal(pending.json.app_id, null);
    assert.equal(pending.json.imported_dsl_version, '0.7.0');
    const confirmed = await session.call('POST', `/apps/imports/${pending.json.id as string}/confirm`);
    assert.equal(confirmed.json.status, 'completed');
    assert.equal(typeof confirmed.json.app_id, 'string');
    const again = await session.call('POST', `/apps/imports/${pending.json.id as string}/confirm`);
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'Import information expired or does not exist');
    const old = await importYaml(WORKFLOW_DSL('1.0.0'));
    server.console.advanceClock(601);
    const expired = await session.call('POST', `/apps/imports/${old.json.id as string}/confirm`);
    assert.equal(expired.status, 400);
    assert.equal(expired.json.status, 'failed');
    assert.equal(expired.json.error, 'Import information expired or does not exist');
  });

  it('import failures: 400 with the exact error texts; an unknown mode is 400 invalid_param', async () => {
    const failed = async (body: Json, error: string) => {
      const res = await session.call('POST', '/apps/imports', body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.status, 'failed');
      assert.equal(res.json.error, error);
      assert.equal(res.json.app_id, null);
    };
    const mode = await session.call('POST', '/apps/imports', { mode: 'zip' });
    assert.equal(mode.text, '{"code": "invalid_param", "message": "Invalid import_mode: zip", "status": 400}\n');
    await failed({ mode: 'yaml-content' }, 'yaml_content is required when import_mode is yaml-content');
    await failed({ mode: 'yaml-url' }, 'yaml_url is required when import_mode is yaml-url');
    await failed({ mode: 'yaml-content', yaml_content: '- a\n- b\n' }, 'Invalid YAML format: content must be a mapping');
    await failed({ mode: 'yaml-content', yaml_content: 'version: 0.6\napp: {name: x, mode: workflow}\n' }, "Invalid version type, expected str, got <class 'float'>");
    await failed({ mode: 'yaml-content', yaml_content: 'version: 0.6.0\nkind: app\n' }, 'Missing app data in YAML content');
    await failed({ mode: 'yaml-content', yaml_content: 'version: 0.6.0\napp: {name: x, mode: workflow}\n' }, 'Missing workflow data for workflow/advanced chat app');
    const yaml = WORKFLOW_DSL('0.6.0');
    await failed({ mode: 'yaml-content', yaml_content: yaml, app_id: byName('Test Chat 测试助手').id }, 'Only workflow or advanced chat apps can be overwritten');
    await failed({ mode: 'yaml-content', yaml_content: yaml, app_id: '00000000-0000-4000-8000-000000000000' }, 'App not found');
    const bad = await session.call('POST', '/apps/imports', { mode: 'yaml-content', yaml_content: 'a: [' });
    assert.match(String(bad.json.error), /^Invalid YAML format: /);
  });

  it('overwrite: app_id replaces a workflow app\'s draft (not the published version); an export re-imports to the same graph hash', async () => {
    const id = byName('Test Workflow').id;
    const before = (await session.call('GET', `/apps/${id}/workflows/draft`)).json;
    const exported = (await session.call('GET', `/apps/${id}/export`)).json.data as string;
    const res = await importYaml(WORKFLOW_DSL('0.6.0'), { app_id: id, name: 'Renamed' });
    assert.equal(res.json.status, 'completed');
    assert.equal(res.json.app_id, id);
    const draft = (await session.call('GET', `/apps/${id}/workflows/draft`)).json;
    assert.deepEqual(draft.graph, { nodes: [], edges: [] });
    assert.equal((await session.call('GET', `/apps/${id}`)).json.name, 'Renamed');
    assert.notEqual(((await session.call('GET', `/apps/${id}/workflows/publish`)).json.graph as Json).nodes, undefined);
    const copy = await importYaml(exported);
    const copied = (await session.call('GET', `/apps/${copy.json.app_id as string}/workflows/draft`)).json;
    assert.equal(copied.hash, before.hash);
  });

  it('yaml-url: fetched (errors in httpx words); check-dependencies lists the plugins the DSL needs, right after the import', async () => {
    const yaml = `${WORKFLOW_DSL('0.6.0')}dependencies:\n- type: marketplace\n  value:\n    marketplace_plugin_unique_identifier: langgenius/openai:0.0.1\n`;
    const host = createServer((req, res) => {
      if (req.url === '/app.yml') res.end(yaml);
      else res.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      const ok = await session.call('POST', '/apps/imports', { mode: 'yaml-url', yaml_url: `${base}/app.yml` });
      assert.equal(ok.json.status, 'completed', ok.text);
      const deps = await session.call('GET', `/apps/imports/${ok.json.app_id as string}/check-dependencies`);
      assert.deepEqual(deps.json, {
        leaked_dependencies: [{ type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/openai:0.0.1' }, current_identifier: null }],
      });
      server.console.advanceClock(601);
      assert.deepEqual((await session.call('GET', `/apps/imports/${ok.json.app_id as string}/check-dependencies`)).json, { leaked_dependencies: [] });
      const missing = await session.call('POST', '/apps/imports', { mode: 'yaml-url', yaml_url: `${base}/nope.yml` });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.error, `Error fetching YAML from URL: Client error '404 Not Found' for url '${base}/nope.yml'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404`);
    } finally {
      await new Promise((resolve) => host.close(resolve));
    }
  });
});
