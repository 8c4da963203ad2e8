// `_prepare_user_inputs` and file mappings (CONTRACT §3.2, §3.9).
import { errors } from '../router.js';
import { isUuid, pyRepr } from '../pyfmt.js';
import type { Apps } from './context.js';
import { signedUrl } from './context.js';
import type { AppSpec, InputVariable } from './fixtures.js';
import { fileUploadEnabled } from './fixtures.js';
import type { MessageFile } from './state.js';
import { uuid } from '../pyfmt.js';

/** Validates every variable of the app's form; unknown keys are dropped. Throws 400 invalid_param. */
export function prepareInputs(app: AppSpec, inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of app.inputs) out[v.variable] = validateInput(v, inputs[v.variable]);
  return out;
}

function validateInput(v: InputVariable, raw: unknown): unknown {
  if (raw === undefined || raw === null) {
    if (v.required) throw errors.invalidParam(`${v.variable} is required in input form`);
    return v.default ?? null;
  }
  let value = raw;
  if (['text-input', 'select', 'paragraph'].includes(v.type) && typeof value !== 'string') {
    throw errors.invalidParam(`${v.variable} in input form must be a string`);
  }
  if (v.type === 'number' && typeof value === 'string') {
    if (!value.trim()) return null;
    const n = value.includes('.') ? Number(value) : /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (Number.isNaN(n)) throw errors.invalidParam(`${v.variable} in input form must be a valid number`);
    value = n;
  }
  if (v.type === 'select' && !(v.options ?? []).includes(value as string)) {
    throw errors.invalidParam(`${v.variable} in input form must be one of the following: ${pyRepr(v.options ?? [])}`);
  }
  if ((v.type === 'text-input' || v.type === 'paragraph') && v.max_length && Array.from(value as string).length > v.max_length) {
    throw errors.invalidParam(`${v.variable} in input form must be less than ${v.max_length} characters`);
  }
  if (v.type === 'checkbox') value = toBool(v, value);
  if (v.type === 'json_object' && (typeof value !== 'object' || Array.isArray(value))) {
    throw errors.invalidParam(`${v.variable} in input form must be a JSON object`);
  }
  return typeof value === 'string' ? value.replace(/\0/g, '') : value;
}

function toBool(v: InputVariable, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(s)) return true;
    if (['false', '0', 'no', 'off'].includes(s)) return false;
  }
  throw errors.invalidParam(`${v.variable} in input form must be a boolean`);
}

const IMAGE_EXT = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'svg']);
const AUDIO_EXT = new Set(['mp3', 'm4a', 'wav', 'amr', 'mpga']);
const VIDEO_EXT = new Set(['mp4', 'mov', 'mpeg', 'webm']);
const DOC_EXT = new Set(['txt', 'markdown', 'md', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'docx', 'csv', 'vtt', 'properties']);

export function fileTypeOf(extension: string): string {
  const e = extension.replace(/^\./, '').toLowerCase();
  if (IMAGE_EXT.has(e)) return 'image';
  if (AUDIO_EXT.has(e)) return 'audio';
  if (VIDEO_EXT.has(e)) return 'video';
  if (DOC_EXT.has(e)) return 'document';
  return 'custom';
}

/**
 * The `files` of a request as message files. Ignored when the app's upload feature is off; mappings without a
 * transfer_method, or remote ones without a url, are dropped. `strict`: the workflow-app type check.
 */
export function prepareFiles(apps: Apps, app: AppSpec, files: unknown, strict: boolean): MessageFile[] {
  if (!Array.isArray(files) || !fileUploadEnabled(app)) return [];
  const out: MessageFile[] = [];
  for (const raw of files) {
    if (!raw || typeof raw !== 'object') continue;
    const m = raw as Record<string, unknown>;
    const method = m.transfer_method;
    if (typeof method !== 'string' || !method) continue;
    const declared = typeof m.type === 'string' ? m.type : 'custom';
    if (method === 'remote_url') {
      const url = typeof m.url === 'string' ? m.url : typeof m.remote_url === 'string' ? m.remote_url : '';
      if (!url) continue;
      const name = decodeURIComponent(new URL(url, 'http://x').pathname.split('/').pop() ?? '') || 'file';
      const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
      if (strict && declared !== fileTypeOf(ext)) {
        throw errors.invalidParam('Detected file type does not match the specified type. Please verify the file.');
      }
      out.push({
        id: uuid(),
        filename: name,
        type: declared,
        url,
        mimeType: 'application/octet-stream',
        size: -1,
        transferMethod: 'remote_url',
        belongsTo: 'user',
        uploadFileId: null,
        extension: ext ? `.${ext}` : '',
        remoteUrl: url,
      });
      continue;
    }
    if (method === 'local_file') {
      const id = m.upload_file_id;
      if (typeof id !== 'string' || !id) throw errors.invalidParam('Invalid upload file id');
      if (!isUuid(id)) throw errors.invalidParam('Invalid upload file id format');
      const upload = apps.state.files.get(id.toLowerCase());
      if (!upload) throw errors.invalidParam('Invalid upload file');
      if (strict && declared !== fileTypeOf(upload.extension)) {
        throw errors.invalidParam('Detected file type does not match the specified type. Please verify the file.');
      }
      out.push({
        id: uuid(),
        filename: upload.name,
        type: declared === 'custom' ? fileTypeOf(upload.extension) : declared,
        url: signedUrl(apps, `/files/${upload.id}/file-preview`),
        mimeType: upload.mimeType,
        size: upload.size,
        transferMethod: 'local_file',
        belongsTo: 'user',
        uploadFileId: upload.id,
        extension: `.${upload.extension}`,
        remoteUrl: '',
      });
      continue;
    }
    throw errors.invalidParam(`Invalid transfer method: ${method}`);
  }
  const limit = typeof app.fileUpload.number_limits === 'number' ? app.fileUpload.number_limits : 3;
  if (out.length > limit) throw errors.invalidParam(`Number of files exceeds the maximum limit ${limit}`);
  return out;
}

/** A message file as `message_end.files` lists it. */
export function endFileDict(f: MessageFile): Record<string, unknown> {
  return {
    related_id: f.uploadFileId ?? f.id,
    extension: f.extension,
    filename: f.filename,
    size: f.size,
    mime_type: f.mimeType,
    transfer_method: f.transferMethod,
    type: f.type,
    url: f.url,
    upload_file_id: f.uploadFileId,
    remote_url: f.remoteUrl,
  };
}
