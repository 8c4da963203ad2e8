// The signed-in console: its refresh token only in the secret store and only for its origin, no password anywhere,
// the current workspace's name, and failed sign-ins counted as Dify counts them (six within 24 hours of the last one
// lock the account).
import assert from 'node:assert/strict';
import { ConsoleAccounts, LOCKOUT_MS } from '../../src/core/console-account.js';
import type { KeyValueStore, SecretStore } from '../../src/core/profile-store.js';

function memory() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const kv: KeyValueStore = { get: <T>(k: string) => state.get(k) as T | undefined, update: async (k, v) => void state.set(k, v) };
  const ss: SecretStore = { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) };
  let now = 1_000_000;
  const accounts = new ConsoleAccounts(kv, ss, () => now);
  return { state, secrets, accounts, advance: (ms: number) => (now += ms) };
}

const SESSION = { cookie: 'refresh_token', token: 'ab'.repeat(64) };

describe('console account', () => {
  it('keeps the refresh token in the secret store, for the origin it came from', async () => {
    const { state, secrets, accounts } = memory();
    await accounts.signedIn({ origin: 'https://dify.example.com', email: 'ada@example.com' }, SESSION);
    assert.ok(!JSON.stringify([...state]).includes(SESSION.token), 'no token in global state');
    assert.deepEqual(await accounts.session(), SESSION);
    // Another console signed in to without a session: the old token is not offered to it.
    await state.set('dify.console.account', { origin: 'https://other.example', email: 'ada@example.com' });
    assert.equal(await accounts.session(), undefined);
    assert.ok(secrets.has('dify.console.session'));
    await accounts.signOut();
    assert.equal(secrets.size, 0);
    assert.equal(accounts.account(), undefined);
  });

  it("keeps the current workspace's name with the account, and the one switched to", async () => {
    const { accounts } = memory();
    await accounts.workspaceSwitched('Research');
    assert.equal(accounts.account(), undefined, 'no account made up when signed out');
    await accounts.signedIn({ origin: 'https://dify.example.com', email: 'ada@example.com', workspace: 'Main' }, SESSION);
    await accounts.workspaceSwitched('Research 研究');
    assert.deepEqual(accounts.account(), { origin: 'https://dify.example.com', email: 'ada@example.com', workspace: 'Research 研究' });
    assert.deepEqual(await accounts.session(), SESSION);
  });

  it('counts failed sign-ins per origin and email until a success, for 24 hours after the last one', async () => {
    const { accounts, advance } = memory();
    const origin = 'https://dify.example.com';
    for (let i = 1; i <= 5; i++) assert.equal(await accounts.recordFailure(origin, 'Ada@Example.com '), i);
    assert.equal(accounts.failures(origin, 'ada@example.com'), 5, 'Dify lower-cases the email');
    assert.equal(accounts.failures('https://other.example', 'ada@example.com'), 0);
    advance(LOCKOUT_MS - 1);
    assert.equal(accounts.failures(origin, 'ada@example.com'), 5);
    assert.equal(await accounts.recordFailure(origin, 'ada@example.com'), 6, 'the 24 hours restart at each failure');
    advance(LOCKOUT_MS);
    assert.equal(accounts.failures(origin, 'ada@example.com'), 0);
    await accounts.recordFailure(origin, 'ada@example.com');
    await accounts.signedIn({ origin, email: 'ada@example.com' }, SESSION);
    assert.equal(accounts.failures(origin, 'ada@example.com'), 0, 'a success resets the count');
  });
});
