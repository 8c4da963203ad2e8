// The console's cookies (CONSOLE.md §2.3): names with the `__Host-` prefix when the instance is configured for https,
// werkzeug's `Set-Cookie` attribute order (Domain, Expires, Max-Age, Secure, HttpOnly, Path, SameSite).
import type { IncomingMessage } from 'node:http';

export type CookieName = 'access_token' | 'refresh_token' | 'csrf_token';

/** `_real_cookie_name`: the prefix iff CONSOLE_WEB_URL and CONSOLE_API_URL are https and COOKIE_DOMAIN is empty. */
export function cookieName(name: CookieName, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** werkzeug's `http_date`: `Mon, 07 Dec 2026 09:23:23 GMT`. */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * `response.set_cookie(name, value, max_age=..., httponly=..., secure=is_secure(), samesite="Lax", path="/")`;
 * werkzeug adds `Expires` = now + max_age. `maxAge` undefined with `nowMs` 0 is the clearing form (expires=0).
 */
export function setCookie(name: string, value: string, opts: { maxAge?: number; nowMs: number; httpOnly: boolean; secure: boolean }): string {
  const parts = [`${name}=${value}`];
  parts.push(`Expires=${httpDate(opts.maxAge === undefined ? opts.nowMs : opts.nowMs + opts.maxAge * 1000)}`);
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  if (opts.secure) parts.push('Secure');
  if (opts.httpOnly) parts.push('HttpOnly');
  parts.push('Path=/', 'SameSite=Lax');
  return parts.join('; ');
}

/** `request.cookies`: the first value of each name (werkzeug keeps the first), quotes removed. */
export function requestCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
