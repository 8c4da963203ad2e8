// The Dify Console API client (CONSOLE.md, Dify 1.15.0; 1.13.2 alike): sign in with email and password, keep the
// session (cookies + CSRF header on every call, GET included), refresh it one refresh at a time however many calls
// find it expired, and list what the extension adds from a workspace: apps, datasets and their API keys.
// Never retries a sign-in by itself: six failures lock the account for a day (§2.9).
import { ConsoleCookies, type StoredConsoleSession } from './console-cookies.js';
import type {
  AccountProfile,
  AppImportPayload,
  ConsoleApiKey,
  ConsoleApp,
  ConsoleAppDetail,
  ConsoleAppMode,
  ConsoleDataset,
  ConsoleInstance,
  ConsolePage,
  ConsoleWorkspace,
  Import,
  LeakedDependency,
  PublishWorkflowPayload,
  SystemFeatures,
  WorkflowPage,
  WorkflowResponse,
} from './console-types.js';
import { DifyApiError, DifyConsoleSessionError } from './errors.js';
import { DifyHttp, enc, versionAtLeast, type CallOptions, type DifyClientOptions, type RequestOptions } from './http.js';

export type { StoredConsoleSession } from './console-cookies.js';

export interface ConsoleClientOptions extends Omit<DifyClientOptions, 'apiKey' | 'baseUrl'> {
  /** The console's address as the user knows it (the page they sign in on); only its origin is used. */
  consoleUrl: string;
  /** A session kept from before: its refresh token. */
  session?: StoredConsoleSession;
  /** Called with the session to keep whenever its refresh token changes, and with undefined once it is gone. */
  onSession?: (session: StoredConsoleSession | undefined) => void;
}

/** An access token this close to its expiry is refreshed before a call rather than after a 401. */
const REFRESH_MARGIN_MS = 60_000;

/** The console's origin from what a user pastes: the sign-in page, an app's page, or the origin itself. */
export function consoleOrigin(consoleUrl: string): string {
  let url: URL;
  try {
    url = new URL(consoleUrl.trim());
  } catch {
    throw new TypeError(`"${consoleUrl}" is not a valid URL. Use the address you sign in to Dify on, e.g. https://dify.example.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`The Dify console URL must start with https:// or http://, not ${url.protocol}`);
  return url.origin;
}

/**
 * The Service API base URL of apps and datasets: Dify's `api_base_url`, unless it names the console's own host, where
 * the console's origin + /v1 is used (Dify builds it from the request and may say http on an https install, §5.2).
 */
export function serviceApiBaseUrl(origin: string, apiBaseUrl: string | undefined): string {
  try {
    if (apiBaseUrl && new URL(apiBaseUrl).host !== new URL(origin).host) return apiBaseUrl.replace(/\/+$/, '');
  } catch {
    // not a URL: the console's own
  }
  return `${origin}/v1`;
}

/** How the instance takes a sign-in, read before asking for a password (no session needed). */
export async function detectConsole(options: Omit<ConsoleClientOptions, 'session' | 'onSession'>, call: CallOptions = {}): Promise<ConsoleInstance> {
  const origin = consoleOrigin(options.consoleUrl);
  const http = new DifyHttp({ ...options, baseUrl: `${origin}/console/api`, headers: () => ({}) });
  const features = await http.json<SystemFeatures>('GET', '/system-features', call);
  const setup = await http.json<{ step?: string }>('GET', '/setup', call);
  const version = http.serverVersion;
  const passwordLogin = features.enable_email_password_login === true;
  return {
    origin,
    version,
    setupFinished: setup?.step !== 'not_started',
    passwordLogin,
    browserOnly: features.sso_enforced_for_signin === true || (!passwordLogin && !features.enable_email_code_login),
    // Unknown (a proxy dropped X-Version): every Dify of the last year takes base64.
    passwordEncoding: version === undefined || versionAtLeast(version, '1.11.2') ? 'base64' : 'plain',
  };
}

export class ConsoleClient {
  readonly origin: string;
  readonly host: string;
  private readonly http: DifyHttp;
  private readonly cookies: ConsoleCookies;
  private readonly onSession: ((session: StoredConsoleSession | undefined) => void) | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(options: ConsoleClientOptions) {
    this.origin = consoleOrigin(options.consoleUrl);
    this.cookies = new ConsoleCookies(options.session);
    this.onSession = options.onSession;
    this.http = new DifyHttp({ ...options, baseUrl: `${this.origin}/console/api`, headers: () => this.cookies.headers() });
    this.host = this.http.host;
  }

  /** Dify's version, once an answer said it. */
  get serverVersion(): string | undefined {
    return this.http.serverVersion;
  }

  /** The session to keep: its refresh token (undefined before a sign-in and after a sign-out). */
  get session(): StoredConsoleSession | undefined {
    return this.cookies.stored();
  }

  /** Whether there is a session to use (or to refresh). */
  get signedIn(): boolean {
    return this.cookies.hasAccess() || this.cookies.stored() !== undefined;
  }

  /**
   * `POST /login`, once. Dify's refusals come as DifyApiError with its code: `authentication_failed` (a wrong email or
   * password, which counts toward the lock-out; or "Invalid encrypted data"), `email_code_login_limit` (429: locked),
   * `forbidden` (password sign-in is off), `not_setup`, `account_banned`, `invalid_param` (not an email address).
   */
  async login(email: string, password: string, encoding: ConsoleInstance['passwordEncoding'], call: CallOptions = {}): Promise<void> {
    this.cookies.clear();
    const sent = encoding === 'base64' ? Buffer.from(password, 'utf8').toString('base64') : password;
    const response = await this.http.send('POST', '/login', { ...call, json: { email, password: sent, remember_me: true }, accept: 'application/json' });
    const body = await this.http.readJson<{ result?: string; data?: unknown }>(response, call.signal);
    if (body?.result !== 'success') {
      throw new DifyConsoleSessionError('no_workspace', typeof body?.data === 'string' ? body.data : '', 'POST /login', this.host);
    }
    this.cookies.take(response.headers);
    this.saveSession();
  }

  /** `POST /logout` (revokes the refresh token on Dify); the session is dropped here whatever Dify answers. */
  async logout(call: CallOptions = {}): Promise<void> {
    try {
      if (this.cookies.hasAccess()) await this.call('POST', '/logout', call);
    } finally {
      this.cookies.clear();
      this.onSession?.(undefined);
    }
  }

  /**
   * A new access token from the refresh token: one refresh at a time, whoever asks (refresh tokens are single-use), and
   * not cancelled by one caller giving up, since the others wait for it.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  accountProfile(call?: CallOptions): Promise<AccountProfile> {
    return this.call('GET', '/account/profile', call);
  }

  async workspaces(call?: CallOptions): Promise<ConsoleWorkspace[]> {
    return (await this.call<{ workspaces: ConsoleWorkspace[] }>('GET', '/workspaces', call)).workspaces;
  }

  /** Makes `tenantId` the account's current workspace: on Dify, so for its browser sessions too (§4). */
  async switchWorkspace(tenantId: string, call: CallOptions = {}): Promise<void> {
    await this.call('POST', '/workspaces/switch', { ...call, json: { tenant_id: tenantId } });
  }

  apps(query: { page?: number; limit?: number; mode?: ConsoleAppMode; name?: string }, call: CallOptions = {}): Promise<ConsolePage<ConsoleApp>> {
    return this.call('GET', '/apps', { ...call, query: { page: query.page ?? 1, limit: query.limit ?? 30, mode: query.mode ?? 'all', name: query.name || undefined } });
  }

  app(appId: string, call?: CallOptions): Promise<ConsoleAppDetail> {
    return this.call('GET', `/apps/${enc(appId)}`, call);
  }

  async appApiKeys(appId: string, call?: CallOptions): Promise<ConsoleApiKey[]> {
    return (await this.call<{ data: ConsoleApiKey[] }>('GET', `/apps/${enc(appId)}/api-keys`, call)).data;
  }

  /** A new Service API key; Dify refuses an 11th with 400 `max_keys_exceeded`. */
  createAppApiKey(appId: string, call?: CallOptions): Promise<ConsoleApiKey> {
    return this.call('POST', `/apps/${enc(appId)}/api-keys`, call);
  }

  datasets(query: { page?: number; limit?: number; keyword?: string }, call: CallOptions = {}): Promise<ConsolePage<ConsoleDataset>> {
    return this.call('GET', '/datasets', { ...call, query: { page: query.page ?? 1, limit: query.limit ?? 30, keyword: query.keyword || undefined } });
  }

  async datasetApiKeys(call?: CallOptions): Promise<ConsoleApiKey[]> {
    return (await this.call<{ data: ConsoleApiKey[] }>('GET', '/datasets/api-keys', call)).data;
  }

  /** A new Knowledge API key of the workspace (admins and owners only); refused past 10 with `max_keys_exceeded`. */
  createDatasetApiKey(call?: CallOptions): Promise<ConsoleApiKey> {
    return this.call('POST', '/datasets/api-keys', call);
  }

  /** The Service API base URL the console states (§8.3), adjusted as serviceApiBaseUrl says. */
  async apiBaseUrl(call?: CallOptions): Promise<string> {
    const info = await this.call<{ api_base_url?: string }>('GET', '/datasets/api-base-info', call);
    return serviceApiBaseUrl(this.origin, info.api_base_url);
  }

  /**
   * The app's DSL as Dify writes it (YAML, keys sorted, §6.1): a workflow app's draft, or the published version
   * `workflowId`. Secret environment variables are emptied unless `includeSecret`.
   */
  async exportDsl(appId: string, includeSecret = false, workflowId?: string, call: CallOptions = {}): Promise<string> {
    const query = { include_secret: includeSecret, workflow_id: workflowId };
    return (await this.call<{ data: string }>('GET', `/apps/${enc(appId)}/export`, { ...call, query })).data;
  }

  /** `POST /apps/imports` (§6.2): a `failed` import is returned like the others, with Dify's `error`. */
  importDsl(payload: AppImportPayload, call: CallOptions = {}): Promise<Import> {
    return this.importCall('/apps/imports', { ...call, json: payload });
  }

  /** Goes on with a `pending` import (within Dify's 10 minutes, §6.3). */
  confirmImport(importId: string, call: CallOptions = {}): Promise<Import> {
    return this.importCall(`/apps/imports/${enc(importId)}/confirm`, call);
  }

  /** The plugins the app's last import needs that the workspace lacks; meaningful right after an import (§6.4). */
  async checkDependencies(appId: string, call?: CallOptions): Promise<LeakedDependency[]> {
    return (await this.call<{ leaked_dependencies: LeakedDependency[] }>('GET', `/apps/imports/${enc(appId)}/check-dependencies`, call)).leaked_dependencies;
  }

  /** A workflow or chatflow app's draft with its `hash` (§7.1); 404 `draft_workflow_not_exist` before the first save. */
  draft(appId: string, call?: CallOptions): Promise<WorkflowResponse> {
    return this.call('GET', `/apps/${enc(appId)}/workflows/draft`, call);
  }

  /** Publishes the draft: the Service API runs it from now on (§7.3). */
  publish(appId: string, payload: PublishWorkflowPayload, call: CallOptions = {}): Promise<{ result: string; created_at: number }> {
    return this.call('POST', `/apps/${enc(appId)}/workflows/publish`, { ...call, json: payload });
  }

  /** The draft and the published versions, newest first; empty until the first publish (§7.3). */
  workflowVersions(appId: string, page = 1, limit = 20, call: CallOptions = {}): Promise<WorkflowPage> {
    return this.call('GET', `/apps/${enc(appId)}/workflows`, { ...call, query: { page, limit } });
  }

  /** An import call whose 400 `failed` body (an `Import` without `code`) is an answer, not an error. */
  private async importCall(path: string, options: RequestOptions): Promise<Import> {
    try {
      return await this.call<Import>('POST', path, options);
    } catch (e) {
      // http.ts reads `{"error": …}` without a code as werkzeug's bad_request; Dify's own 400s (invalid_param) have one.
      if (!(e instanceof DifyApiError) || e.status !== 400 || e.code !== 'bad_request') throw e;
      return { id: '', status: 'failed', app_id: null, app_mode: null, current_dsl_version: '', imported_dsl_version: '', error: e.difyMessage };
    }
  }

  /**
   * One authenticated call: refreshed first when the access token is about to expire, and after a 401 refreshed
   * once and retried once (unless another call refreshed meanwhile: then only retried).
   */
  async call<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (!this.signedIn) throw new DifyConsoleSessionError('signed_out', '', `${method} ${path}`, this.host);
    const expires = this.cookies.accessExpiresAt();
    if (!this.cookies.hasAccess() || (expires !== undefined && expires - Date.now() < REFRESH_MARGIN_MS)) await this.refresh();
    for (let attempt = 1; ; attempt++) {
      const generation = this.cookies.generation;
      try {
        const response = await this.http.send(method, path, { accept: 'application/json', ...options });
        this.cookies.take(response.headers);
        return await this.http.readJson<T>(response, options.signal);
      } catch (e) {
        if (attempt > 1 || !(e instanceof DifyApiError) || e.status !== 401) throw e;
        if (this.cookies.generation === generation) await this.refresh();
      }
    }
  }

  private async refreshOnce(): Promise<void> {
    const endpoint = 'POST /refresh-token';
    if (!this.cookies.stored()) throw new DifyConsoleSessionError('signed_out', '', endpoint, this.host);
    let headers: Record<string, string | string[] | undefined>;
    try {
      const response = await this.http.send('POST', '/refresh-token', { accept: 'application/json' });
      headers = response.headers;
      await this.http.readText(response);
    } catch (e) {
      // 401 {"result": "fail", "message": …}: spent, revoked (a logout elsewhere, §2.6) or expired. Sign in again.
      if (e instanceof DifyApiError && e.status === 401) {
        this.cookies.clear();
        this.onSession?.(undefined);
        throw new DifyConsoleSessionError('signed_out', e.difyMessage, endpoint, this.host);
      }
      throw e;
    }
    this.cookies.take(headers);
    this.saveSession();
  }

  private saveSession(): void {
    this.onSession?.(this.cookies.stored());
  }
}
