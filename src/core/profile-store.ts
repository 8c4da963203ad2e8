// The user's Dify apps and knowledge keys. Profiles (no keys) live in global state; each key lives only in
// SecretStorage, together with the origin it was entered for, so a changed base URL never receives it unasked.
// Plain Node against two small interfaces, so it is unit-tested without VS Code.

/** What `ExtensionContext.globalState` offers. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** What `ExtensionContext.secrets` offers. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

interface ProfileBase {
  id: string;
  /** The name the user sees; defaults to the app's own name. */
  label: string;
  baseUrl: string;
  /** The last connection check: when, and the problem kind if it failed. */
  lastCheck?: { at: number; problem?: string };
}

export interface AppProfile extends ProfileBase {
  kind: 'app';
  /** From GET /info: chat, agent-chat, advanced-chat, completion, workflow. */
  mode: string;
  appName: string;
  description: string;
}

export interface KnowledgeProfile extends ProfileBase {
  kind: 'knowledge';
}

export type Profile = AppProfile | KnowledgeProfile;

/**
 * What changed, so each listener reacts only to what concerns it (a recorded connection check must not refetch the
 * Knowledge view or rebuild the Conversations view). `kind` is the kind of the profile concerned; the default chat
 * app is an app's change.
 */
export type ProfileChange = { kind: Profile['kind']; id: string } & (
  | { what: 'added' | 'removed' | 'key' | 'default' }
  /** `fields` names the fields whose value changed. */
  | { what: 'updated'; fields: ProfileField[] }
);

export type ProfileField = keyof Omit<AppProfile, 'id' | 'kind'>;

/** Whether the change touches one of `fields`: a profile added or removed touches them all. */
export function touches(change: ProfileChange, ...fields: ProfileField[]): boolean {
  return change.what === 'added' || change.what === 'removed' || (change.what === 'updated' && change.fields.some((f) => fields.includes(f)));
}

export type KeyLookup =
  | { status: 'ok'; key: string }
  | { status: 'missing' }
  /** The key was entered for another origin than the profile's base URL now has: ask before sending it. */
  | { status: 'origin_changed'; enteredFor: string; now: string };

interface StoredKey {
  key: string;
  origin: string;
}

const PROFILES = 'dify.profiles';
const DEFAULT_CHAT_APP = 'dify.defaultChatApp';
const CHAT_MODES = new Set(['chat', 'agent-chat', 'agent', 'advanced-chat']);

export const isChatApp = (p: Profile): p is AppProfile => p.kind === 'app' && CHAT_MODES.has(p.mode);
export const originOf = (baseUrl: string): string => new URL(baseUrl).origin;
const secretName = (id: string) => `dify.key.${id}`;

export class ProfileStore {
  private readonly listeners = new Set<(change: ProfileChange) => void>();

  constructor(
    private readonly state: KeyValueStore,
    private readonly secrets: SecretStore,
  ) {}

  all(): Profile[] {
    return this.state.get<Profile[]>(PROFILES) ?? [];
  }

  apps(): AppProfile[] {
    return this.all().filter((p): p is AppProfile => p.kind === 'app');
  }

  knowledge(): KnowledgeProfile[] {
    return this.all().filter((p): p is KnowledgeProfile => p.kind === 'knowledge');
  }

  get(id: string): Profile | undefined {
    return this.all().find((p) => p.id === id);
  }

  /** The default chat app: the chosen one if it still exists, else the first chat app. */
  defaultChatApp(): AppProfile | undefined {
    const chatApps = this.apps().filter(isChatApp);
    const chosen = this.state.get<string>(DEFAULT_CHAT_APP);
    return chatApps.find((p) => p.id === chosen) ?? chatApps[0];
  }

  async setDefaultChatApp(id: string): Promise<void> {
    const profile = this.get(id);
    if (!profile || !isChatApp(profile)) throw new Error(`Not a chat app: ${id}`);
    if (this.state.get<string>(DEFAULT_CHAT_APP) === id) return;
    await this.state.update(DEFAULT_CHAT_APP, id);
    this.fire({ kind: 'app', id, what: 'default' });
  }

  /** Saves a new profile and its key, bound to the profile's origin. */
  async add(profile: Profile, key: string): Promise<void> {
    await this.storeKey(profile, key);
    await this.state.update(PROFILES, [...this.all().filter((p) => p.id !== profile.id), profile]);
    this.fire({ kind: profile.kind, id: profile.id, what: 'added' });
  }

  /**
   * Changes a profile. A new base URL on another origin keeps the old key bound to the old origin:
   * the next use asks the user (KeyLookup 'origin_changed'), unless `rebindKey` says they already agreed.
   */
  async update(id: string, patch: Partial<Omit<AppProfile, 'id' | 'kind'>>, rebindKey = false): Promise<Profile> {
    const current = this.get(id);
    if (!current) throw new Error(`No such profile: ${id}`);
    const next = { ...current, ...patch } as Profile;
    if (rebindKey) await this.confirmOrigin(next);
    const value = (p: Profile, f: ProfileField) => JSON.stringify((p as Partial<AppProfile>)[f]);
    const fields = (Object.keys(patch) as ProfileField[]).filter((f) => value(current, f) !== value(next, f));
    if (fields.length === 0) return current;
    await this.state.update(PROFILES, this.all().map((p) => (p.id === id ? next : p)));
    this.fire({ kind: next.kind, id, what: 'updated', fields });
    return next;
  }

  async remove(id: string): Promise<void> {
    const profile = this.get(id);
    await this.secrets.delete(secretName(id));
    await this.state.update(PROFILES, this.all().filter((p) => p.id !== id));
    if (this.state.get<string>(DEFAULT_CHAT_APP) === id) await this.state.update(DEFAULT_CHAT_APP, undefined);
    if (profile) this.fire({ kind: profile.kind, id, what: 'removed' });
  }

  async setKey(id: string, key: string): Promise<void> {
    const profile = this.get(id);
    if (!profile) throw new Error(`No such profile: ${id}`);
    await this.storeKey(profile, key);
    this.fire({ kind: profile.kind, id, what: 'key' });
  }

  async hasKey(id: string): Promise<boolean> {
    return (await this.secrets.get(secretName(id))) !== undefined;
  }

  /** The key, only if it was entered for the origin the profile points at now. */
  async key(id: string): Promise<KeyLookup> {
    const profile = this.get(id);
    const stored = parseStored(await this.secrets.get(secretName(id)));
    if (!profile || !stored) return { status: 'missing' };
    const now = originOf(profile.baseUrl);
    if (stored.origin !== now) return { status: 'origin_changed', enteredFor: stored.origin, now };
    return { status: 'ok', key: stored.key };
  }

  /** The user agreed to send the key to the profile's current origin. */
  async confirmOrigin(profile: Profile): Promise<void> {
    const stored = parseStored(await this.secrets.get(secretName(profile.id)));
    if (stored) await this.storeKey(profile, stored.key);
  }

  onDidChange(listener: (change: ProfileChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async storeKey(profile: Profile, key: string): Promise<void> {
    const value: StoredKey = { key: key.trim(), origin: originOf(profile.baseUrl) };
    await this.secrets.store(secretName(profile.id), JSON.stringify(value));
  }

  private fire(change: ProfileChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function parseStored(text: string | undefined): StoredKey | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredKey>;
    return typeof value.key === 'string' && typeof value.origin === 'string' ? { key: value.key, origin: value.origin } : undefined;
  } catch {
    return undefined;
  }
}
