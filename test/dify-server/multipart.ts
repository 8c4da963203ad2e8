// A small streaming multipart/form-data parser that keeps what werkzeug distinguishes and busboy hides:
// a part without a Content-Type header (mimetype ''), a part without a `filename` parameter (a form field), and a
// part with an empty filename (a file without a name). File bodies are streamed, never buffered whole.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';

export interface MultipartPart {
  field: string;
  /** undefined: the part had no filename parameter (werkzeug: a form field); '' : an empty filename. */
  filename: string | undefined;
  /** The part's own Content-Type, '' when it had none (werkzeug reports mimetype ''). */
  mimeType: string;
  headers: Record<string, string>;
  stream: Readable;
}

export class MultipartError extends Error {}

const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Parses the body. Parts carrying a `filename` parameter are handed to `onPart` one at a time, as streams;
 * the parser waits for the handler before reading on. Parts without one become form fields (returned).
 */
export async function parseMultipart(
  req: IncomingMessage,
  boundary: string,
  onPart: (part: MultipartPart) => Promise<void> | void,
): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first boundary may come without the leading CRLF.
  let buffer: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'afterBoundary' | 'headers' | 'body' | 'done' = 'preamble';
  let current: { part: MultipartPart; sink: PassThrough; handled: Promise<void>; fieldChunks?: Buffer[]; fieldSize: number } | undefined;

  const openPart = (headerText: string): void => {
    const headers: Record<string, string> = {};
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const disposition = parseParams(headers['content-disposition'] ?? '');
    const field = disposition.name ?? '';
    const filename = disposition['filename*'] !== undefined ? decodeRfc5987(disposition['filename*']) : disposition.filename;
    const mimeType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const stream = new PassThrough();
    const part: MultipartPart = { field, filename, mimeType, headers, stream };
    if (filename === undefined) {
      current = { part, sink: stream, handled: Promise.resolve(), fieldChunks: [], fieldSize: 0 };
      return;
    }
    const handled = Promise.resolve()
      .then(() => onPart(part))
      .then(() => {
        stream.resume(); // discard whatever the handler left unread
      });
    handled.catch(() => stream.resume());
    current = { part, sink: stream, handled, fieldSize: 0 };
  };

  const writeBody = async (chunk: Buffer): Promise<void> => {
    if (!current || chunk.length === 0) return;
    if (current.fieldChunks) {
      current.fieldSize += chunk.length;
      if (current.fieldSize <= MAX_FIELD_BYTES) current.fieldChunks.push(chunk);
      return;
    }
    const stream = current.sink;
    if (!stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off('drain', done);
          stream.off('close', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
      });
    }
  };

  const closePart = async (): Promise<void> => {
    if (!current) return;
    const c = current;
    current = undefined;
    if (c.fieldChunks) {
      fields[c.part.field] ??= Buffer.concat(c.fieldChunks).toString('utf8');
      return;
    }
    c.sink.end();
    await c.handled;
  };

  for await (const chunk of req as AsyncIterable<Buffer>) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (state === 'done') {
        buffer = Buffer.alloc(0);
        break;
      }
      if (state === 'preamble' || state === 'body') {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          const keep = Math.min(buffer.length, delimiter.length - 1);
          if (state === 'body') await writeBody(buffer.subarray(0, buffer.length - keep));
          buffer = buffer.subarray(buffer.length - keep);
          break;
        }
        if (state === 'body') {
          await writeBody(buffer.subarray(0, at));
          await closePart();
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = 'afterBoundary';
      }
      if (state === 'afterBoundary') {
        if (buffer.length < 2) break;
        if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'done';
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) {
          if (buffer.length > 256) throw new MultipartError('bad boundary line');
          break;
        }
        buffer = buffer.subarray(eol + 2); // transport padding after the boundary is allowed
        state = 'headers';
      }
      if (state === 'headers') {
        const end = buffer.indexOf('\r\n\r\n');
        let headerText: string;
        if (buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a) {
          headerText = ''; // a part without any header
          buffer = buffer.subarray(2);
        } else if (end < 0) {
          if (buffer.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too large');
          break;
        } else {
          headerText = buffer.subarray(0, end).toString('utf8');
          buffer = buffer.subarray(end + 4);
        }
        openPart(headerText);
        state = 'body';
      }
    }
  }
  if (state !== 'done') {
    await closePart().catch(() => undefined);
    throw new MultipartError('unexpected end of multipart body');
  }
  return fields;
}

function parseParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) {
    const key = m[1]!.toLowerCase();
    params[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim();
  }
  return params;
}

function decodeRfc5987(value: string): string {
  const m = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!m) return value;
  try {
    return decodeURIComponent(m[2]!);
  } catch {
    return m[2]!;
  }
}
