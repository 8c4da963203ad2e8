// The SSE writer: Dify's framing (CONTRACT §4.1), keep-alive pings, pacing, and the stream faults.
import type { ServerResponse } from 'node:http';
import type { StreamFault } from './faults.js';
import { SSE_PING, sseData } from './wire.js';

export interface SseOptions {
  /** Pause before each data frame. */
  eventDelayMs: number;
  pingIntervalMs: number;
  /** 1.13 pub/sub idle timeout: how long a hung stream stays open. */
  idleTimeoutMs: number;
  /** 1.13 pub/sub path (workflow, advanced-chat): one `event: ping` right away. */
  leadingPing: boolean;
  fault?: StreamFault;
  /** More response headers (the events endpoint's `Cache-Control: no-cache`). */
  headers?: Record<string, string>;
  /** The envelope an injected `error` frame starts with (§4.2), e.g. `{event, conversation_id, message_id, created_at}`. */
  errorEnvelope: () => Record<string, unknown>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes one streaming response. Producers call `send()` per event and `finish()` after the terminal event;
 * both are no-ops once the stream is over (client gone, fault applied), so a producer always runs to completion
 * and saves its state, as Dify's worker does when the client disconnects.
 */
export class SseWriter {
  /** Data frames written so far. */
  frames = 0;
  /** Nothing more will be written. */
  private over = false;
  private timers: NodeJS.Timeout[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseOptions,
  ) {
    res.on('close', () => {
      this.over = true;
      this.clearTimers();
    });
  }

  get closed(): boolean {
    return this.over;
  }

  /** Sends the headers (and the leading ping); applies the faults that replace the whole stream. */
  start(): void {
    const { res, options } = this;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', ...options.headers });
    res.flushHeaders();
    const fault = options.fault;
    if (fault?.kind === 'replay') {
      this.over = true;
      this.clearTimers();
      res.end(fault.body);
      return;
    }
    if (fault?.kind === 'pingOnly') {
      this.hang(fault.keepAlive ?? true);
      return;
    }
    if (options.leadingPing) void this.write(SSE_PING);
    this.timers.push(setInterval(() => void this.write(SSE_PING), options.pingIntervalMs));
  }

  /**
   * Dify 1.13's hang: an immediate ping, no data frame ever, the response ends after the idle timeout.
   * With keepAlive, a ping every pingIntervalMs in between.
   */
  hang(keepAlive: boolean): void {
    this.clearTimers();
    if (!this.res.headersSent) {
      this.res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
    }
    void this.rawWrite(SSE_PING);
    this.over = true;
    if (keepAlive) this.timers.push(setInterval(() => void this.rawWrite(SSE_PING), this.options.pingIntervalMs));
    this.timers.push(
      setTimeout(() => {
        this.clearTimers();
        this.res.end();
      }, this.options.idleTimeoutMs),
    );
  }

  async send(event: Record<string, unknown>): Promise<void> {
    // The producer's own pace (a model writing), kept after the client went away: Dify's worker runs on at its speed.
    if (this.options.eventDelayMs > 0) await sleep(this.options.eventDelayMs);
    if (this.over) return;
    if (this.applyFault()) return;
    this.frames++;
    const written = this.write(sseData(event));
    // A cut, stall or error comes right after the Nth frame, not when the producer next has something to say (a node
    // running for minutes would otherwise keep a "cut" connection open that long).
    this.applyFault();
    await written;
  }

  /** Ends the response after the terminal event. */
  async finish(): Promise<void> {
    if (this.over) return;
    const fault = this.options.fault;
    if ((fault?.kind === 'cut' || fault?.kind === 'stall') && this.frames >= fault.afterEvents && this.applyFault()) return;
    this.over = true;
    this.clearTimers();
    await this.chain;
    this.res.end();
  }

  /** Applies an `afterEvents` fault when its frame count is reached. True when the stream is over. */
  private applyFault(): boolean {
    const fault = this.options.fault;
    if (!fault || !('afterEvents' in fault) || this.frames < fault.afterEvents) return false;
    this.over = true;
    this.clearTimers();
    switch (fault.kind) {
      case 'cut':
        void this.chain.then(() => this.res.destroy());
        break;
      case 'end':
        void this.chain.then(() => this.res.end());
        break;
      case 'stall':
        break; // keep the socket open, write nothing more
      case 'errorEvent': {
        const code = fault.code ?? 'completion_request_error';
        const status = fault.status ?? 400;
        const message = fault.message ?? '[openai] Server Unavailable Error, Error code: 503 - upstream overloaded';
        // The provider-quota error is the one ordered code, message, status (§4.2).
        const body =
          code === 'provider_quota_exceeded' ? { code, message, status } : { code, status, message };
        void this.rawWrite(sseData({ ...this.options.errorEnvelope(), event: 'error', ...body })).then(() => this.res.end());
        break;
      }
    }
    return true;
  }

  private write(text: string): Promise<void> {
    if (this.over && text === SSE_PING) return this.chain;
    return this.rawWrite(text);
  }

  private rawWrite(text: string): Promise<void> {
    this.chain = this.chain.then(() => this.writeNow(text));
    return this.chain;
  }

  private async writeNow(text: string): Promise<void> {
    const { res } = this;
    if (res.destroyed || res.writableEnded) return;
    const fault = this.options.fault;
    const bytes = Buffer.from(fault?.kind === 'crlf' ? text.replace(/\n/g, '\r\n') : text, 'utf8');
    if (fault?.kind === 'splitUtf8') {
      for (const piece of splitInsideCharacters(bytes)) {
        if (res.destroyed || res.writableEnded) return;
        res.write(piece);
        await sleep(fault.gapMs ?? 3);
      }
      return;
    }
    // Resolves once the bytes are handed to the socket, so a following cut loses nothing already "sent".
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('close', done);
        resolve();
      };
      res.on('close', done);
      res.write(bytes, () => done());
    });
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}

/** Splits a buffer right after the first byte of every multi-byte UTF-8 character. */
export function splitInsideCharacters(bytes: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0xc0 && i + 1 < bytes.length) {
      pieces.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  pieces.push(bytes.subarray(start));
  return pieces.filter((p) => p.length > 0);
}
