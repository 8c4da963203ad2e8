// HS256 JSON Web Tokens as PyJWT 2.12 writes and reads them (CONSOLE.md §2.3, §2.4): the header is
// `{"alg":"HS256","typ":"JWT"}`, the payload compact JSON in claim order, both base64url without padding.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { orjson } from '../wire.js';

export type JwtClaims = Record<string, unknown>;

/** Why `jwt.decode` refused a token: Dify's PassportService maps each to its own 401 text. */
export type JwtFailure = 'invalid' | 'signature' | 'expired';

const HEADER = Buffer.from(orjson({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(input: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

export function signJwt(claims: JwtClaims, secret: Buffer): string {
  const input = `${HEADER}.${Buffer.from(orjson(claims)).toString('base64url')}`;
  return `${input}.${sign(input, secret)}`;
}

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is JwtClaims => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `jwt.decode(token, key, algorithms=["HS256"])`: the segments are parsed first (DecodeError), then the signature
 * checked (InvalidSignatureError), then `exp` (an integer, expired once `now >= exp`). An algorithm other than HS256
 * is an InvalidTokenError that Dify's `verify` does not catch; here it counts as "Invalid token." (inferred).
 */
export function verifyJwt(token: string, secret: Buffer, nowSeconds: number): JwtClaims | JwtFailure {
  const parts = token.split('.');
  if (parts.length !== 3) return 'invalid';
  const [header, payload, signature] = parts as [string, string, string];
  const head = decodeSegment(header);
  const claims = decodeSegment(payload);
  if (!isObject(head) || !isObject(claims) || !/^[A-Za-z0-9_-]*$/.test(signature) || head.alg !== 'HS256') return 'invalid';
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature';
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== 'number' || !Number.isInteger(claims.exp)) return 'invalid';
    if (claims.exp <= nowSeconds) return 'expired';
  }
  return claims;
}
