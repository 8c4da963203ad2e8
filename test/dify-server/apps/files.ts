// POST /files/upload, GET /files/:id/preview, POST /audio-to-text, POST /text-to-audio (CONTRACT §3.8, §3.10).
// Uploads are streamed to disk with a running sha256: a 100 MB upload never sits in memory.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartPart, RouteContext, Router } from '../router.js';
import { HttpError, errors } from '../router.js';
import { unix, uuid } from '../pyfmt.js';
import type { Apps } from './context.js';
import { authApp, jsonEndpoint, signedUrl, userArg } from './context.js';
import { TENANT_ID } from './fixtures.js';
import type { UploadFile } from './state.js';

const MB = 1024 * 1024;
/** UPLOAD_FILE_EXTENSION_BLACKLIST of this test deployment (empty in docker/.env.example). */
export const EXTENSION_BLACKLIST = ['exe', 'bat', 'cmd', 'com', 'scr', 'vbs', 'ps1', 'msi', 'dll'];

export function sizeLimit(extension: string): number {
  if (['jpg', 'jpeg', 'png', 'webp', 'gif', 'svg'].includes(extension)) return 10 * MB;
  if (['mp4', 'mov', 'mpeg', 'webm'].includes(extension)) return 100 * MB;
  if (['mp3', 'm4a', 'wav', 'amr', 'mpga'].includes(extension)) return 50 * MB;
  return 15 * MB;
}

function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

interface ReceivedPart {
  field: string;
  filename: string | undefined;
  mimeType: string;
  size: number;
  sha256: string;
  /** On disk when kept (the first `file` part, within the size limit). */
  path?: string;
  overLimit: boolean;
}

/** Streams every file part: the first part named `keep` goes to disk (up to `limit` bytes), the rest is hashed. */
async function receive(
  apps: Apps,
  ctx: RouteContext,
  keep: string,
  limitFor: (part: MultipartPart) => number,
): Promise<{ parts: ReceivedPart[]; fields: Record<string, string> }> {
  const parts: ReceivedPart[] = [];
  const fields = await ctx.multipart(async (part) => {
    const hash = createHash('sha256');
    const limit = limitFor(part);
    const toDisk = part.field === keep && !parts.some((p) => p.field === keep);
    const path = toDisk ? join(apps.options.filesDir, uuid()) : undefined;
    const file = path ? createWriteStream(path) : undefined;
    const received: ReceivedPart = { field: part.field, filename: part.filename, mimeType: part.mimeType, size: 0, sha256: '', path, overLimit: false };
    parts.push(received);
    await pipeline(
      part.stream,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          received.size += chunk.length;
          hash.update(chunk);
          if (received.size > limit) received.overLimit = true;
          if (file && !received.overLimit) {
            if (file.write(chunk)) done();
            else file.once('drain', () => done());
          } else done();
        },
        final(done) {
          if (file) file.end(() => done());
          else done();
        },
      }),
    );
    received.sha256 = hash.digest('hex');
  });
  return { parts, fields };
}

function discard(parts: ReceivedPart[], except?: ReceivedPart): void {
  for (const p of parts) if (p.path && p !== except) rmSync(p.path, { force: true });
}

async function upload(apps: Apps, ctx: RouteContext): Promise<void> {
  const app = authApp(apps, ctx);
  const { parts, fields } = await receive(apps, ctx, 'file', (part) => sizeLimit(extensionOf(part.filename ?? '')));
  const file = parts.find((p) => p.field === 'file');
  try {
    if (!file) throw new HttpError(400, 'no_file_uploaded', 'Please upload your file.');
    if (new Set(parts.map((p) => p.field)).size > 1) throw new HttpError(400, 'too_many_files', 'Only one file is allowed.');
    if (!file.mimeType) throw new HttpError(415, 'unsupported_file_type', 'File type not allowed.');
    if (!file.filename) throw new HttpError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
    const extension = extensionOf(file.filename);
    if (/[\\/]/.test(file.filename)) throw errors.invalidParam('Filename contains invalid characters');
    let name = file.filename;
    if (name.length > 200) name = `${name.split('.')[0]!.slice(0, 200)}.${extension}`;
    if (extension && EXTENSION_BLACKLIST.includes(extension)) {
      throw errors.invalidParam(`File extension '.${extension}' is not allowed for security reasons`);
    }
    if (file.overLimit) throw new HttpError(413, 'file_too_large', 'File size exceeded. {message}');
    const endUser = apps.state.endUser(app, userArg(fields.user, false));
    const record: UploadFile = {
      id: uuid(),
      name,
      size: file.size,
      extension,
      mimeType: file.mimeType,
      createdBy: endUser.id,
      createdAt: apps.state.clock.now(),
      sha256: file.sha256,
      path: file.path!,
      attachedTo: new Set(),
    };
    apps.state.files.set(record.id, record);
    discard(parts, file);
    ctx.send(201, {
      id: record.id,
      name: record.name,
      size: record.size,
      extension: record.extension,
      mime_type: record.mimeType,
      created_by: record.createdBy,
      created_at: unix(record.createdAt),
      preview_url: null,
      source_url: signedUrl(apps, `/files/${record.id}/file-preview`),
      original_url: null,
      user_id: null,
      tenant_id: TENANT_ID,
      conversation_id: null,
      file_key: null,
    });
  } catch (e) {
    discard(parts);
    throw e;
  }
}

const STREAMABLE = /^(audio|video)\/(mpeg|mp3|mp4|wav|ogg|webm|x-m4a|m4a|aac|flac|quicktime)$/;

/** Sends an upload's bytes (preview endpoints). */
export async function sendFile(res: ServerResponse, file: UploadFile, asAttachment: boolean): Promise<void> {
  const headers: Record<string, string | number> = {
    'Content-Type': asAttachment ? 'application/octet-stream' : file.mimeType || 'application/octet-stream',
    'Content-Length': file.size,
    'Cache-Control': 'public, max-age=3600',
  };
  if (STREAMABLE.test(file.mimeType)) headers['Accept-Ranges'] = 'bytes';
  if (asAttachment || /html|xhtml|svg/.test(file.mimeType)) {
    headers['Content-Disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`;
  }
  res.writeHead(200, headers);
  await pipeline(createReadStream(file.path), res);
}

async function preview(apps: Apps, ctx: RouteContext): Promise<void> {
  const app = authApp(apps, ctx);
  apps.state.endUser(app, userArg(ctx.query.get('user') ?? undefined, false));
  const file = apps.state.files.get(ctx.params.file_id!.toLowerCase());
  if (!file || !file.attachedTo.has(app.id)) throw new HttpError(404, 'file_not_found', 'File not found in message context');
  ctx.record.status = 200;
  await sendFile(ctx.res, file, ctx.query.get('as_attachment') === 'true');
}

const AUDIO_TYPES = ['mp3', 'm4a', 'wav', 'amr', 'mpga'].map((e) => `audio/${e}`);

async function audioToText(apps: Apps, ctx: RouteContext): Promise<void> {
  const app = authApp(apps, ctx);
  const { parts, fields } = await receive(apps, ctx, '', () => Infinity);
  apps.state.endUser(app, userArg(fields.user, false));
  const file = parts.find((p) => p.field === 'file');
  if (!file) {
    throw new HttpError(400, 'bad_request_key_error', 'The browser (or proxy) sent a request that this server could not understand.');
  }
  if (!app.speechToText) throw errors.invalidParam('Speech to text is not enabled');
  if (!AUDIO_TYPES.includes(file.mimeType)) throw new HttpError(415, 'unsupported_audio_type', 'Audio type not allowed.');
  if (file.size > 30 * MB) throw new HttpError(413, 'audio_too_large', 'Audio size larger than 30 mb');
  ctx.send(200, { text: `Transcript of ${file.filename ?? 'audio'} (${file.size} bytes): 你好，Dify。` });
}

/** A few valid-looking MPEG audio frames (ID3 header + silent MPEG-1 Layer III frames). */
export function fakeMp3(text: string): Buffer {
  const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const frames = Math.max(2, Math.min(400, Math.ceil(Array.from(text).length / 2)));
  return Buffer.concat([id3, ...Array.from({ length: frames }, () => frame)]);
}

async function textToAudio(apps: Apps, ctx: RouteContext): Promise<void> {
  const { app, body } = await jsonEndpoint(apps, ctx, false);
  let text = typeof body.text === 'string' ? body.text : '';
  const messageId = body.message_id;
  if (messageId !== undefined && messageId !== null && messageId !== '') {
    const message = typeof messageId === 'string' ? apps.state.messages.get(messageId.toLowerCase()) : undefined;
    if (!message || message.appId !== app.id || !message.answer) {
      ctx.send(200, null); // §2.3: unknown message → 200 null
      return;
    }
    text = message.answer;
  }
  if (!text) throw errors.invalidParam('Text is required');
  if (app.textToSpeech.enabled !== true) throw errors.invalidParam('TTS is not enabled');
  const audio = fakeMp3(text);
  ctx.res.writeHead(200, { 'Content-Type': 'audio/mpeg' });
  ctx.record.status = 200;
  for (let i = 0; i < audio.length; i += 4096) {
    if (!ctx.res.write(audio.subarray(i, i + 4096))) await new Promise((r) => ctx.res.once('drain', r));
  }
  ctx.res.end();
}

export function registerFiles(router: Router, apps: Apps): void {
  router.add('POST', '/files/upload', (ctx) => upload(apps, ctx));
  router.add('GET', '/files/:file_id<uuid>/preview', (ctx) => preview(apps, ctx));
  router.add('POST', '/audio-to-text', (ctx) => audioToText(apps, ctx));
  router.add('POST', '/text-to-audio', (ctx) => textToAudio(apps, ctx));
}
