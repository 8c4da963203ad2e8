// The console session's cookies as Dify sets them (CONSOLE.md §2.3): names read from Set-Cookie (with or without
// __Host-), sent back with the CSRF token again as a header, cleared by an expired cookie, and the refresh token kept.
import assert from 'node:assert/strict';
import { ConsoleCookies } from '../../src/dify/console-cookies.js';
import { consoleOrigin, serviceApiBaseUrl } from '../../src/dify/console.js';

const jwt = (claims: object): string =>
  ['{"alg":"HS256","typ":"JWT"}', JSON.stringify(claims)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.sig';

function login(prefix: string, exp: number): Record<string, string[]> {
  const attrs = `Path=/; SameSite=Lax; Max-Age=3600; Expires=${new Date(exp * 1000).toUTCString()}`;
  return {
    'set-cookie': [
      `${prefix}access_token=${jwt({ user_id: 'u1', exp, iss: 'SELF_HOSTED', sub: 'Console API Passport' })}; HttpOnly; ${attrs}`,
      `${prefix}refresh_token=${'ab'.repeat(64)}; HttpOnly; Path=/; SameSite=Lax; Max-Age=2592000`,
      `${prefix}csrf_token=${jwt({ exp, sub: 'u1' })}; ${attrs}`,
    ],
  };
}

describe('console cookies', () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;

  for (const prefix of ['', '__Host-']) {
    it(`keeps the three cookies ${prefix ? 'with' : 'without'} the __Host- prefix and sends the CSRF token as a header`, () => {
      const jar = new ConsoleCookies();
      jar.take(login(prefix, exp));
      const headers = jar.headers();
      assert.match(headers.cookie!, new RegExp(`^${prefix}access_token=[^;]+; ${prefix}refresh_token=(ab){64}; ${prefix}csrf_token=[^;]+$`));
      assert.equal(headers['x-csrf-token'], jwt({ exp, sub: 'u1' }));
      assert.deepEqual(jar.stored(), { cookie: `${prefix}refresh_token`, token: 'ab'.repeat(64) });
      assert.equal(jar.accessExpiresAt(), exp * 1000);
    });
  }

  it("logout's expired cookies remove them; each change bumps the generation", () => {
    const jar = new ConsoleCookies();
    jar.take(login('', exp));
    const before = jar.generation;
    const gone = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/';
    jar.take({ 'set-cookie': [`access_token=; ${gone}`, `refresh_token=; ${gone}`, `csrf_token=; ${gone}`] });
    assert.deepEqual(jar.headers(), {});
    assert.equal(jar.stored(), undefined);
    assert.ok(jar.generation > before);
    jar.take({ 'content-type': 'application/json' });
    assert.equal(jar.generation, before + 1, 'a response without cookies changes nothing');
  });

  it('a stored session starts with its refresh token alone', () => {
    const jar = new ConsoleCookies({ cookie: '__Host-refresh_token', token: 'cd'.repeat(64) });
    assert.equal(jar.hasAccess(), false);
    assert.deepEqual(jar.headers(), { cookie: `__Host-refresh_token=${'cd'.repeat(64)}` });
  });

  it("the console origin comes from any page of it; the Service API URL is Dify's unless it names the console's host", () => {
    assert.equal(consoleOrigin(' https://dify.example.com/apps?category=all '), 'https://dify.example.com');
    assert.throws(() => consoleOrigin('dify.example.com'), /not a valid URL/);
    // Dify builds api_base_url from the request and may say http on an https install (CONSOLE.md §5.2).
    assert.equal(serviceApiBaseUrl('https://dify.example.com', 'http://dify.example.com/v1'), 'https://dify.example.com/v1');
    assert.equal(serviceApiBaseUrl('https://dify.example.com', 'https://api.example.com/v1/'), 'https://api.example.com/v1');
    assert.equal(serviceApiBaseUrl('https://dify.example.com', undefined), 'https://dify.example.com/v1');
  });
});
