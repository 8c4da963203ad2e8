// Profiles and keys: keys only in the secret store, bound to the origin they were entered for.
import assert from 'node:assert/strict';
import { ProfileStore, touches, type AppProfile, type KeyValueStore, type ProfileChange, type SecretStore } from '../../src/core/profile-store.js';

function memory() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const kv: KeyValueStore = { get: <T>(k: string) => state.get(k) as T | undefined, update: async (k, v) => void state.set(k, v) };
  const ss: SecretStore = { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) };
  return { state, secrets, store: new ProfileStore(kv, ss) };
}

const app = (id: string, mode = 'chat', baseUrl = 'https://api.dify.ai/v1'): AppProfile => ({
  id,
  kind: 'app',
  label: id,
  baseUrl,
  mode,
  appName: id,
  description: '',
});

describe('profile store', () => {
  it('keeps the key in the secret store only, bound to the origin', async () => {
    const { state, secrets, store } = memory();
    await store.add(app('a'), '  app-KEY123  ');
    assert.ok(!JSON.stringify([...state]).includes('app-KEY123'), 'no key in global state');
    assert.deepEqual(JSON.parse(secrets.get('dify.key.a')!), { key: 'app-KEY123', origin: 'https://api.dify.ai' });
    assert.deepEqual(await store.key('a'), { status: 'ok', key: 'app-KEY123' });
  });

  it('a base URL moved to another origin does not get the key until confirmed', async () => {
    const { store } = memory();
    await store.add(app('a'), 'app-K');
    await store.update('a', { baseUrl: 'https://api.dify.ai/v1/' });
    assert.equal((await store.key('a')).status, 'ok', 'same origin: still fine');
    const moved = await store.update('a', { baseUrl: 'https://evil.example/v1' });
    assert.deepEqual(await store.key('a'), { status: 'origin_changed', enteredFor: 'https://api.dify.ai', now: 'https://evil.example' });
    await store.confirmOrigin(moved);
    assert.deepEqual(await store.key('a'), { status: 'ok', key: 'app-K' });
  });

  it('update with rebindKey moves the key with the URL the user confirmed', async () => {
    const { store } = memory();
    await store.add(app('a'), 'app-K');
    await store.update('a', { baseUrl: 'http://dify.intranet/v1' }, true);
    assert.deepEqual(await store.key('a'), { status: 'ok', key: 'app-K' });
  });

  it('remove deletes the key too; a missing key is reported as missing', async () => {
    const { secrets, store } = memory();
    await store.add(app('a'), 'app-K');
    await store.remove('a');
    assert.equal(secrets.size, 0);
    assert.deepEqual(await store.key('a'), { status: 'missing' });
  });

  it('the default chat app: chosen, else the first chat app; never a workflow app', async () => {
    const { store } = memory();
    await store.add(app('wf', 'workflow'), 'app-1');
    assert.equal(store.defaultChatApp(), undefined);
    await store.add(app('c1', 'chat'), 'app-2');
    await store.add(app('c2', 'advanced-chat'), 'app-3');
    assert.equal(store.defaultChatApp()?.id, 'c1');
    await store.setDefaultChatApp('c2');
    assert.equal(store.defaultChatApp()?.id, 'c2');
    await assert.rejects(store.setDefaultChatApp('wf'));
    await store.remove('c2');
    assert.equal(store.defaultChatApp()?.id, 'c1');
  });

  it('tells listeners what changed: which profile, and which fields of it', async () => {
    const { store } = memory();
    const changes: ProfileChange[] = [];
    store.onDidChange((change) => changes.push(change));
    await store.add(app('a'), 'k');
    await store.add({ id: 'k1', kind: 'knowledge', label: 'K', baseUrl: 'https://api.dify.ai/v1' }, 'dataset-k');
    await store.setKey('a', 'k2');
    await store.update('a', { label: 'A', mode: 'chat' });
    await store.update('a', { lastCheck: { at: 1 } });
    await store.setDefaultChatApp('a');
    await store.remove('k1');
    assert.deepEqual(changes, [
      { kind: 'app', id: 'a', what: 'added' },
      { kind: 'knowledge', id: 'k1', what: 'added' },
      { kind: 'app', id: 'a', what: 'key' },
      { kind: 'app', id: 'a', what: 'updated', fields: ['label'] },
      { kind: 'app', id: 'a', what: 'updated', fields: ['lastCheck'] },
      { kind: 'app', id: 'a', what: 'default' },
      { kind: 'knowledge', id: 'k1', what: 'removed' },
    ]);
    assert.equal(touches(changes[4]!, 'label', 'baseUrl', 'mode'), false, 'a recorded check touches nothing a view fetches with');
    assert.equal(touches(changes[6]!, 'baseUrl'), true, 'a removed profile touches every field');
  });

  it('an update that changes nothing, or the default chosen again, is no change', async () => {
    const { store } = memory();
    await store.add(app('a'), 'k');
    await store.setDefaultChatApp('a');
    let n = 0;
    store.onDidChange(() => n++);
    await store.update('a', { label: 'a', baseUrl: 'https://api.dify.ai/v1' });
    await store.setDefaultChatApp('a');
    assert.equal(n, 0);
  });
});
