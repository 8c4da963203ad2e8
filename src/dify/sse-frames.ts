// Splits an SSE body into the `data` of its events. Dify writes exactly two frame shapes (CONTRACT.md §4.1):
// `data: <one-line JSON>\n\n` and `event: ping\n\n`. Those are cut straight from the bytes (a 0x0A byte never
// occurs inside a multi-byte UTF-8 character), and only the JSON line is decoded, which is what makes a long stream
// cheap. Anything else (CRLF from a proxy, multi-line data, comments, ids, a BOM) switches the stream, for good, to
// eventsource-parser behind a streaming TextDecoder, which follows the SSE spec in full.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

const LF = 0x0a;
const CR = 0x0d;
const DATA = Buffer.from('data: ');
const PING = Buffer.from('event: ping');

export class SseFrames {
  /**
   * The bytes of the frame not complete yet, as they came (joined once, when the frame completes: joining the tail
   * to every chunk and scanning it again would make a multi-MB event quadratic in its chunks).
   */
  private pending: Buffer[] = [];
  /** The pending bytes end with the LF of their data line: the next byte decides. */
  private pendingEndsLine = false;
  private fallback: { parser: EventSourceParser; decoder: TextDecoder } | undefined;

  /** `onData` gets the data of each event; pings and other dataless frames are dropped, as the spec says. */
  constructor(private readonly onData: (data: string) => void) {}

  push(chunk: Buffer): void {
    if (this.fallback) return this.feed(chunk);
    if (chunk.length === 0) return;
    if (this.pending.length > 0 && !this.pendingEndsLine) {
      // No LF in the pending bytes yet: only this chunk can complete the line, and only its first LF matters.
      const lf = chunk.indexOf(LF);
      if (lf === -1 || lf === chunk.length - 1) {
        this.pending.push(chunk);
        this.pendingEndsLine = lf !== -1;
        return;
      }
    }
    const buf = this.pending.length > 0 ? Buffer.concat([...this.pending, chunk]) : chunk;
    this.pending = [];
    this.pendingEndsLine = false;
    let pos = 0;
    for (;;) {
      const lf = buf.indexOf(LF, pos);
      if (lf === -1 || lf + 1 >= buf.length) break; // the frame (or its blank line) is not complete yet
      if (buf[lf + 1] !== LF || buf[lf - 1] === CR) return this.feed(buf.subarray(pos), true);
      if (startsWith(buf, pos, DATA)) {
        this.onData(buf.toString('utf8', pos + DATA.length, lf));
      } else if (!(lf - pos === PING.length && startsWith(buf, pos, PING))) {
        return this.feed(buf.subarray(pos), true);
      }
      pos = lf + 2;
    }
    if (pos < buf.length) {
      this.pending = [buf.subarray(pos)];
      this.pendingEndsLine = buf[buf.length - 1] === LF;
    }
  }

  /** The body ended: an unfinished last frame is dropped, as the spec says. */
  end(): void {
    if (this.fallback) this.fallback.parser.feed(this.fallback.decoder.decode());
    this.pending = [];
    this.pendingEndsLine = false;
  }

  private feed(bytes: Buffer, start = false): void {
    if (start) {
      const parser = createParser({
        onEvent: (message: EventSourceMessage) => {
          // Dify never names data frames: a named frame with data belongs to another protocol, not to us.
          if (message.event === undefined) this.onData(message.data);
        },
      });
      this.fallback = { parser, decoder: new TextDecoder('utf-8') };
    }
    this.fallback!.parser.feed(this.fallback!.decoder.decode(bytes, { stream: true }));
  }
}

function startsWith(buf: Buffer, pos: number, prefix: Buffer): boolean {
  if (buf.length - pos < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[pos + i] !== prefix[i]) return false;
  return true;
}
