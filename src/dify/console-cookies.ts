// The Dify console's session: the three cookies its login and refresh set (access, refresh, csrf), kept exactly as
// received and sent back to the one console origin (CONSOLE.md §2.3). Their names carry a `__Host-` prefix on some
// installs and not on others: they are read from Set-Cookie, never assumed. Parsing is set-cookie-parser's.
import { parseSetCookie } from 'set-cookie-parser';

/** What is kept of a session between VS Code sessions: the refresh token alone, under the name Dify gave it. */
export interface StoredConsoleSession {
  cookie: string;
  token: string;
}

const named = (role: 'access_token' | 'refresh_token' | 'csrf_token') => (name: string) => name === role || name === `__Host-${role}`;
const isAccess = named('access_token');
const isRefresh = named('refresh_token');
const isCsrf = named('csrf_token');

export class ConsoleCookies {
  private readonly values = new Map<string, string>();
  /** Changes whenever the session's cookies change: a request that failed with older cookies may just be retried. */
  generation = 0;

  constructor(stored?: StoredConsoleSession) {
    if (stored) this.values.set(stored.cookie, stored.token);
  }

  /** Takes the Set-Cookie headers of a response: new values replace old ones, expired ones are removed. */
  take(headers: Record<string, string | string[] | undefined>): void {
    const cookies = parseSetCookie({ headers }, { decodeValues: false });
    if (cookies.length === 0) return;
    const now = Date.now();
    for (const c of cookies) {
      const expired = (c.maxAge !== undefined && c.maxAge <= 0) || (c.maxAge === undefined && c.expires !== undefined && c.expires.getTime() <= now);
      if (expired) this.values.delete(c.name);
      else this.values.set(c.name, c.value);
    }
    this.generation++;
  }

  clear(): void {
    this.values.clear();
    this.generation++;
  }

  /** The request headers that authenticate a console call: every cookie, and the CSRF token again as a header. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.values.size > 0) headers.cookie = [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
    const csrf = this.find(isCsrf);
    if (csrf) headers['x-csrf-token'] = csrf;
    return headers;
  }

  /** The refresh token, to store (undefined when the session has none). */
  stored(): StoredConsoleSession | undefined {
    for (const [cookie, token] of this.values) if (isRefresh(cookie)) return { cookie, token };
    return undefined;
  }

  /** When the access token expires (its JWT `exp`, ms), undefined without one or when it cannot be read. */
  accessExpiresAt(): number | undefined {
    const token = this.find(isAccess);
    const payload = token?.split('.')[1];
    if (!payload) return undefined;
    try {
      const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
      return typeof exp === 'number' ? exp * 1000 : undefined;
    } catch {
      return undefined;
    }
  }

  hasAccess(): boolean {
    return this.find(isAccess) !== undefined;
  }

  private find(match: (name: string) => boolean): string | undefined {
    for (const [name, value] of this.values) if (match(name)) return value;
    return undefined;
  }
}
