// Checks a base URL and key with real requests before they are saved, and says precisely what is wrong:
// a URL without /v1, the console URL, a knowledge key given as an app key (or the reverse), a disabled app, a network
// or certificate problem. Plain Node: the VS Code layer turns a problem into words (features/apps/messages.ts).
import {
  AppClient,
  DifyApiError,
  DifyError,
  DifyNetworkError,
  DifyUnexpectedResponseError,
  KnowledgeClient,
  type AppInfo,
  type AppParameters,
  type DifyClientOptions,
} from '../dify/index.js';

export type KeyKind = 'app' | 'dataset' | 'unknown';

export type ConnectionProblem =
  | { kind: 'invalid_url'; detail: string }
  | { kind: 'missing_v1'; suggestedUrl: string }
  | { kind: 'console_url'; suggestedUrl: string | undefined }
  | { kind: 'wrong_key_kind'; expected: 'app' | 'dataset'; given: KeyKind }
  | { kind: 'invalid_key' }
  | { kind: 'app_disabled'; detail: string }
  | { kind: 'app_unavailable'; detail: string }
  | { kind: 'network'; error: DifyNetworkError }
  | { kind: 'other'; error: DifyError };

export type AppCheck =
  | { ok: true; baseUrl: string; info: AppInfo; parameters: AppParameters | undefined }
  | { ok: false; problem: ConnectionProblem };

export type KnowledgeCheck = { ok: true; baseUrl: string; datasetCount: number } | { ok: false; problem: ConnectionProblem };

export type CheckOptions = Omit<DifyClientOptions, 'baseUrl' | 'apiKey'>;

export const DIFY_CLOUD_API = 'https://api.dify.ai/v1';

/** What a key looks like by its prefix (Dify itself ignores the prefix, CONTRACT.md §1.2). */
export function keyKind(key: string): KeyKind {
  const k = key.trim();
  if (/^app-/.test(k)) return 'app';
  if (/^(dataset|ds)-/.test(k)) return 'dataset';
  return 'unknown';
}

/** Trims, adds https:// when the scheme is missing, drops a trailing slash. Throws TypeError on nonsense. */
export function normalizeBaseUrl(input: string): string {
  let text = input.trim();
  if (!text) throw new TypeError('empty');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`unsupported scheme ${url.protocol}`);
  url.hash = '';
  url.search = '';
  return url.href.replace(/\/+$/, '');
}

/**
 * Whether a key sent to this API URL travels unencrypted: plain http to a host other than this machine (localhost,
 * 127.0.0.0/8, ::1). False for https and for what is not a URL yet (the check says what is wrong with it).
 */
export function keyTravelsInClear(input: string): boolean {
  let url: URL;
  try {
    url = new URL(normalizeBaseUrl(input));
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  const loopback = host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  return !loopback;
}

/** Where the API of a console or web-app URL lives: Dify Cloud's is api.dify.ai, self-hosted serves /v1 on the same host. */
export function apiUrlFor(baseUrl: string): string | undefined {
  const url = new URL(baseUrl);
  if (/(^|\.)dify\.ai$/.test(url.hostname)) return DIFY_CLOUD_API;
  if (/\/v1$/.test(url.pathname)) return undefined;
  return `${url.origin}/v1`;
}

/** Checks an app key: GET /info (mode, name) and GET /parameters (features, input form). */
export async function checkApp(baseUrlInput: string, apiKey: string, user: string, options: CheckOptions = {}): Promise<AppCheck> {
  const pre = precheck(baseUrlInput, apiKey, 'app');
  if ('problem' in pre) return { ok: false, problem: pre.problem };
  const { baseUrl, given } = pre;
  const client = new AppClient({ ...options, baseUrl, apiKey, user });
  let info: AppInfo;
  try {
    info = await client.getInfo();
  } catch (e) {
    return { ok: false, problem: await diagnose(e, baseUrl, 'app', given, (url) => new AppClient({ ...options, baseUrl: url, apiKey, user }).getInfo()) };
  }
  try {
    return { ok: true, baseUrl, info, parameters: await client.getParameters() };
  } catch (e) {
    // /parameters is 400 app_unavailable while the app has no published config; that is worth saying, not fatal.
    if (e instanceof DifyApiError && e.code === 'app_unavailable') return { ok: true, baseUrl, info, parameters: undefined };
    return { ok: false, problem: await diagnose(e, baseUrl, 'app', given, undefined) };
  }
}

/** Checks a knowledge (dataset) key with GET /datasets?limit=1. */
export async function checkKnowledge(baseUrlInput: string, apiKey: string, options: CheckOptions = {}): Promise<KnowledgeCheck> {
  const pre = precheck(baseUrlInput, apiKey, 'dataset');
  if ('problem' in pre) return { ok: false, problem: pre.problem };
  const { baseUrl, given } = pre;
  const list = (url: string) => new KnowledgeClient({ ...options, baseUrl: url, apiKey }).listDatasets({ page: 1, limit: 1 });
  try {
    const page = await list(baseUrl);
    return { ok: true, baseUrl, datasetCount: page.total };
  } catch (e) {
    return { ok: false, problem: await diagnose(e, baseUrl, 'dataset', given, list) };
  }
}

/** What can be told without a request: a URL that is no URL, a key whose prefix says it is of the other kind. */
function precheck(baseUrlInput: string, apiKey: string, expected: 'app' | 'dataset'): { baseUrl: string; given: KeyKind } | { problem: ConnectionProblem } {
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(baseUrlInput);
  } catch (e) {
    return { problem: { kind: 'invalid_url', detail: (e as Error).message } };
  }
  const given = keyKind(apiKey);
  if (given !== 'unknown' && given !== expected) return { problem: { kind: 'wrong_key_kind', expected, given } };
  return { baseUrl, given };
}

async function diagnose(
  e: unknown,
  baseUrl: string,
  expected: 'app' | 'dataset',
  given: KeyKind,
  retryAt: ((url: string) => Promise<unknown>) | undefined,
): Promise<ConnectionProblem> {
  if (e instanceof DifyUnexpectedResponseError) {
    // Not Dify's API at this URL: the HTML 404 (no /v1) or the console's HTML page (200).
    const suggested = apiUrlFor(baseUrl);
    if (suggested && suggested !== baseUrl && retryAt) {
      const works = await retryAt(suggested).then(
        () => true,
        (err: unknown) => err instanceof DifyApiError, // a Dify JSON error means the API is there
      );
      if (works) return e.status === 404 ? { kind: 'missing_v1', suggestedUrl: suggested } : { kind: 'console_url', suggestedUrl: suggested };
    }
    if (e.status >= 200 && e.status < 300) return { kind: 'console_url', suggestedUrl: suggested };
    if (e.status === 404 && !/\/v1$/.test(new URL(baseUrl).pathname)) return { kind: 'missing_v1', suggestedUrl: `${baseUrl}/v1` };
    return { kind: 'other', error: e };
  }
  if (e instanceof DifyApiError) {
    if (e.status === 401) {
      return given !== 'unknown' && given !== expected ? { kind: 'wrong_key_kind', expected, given } : { kind: 'invalid_key' };
    }
    if (e.status === 403) return { kind: 'app_disabled', detail: e.difyMessage };
    if (e.code === 'app_unavailable') return { kind: 'app_unavailable', detail: e.difyMessage };
  }
  if (e instanceof DifyNetworkError) return { kind: 'network', error: e };
  if (e instanceof DifyError) return { kind: 'other', error: e };
  throw e;
}
