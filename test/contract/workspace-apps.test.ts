// WorkspaceApps (the Apps view's list of the signed-in workspace's apps) against the test Dify server's console:
// nothing fetched before the first refresh, pages of `limit` apps with "load more", Dify's mode and name filters (the
// name trimmed and cut to the 30 characters Dify searches by), a fetch under an old filter dropped, another workspace
// after a switch, a session that ended kept as the error; and addedAs, which tells the apps the user added already.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AppProfile } from '../../src/core/profile-store.js';
import { addedAs, filterModes, isFiltered, NO_FILTER, WorkspaceApps, workspaceAppFilter } from '../../src/core/workspace-apps.js';
import { ConsoleClient, DifyConsoleSessionError, serviceApiBaseUrl } from '../../src/dify/index.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer()));
after(() => server.close());
beforeEach(() => server.reset());

const appCalls = () => server.requests.filter((r) => r.path === '/console/api/apps');
/** The current workspace's apps as Dify lists them under "all" (1.15's agent apps have a list of their own). */
const listedApps = () => server.console.workspaces[0]!.apps.filter((a) => a.mode !== 'agent');

async function signedIn(): Promise<ConsoleClient> {
  const client = new ConsoleClient({ consoleUrl: server.url });
  await client.login(server.console.email, server.console.password, 'base64');
  return client;
}

function profile(baseUrl: string, app: { name: string; mode: string }): AppProfile {
  return { id: randomUUID(), kind: 'app', label: 'Mine', baseUrl, appName: app.name, mode: app.mode, description: '' };
}

describe("WorkspaceApps: the workspace's apps, paged and filtered on Dify", () => {
  it('fetches nothing before the first refresh, then pages of 10 until Dify has no more', async () => {
    const client = await signedIn();
    const apps = new WorkspaceApps(async () => client);
    assert.equal(apps.loaded, false);
    assert.equal(appCalls().length, 0);
    await apps.refresh();
    assert.equal(apps.items.length, 10);
    assert.equal(apps.hasMore, true);
    assert.equal(apps.total, listedApps().length);
    await apps.loadMore();
    assert.equal(apps.hasMore, false);
    assert.deepEqual(apps.items.map((a) => a.id).sort(), listedApps().map((a) => a.id).sort());
    assert.deepEqual(
      appCalls().map((r) => r.query),
      [
        { page: '1', limit: '10', mode: 'all' },
        { page: '2', limit: '10', mode: 'all' },
      ],
    );
  });

  it("filters by mode and by name on Dify (case-insensitive); a new filter starts from the first page", async () => {
    const client = await signedIn();
    const apps = new WorkspaceApps(async () => client);
    await apps.refresh();
    await apps.loadMore();
    apps.setFilter(workspaceAppFilter('workflow', ''));
    assert.equal(apps.loaded, false, 'fetched again on the next refresh');
    await apps.refresh();
    const workflows = listedApps().filter((a) => a.mode === 'workflow');
    assert.ok(workflows.length > 1 && workflows.length <= 10);
    assert.deepEqual(apps.items.map((a) => a.name).sort(), workflows.map((a) => a.name).sort());
    assert.equal(apps.hasMore, false);

    apps.setFilter(workspaceAppFilter('all', '  ITERATION '));
    await apps.refresh();
    assert.deepEqual(apps.items.map((a) => a.name).sort(), ['Test Iteration Workflow', 'Test Iterations Chatflow']);
    assert.deepEqual(appCalls().at(-1)!.query, { page: '1', limit: '10', mode: 'all', name: 'ITERATION' });
    assert.equal(server.requests.filter((r) => r.path === '/console/api/datasets/api-base-info').length, 1, 'the base URL is asked once');

    apps.setFilter(workspaceAppFilter('chat', 'iteration'));
    await apps.refresh();
    assert.deepEqual(apps.items, []);
    assert.equal(apps.total, 0);
  });

  it('cuts the name to the 30 characters Dify searches by; no mode and no name is no filter', () => {
    const filter = workspaceAppFilter('advanced-chat', `  ${'Test Iterations Chatflow, the long name'} `);
    assert.equal(filter.name, 'Test Iterations Chatflow, the ');
    assert.equal(filter.name.length, 30);
    assert.equal(isFiltered(filter), true);
    assert.equal(isFiltered(workspaceAppFilter('all', '   ')), false);
    assert.deepEqual(workspaceAppFilter('all', ''), NO_FILTER);
  });

  it('drops what a fetch under the old filter brings', async () => {
    const client = await signedIn();
    const apps = new WorkspaceApps(async () => client);
    const old = apps.refresh();
    apps.setFilter(workspaceAppFilter('workflow', ''));
    await old;
    assert.equal(apps.loaded, false);
    assert.deepEqual(apps.items, []);
  });

  it("lists the other workspace's apps once switched and reset", async () => {
    const client = await signedIn();
    const apps = new WorkspaceApps(async () => client);
    await apps.refresh();
    const other = server.console.workspaces[1]!;
    await client.switchWorkspace(other.id);
    apps.reset();
    await apps.refresh();
    assert.deepEqual(apps.items.map((a) => a.name).sort(), other.apps.map((a) => a.name).sort());
    assert.equal(apps.hasMore, false);
  });

  it('keeps a session that ended as the error, with the apps listed before', async () => {
    const client = await signedIn();
    const apps = new WorkspaceApps(async () => client);
    await apps.refresh();
    await client.logout();
    await apps.loadMore();
    assert.ok(apps.error instanceof DifyConsoleSessionError, String(apps.error));
    assert.equal(apps.items.length, 10);
  });
});

describe("Dify 1.15's agent apps, which its mode=all leaves out", () => {
  it('are listed by the Agent (Dify 1.15) filter, offered from 1.15.0 on only (Dify 1.13 refuses the mode)', async () => {
    const client = await signedIn();
    const agents = server.console.workspaces[0]!.apps.filter((a) => a.mode === 'agent');
    assert.ok(agents.length > 0, 'the test server has one');
    await client.workspaces();
    assert.ok(filterModes(client.serverVersion).includes('agent'));
    assert.ok(!filterModes('1.13.2').includes('agent'));
    const apps = new WorkspaceApps(async () => client);
    apps.setFilter(workspaceAppFilter('agent', ''));
    await apps.refresh();
    assert.deepEqual(apps.items.map((a) => a.name), agents.map((a) => a.name));
  });
});

describe('WorkspaceApps on Dify 1.13.2', () => {
  it('pages and filters alike (no agent apps of 1.15 there)', async () => {
    const old = await startDifyServer({ version: '1.13.2' });
    try {
      const client = new ConsoleClient({ consoleUrl: old.url });
      await client.login(old.console.email, old.console.password, 'base64');
      const apps = new WorkspaceApps(async () => client);
      await apps.refresh();
      await apps.loadMore();
      assert.deepEqual(apps.items.map((a) => a.name).sort(), old.console.workspaces[0]!.apps.map((a) => a.name).sort());
      apps.setFilter(workspaceAppFilter('agent-chat', 'test'));
      await apps.refresh();
      assert.deepEqual(apps.items.map((a) => a.name), ['Test Agent']);
    } finally {
      await old.close();
    }
  });
});

describe('addedAs: which apps of the workspace the user has added', () => {
  it("matches an app added with the key of its own Service API URL, name and mode; not another app's", async () => {
    const client = await signedIn();
    const apps = new WorkspaceApps(async () => client);
    assert.equal(addedAs([], apps.baseUrl, listedApps()[0]!), undefined, 'nothing before the first page');
    await apps.refresh();
    const [first, second] = apps.items;
    // What adding stores: the base URL from the app's own detail.
    const detail = await client.app(first!.id);
    const mine = profile(serviceApiBaseUrl(client.origin, detail.api_base_url), first!);
    assert.equal(mine.baseUrl, apps.baseUrl);
    assert.equal(addedAs([mine], apps.baseUrl, first!), mine);
    assert.equal(addedAs([mine], apps.baseUrl, second!), undefined);
    assert.equal(addedAs([profile('https://elsewhere.example.com/v1', first!)], apps.baseUrl, first!), undefined, 'another Dify');
    const otherMode = first!.mode === 'completion' ? 'chat' : 'completion';
    assert.equal(addedAs([profile(apps.baseUrl!, { name: first!.name, mode: otherMode })], apps.baseUrl, first!), undefined, 'another mode');
  });
});
