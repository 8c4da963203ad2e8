// Uploads for create/update-by-file (streamed, only the head kept) and the zip download.
import { crc32 } from 'node:zlib';
import { drain, errors } from '../router.js';
import type { RouteContext } from '../router.js';
import { isObject } from './state.js';
import { TEXT_EXTENSIONS, extensionOf } from './store.js';

/** How much of an uploaded file is kept to cut segments from; the rest is only counted. */
export const KEEP_BYTES = 1024 * 1024;
/** UPLOAD_FILE_SIZE_LIMIT (MB) for dataset documents, self-hosted default. */
export const DOCUMENT_SIZE_LIMIT = 15 * 1024 * 1024;

export interface Upload {
  filename: string | undefined;
  mimeType: string;
  size: number;
  head: Buffer;
}

interface MultipartResult {
  fields: Record<string, string>;
  /** The first part of each file field, by field name (werkzeug's request.files). */
  files: Map<string, Upload>;
}

/** Streams the multipart body: keeps at most KEEP_BYTES of the `file` part and counts the rest. */
export async function readUpload(ctx: RouteContext): Promise<MultipartResult> {
  const type = (ctx.req.headers['content-type'] ?? '').toLowerCase();
  const files = new Map<string, Upload>();
  if (!type.startsWith('multipart/form-data')) {
    await drain(ctx.req);
    return { fields: {}, files };
  }
  const fields = await ctx.multipart(async (part) => {
    const first = !files.has(part.field);
    const upload: Upload = { filename: part.filename, mimeType: part.mimeType, size: 0, head: Buffer.alloc(0) };
    if (first) files.set(part.field, upload);
    const kept: Buffer[] = [];
    let keptBytes = 0;
    for await (const chunk of part.stream) {
      const buf = chunk as Buffer;
      upload.size += buf.length;
      if (first && part.field === 'file' && keptBytes < KEEP_BYTES) {
        const slice = buf.subarray(0, KEEP_BYTES - keptBytes);
        kept.push(slice);
        keptBytes += slice.length;
      }
    }
    upload.head = Buffer.concat(kept);
  });
  return { fields, files };
}

export function parseData(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // json.loads' JSONDecodeError is a ValueError; its exact position text is not reproduced.
    throw errors.invalidParam('Expecting value: line 1 column 1 (char 0)');
  }
  if (!isObject(parsed)) throw errors.invalidParam('Input should be a valid dictionary');
  return parsed;
}

/** The text a parser would extract; binary formats get a stand-in sentence. */
export function extractText(upload: Upload, name: string): string {
  const ext = extensionOf(name);
  if (TEXT_EXTENSIONS.has(ext)) {
    let text = upload.head.toString('utf8');
    if (upload.size > upload.head.length) text = text.replace(/\uFFFD$/, '');
    if (ext === 'html' || ext === 'htm') text = text.replace(/<[^>]*>/g, ' ');
    return text;
  }
  return `${name}\n\nExtracted content of ${name} (${upload.size} bytes).`;
}

/** A zip archive with stored (uncompressed) entries. */
export function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const used = new Map<string, number>();
  for (const entry of entries) {
    const n = used.get(entry.name) ?? 0;
    used.set(entry.name, n + 1);
    const name = Buffer.from(n === 0 ? entry.name : `${n}_${entry.name}`, 'utf8');
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += 30 + name.length + entry.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
