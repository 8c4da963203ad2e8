// The test Dify server's Console API workflows (CONSOLE.md §7): the draft with its hash rule and 409, secret masking,
// publishing (which the Service API then runs) and the versions list.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import type { Json, Session } from './dify-server-console-helpers.js';
import { consoleCall, loggedIn } from './dify-server-console-helpers.js';
import { dataFrames, post } from './dify-server-helpers.js';

describe('test Dify server: console workflows', () => {
  let server: DifyTestServer;
  let session: Session;
  let workflowId: string;
  before(async () => {
    server = await startDifyServer();
    workflowId = server.apps.find((a) => a.name === 'Test Workflow')!.id;
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    session = await loggedIn(server);
  });

  const draftPath = () => `/apps/${workflowId}/workflows/draft`;

  it('GET draft: WorkflowResponse key order, hash = sha256(json.dumps({"graph": g}, sort_keys=True) + "None"); no CSRF check below /draft', async () => {
    const draft = (await session.call('GET', draftPath())).json;
    assert.deepEqual(Object.keys(draft), [
      'id', 'graph', 'features', 'hash', 'version', 'marked_name', 'marked_comment', 'created_by', 'created_at',
      'updated_by', 'updated_at', 'tool_published', 'environment_variables', 'conversation_variables', 'rag_pipeline_variables',
    ]);
    assert.equal(draft.version, 'draft');
    // Python's json.dumps: ", " and ": " separators, sorted keys, ASCII only. The seeded graph is ASCII, ints only.
    const sorted = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)])) : v;
    const py = JSON.stringify(sorted({ graph: draft.graph })).replace(/","/g, '", "').replace(/":/g, '": ').replace(/,(?=[{["\d\-tfn])/g, ', ');
    assert.equal(draft.hash, createHash('sha256').update(py + 'None').digest('hex'));
    const access = session.cookie('access_token')!;
    const noCsrf = await consoleCall(server, 'GET', draftPath(), undefined, { Cookie: `access_token=${access}` });
    assert.equal(noCsrf.status, 200, 'the draft routes skip the CSRF check');
    assert.equal((await consoleCall(server, 'GET', `/apps/${workflowId}/workflows/publish`, undefined, { Cookie: `access_token=${access}` })).status, 401);
  });

  it('sync: stale hash 409, right hash 200 with the new hash, features-only change keeps it; 1.0 stays a float; bad bodies', async () => {
    const draft = (await session.call('GET', draftPath())).json;
    const graph = draft.graph as Json;
    const stale = await session.call('POST', draftPath(), { graph, features: {}, hash: 'stale' });
    assert.equal(stale.status, 409);
    assert.equal(stale.text, '{"code": "draft_workflow_not_sync", "message": "Workflow graph might have been modified, please refresh and resubmit.", "status": 409}\n');
    assert.equal((await session.call('POST', draftPath(), { graph, features: {} })).status, 409, 'a missing hash when a draft exists');
    const same = await session.call('POST', draftPath(), { graph, features: { opening_statement: 'hi' }, hash: draft.hash });
    assert.deepEqual(Object.keys(same.json), ['result', 'hash', 'updated_at']);
    assert.equal(same.json.hash, draft.hash, 'only the graph is hashed');
    // A float zoom: Python keeps 1.0, so the hash and the GET body keep it too.
    const text = JSON.stringify({ graph: { ...graph, viewport: { x: 0, y: 0, zoom: 2 } }, features: {}, hash: draft.hash }).replace('"zoom":2', '"zoom":1.0');
    const floated = await session.call('POST', draftPath(), text, { 'Content-Type': 'text/plain;charset=UTF-8' });
    assert.equal(floated.status, 200, floated.text);
    const after = await session.call('GET', draftPath());
    assert.match(after.text, /"zoom": 1\.0\}/);
    assert.equal(after.json.hash, floated.json.hash);
    assert.equal((await session.call('POST', draftPath(), '[1]')).text, '{"message": "Invalid JSON data"}\n');
    assert.equal((await session.call('POST', draftPath(), '{', { 'Content-Type': 'text/plain' })).text, '{"message": "Invalid JSON data"}\n');
    assert.equal((await session.call('POST', draftPath(), 'x', { 'Content-Type': 'application/xml' })).status, 415);
    const missing = await session.call('POST', draftPath(), { hash: after.json.hash });
    assert.equal(missing.json.code, 'invalid_param');
  });

  it('draft errors: chat app 404 "App mode is not in the supported list", a new app (POST /apps) 404 draft_workflow_not_exist until its first sync', async () => {
    const chat = server.apps.find((a) => a.mode === 'chat')!;
    const wrong = await session.call('GET', `/apps/${chat.id}/workflows/draft`);
    assert.equal(wrong.status, 404);
    assert.equal(wrong.json.code, 'app_not_found');
    assert.match(String(wrong.json.message), /^App mode is not in the supported list: \{'advanced-chat', 'workflow'\}/);
    const fresh = await session.call('POST', '/apps', { name: 'Fresh', mode: 'workflow' });
    assert.equal(fresh.status, 201, fresh.text);
    const none = await session.call('GET', `/apps/${fresh.json.id as string}/workflows/draft`);
    assert.equal(none.json.code, 'draft_workflow_not_exist');
    // flask-restx's 404 help suffix follows the message (CONTRACT §2.1).
    assert.match(String(none.json.message), /^Draft workflow need to be initialized\. You have requested this URI/);
    const created = await session.call('POST', `/apps/${fresh.json.id as string}/workflows/draft`, { graph: { nodes: [], edges: [] }, features: {}, hash: 'anything' });
    assert.equal(created.status, 200, 'no draft yet: any hash creates it');
  });

  it('secret environment variables: masked on GET; the mask sent back keeps the stored value', async () => {
    const draft = (await session.call('GET', draftPath())).json;
    const env = [{ id: 'e1', name: 'token', value_type: 'secret', value: 's3cret', description: '' }];
    const first = await session.call('POST', draftPath(), { graph: draft.graph, features: {}, hash: draft.hash, environment_variables: env });
    const got = (await session.call('GET', draftPath())).json;
    assert.deepEqual(got.environment_variables, [{ value_type: 'secret', id: 'e1', name: 'token', value: '********************', description: '' }]);
    await session.call('POST', draftPath(), { graph: draft.graph, features: {}, hash: first.json.hash, environment_variables: got.environment_variables });
    const exported = (await session.call('GET', `/apps/${workflowId}/export?include_secret=true`)).json.data as string;
    assert.match(exported, /value: s3cret/);
  });

  it('publish: the Service API runs the published graph (its node titles, its workflow id); versions list draft first, no total', async () => {
    assert.equal((await session.call('GET', `/apps/${server.apps.find((a) => a.name === 'Paper Digest')?.id ?? workflowId}/workflows`)).status, 200);
    const draft = (await session.call('GET', draftPath())).json;
    const graph = structuredClone(draft.graph) as { nodes: { id: string; data: { title: string } }[] };
    graph.nodes.find((n) => n.data.title === 'Summarize')!.data.title = 'Condense 浓缩';
    const synced = await session.call('POST', draftPath(), { graph, features: draft.features, hash: draft.hash });
    assert.equal(synced.status, 200);
    const long = await session.call('POST', `/apps/${workflowId}/workflows/publish`, { marked_name: 'x'.repeat(21) });
    assert.equal(long.json.code, 'invalid_param');
    const published = await session.call('POST', `/apps/${workflowId}/workflows/publish`, { marked_name: 'v2', marked_comment: 'shorter' });
    assert.deepEqual(Object.keys(published.json), ['result', 'created_at']);
    const current = (await session.call('GET', `/apps/${workflowId}/workflows/publish`)).json;
    assert.equal(current.marked_name, 'v2');
    const run = await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: 'x' }, user: 'u', response_mode: 'streaming' });
    const frames = dataFrames(run.text);
    assert.equal((frames.find((f) => f.event === 'workflow_started')!.data as Json).workflow_id, current.id);
    assert.ok(frames.some((f) => f.event === 'node_started' && (f.data as Json).title === 'Condense 浓缩'));
    const versions = (await session.call('GET', `/apps/${workflowId}/workflows?limit=2`)).json;
    assert.deepEqual(Object.keys(versions), ['items', 'page', 'limit', 'has_more']);
    assert.deepEqual((versions.items as Json[]).map((v) => v.version === 'draft' ? 'draft' : v.marked_name), ['draft', 'v2']);
    assert.equal(versions.has_more, true);
    assert.deepEqual(((await session.call('GET', `/apps/${workflowId}/workflows?named_only=true`)).json.items as Json[]).map((v) => v.marked_name), ['v2']);
    assert.equal((await session.call('GET', `/apps/${workflowId}/workflows?user_id=someone`)).status, 403);
    server.reset();
    const again = await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: 'x' }, user: 'u', response_mode: 'streaming' });
    assert.ok(dataFrames(again.text).some((f) => f.event === 'node_started' && (f.data as Json).title === 'Summarize'), 'reset restores the seeded graph');
  });

  it('restore copies a published version into the draft (a new hash: the old one gets 409); PATCH names a version', async () => {
    const published = (await session.call('GET', `/apps/${workflowId}/workflows/publish`)).json;
    const draft = (await session.call('GET', draftPath())).json;
    const edited = await session.call('POST', draftPath(), { graph: { nodes: [], edges: [] }, features: {}, hash: draft.hash });
    const restored = await session.call('POST', `/apps/${workflowId}/workflows/${published.id as string}/restore`);
    assert.deepEqual(Object.keys(restored.json), ['result', 'hash', 'updated_at']);
    assert.equal(restored.json.hash, published.hash);
    assert.deepEqual((await session.call('GET', draftPath())).json.graph, published.graph);
    assert.equal((await session.call('POST', draftPath(), { graph: {}, features: {}, hash: edited.json.hash })).status, 409);
    const named = await session.call('PATCH', `/apps/${workflowId}/workflows/${published.id as string}`, { marked_name: 'first' });
    assert.equal(named.json.marked_name, 'first');
    const unknown = await session.call('POST', `/apps/${workflowId}/workflows/00000000-0000-4000-8000-000000000000/restore`);
    assert.equal(unknown.status, 404);
  });

  it('draft run: streams the draft (its titles, workflow_id = the draft id, version draft) as a debugger run; workflow apps only', async () => {
    const draft = (await session.call('GET', draftPath())).json;
    const graph = structuredClone(draft.graph) as { nodes: { data: { title: string } }[] };
    graph.nodes.find((n) => n.data.title === 'Summarize')!.data.title = 'Draft title';
    await session.call('POST', draftPath(), { graph, features: {}, hash: draft.hash });
    // No CSRF check below /draft: the access cookie alone runs it.
    const run = await consoleCall(server, 'POST', `${draftPath()}/run`, { inputs: { topic: 'x' } }, { Cookie: `access_token=${session.cookie('access_token')!}` });
    assert.equal(run.status, 200, run.text);
    assert.match(run.headers.get('content-type') ?? '', /^text\/event-stream/);
    const frames = dataFrames(run.text);
    assert.equal((frames.find((f) => f.event === 'workflow_started')!.data as Json).workflow_id, draft.id);
    assert.ok(frames.some((f) => f.event === 'node_started' && (f.data as Json).title === 'Draft title'));
    assert.equal(frames.at(-1)!.event, 'workflow_finished');
    const logs = await fetch(`${server.baseUrl}/workflows/logs`, { headers: { Authorization: `Bearer ${server.keys.workflow}` } });
    assert.equal(((await logs.json()) as Json).total, 0, 'a debugger run has no app log');
    const chatflow = server.apps.find((a) => a.mode === 'advanced-chat')!;
    const wrong = await session.call('POST', `/apps/${chatflow.id}/workflows/draft/run`, { inputs: {} });
    assert.equal(wrong.status, 404);
    assert.match(String(wrong.json.message), /^App mode is not in the supported list: \{'workflow'\}/);
    assert.equal((await session.call('POST', `${draftPath()}/run`, {})).json.code, 'invalid_param');
  });
});
