// Every failure of the Dify client is one of these. None of them holds a key, a header or the request options:
// they carry plain strings and numbers only, so they are safe to log, show and serialise.

export abstract class DifyError extends Error {
  /** `METHOD /path` relative to the base URL, e.g. `POST /chat-messages`. */
  readonly endpoint: string;
  /** host[:port] of the server that answered (or failed to), so a user with two Difys knows which one. */
  readonly host: string | undefined;

  constructor(message: string, endpoint: string, host?: string) {
    super(message);
    this.name = new.target.name;
    this.endpoint = endpoint;
    this.host = host;
  }
}

/** Seconds for messages: "0.15 s", "1.5 s", "30 s" (a rounded "2 s" for 1.5 s would say the wrong limit). */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 100) / 100} s`;
}

/** `text` as a sentence: one final stop, whether or not Dify's message had one ("Too many requests." + "."). */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?。！？…]$/.test(t) ? t : `${t}.`;
}

/** `POST /chat-messages at api.dify.ai`: where a failure happened, for messages. */
function at(endpoint: string, host: string | undefined): string {
  return host ? `${endpoint} at ${host}` : endpoint;
}

/** Dify answered with its JSON error body, or sent an `error` event inside a 200 stream. Match on `code`. */
export class DifyApiError extends DifyError {
  constructor(
    /** HTTP status, or the `status` field of an `error` stream event. */
    readonly status: number,
    /** Dify's snake_case code (`invalid_param`, `not_found`, ...). */
    readonly code: string,
    /** Dify's message as sent; can be empty or a multi-line validation dump (CONTRACT.md §6.13). */
    readonly difyMessage: string,
    endpoint: string,
    host?: string,
    message = describeApiError(status, code, difyMessage, at(endpoint, host)),
  ) {
    super(message, endpoint, host);
  }
}

/** 429, or Dify's 400 "Too many requests" for the app concurrency limit (CONTRACT.md §2.2, §6.11). */
export class DifyRateLimitError extends DifyApiError {
  constructor(
    status: number,
    code: string,
    difyMessage: string,
    endpoint: string,
    /** From a proxy's Retry-After header; Dify itself never sends one. */
    readonly retryAfterMs: number | undefined,
    host?: string,
  ) {
    const wait = retryAfterMs !== undefined ? ` Retry in ${formatSeconds(retryAfterMs)}.` : ' Wait a moment and retry.';
    super(status, code, difyMessage, endpoint, host, `Dify rate limit reached (${at(endpoint, host)}): ${sentence(difyMessage || code)}${wait}`);
  }
}

/** A workflow run ended with status `failed` (streamed `workflow_finished`, or a blocking 200 with data.status failed). */
export class DifyWorkflowRunError extends DifyApiError {
  constructor(
    difyMessage: string,
    endpoint: string,
    readonly workflowRunId: string | undefined,
    /** The node that failed, when a `node_finished` with status failed was seen. */
    readonly failedNode: { node_id: string; title: string; node_type: string; error: string | null } | undefined,
    host?: string,
  ) {
    const where = failedNode ? ` in node "${failedNode.title}"` : '';
    super(200, 'workflow_failed', difyMessage, endpoint, host, `Workflow run failed${where} (${at(endpoint, host)}): ${difyMessage || 'no error text from Dify'}`);
  }
}

/** An error response that is not Dify's JSON: a proxy's HTML page, an empty body, or the wrong server. */
export class DifyUnexpectedResponseError extends DifyError {
  constructor(
    readonly status: number,
    readonly contentType: string,
    /** The start of the body as text, tags stripped (for the log and "Show details"). */
    readonly bodySnippet: string,
    endpoint: string,
    host?: string,
  ) {
    super(describeUnexpected(status, contentType, bodySnippet, at(endpoint, host)), endpoint, host);
  }
}

export type NetworkFailure = 'refused' | 'dns' | 'reset' | 'timeout' | 'certificate' | 'tls' | 'proxy' | 'other';

/** The request never got an HTTP answer. `host` says where, `kind` says why. */
export class DifyNetworkError extends DifyError {
  /** For kind 'proxy' raised by the proxy dispatcher: the proxy's host:port (never its credentials). */
  readonly proxy: string | undefined;
  /** For kind 'proxy': the proxy's HTTP status when it answered (407, 403 ...). */
  readonly proxyStatus: number | undefined;

  declare readonly host: string;

  constructor(
    readonly kind: NetworkFailure,
    host: string,
    /** The system or undici code, e.g. ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
    readonly causeCode: string | undefined,
    endpoint: string,
    detail?: string,
    proxy?: { host: string; status?: number },
  ) {
    super(proxy ? describeProxy(proxy.host, proxy.status, host, causeCode) : describeNetwork(kind, host, causeCode, detail), endpoint, host);
    this.proxy = proxy?.host;
    this.proxyStatus = proxy?.status;
  }
}

/**
 * Raised inside the dispatcher of dispatcher.ts when the proxy, not Dify, failed: it could not be reached, refused
 * the credentials or the tunnel. networkError() turns it into a DifyNetworkError of kind 'proxy'; callers never see
 * it. Holds the proxy's host:port only, never its URL or credentials.
 */
export class ProxyFailure extends Error {
  constructor(
    /** host:port of the proxy. */
    readonly proxy: string,
    /** The proxy's HTTP answer (407, 403, 502 ...), when it answered. */
    readonly status: number | undefined,
    /** The system or undici code when the connection to the proxy failed. */
    readonly code: string | undefined,
  ) {
    super(status !== undefined ? `Proxy ${proxy} answered HTTP ${status}` : `Connection to proxy ${proxy} failed${code ? ` (${code})` : ''}`);
    this.name = 'ProxyFailure';
  }
}

/** `still_running`: the stream broke and the run had no result in Dify after looking for it (follow-run.ts). */
export type StreamFailure = 'ended_early' | 'stalled' | 'no_events' | 'malformed' | 'still_running';

/** The event stream broke after the 200: cut, stalled, pings only, or bytes that are not Dify events. */
export class DifyStreamError extends DifyError {
  /** The run the stream belonged to, when a workflow event named it: what a client re-attaches to or looks up. */
  readonly workflowRunId: string | undefined;
  /** The title of the node that was running when the stream broke. */
  readonly runningNode: string | undefined;

  constructor(
    readonly kind: StreamFailure,
    endpoint: string,
    readonly eventsReceived: number,
    readonly taskId: string | undefined,
    message: string,
    where: { host?: string; workflowRunId?: string; runningNode?: string } = {},
  ) {
    super(message, endpoint, where.host);
    this.workflowRunId = where.workflowRunId;
    this.runningNode = where.runningNode;
  }
}

/** Why the console has no session: never signed in or signed out, the refresh token spent or revoked (§2.6), or an account in no workspace. */
export type ConsoleSessionFailure = 'signed_out' | 'no_workspace';

/** The Dify console (sign-in with email and password) has no usable session: the user signs in again. */
export class DifyConsoleSessionError extends DifyError {
  constructor(
    readonly kind: ConsoleSessionFailure,
    /** Dify's own words, when it gave some ("Invalid refresh token", "workspace not found, …"). */
    readonly difyMessage: string,
    endpoint: string,
    host?: string,
  ) {
    const said = difyMessage ? ` (${difyMessage.replace(/[.\s]+$/, '')})` : '';
    super(
      kind === 'no_workspace'
        ? `Signed in to ${host ?? 'Dify'}, but the account belongs to no workspace${said}. Ask a workspace admin to invite you.`
        : `The Dify console session at ${host ?? 'Dify'} has ended${said}. Sign in again.`,
      endpoint,
      host,
    );
  }
}

/** The caller's AbortSignal fired. `name` is 'AbortError' like the platform's. */
export class DifyAbortError extends DifyError {
  constructor(endpoint: string) {
    super(`Request cancelled (${endpoint}).`, endpoint);
    this.name = 'AbortError';
  }
}

function describeApiError(status: number, code: string, message: string, endpoint: string): string {
  const text = firstLine(message);
  switch (code) {
    case 'unauthorized':
      return `Dify rejected the API key (${endpoint}): ${text || 'unauthorized'}. Check that the key belongs to this app or knowledge base and to this server.`;
    case 'forbidden':
      return `Dify refused the request (${endpoint}): ${text || 'forbidden'}`;
    case 'not_found':
      return `Not found (${endpoint}): ${text || 'not found'}`;
    case 'app_unavailable':
      return `The Dify app is unavailable (${endpoint}): ${text || 'check the app configuration and that it is published'}`;
    case 'not_chat_app':
      return `This key belongs to an app that is not a chat app (${endpoint}).`;
    case 'not_workflow_app':
      return `This key belongs to an app that is not a workflow app (${endpoint}).`;
    case 'provider_not_initialize':
      return `The Dify app has no working model provider credentials (${endpoint}): ${text}`;
    case 'provider_quota_exceeded':
      return `The model quota of the Dify workspace is exhausted (${endpoint}): ${text}`;
    default:
      return `Dify error ${status} ${code} (${endpoint})${text ? `: ${text}` : ''}`;
  }
}

function describeUnexpected(status: number, contentType: string, snippet: string, endpoint: string): string {
  const what = contentType.includes('html') ? 'an HTML page' : snippet ? `a ${contentType || 'non-JSON'} body` : 'an empty body';
  const quoted = snippet ? ` ("${snippet.slice(0, 80)}")` : '';
  if (status === 404) {
    return `HTTP 404 with ${what} for ${endpoint}: this URL is not a Dify API route. Check that the base URL is the API URL and ends with /v1 (e.g. https://api.dify.ai/v1).`;
  }
  if (status >= 300 && status < 400) {
    return `HTTP ${status}: ${endpoint} was redirected${quoted}. Dify's API does not redirect: set the API URL to the address it points to (often https instead of http, or with /v1).`;
  }
  if (status >= 200 && status < 300) {
    return `Expected JSON from ${endpoint} but got ${what}${quoted}. Is the base URL the Dify API URL (ending in /v1) rather than the console or web app URL?`;
  }
  if (status === 413) return `The request was too large for the server or a proxy in front of it (HTTP 413, ${endpoint}).`;
  if (status === 502 || status === 503 || status === 504) {
    return `HTTP ${status} from a gateway or proxy in front of Dify (${endpoint})${quoted}: Dify or its proxy is down or overloaded. Retry later.`;
  }
  return `HTTP ${status} with ${what} instead of a Dify JSON error (${endpoint})${quoted}.`;
}

function describeNetwork(kind: NetworkFailure, host: string, code: string | undefined, detail?: string): string {
  const c = code ? ` (${code})` : '';
  switch (kind) {
    case 'refused':
      return `Cannot connect to ${host}: connection refused${c}. Check the base URL and that the Dify server is running.`;
    case 'dns':
      return `Cannot resolve ${host}${c}. Check the base URL, your network or proxy settings.`;
    case 'reset':
      return `The connection to ${host} was closed unexpectedly${c}. A proxy or the server dropped it; retry.`;
    case 'timeout':
      return `${host} did not answer in time${c}${detail ? `: ${detail}` : ''}. Check the network or proxy, or raise the timeout.`;
    case 'certificate':
      return `The TLS certificate of ${host} is not trusted${c}. If your Dify uses an internal certificate authority, add its CA certificate (extra CA file setting) or, only on a trusted network, turn off strict certificate checking.`;
    case 'tls':
      return `TLS handshake with ${host} failed${c}${detail ? `: ${detail}` : ''}.`;
    case 'proxy':
      return `The proxy refused the connection to ${host}${c}${detail ? `: ${detail}` : ''}. Check the proxy URL and credentials.`;
    default:
      return `Network error talking to ${host}${c}${detail ? `: ${detail}` : ''}.`;
  }
}

function describeProxy(proxy: string, status: number | undefined, host: string, code: string | undefined): string {
  const c = code ? ` (${code})` : '';
  const setting = 'Check the proxy setting (http.proxy, or HTTPS_PROXY / HTTP_PROXY)';
  if (status === 407) {
    return `The proxy ${proxy} requires authentication (HTTP 407). Put the user name and password in the proxy URL (http://user:password@host:port) and check them.`;
  }
  if (status !== undefined) {
    return `The proxy ${proxy} refused the connection to ${host} (HTTP ${status}). The proxy cannot reach that host or does not allow it; ask your network administrator, or add ${host} to the no-proxy list if it is reachable directly.`;
  }
  if (code === 'ECONNREFUSED') return `Cannot connect to the proxy ${proxy}: connection refused${c}. ${setting} and that the proxy is running.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') return `Cannot resolve the proxy host ${proxy}${c}. ${setting}.`;
  if (code && /TIMEOUT|ETIMEDOUT/.test(code)) return `The proxy ${proxy} did not answer in time${c}. ${setting} and the network.`;
  if (code && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SIGNATURE|UNABLE_TO/.test(code))) {
    return `TLS with the proxy ${proxy} failed${c}. If the proxy uses an internal certificate authority, add its CA certificate (extra CA file setting) or, only on a trusted network, turn off strict certificate checking.`;
  }
  return `The connection to the proxy ${proxy} failed${c}. ${setting}.`;
}

/** The readable part of Dify's message: pydantic dumps are multi-line, with a docs link we drop. */
function firstLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('For further information visit'))
    .slice(0, 3)
    .join(' · ');
}
