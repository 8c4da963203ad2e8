// The Dify console the user signed in to: which one and as whom (global state), its session's refresh token (the only
// thing of the session kept, in SecretStorage, bound to the console's origin: a token stored for one origin is never
// sent to another), and the failed sign-ins counted here, since six in a row lock the account on Dify for a day.
// Never the password. Plain Node against the KeyValueStore / SecretStore interfaces of profile-store.ts.
import type { StoredConsoleSession } from '../dify/console-cookies.js';
import type { KeyValueStore, SecretStore } from './profile-store.js';

export interface ConsoleAccount {
  /** The console's origin, e.g. `https://dify.example.com`. */
  origin: string;
  email: string;
  /** The name of the account's current workspace, as last seen (at sign-in, or when switched here). */
  workspace?: string;
}

interface StoredSession extends StoredConsoleSession {
  origin: string;
}

interface Failures {
  count: number;
  /** ms since the epoch: Dify's lock-out counter restarts its 24 hours at each failure (CONSOLE.md §2.9). */
  last: number;
}

const ACCOUNT = 'dify.console.account';
const FAILURES = 'dify.console.failedSignIns';
const SESSION_SECRET = 'dify.console.session';
/** Dify's LOGIN_LOCKOUT_DURATION default and the failures it takes (the check locks when count > 5). */
export const LOCKOUT_MS = 24 * 3600 * 1000;
export const LOCKOUT_FAILURES = 6;

const failureKey = (origin: string, email: string) => `${origin} ${email.trim().toLowerCase()}`;

export class ConsoleAccounts {
  constructor(
    private readonly state: KeyValueStore,
    private readonly secrets: SecretStore,
    private readonly now: () => number = Date.now,
  ) {}

  account(): ConsoleAccount | undefined {
    return this.state.get<ConsoleAccount>(ACCOUNT);
  }

  /** The stored session of the signed-in console; none when it was stored for another origin. */
  async session(): Promise<StoredConsoleSession | undefined> {
    const account = this.account();
    const raw = await this.secrets.get(SESSION_SECRET);
    if (!account || !raw) return undefined;
    try {
      const stored = JSON.parse(raw) as StoredSession;
      return stored.origin === account.origin && stored.cookie && stored.token ? { cookie: stored.cookie, token: stored.token } : undefined;
    } catch {
      return undefined;
    }
  }

  async signedIn(account: ConsoleAccount, session: StoredConsoleSession | undefined): Promise<void> {
    await this.state.update(ACCOUNT, account);
    await this.saveSession(account.origin, session);
    await this.clearFailures(account.origin, account.email);
  }

  /**
   * Keeps the session's current refresh token (refresh tokens are single-use: each refresh brings a new one), when it
   * is the session of the signed-in console: a sign-in to another console that has not succeeded yet changes nothing.
   */
  async saveSession(origin: string, session: StoredConsoleSession | undefined): Promise<void> {
    if (this.account()?.origin !== origin) return;
    if (!session) await this.secrets.delete(SESSION_SECRET);
    else await this.secrets.store(SESSION_SECRET, JSON.stringify({ origin, ...session } satisfies StoredSession));
  }

  /** Another workspace became current: its name is kept with the account. */
  async workspaceSwitched(name: string): Promise<void> {
    const account = this.account();
    if (account) await this.state.update(ACCOUNT, { ...account, workspace: name });
  }

  async signOut(): Promise<void> {
    await this.secrets.delete(SESSION_SECRET);
    await this.state.update(ACCOUNT, undefined);
  }

  /** Failed sign-ins of `email` on `origin` that Dify still counts (within 24 hours of the last one). */
  failures(origin: string, email: string): number {
    const f = this.state.get<Record<string, Failures>>(FAILURES)?.[failureKey(origin, email)];
    return f && this.now() - f.last < LOCKOUT_MS ? f.count : 0;
  }

  async recordFailure(origin: string, email: string): Promise<number> {
    const all = { ...this.state.get<Record<string, Failures>>(FAILURES) };
    const count = this.failures(origin, email) + 1;
    all[failureKey(origin, email)] = { count, last: this.now() };
    for (const [key, f] of Object.entries(all)) if (this.now() - f.last >= LOCKOUT_MS) delete all[key];
    await this.state.update(FAILURES, all);
    return count;
  }

  private async clearFailures(origin: string, email: string): Promise<void> {
    const all = { ...this.state.get<Record<string, Failures>>(FAILURES) };
    if (!(failureKey(origin, email) in all)) return;
    delete all[failureKey(origin, email)];
    await this.state.update(FAILURES, all);
  }
}
