// The console's server-side state (CONSOLE.md §2, §4): the seeded account and its workspaces, the Redis entries of
// the session (refresh tokens, the login lock-out) and the clock they are measured by.
import { randomBytes } from 'node:crypto';
import { TENANT_ID } from '../apps/fixtures.js';
import { ACCOUNT } from '../knowledge/store.js';
import { stableUuid } from '../pyfmt.js';

/** A release below 1.11.2, which takes the login password in plain text (CONSOLE.md §10). */
export type LegacyConsoleVersion = '1.10.1';

export interface ConsoleOptions {
  /** CONSOLE_WEB_URL and CONSOLE_API_URL are https (and COOKIE_DOMAIN empty): `__Host-` cookies with `Secure`. */
  https?: boolean;
  /** Setup has not been done: `GET /setup` says not_started and the setup_required endpoints answer 401 not_setup. */
  notSetUp?: boolean;
  /** With `notSetUp`: INIT_PASSWORD is set, so `GET /init` says not_started and the 401 is not_init_validated. */
  initPassword?: boolean;
  /** ENABLE_EMAIL_PASSWORD_LOGIN=false: `POST /login` is 403 forbidden (default: password login on). */
  passwordLoginDisabled?: boolean;
  /** An Enterprise instance enforcing SSO: system-features has sso_enforced_for_signin (protocol oidc) and no password login. */
  ssoOnly?: boolean;
  /**
   * ADMIN_API_KEY (with ADMIN_API_KEY_ENABLE): `Authorization: Bearer <it>` plus `X-WORKSPACE-ID: <tenant>` acts as
   * the owner of that workspace without a CSRF check (CONSOLE.md §2.11). Off by default.
   */
  adminApiKey?: string;
  /** ACCESS_TOKEN_EXPIRE_MINUTES * 60, for the access and csrf tokens and their cookies (default 3600). */
  accessTokenSeconds?: number;
  /** REFRESH_TOKEN_EXPIRE_DAYS * 86400 (default 2592000). */
  refreshTokenSeconds?: number;
  /** LOGIN_LOCKOUT_DURATION (default 86400). */
  lockoutSeconds?: number;
}

export type AccountStatus = 'active' | 'pending' | 'uninitialized' | 'banned';

export interface Account {
  id: string;
  name: string;
  email: string;
  password: string;
  status: AccountStatus;
  createdAt: number;
  lastLoginAt: number | null;
  lastLoginIp: string | null;
}

export interface Workspace {
  id: string;
  name: string;
  createdAt: number;
  role: 'owner' | 'admin' | 'editor' | 'normal' | 'dataset_operator';
  /** Whether the account is a member (a tenant it is not in answers 403 account_not_link_tenant on switch). */
  member: boolean;
  lastOpenedAt: number | null;
}

/** `app_import_info:<import id>`: what a pending import will do once confirmed. */
export interface PendingImport {
  content: string;
  appId: string | null;
  overrides: Record<string, string | null>;
  workspaceId: string;
  expiresAt: number;
}

export const CONSOLE_EMAIL = 'ada@example.com';
export const CONSOLE_PASSWORD = 'Dify-Test-1';
export const OTHER_TENANT_ID = stableUuid('dify-test:tenant:other');
export const FOREIGN_TENANT_ID = stableUuid('dify-test:tenant:foreign');
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function seedWorkspaces(): Workspace[] {
  return [
    { id: TENANT_ID, name: "Dify Admin's Workspace", createdAt: T0, role: 'owner', member: true, lastOpenedAt: T0 + 3600_000 },
    { id: OTHER_TENANT_ID, name: 'Research 研究', createdAt: T0 + 86400_000, role: 'editor', member: true, lastOpenedAt: null },
    { id: FOREIGN_TENANT_ID, name: 'Someone Else', createdAt: T0 + 2 * 86400_000, role: 'owner', member: false, lastOpenedAt: null },
  ];
}

export class ConsoleState {
  /** SECRET_KEY, new for each server. */
  readonly secret = randomBytes(32);
  readonly accessSeconds: number;
  readonly refreshSeconds: number;
  readonly lockoutSeconds: number;
  account!: Account;
  workspaces: Workspace[] = [];
  /** `TenantAccountJoin.current`: the id of the account's current workspace. */
  currentId = TENANT_ID;
  /** `refresh_token:<t>` → account id and expiry (ms). */
  readonly refreshTokens = new Map<string, { accountId: string; expiresAt: number }>();
  /** `account_refresh_token:<account_id>` → the latest token. */
  readonly latestRefresh = new Map<string, string>();
  /** `login_error_rate_limit:<email>` → count and expiry (ms). */
  readonly loginErrors = new Map<string, { count: number; expiresAt: number }>();
  /** Pending imports by import id (10 minutes). */
  readonly pendingImports = new Map<string, PendingImport>();
  /** `check_dependency:<app id>`: the plugins an import needed, for check-dependencies (10 minutes). */
  readonly leakedDependencies = new Map<string, { items: Record<string, unknown>[]; expiresAt: number }>();
  /** A test hook: the account is taken out of every workspace. */
  inNoWorkspace = false;
  private offsetMs = 0;

  constructor(readonly options: ConsoleOptions) {
    this.accessSeconds = options.accessTokenSeconds ?? 3600;
    this.refreshSeconds = options.refreshTokenSeconds ?? 30 * 86400;
    this.lockoutSeconds = options.lockoutSeconds ?? 86400;
    this.reset();
  }

  reset(): void {
    this.account = {
      id: ACCOUNT.id,
      name: ACCOUNT.name,
      email: CONSOLE_EMAIL,
      password: CONSOLE_PASSWORD,
      status: 'active',
      createdAt: T0,
      lastLoginAt: null,
      lastLoginIp: null,
    };
    this.workspaces = seedWorkspaces();
    this.currentId = TENANT_ID;
    this.refreshTokens.clear();
    this.latestRefresh.clear();
    this.loginErrors.clear();
    this.pendingImports.clear();
    this.leakedDependencies.clear();
    this.inNoWorkspace = false;
    this.offsetMs = 0;
  }

  /** The server's clock: real time plus what `advance` added. */
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  get secure(): boolean {
    return this.options.https === true;
  }

  /** The workspaces the account belongs to, in `get_workspaces_for_account` order. */
  joined(): Workspace[] {
    return this.inNoWorkspace ? [] : this.workspaces.filter((w) => w.member);
  }

  /** The current workspace, or undefined when the account belongs to none. */
  current(): Workspace | undefined {
    const joined = this.joined();
    return joined.find((w) => w.id === this.currentId) ?? joined[0];
  }

  /** `AccountService.load_user`: the account, unless it is unknown. */
  accountById(id: unknown): Account | undefined {
    return id === this.account.id ? this.account : undefined;
  }

  accountByEmail(email: string): Account | undefined {
    return email === this.account.email ? this.account : undefined;
  }

  /** `_store_refresh_token`: a new token for the account, which becomes its latest. */
  issueRefreshToken(accountId: string): string {
    const token = randomBytes(64).toString('hex');
    this.refreshTokens.set(token, { accountId, expiresAt: this.nowMs() + this.refreshSeconds * 1000 });
    this.latestRefresh.set(accountId, token);
    return token;
  }

  /** The account id a live refresh token maps to. */
  refreshAccount(token: string): string | undefined {
    const entry = this.refreshTokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.nowMs()) {
      this.refreshTokens.delete(token);
      return undefined;
    }
    return entry.accountId;
  }

  /** `_delete_refresh_token`: both keys go, whichever token the account's latest is. */
  deleteRefreshToken(token: string, accountId: string): void {
    this.refreshTokens.delete(token);
    this.latestRefresh.delete(accountId);
  }

  /** `is_login_error_rate_limit`: locked while a live count is above 5. */
  loginLocked(email: string): boolean {
    const entry = this.loginErrors.get(email);
    return entry !== undefined && entry.expiresAt > this.nowMs() && entry.count > 5;
  }

  /** `add_login_error_rate_limit`: SETEX count+1, so the lock-out runs from the last failure. */
  addLoginError(email: string): void {
    const entry = this.loginErrors.get(email);
    const count = entry && entry.expiresAt > this.nowMs() ? entry.count : 0;
    this.loginErrors.set(email, { count: count + 1, expiresAt: this.nowMs() + this.lockoutSeconds * 1000 });
  }

  resetLoginErrors(email: string): void {
    this.loginErrors.delete(email);
  }
}
