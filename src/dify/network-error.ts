// What a failed connection was (refused, DNS, reset, timeout, certificate, TLS, proxy), from the error Node or undici
// threw: the one place that reads system and undici codes.
import { DifyNetworkError, ProxyFailure, type NetworkFailure } from './errors.js';

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

function errorCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof err?.code === 'string' && err.code !== 'UND_ERR_SOCKET') return err.code;
  // Happy-eyeballs connects throw an AggregateError; undici wraps socket errors in `cause`.
  const inner = err?.errors?.[0] ?? err?.cause;
  if (inner) return errorCode(inner) ?? (typeof err?.code === 'string' ? err.code : undefined);
  return typeof err?.code === 'string' ? err.code : undefined;
}

/** The ProxyFailure of the proxy dispatcher (dispatcher.ts), itself or as a cause (undici wraps some errors). */
function proxyFailure(e: unknown, depth = 0): ProxyFailure | undefined {
  if (e instanceof ProxyFailure) return e;
  const cause = (e as { cause?: unknown } | null | undefined)?.cause;
  return cause !== undefined && depth < 4 ? proxyFailure(cause, depth + 1) : undefined;
}

export function networkError(e: unknown, host: string, endpoint: string): DifyNetworkError {
  const proxy = proxyFailure(e);
  if (proxy) return new DifyNetworkError('proxy', host, proxy.code, endpoint, undefined, { host: proxy.proxy, status: proxy.status });
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  let kind: NetworkFailure = 'other';
  if (/proxy/i.test(message) || code === 'UND_ERR_PRX_TLS') kind = 'proxy';
  else if (code === 'ECONNREFUSED') kind = 'refused';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') kind = 'dns';
  else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') kind = 'reset';
  else if (code && /TIMEOUT|ETIMEDOUT/.test(code)) kind = 'timeout';
  else if (code && CERTIFICATE_CODES.has(code)) kind = 'certificate';
  else if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS') || /SSL|TLS/.test(message)) kind = 'tls';
  return new DifyNetworkError(kind, host, code, endpoint, kind === 'other' || kind === 'proxy' || kind === 'tls' ? message : undefined);
}
