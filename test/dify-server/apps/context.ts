// What the app route modules share: options, state, auth (§1.3, §1.4), the event sinks, usage blocks.
import { HttpError, errors, isJsonObject } from '../router.js';
import type { RouteContext } from '../router.js';
import { SseWriter, sleep } from '../sse.js';
import { decimalFixed, decimalStr, pyStr } from '../pyfmt.js';
import type { Price } from '../pyfmt.js';
import { PyFloat } from '../wire.js';
import type { DifyVersion } from '../version.js';
import type { AppMode, AppSpec } from './fixtures.js';
import { LoggedSink } from './run-log.js';
import type { RunLog } from './run-log.js';
import type { AppState, EndUser } from './state.js';

export interface AppsOptions {
  eventDelayMs: number;
  pingIntervalMs: number;
  idleTimeoutMs: number;
  /** Where uploaded files are written. */
  filesDir: string;
  /** The server origin, for signed file URLs. */
  origin: () => string;
  /** APP_MAX_ACTIVE_REQUESTS: concurrent generation requests allowed per app; 0 means unlimited (Dify's default). */
  maxActiveRequests: number;
  /** The Dify release spoken on the wire. */
  version: DifyVersion;
  /** How long the middle node of `workflowSlow` runs (only pings meanwhile). */
  slowNodeMs: number;
  /** How long a human-input form stays open before it times out. */
  humanInputTimeoutMs: number;
}

export interface Apps {
  options: AppsOptions;
  state: AppState;
  byKey: Map<string, AppSpec>;
}

export const CHAT_MODES: AppMode[] = ['chat', 'agent-chat', 'advanced-chat', 'agent'];

export const notChatApp = (): HttpError =>
  new HttpError(400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
export const notWorkflowApp = (): HttpError =>
  new HttpError(400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
export const appUnavailable = (): HttpError =>
  new HttpError(400, 'app_unavailable', 'App unavailable, please check your app configurations.');

/** validate_app_token: the app behind the bearer key, or 401/403 exactly as Dify words them. */
export function authApp(apps: Apps, ctx: RouteContext): AppSpec {
  const token = ctx.bearer();
  const app = apps.byKey.get(token);
  if (!app) throw errors.unauthorized('Access token is invalid');
  if (!app.apiEnabled) throw errors.forbidden("The app's API service has been disabled.");
  return app;
}

/** The `user` value: Python truthiness, then str(). Throws "Arg user must be provided." when required. */
export function userArg(value: unknown, required: boolean): string | undefined {
  const falsy =
    value === undefined ||
    value === null ||
    value === false ||
    value === 0 ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
  if (falsy) {
    if (required) throw errors.userRequired();
    return undefined;
  }
  return pyStr(value);
}

/** Auth plus the JSON body plus the end user, in Dify's order (auth, get_json, user). */
export async function jsonEndpoint(
  apps: Apps,
  ctx: RouteContext,
  userRequired: boolean,
): Promise<{ app: AppSpec; body: Record<string, unknown>; endUser: EndUser }> {
  const app = authApp(apps, ctx);
  const value = await ctx.jsonValue();
  // validate_app_token reads `request.get_json().get("user")`: on a list, a string, a number or null that is an
  // AttributeError, which no handler maps, so Dify's catch-all 500.
  if (!isJsonObject(value)) throw new HttpError(500, 'unknown', 'Internal Server Error');
  const body = value;
  const session = userArg(body.user, userRequired);
  return { app, body, endUser: apps.state.endUser(app, session) };
}

/** Auth plus the end user from the query string. */
export function queryEndpoint(apps: Apps, ctx: RouteContext, userRequired = false): { app: AppSpec; endUser: EndUser } {
  const app = authApp(apps, ctx);
  const session = userArg(ctx.query.get('user') ?? undefined, userRequired);
  return { app, endUser: apps.state.endUser(app, session) };
}

/**
 * `RateLimit.enter` (AppGenerateService.generate): counts the app's in-flight generation requests and refuses one
 * over the limit with AppInvokeQuotaExceededError, a ValueError, so 400 invalid_param (§2.2). Returns the `exit`.
 */
export function enterRateLimit(apps: Apps, app: AppSpec): () => void {
  const max = apps.options.maxActiveRequests;
  if (!(max > 0)) return () => {};
  const active = apps.state.activeRequests.get(app.id) ?? new Set<object>();
  apps.state.activeRequests.set(app.id, active);
  if (active.size >= max) {
    throw errors.invalidParam(
      `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${app.id} is ${max}.`,
    );
  }
  const request = {};
  active.add(request);
  return () => active.delete(request);
}

/** Where a producer's events go: an SSE response, or a collector for a blocking call. */
export interface Sink {
  send(event: Record<string, unknown>): Promise<void>;
  finish(): Promise<void>;
}

/** Blocking mode: takes as long as the stream would, keeps nothing but the pacing. */
export class BlockingSink implements Sink {
  constructor(private readonly delayMs: number) {}
  async send(): Promise<void> {
    if (this.delayMs > 0) await sleep(this.delayMs);
  }
  async finish(): Promise<void> {}
}

export function openStream(
  apps: Apps,
  ctx: RouteContext,
  leadingPing: boolean,
  errorEnvelope: () => Record<string, unknown>,
  /** false: the producer paces itself (a run's LoggedSink), the writer only writes. */
  paced = true,
): SseWriter {
  const writer = new SseWriter(ctx.res, {
    eventDelayMs: paced ? apps.options.eventDelayMs : 0,
    pingIntervalMs: apps.options.pingIntervalMs,
    idleTimeoutMs: apps.options.idleTimeoutMs,
    leadingPing,
    fault: ctx.fault,
    errorEnvelope,
  });
  ctx.record.status = 200;
  writer.start();
  return writer;
}

/**
 * Where a workflow or advanced-chat run's frames go: its event log first (paced like the worker, whether or not the
 * client stays), then the client's SSE stream, or nothing for a blocking call.
 */
export function runSink(apps: Apps, ctx: RouteContext, streaming: boolean, log: RunLog, errorEnvelope: () => Record<string, unknown>): Sink {
  const inner: Sink | undefined = streaming ? openStream(apps, ctx, true, errorEnvelope, false) : undefined;
  return new LoggedSink(log, inner, apps.options.eventDelayMs);
}

/** Dify 1.13's silent hang (§6.2): one ping, then nothing until the idle timeout ends the response. */
export function hangStream(apps: Apps, ctx: RouteContext): void {
  const writer = new SseWriter(ctx.res, {
    eventDelayMs: 0,
    pingIntervalMs: apps.options.pingIntervalMs,
    idleTimeoutMs: apps.options.idleTimeoutMs,
    leadingPing: true,
    errorEnvelope: () => ({}),
  });
  ctx.record.status = 200;
  writer.hang(false);
}

export interface UsageNumbers {
  promptTokens: number;
  completionTokens: number;
  latency: number;
  timeToFirstToken?: number;
  timeToGenerate?: number;
}

const PROMPT_UNIT = 15; // 0.15 per 1M tokens with price_unit 0.000001 → in 1e-7 units per token: 0.15
const COMPLETION_UNIT = 60;

export function prices(u: UsageNumbers): { prompt: Price; completion: Price; total: Price } {
  // tokens * unit_price * price_unit, quantized to 7 places: tokens * 0.15e-6 = tokens * 1.5 units of 1e-7.
  const prompt = Math.round((u.promptTokens * PROMPT_UNIT) / 10);
  const completion = Math.round((u.completionTokens * COMPLETION_UNIT) / 10);
  return { prompt, completion, total: prompt + completion };
}

/** The Usage block (§4.3). `notation`: streamed `str(Decimal)` or blocking fixed-point. */
export function usageBlock(u: UsageNumbers, notation: 'stream' | 'fixed'): Record<string, unknown> {
  const p = prices(u);
  const fmt = notation === 'stream' ? decimalStr : decimalFixed;
  return {
    prompt_tokens: u.promptTokens,
    prompt_unit_price: '0.15',
    prompt_price_unit: '0.000001',
    prompt_price: fmt(p.prompt),
    completion_tokens: u.completionTokens,
    completion_unit_price: '0.6',
    completion_price_unit: '0.000001',
    completion_price: fmt(p.completion),
    total_tokens: u.promptTokens + u.completionTokens,
    total_price: fmt(p.total),
    currency: 'USD',
    latency: new PyFloat(u.latency),
    time_to_first_token: u.timeToFirstToken === undefined ? null : new PyFloat(u.timeToFirstToken),
    time_to_generate: u.timeToGenerate === undefined ? null : new PyFloat(u.timeToGenerate),
  };
}

/** Seconds since `startMs`, as a float with microsecond precision (never an integer-looking value). */
export function elapsedSince(startMs: number): number {
  const s = (Date.now() - startMs) / 1000 + 0.000123;
  return Math.round(s * 1e6) / 1e6;
}

/** A signed file URL like Dify's (`?timestamp=&nonce=&sign=`). */
export function signedUrl(apps: Apps, path: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = Buffer.from(path).toString('hex').slice(0, 32).padEnd(32, '0');
  const sign = Buffer.from(`${path}|${timestamp}`).toString('base64url');
  return `${apps.options.origin()}${path}?timestamp=${timestamp}&nonce=${nonce}&sign=${sign}`;
}
