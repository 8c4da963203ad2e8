// Fault injection for the test Dify server: canned HTTP failures, connection resets, slow servers and broken
// streams, chosen per request either by `server.fault(...)` or by an `X-Dify-Test-Fault: <json>` request header.

/** A canned response sent instead of running the route (nginx 502 page, 504, 429 JSON, empty 500...). */
export interface HttpFault {
  kind: 'http';
  status: number;
  /** Sent as-is when a string or Buffer; other values are serialised with Python json.dumps + "\n". */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Destroy the socket without any response. */
export interface ResetFault {
  kind: 'reset';
}

/** Wait before the response headers, then behave normally. */
export interface SlowFirstByteFault {
  kind: 'slowFirstByte';
  delayMs: number;
}

/** Destroy the socket after N data frames: no terminal event, no clean end. */
export interface CutFault {
  kind: 'cut';
  afterEvents: number;
}

/** End the response cleanly after N data frames: no terminal event. */
export interface EndFault {
  kind: 'end';
  afterEvents: number;
}

/** Stop writing after N data frames and keep the connection open (no pings either). */
export interface StallFault {
  kind: 'stall';
  afterEvents: number;
}

/**
 * Dify 1.13's hang (CONTRACT §6.2): one immediate `event: ping`, never a data frame, the response ends after the
 * idle timeout. `keepAlive` (default true) adds a ping every pingIntervalMs, as a live worker would.
 */
export interface PingOnlyFault {
  kind: 'pingOnly';
  keepAlive?: boolean;
}

/** An `error` frame (§4.2/§4.3 shape) after N data frames, then the response ends. */
export interface ErrorEventFault {
  kind: 'errorEvent';
  afterEvents: number;
  code?: string;
  status?: number;
  message?: string;
}

/** Write the stream so multi-byte UTF-8 characters are split across separate TCP writes. */
export interface SplitUtf8Fault {
  kind: 'splitUtf8';
  /** Pause between the writes (default 3 ms) so they arrive as separate chunks. */
  gapMs?: number;
}

/** CRLF line endings in the stream, as some proxies rewrite them. */
export interface CrlfFault {
  kind: 'crlf';
}

/** Serve exactly these bytes as the `text/event-stream; charset=utf-8` body of a streaming request. */
export interface ReplayFault {
  kind: 'replay';
  body: string | Buffer;
}

export type StreamFault =
  | CutFault
  | EndFault
  | StallFault
  | PingOnlyFault
  | ErrorEventFault
  | SplitUtf8Fault
  | CrlfFault
  | ReplayFault;

export type Fault = HttpFault | ResetFault | SlowFirstByteFault | StreamFault;

export interface FaultMatch {
  method?: string;
  /** Path relative to /v1 (e.g. `/chat-messages`); a string must match exactly. */
  path?: string | RegExp;
}

export const FAULT_HEADER = 'x-dify-test-fault';

const STREAM_KINDS = new Set(['cut', 'end', 'stall', 'pingOnly', 'errorEvent', 'splitUtf8', 'crlf', 'replay']);

export function isStreamFault(fault: Fault): fault is StreamFault {
  return STREAM_KINDS.has(fault.kind);
}

/** One-shot faults waiting for the next matching request. */
export class FaultQueue {
  private queue: { fault: Fault; match: FaultMatch }[] = [];

  add(fault: Fault, match: FaultMatch = {}): void {
    this.queue.push({ fault, match });
  }

  /** Removes and returns the first queued fault matching this request. */
  take(method: string, path: string): Fault | undefined {
    const index = this.queue.findIndex(({ match }) => {
      if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
      if (match.path === undefined) return true;
      return typeof match.path === 'string' ? match.path === path : match.path.test(path);
    });
    if (index < 0) return undefined;
    return this.queue.splice(index, 1)[0]!.fault;
  }

  clear(): void {
    this.queue = [];
  }
}

/** Parses the `X-Dify-Test-Fault` header. Returns an error text for a malformed one. */
export function parseFaultHeader(value: string): Fault | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    return `X-Dify-Test-Fault is not JSON: ${(e as Error).message}`;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'X-Dify-Test-Fault must be a JSON object';
  const f = parsed as Record<string, unknown>;
  const num = (key: string): boolean => typeof f[key] === 'number' && Number.isFinite(f[key]);
  switch (f.kind) {
    case 'http':
      return num('status') ? (f as unknown as HttpFault) : 'http fault needs a numeric status';
    case 'reset':
    case 'crlf':
    case 'pingOnly':
    case 'splitUtf8':
      return f as unknown as Fault;
    case 'slowFirstByte':
      return num('delayMs') ? (f as unknown as Fault) : 'slowFirstByte needs delayMs';
    case 'cut':
    case 'end':
    case 'stall':
    case 'errorEvent':
      return num('afterEvents') ? (f as unknown as Fault) : `${String(f.kind)} needs afterEvents`;
    case 'replay':
      return typeof f.body === 'string' ? (f as unknown as Fault) : 'replay needs a string body';
    default:
      return `unknown fault kind ${JSON.stringify(f.kind)}`;
  }
}
