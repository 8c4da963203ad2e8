// The test Dify server's Console API resources (CONSOLE.md §4, §5, §8, §10): the account and its workspaces, the app
// list and detail, app and dataset API keys shared with the Service API and Knowledge API.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer, DifyVersion } from '../dify-server/server.js';
import type { Json, Session } from './dify-server-console-helpers.js';
import { loggedIn } from './dify-server-console-helpers.js';

const MAX_KEYS = '{"message": "Cannot create more than 10 API keys for this resource type.", "custom": "max_keys_exceeded"}\n';

for (const version of ['1.15.0', '1.13.2'] as DifyVersion[]) {
  describe(`test Dify server: console apps and keys (${version})`, () => {
    let server: DifyTestServer;
    let session: Session;
    before(async () => {
      server = await startDifyServer({ version });
    });
    after(() => server.close());
    beforeEach(async () => {
      server.reset();
      session = await loggedIn(server);
    });

    const appList = async (query: string): Promise<Json> => {
      const res = await session.call('GET', `/apps${query}`);
      assert.equal(res.status, 200, res.text);
      return res.json;
    };
    const names = (list: Json): string[] => (list.data as Json[]).map((a) => String(a.name));

    it('profile, workspaces (one current), switch (persistent, 403 / 400), POST-only /workspaces/current', async () => {
      const profile = (await session.call('GET', '/account/profile')).json;
      assert.deepEqual(Object.keys(profile), [
        'avatar', 'id', 'name', 'email', 'is_password_set', 'interface_language', 'interface_theme', 'timezone',
        'last_login_at', 'last_login_ip', 'created_at', 'avatar_url',
      ]);
      assert.equal(profile.email, server.console.email);
      assert.equal(typeof profile.last_login_at, 'number');
      const list = (await session.call('GET', '/workspaces')).json.workspaces as Json[];
      assert.equal(list.length, 2);
      assert.deepEqual(Object.keys(list[0]!), ['id', 'name', 'plan', 'status', 'created_at', 'last_opened_at', 'current']);
      assert.deepEqual(list.map((w) => w.current), [true, false]);
      const before = (await appList('?limit=100')).total as number;
      assert.equal(before, server.apps.filter((a) => a.mode !== 'agent').length);
      const other = list[1]!.id as string;
      assert.deepEqual(server.console.workspaces.map((w) => w.id), list.map((w) => w.id));
      assert.equal(profile.id, server.console.accountId);
      const switched = await session.call('POST', '/workspaces/switch', { tenant_id: other });
      assert.equal(switched.json.result, 'success');
      assert.deepEqual(Object.keys(switched.json.new_tenant as Json), [
        'id', 'name', 'plan', 'status', 'created_at', 'role', 'in_trial', 'trial_end_reason', 'custom_config',
        'trial_credits', 'trial_credits_used', 'next_credit_reset_date',
      ]);
      // Persistent and account-wide: a new login sees the switched workspace.
      const second = await loggedIn(server);
      assert.deepEqual(((await second.call('GET', '/workspaces')).json.workspaces as Json[]).map((w) => w.current), [false, true]);
      assert.deepEqual(names(await appList('')).sort(), server.console.workspaces[1]!.apps.map((a) => a.name).sort());
      assert.equal((await session.call('POST', '/workspaces/current')).json.id, other);
      assert.equal((await session.call('GET', '/workspaces/current')).status, 405);
      const foreign = await session.call('POST', '/workspaces/switch', { tenant_id: '00000000-0000-4000-8000-000000000000' });
      assert.equal(foreign.text, '{"code": "account_not_link_tenant", "message": "Account not link tenant", "status": 403}\n');
      const missing = await session.call('POST', '/workspaces/switch', {});
      assert.equal(missing.status, 400);
      assert.equal(missing.json.code, 'invalid_param');
    });

    it('GET /apps: page and limit bounds, mode filter, name ILIKE, has_more and total, AppPartial key order', async () => {
      const page = await appList('?page=1&limit=5');
      assert.deepEqual(Object.keys(page), ['page', 'limit', 'total', 'has_more', 'data']);
      assert.equal((page.data as Json[]).length, 5);
      assert.equal(page.has_more, true);
      const last = await appList(`?page=${Math.ceil((page.total as number) / 5)}&limit=5`);
      assert.equal(last.has_more, false);
      const keys = Object.keys((page.data as Json[])[0]!);
      assert.equal(keys[0], 'id');
      assert.equal(keys.at(-1), 'icon_url');
      assert.equal(keys.includes('is_starred'), version === '1.15.0');
      for (const bad of ['?limit=0', '?limit=101', '?page=0', '?mode=robot']) {
        const res = await session.call('GET', `/apps${bad}`);
        assert.equal(res.status, 400, bad);
        assert.equal(res.json.code, 'invalid_param');
      }
      assert.deepEqual(names(await appList('?mode=workflow&limit=100')).every((n) => /Workflow/.test(n)), true);
      assert.deepEqual(names(await appList('?name=CHATFLOW&limit=100')).sort(), ['Test Chatflow', 'Test Failing Chatflow', 'Test Iterations Chatflow', 'Test Review Chatflow']);
      assert.deepEqual(names(await appList('?name=test%20chat%20测试')), ['Test Chat 测试助手']);
      assert.equal(names(await appList('?mode=all&limit=100')).includes('Test New Agent'), false);
      assert.equal(names(await appList('?mode=channel&limit=100')).includes('Test New Agent'), version === '1.15.0');
      if (version === '1.15.0') assert.deepEqual(names(await appList('?mode=agent')), ['Test New Agent']);
    });

    it('GET /apps: sort_by (1.15) or created_at DESC (1.13.2); tag_ids indexed (1.15) or comma-separated (1.13.2)', async () => {
      const all = (await appList('?limit=100')).data as Json[];
      const created = [...all].sort((a, b) => Number(b.created_at) - Number(a.created_at)).map((a) => a.name);
      const tag = ((all.find((a) => a.name === 'Test Chat 测试助手')!.tags as Json[])[0]!).id as string;
      if (version === '1.15.0') {
        const updated = [...all].sort((a, b) => Number(b.updated_at) - Number(a.updated_at)).map((a) => a.name);
        assert.deepEqual(all.map((a) => a.name), updated, 'last_modified by default');
        assert.deepEqual(names(await appList('?limit=100&sort_by=recently_created')), created);
        assert.deepEqual(names(await appList('?limit=100&sort_by=earliest_created')), [...created].reverse());
        assert.deepEqual(names(await appList(`?tag_ids[0]=${tag}`)), ['Test Chat 测试助手']);
        const plain = await session.call('GET', `/apps?tag_ids=${tag}`);
        assert.equal(plain.text, '{"code": "invalid_param", "message": "Unsupported tag_ids type.", "status": 400}\n');
        assert.equal((await session.call('GET', '/apps?tag_ids[0]=nope')).json.message, 'Invalid UUID format in tag_ids.');
      } else {
        assert.deepEqual(all.map((a) => a.name), created);
        assert.deepEqual(names(await appList(`?tag_ids=${tag}`)), ['Test Chat 测试助手']);
      }
    });

    it('GET /apps/{id}: AppDetailWithSite with enable_api and api_base_url; 404 app_not_found (another workspace)', async () => {
      const chat = server.apps.find((a) => a.name === 'Test Chat 测试助手')!;
      const detail = (await session.call('GET', `/apps/${chat.id}`)).json;
      assert.equal(detail.api_base_url, server.baseUrl);
      assert.equal(detail.enable_api, true);
      assert.equal(detail.mode, 'chat');
      assert.equal(Object.keys(detail).at(-1), 'icon_url');
      assert.equal((await session.call('GET', `/apps/${server.apps.find((a) => a.name === 'Test Disabled')!.id}`)).json.enable_api, false);
      const missing = await session.call('GET', '/apps/00000000-0000-4000-8000-000000000000');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, 'app_not_found');
      assert.match(String(missing.json.message), /^App not found\./);
    });

    it('app API keys: the Service API key is listed; a created key works on /v1 until deleted; max 10; 404 bodies without code', async () => {
      const chat = server.apps.find((a) => a.name === 'Test Chat 测试助手')!;
      const list = (await session.call('GET', `/apps/${chat.id}/api-keys`)).json.data as Json[];
      assert.deepEqual(list.map((k) => k.token), [server.keys.chat]);
      assert.deepEqual(Object.keys(list[0]!), ['id', 'type', 'token', 'last_used_at', 'created_at']);
      const created = await session.call('POST', `/apps/${chat.id}/api-keys`);
      assert.equal(created.status, 201);
      const token = created.json.token as string;
      assert.match(token, /^app-[A-Za-z0-9]{24}$/);
      assert.equal(created.json.last_used_at, null);
      const info = () => fetch(`${server.baseUrl}/info`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(((await (await info()).json()) as Json).name, chat.name);
      for (let i = 2; i < 10; i++) assert.equal((await session.call('POST', `/apps/${chat.id}/api-keys`)).status, 201);
      const eleventh = await session.call('POST', `/apps/${chat.id}/api-keys`);
      assert.equal(eleventh.status, 400);
      assert.equal(eleventh.text, MAX_KEYS);
      const deleted = await session.call('DELETE', `/apps/${chat.id}/api-keys/${created.json.id as string}`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, '');
      assert.equal((await info()).status, 401);
      const again = await session.call('DELETE', `/apps/${chat.id}/api-keys/${created.json.id as string}`);
      assert.equal(again.status, 404);
      assert.match(again.text, /^\{"message": "API key not found/);
      const noApp = await session.call('GET', '/apps/00000000-0000-4000-8000-000000000000/api-keys');
      assert.equal(noApp.status, 404);
      assert.match(noApp.text, /^\{"message": "App not found\./);
    });

    it('api-enable switches the Service API (403 on /v1); roles: normal cannot create keys or export, editor cannot delete keys', async () => {
      const chat = server.apps.find((a) => a.name === 'Test Chat 测试助手')!;
      const info = () => fetch(`${server.baseUrl}/info`, { headers: { Authorization: `Bearer ${server.keys.chat}` } });
      const off = await session.call('POST', `/apps/${chat.id}/api-enable`, { enable_api: false });
      assert.equal(off.json.enable_api, false);
      const refused = await info();
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as Json).message, "The app's API service has been disabled.");
      server.reset();
      assert.equal((await info()).status, 200, 'reset restores the switch');
      session = await loggedIn(server);
      const forbidden = '{"code": "forbidden", "message": "You don\'t have the permission to access the requested resource. It is either read-protected or not readable by the server.", "status": 403}\n';
      server.console.setWorkspaceRole('editor');
      const key = await session.call('POST', `/apps/${chat.id}/api-keys`);
      assert.equal(key.status, 201);
      assert.equal((await session.call('DELETE', `/apps/${chat.id}/api-keys/${key.json.id as string}`)).text, forbidden);
      assert.equal((await session.call('POST', '/datasets/api-keys')).text, forbidden);
      server.console.setWorkspaceRole('normal');
      assert.equal((await session.call('POST', `/apps/${chat.id}/api-keys`)).text, forbidden);
      assert.equal((await session.call('GET', `/apps/${chat.id}/export`)).text, forbidden);
      assert.equal((await session.call('GET', `/apps/${chat.id}/api-keys`)).status, 200, 'listing needs no edit permission');
    });

    it('create, update (the /v1 app follows; omitted optionals reset), delete; 1.15 stars apps', async () => {
      const chat = server.apps.find((a) => a.name === 'Test Chat 测试助手')!;
      const updated = await session.call('PUT', `/apps/${chat.id}`, { name: 'Renamed 改名' });
      assert.equal(updated.json.name, 'Renamed 改名');
      assert.equal(updated.json.description, '');
      const info = async () => (await (await fetch(`${server.baseUrl}/info`, { headers: { Authorization: `Bearer ${server.keys.chat}` } })).json()) as Json;
      assert.equal((await info()).name, 'Renamed 改名');
      assert.equal((await session.call('PUT', `/apps/${chat.id}`, { name: '' })).json.code, 'invalid_param');
      const created = await session.call('POST', '/apps', { name: 'Scratch', mode: 'completion', icon: '🧪' });
      assert.equal(created.status, 201);
      assert.equal(created.json.icon, '🧪');
      assert.equal((await session.call('POST', '/apps', { name: 'x', mode: 'agent' })).json.code, 'invalid_param');
      const star = await session.call('POST', `/apps/${created.json.id as string}/star`);
      if (version === '1.15.0') {
        assert.deepEqual(star.json, { result: 'success' });
        assert.deepEqual(names(await appList('?name=Scratch')), ['Scratch']);
        const starred = (await session.call('GET', '/apps/starred')).json;
        assert.deepEqual((starred.data as Json[]).map((a) => [a.name, a.is_starred]), [['Scratch', true]]);
        await session.call('DELETE', `/apps/${created.json.id as string}/star`);
        assert.equal((await session.call('GET', '/apps/starred')).json.total, 0);
      } else {
        assert.equal(star.status, 404);
      }
      assert.equal((await session.call('DELETE', `/apps/${created.json.id as string}`)).status, 204);
      assert.equal((await session.call('GET', `/apps/${created.json.id as string}`)).status, 404);
      server.reset();
      assert.equal((await info()).name, 'Test Chat 测试助手', 'reset restores the seeded name');
    });

    it('datasets: list (has_more = len(data) == limit, enable_api), dataset keys shared with the Knowledge API, enable/disable', async () => {
      const list = (await session.call('GET', '/datasets?limit=100')).json;
      const datasets = list.data as Json[];
      assert.equal(list.has_more, false);
      assert.ok(datasets.length >= 3);
      assert.equal((await session.call('GET', `/datasets?limit=${datasets.length}`)).json.has_more, true, 'an exactly full page');
      assert.ok('enable_api' in datasets[0]!);
      assert.deepEqual((await session.call('GET', '/datasets/api-base-info')).json, { api_base_url: server.baseUrl });
      const proxied = await new Promise<string>((resolve, reject) => {
        const url = new URL(`${server.console.url}/datasets/api-base-info`);
        const headers = { ...session.headers(), Host: 'dify.example.com:8080' };
        request({ host: url.hostname, port: url.port, path: url.pathname, headers }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        }).on('error', reject).end();
      });
      assert.equal(proxied, '{"api_base_url": "http://dify.example.com:8080/v1"}\n', 'built from the request\'s Host');
      const keys = (await session.call('GET', '/datasets/api-keys')).json.data as Json[];
      assert.deepEqual(keys.map((k) => k.token), [server.keys.dataset]);
      const created = await session.call('POST', '/datasets/api-keys');
      assert.equal(created.status, 200);
      const token = created.json.token as string;
      assert.match(token, /^dataset-[A-Za-z0-9]{24}$/);
      const enabled = datasets.find((d) => d.enable_api === true)!;
      const get = () => fetch(`${server.baseUrl}/datasets/${enabled.id as string}`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal((await get()).status, 200);
      assert.deepEqual((await session.call('POST', `/datasets/${enabled.id as string}/api-keys/disable`)).json, { result: 'success' });
      assert.equal((await get()).status, 403);
      await session.call('POST', `/datasets/${enabled.id as string}/api-keys/enable`);
      assert.equal((await get()).status, 200);
      const perDataset = await session.call('POST', `/datasets/${enabled.id as string}/api-keys`);
      assert.equal(perDataset.status, 201);
      assert.match(perDataset.json.token as string, /^ds-/);
      for (let i = 3; i < 10; i++) assert.equal((await session.call('POST', '/datasets/api-keys')).status, 200);
      assert.equal((await session.call('POST', '/datasets/api-keys')).text, MAX_KEYS, 'the ds- key counts too');
      assert.equal((await session.call('DELETE', `/datasets/api-keys/${created.json.id as string}`)).status, 204);
      assert.equal((await get()).status, 401);
    });
  });
}
