// Helpers for the test Dify server's Console API tests: a cookie jar per session, JSON calls with the CSRF header.
import type { DifyTestServer } from '../dify-server/server.js';

export type Json = Record<string, unknown>;

export interface ConsoleResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  cookies: string[];
}

/** The cookies of one client, kept as the Set-Cookie headers set them. */
export class Session {
  readonly jar = new Map<string, string>();

  constructor(readonly server: DifyTestServer) {}

  take(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name) ?? this.jar.get(`__Host-${name}`);
  }

  /** Cookie and X-CSRF-Token headers, as a browser-like client sends them. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.jar.size) headers.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookie('csrf_token');
    if (csrf) headers['X-CSRF-Token'] = csrf;
    return headers;
  }

  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<ConsoleResponse> {
    const res = await consoleCall(this.server, method, path, body, { ...this.headers(), ...extra });
    this.take(res.cookies);
    return res;
  }

  async login(password = this.server.console.password, email = this.server.console.email): Promise<ConsoleResponse> {
    return this.call('POST', '/login', { email, password: Buffer.from(password).toString('base64'), remember_me: false });
  }
}

export async function consoleCall(
  server: DifyTestServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ConsoleResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${server.console.url}${path}`, init);
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json, cookies: res.headers.getSetCookie() };
}

export async function loggedIn(server: DifyTestServer): Promise<Session> {
  const session = new Session(server);
  const res = await session.login();
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return session;
}

/** The claims of a JWT, unverified. */
export function claims(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Json;
}
