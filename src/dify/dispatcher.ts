// The user's network settings (VS Code's http.proxy, http.proxyStrictSSL, http.noProxy, the proxy environment
// variables, an extra CA file, a connect timeout) turned into the one undici Dispatcher that DifyHttp sends through.
// Plain Node: never imports 'vscode'.
//
// Routing design. A small Dispatcher picks, per request, by the request's origin:
//   - a direct Agent, when no proxy applies (none configured, or the host is in a no-proxy list), or
//   - undici's ProxyAgent for that proxy URL: it opens the CONNECT tunnel for https:// targets and forwards
//     http:// targets in absolute form (`proxyTunnel: false`, what curl and VS Code do; proxies such as squid refuse
//     CONNECT to ports other than 443). No tunnelling by hand.
// Why not EnvHttpProxyAgent with explicit httpProxy/httpsProxy/noProxy? It would route the same way, but:
//   1. it falls back to process.env for any option left unset, where the settings must win and the environment must be
//      injectable (tests, and the extension passing its own);
//   2. the environment's NO_PROXY must apply only to a proxy that came from the environment, http.noProxy always;
//   3. its no-proxy matching has no CIDR ranges ("10.0.0.0/8");
//   4. it has no seam to tell a failure of the proxy from a failure of Dify. Here each ProxyAgent is composed with an
//      interceptor, and its connection to the proxy (clientFactory) with another, that turn what the proxy did
//      (unreachable, 407, tunnel refused) into a ProxyFailure naming the proxy's host:port; networkError() in http.ts
//      maps that to a DifyNetworkError of kind 'proxy'.
// Credentials: the proxy URL given to undici has none; they go in the ProxyAgent `token` (Proxy-Authorization), so no
// undici error, message or log line can carry them. describeNetworkSettings() masks them.
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Agent as AgentType, buildConnector, Dispatcher } from 'undici';
import { Agent, DispatcherBase, ProxyAgent } from './undici.js';
import { defaultCaCertificates, extraCertificates } from './certificates.js';
import { ProxyFailure } from './errors.js';
import { bypasses, parseNoProxy, type NoProxyRule } from './no-proxy.js';

export interface NetworkSettings {
  /** VS Code's http.proxy ('' = none): http://[user:pass@]host:port or https://... A URL without scheme is http://. */
  proxy?: string;
  /** VS Code's http.proxyStrictSSL (default true): verify the TLS certificates of Dify (and of an https proxy). */
  strictSSL?: boolean;
  /**
   * VS Code's http.noProxy: hosts that bypass the proxy. `example.com`, `.example.com` and `*.example.com` all match
   * example.com and its subdomains; `host:port` only that port; IP addresses exactly; `10.0.0.0/8` (CIDR) IP literals
   * in the range; `*` everything. Entries may also be comma or space separated.
   */
  noProxy?: string[];
  /**
   * Environment fallbacks when `proxy` is empty (defaults to process.env): https:// targets use https_proxy /
   * HTTPS_PROXY, else http_proxy / HTTP_PROXY (as VS Code and undici do); http:// targets use http_proxy / HTTP_PROXY.
   * Lower case wins. no_proxy / NO_PROXY then applies too, in addition to `noProxy`.
   */
  env?: NodeJS.ProcessEnv;
  /** Extra CA certificates (PEM text), added to Node's default roots, e.g. read from the user's CA file setting. */
  extraCaPem?: string;
  /** Connect timeout (TCP + TLS handshake, to Dify or to the proxy). undici's default is 10 s. */
  connectTimeoutMs?: number;
}

/** A proxy in use, without its credentials. */
interface ProxyRoute {
  /** The proxy URL without user name and password. */
  url: URL;
  /** `Basic …` from the URL's user:password, sent as Proxy-Authorization. */
  token: string | undefined;
  /** host:port, for messages. */
  label: string;
  source: 'settings' | 'env';
}

interface Plan {
  http: ProxyRoute | undefined;
  https: ProxyRoute | undefined;
  bypass: NoProxyRule[];
}

/**
 * One dispatcher for all Dify requests. Close it with `await dispatcher.close()` (or `destroy()`) when the settings
 * change or the extension stops: that closes the direct agent, the proxy agents and their sockets.
 * Throws a TypeError for an invalid proxy URL (message without credentials) or CA text without a valid certificate.
 * The agents are made at the first request: with an extra CA that costs Node 100-200 ms (it parses all its roots),
 * which should not weigh on activation.
 */
export function createDispatcher(settings: NetworkSettings): Dispatcher {
  const plan = resolvePlan(settings);
  const extra = settings.extraCaPem?.trim() ? extraCertificates(settings.extraCaPem) : [];
  const timeout = settings.connectTimeoutMs !== undefined && settings.connectTimeoutMs > 0 ? settings.connectTimeoutMs : undefined;
  return new NetworkDispatcher(plan, () => {
    // One secure context for all connections rather than a `ca` list that every TLS handshake would parse again.
    const secureContext = extra.length ? tls.createSecureContext({ ca: trusted(extra) }) : undefined;
    const tlsOptions: buildConnector.BuildOptions = {
      rejectUnauthorized: settings.strictSSL !== false,
      ...(secureContext ? { secureContext } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
    };
    const proxies = new Map<ProxyRoute, Dispatcher>();
    for (const route of [plan.http, plan.https]) {
      if (!route || proxies.has(route)) continue;
      const forwarding = route.url.protocol === 'http:';
      const agent = new ProxyAgent({
        uri: route.url.href,
        token: route.token,
        proxyTunnel: false,
        requestTls: tlsOptions, // Dify, through the tunnel
        proxyTls: tlsOptions, // an https:// proxy
        // The client for the connection to the proxy (an Agent where undici's default is a Pool: same connection
        // handling, one import less): what fails on it is the proxy's doing.
        clientFactory: (_origin, options) => new Agent(options as AgentType.Options).compose(proxyErrors(route, () => 'all')),
      });
      proxies.set(route, agent.compose(proxyErrors(route, (url) => (forwarding && url?.protocol === 'http:' ? 'connect' : 'answers'))));
    }
    return {
      direct: new Agent({ connect: tlsOptions }),
      http: plan.http && proxies.get(plan.http),
      https: plan.https && proxies.get(plan.https),
    };
  });
}

/** The proxy the dispatcher would use for a URL (credentials masked), or undefined when it goes direct. */
export function proxyFor(settings: NetworkSettings, url: string | URL): string | undefined {
  const plan = resolvePlan(settings);
  const target = typeof url === 'string' ? new URL(url) : url;
  const route = target.protocol === 'https:' ? plan.https : plan.http;
  return route && !bypasses(plan.bypass, target) ? maskProxyUrl(route.url.href.replace(/\/$/, ''), route.token !== undefined) : undefined;
}

/** One log line describing the settings in effect. Never holds credentials. Never throws. */
export function describeNetworkSettings(settings: NetworkSettings): string {
  const parts: string[] = [];
  try {
    const plan = resolvePlan(settings);
    const show = (r: ProxyRoute) => maskProxyUrl(r.url.href.replace(/\/$/, ''), r.token !== undefined);
    if (!plan.http && !plan.https) parts.push('no proxy');
    else if (plan.http === plan.https && plan.http) parts.push(`proxy ${show(plan.http)} (${plan.http.source === 'env' ? 'from the environment' : 'http.proxy'})`);
    else {
      const routes = [plan.https && `https → ${show(plan.https)}`, plan.http && `http → ${show(plan.http)}`].filter(Boolean);
      parts.push(`proxy from the environment: ${routes.join(', ')}`);
    }
    if ((plan.http || plan.https) && plan.bypass.length) parts.push(`bypass: ${plan.bypass.map((r) => r.text).join(', ')}`);
  } catch (e) {
    parts.push(`invalid proxy setting: ${(e as Error).message}`);
  }
  let tlsText = settings.strictSSL === false ? 'TLS certificates not verified (http.proxyStrictSSL off)' : 'TLS certificates verified';
  if (settings.extraCaPem?.trim()) {
    try {
      tlsText += `, ${extraCertificates(settings.extraCaPem).length} extra CA certificate(s)`;
    } catch {
      tlsText += ', extra CA text invalid';
    }
  }
  parts.push(tlsText);
  if (settings.connectTimeoutMs) parts.push(`connect timeout ${settings.connectTimeoutMs} ms`);
  return parts.join('; ');
}

/** Node's default trust plus the extra PEM certificates: what an extra CA file adds to, never replaces. */
export function caCertificates(extraCaPem: string): string[] {
  return trusted(extraCertificates(extraCaPem));
}

function trusted(extra: readonly string[]): string[] {
  return [...defaultCaCertificates(), ...extra];
}

// ------------------------------------------------------------------------------------------ the router

interface Agents {
  direct: Dispatcher;
  http: Dispatcher | undefined;
  https: Dispatcher | undefined;
}

class NetworkDispatcher extends DispatcherBase {
  readonly #plan: Plan;
  readonly #build: () => Agents;
  #agents: Agents | undefined;
  #closed = false;

  constructor(plan: Plan, build: () => Agents) {
    super();
    this.#plan = plan;
    this.#build = build;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.#closed) throw new Error('This network dispatcher is closed; the settings changed or the extension stopped.');
    this.#agents ??= this.#build();
    return this.#route(this.#agents, options.origin).dispatch(options, handler);
  }

  #route(agents: Agents, origin: string | URL | undefined): Dispatcher {
    if (origin === undefined || (!agents.http && !agents.https)) return agents.direct;
    const url = typeof origin === 'string' ? new URL(origin) : origin;
    const proxy = url.protocol === 'https:' || url.protocol === 'wss:' ? agents.https : agents.http;
    return proxy && !bypasses(this.#plan.bypass, url) ? proxy : agents.direct;
  }

  #all(): Dispatcher[] {
    const a = this.#agents;
    return a ? [...new Set([a.direct, a.http, a.https].filter((d): d is Dispatcher => d !== undefined))] : [];
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.#closed = true;
    const done = Promise.all(this.#all().map((d) => d.close())).then(() => undefined);
    if (!callback) return done;
    void done.then(callback, callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    this.#closed = true;
    const err = typeof errOrCallback === 'function' ? null : (errOrCallback ?? null);
    const cb = typeof errOrCallback === 'function' ? errOrCallback : callback;
    const done = Promise.all(this.#all().map((d) => d.destroy(err))).then(() => undefined);
    if (!cb) return done;
    void done.then(cb, cb);
  }
}

// ------------------------------------------------------------------------------------------ proxy failures

/** Codes of a failed connection attempt. On the forwarding path (http:// target, http:// proxy) the only socket is
 * the one to the proxy, so these can only be the proxy's. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Which failures of a request are the proxy's:
 * - 'all': requests on the connection to the proxy itself (the CONNECT): everything but an abort;
 * - 'connect': forwarding (http:// target through an http:// proxy): connection errors too, as the only socket is
 *   the proxy's; a reset or a timeout after that stays Dify's;
 * - 'answers': a tunnel: only what the proxy answered; errors of the TLS handshake with Dify inside it stay Dify's.
 */
type ProxyScope = 'all' | 'connect' | 'answers';

/** An interceptor that turns what the proxy did into a ProxyFailure naming the proxy. */
function proxyErrors(route: ProxyRoute, scopeFor: (target: URL | undefined) => ProxyScope): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const scope = scopeFor(options.origin !== undefined ? new URL(String(options.origin)) : undefined);
    return dispatch(options, new MapErrors(handler, (e) => toProxyFailure(e, route, scope)));
  };
}

function toProxyFailure(e: Error, route: ProxyRoute, scope: ProxyScope): Error {
  if (hasProxyFailure(e)) return e; // tagged on the proxy connection; maybe wrapped by undici (SecureProxyConnectionError)
  // ProxyAgent's own errors for a proxy's answer: the CONNECT status, and 407 on the forwarding path.
  const status = /^Proxy response \((\d{3})\)/.exec(e.message)?.[1] ?? /^Proxy Authentication Required \((\d{3})\)/.exec(e.message)?.[1];
  if (status) return new ProxyFailure(route.label, Number(status), undefined);
  // Keep undici's own code on the error (its connection logic branches on it, e.g. UND_ERR_SOCKET reconnects).
  const own = (e as { code?: unknown }).code;
  const code = typeof own === 'string' ? own : codeOf(e);
  if (code === 'UND_ERR_PRX_TLS') return new ProxyFailure(route.label, undefined, codeOf(e.cause) ?? code);
  if (scope === 'all' && code !== 'UND_ERR_ABORTED' && e.name !== 'AbortError') return new ProxyFailure(route.label, undefined, code);
  if (scope === 'connect' && code !== undefined && CONNECT_CODES.has(codeOf(e) ?? code)) return new ProxyFailure(route.label, undefined, code);
  return e;
}

function hasProxyFailure(e: unknown, depth = 0): boolean {
  if (e instanceof ProxyFailure) return true;
  const cause = (e as { cause?: unknown } | null | undefined)?.cause;
  return cause !== undefined && depth < 4 && hasProxyFailure(cause, depth + 1);
}

function codeOf(e: unknown): string | undefined {
  const err = e as { code?: unknown; errors?: unknown[]; cause?: unknown } | null | undefined;
  if (typeof err?.code === 'string' && err.code !== 'UND_ERR_SOCKET') return err.code;
  const inner = err?.errors?.[0] ?? err?.cause;
  return (inner !== undefined ? codeOf(inner) : undefined) ?? (typeof err?.code === 'string' ? err.code : undefined);
}

/** Passes everything through and maps the error. Composed interceptors always get the new handler interface. */
class MapErrors implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #map: (e: Error) => Error;

  constructor(inner: Dispatcher.DispatchHandler, map: (e: Error) => Error) {
    this.#inner = inner;
    this.#map = map;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, socket: Duplex): void {
    this.#inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#inner.onResponseError?.(controller, this.#map(error));
  }
}

// ------------------------------------------------------------------------------------------ settings

function resolvePlan(settings: NetworkSettings): Plan {
  const own = parseNoProxy(settings.noProxy ?? []);
  const explicit = settings.proxy?.trim();
  if (explicit) {
    const route = parseProxy(explicit, 'settings');
    return { http: route, https: route, bypass: own };
  }
  const env = settings.env ?? process.env;
  const httpText = envValue(env, 'http_proxy', 'HTTP_PROXY');
  const httpsText = envValue(env, 'https_proxy', 'HTTPS_PROXY') ?? httpText;
  const http = httpText ? parseProxy(httpText, 'env') : undefined;
  const https = httpsText === httpText ? http : httpsText ? parseProxy(httpsText, 'env') : undefined;
  const fromEnv = http || https ? parseNoProxy([envValue(env, 'no_proxy', 'NO_PROXY') ?? '']) : [];
  return { http, https, bypass: [...own, ...fromEnv] };
}

function envValue(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

function parseProxy(text: string, source: ProxyRoute['source']): ProxyRoute {
  const masked = maskProxyUrl(text);
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new TypeError(`The proxy URL "${masked}" is not valid. Use http://host:port or https://host:port.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`The proxy URL "${masked}" uses ${url.protocol}; only http:// and https:// proxies are supported.`);
  }
  if (!url.hostname) throw new TypeError(`The proxy URL "${masked}" has no host.`);
  const token =
    url.username || url.password ? `Basic ${Buffer.from(`${decode(url.username)}:${decode(url.password)}`).toString('base64')}` : undefined;
  url.username = '';
  url.password = '';
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { url, token, label: `${url.hostname}:${port}`, source };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `http://user:pass@host:port` → `http://***@host:port`. Works on text that is not a valid URL too. */
export function maskProxyUrl(text: string, hadCredentials = false): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return hadCredentials ? text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?/i, '$1***@') : text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  return `${scheme}***@${text.slice(at + 1)}`;
}
