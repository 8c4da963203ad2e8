// `_prepare_user_inputs` and file mappings (CONTRACT §3.2, §3.9).
import { errors } from '../router.js';
import { isUuid, pyRepr } from '../pyfmt.js';
import type { Apps } from './context.js';
import { signedUrl } from './context.js';
import type { AppSpec, InputVariable } from './fixtures.js';
import { fileUploadEnabled } from './fixtures.js';
import type { MessageFile } from './state.js';
import { uuid } from '../pyfmt.js';
import { fileDict } from './runs.js';

/** Where file inputs find their uploads, and whether the workflow-app strict type check applies. */
export interface FileInputContext {
  apps: Apps;
  strict: boolean;
}

/** Validates every variable of the app's form; unknown keys are dropped. Throws 400 invalid_param. */
export function prepareInputs(app: AppSpec, inputs: Record<string, unknown>, files: FileInputContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of app.inputs) out[v.variable] = validateInput(v, inputs[v.variable], files);
  return out;
}

function validateInput(v: InputVariable, raw: unknown, files: FileInputContext): unknown {
  if (raw === undefined || raw === null) {
    if (v.required) throw errors.invalidParam(`${v.variable} is required in input form`);
    return v.default ?? null;
  }
  if (v.type === 'file' || v.type === 'file-list') {
    return prepareFileInput(v, raw, files);
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
  // BaseAppGenerator._validate_inputs: a number must end up an int or float (a bool is an int in Python).
  if (v.type === 'number' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw errors.invalidParam(`${v.variable} in input form must be a valid number`);
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
    if (typeof m.transfer_method !== 'string' || !m.transfer_method) continue;
    const file = buildFile(apps, m, strict);
    if (!file) continue;
    checkAppFileConfig(app, typeof m.type === 'string' ? m.type : 'custom', file);
    out.push(file);
  }
  const limit = typeof app.fileUpload.number_limits === 'number' ? app.fileUpload.number_limits : 3;
  if (out.length > limit) throw errors.invalidParam(`Number of files exceeds the maximum limit ${limit}`);
  return out;
}

/** `file_factory.build_from_mapping`: one mapping as a message file; undefined for a remote mapping without a url. */
function buildFile(apps: Apps, m: Record<string, unknown>, strict: boolean): MessageFile | undefined {
  const method = m.transfer_method;
  const declared = typeof m.type === 'string' ? m.type : 'custom';
  if (method === 'remote_url') {
    const url = typeof m.url === 'string' ? m.url : typeof m.remote_url === 'string' ? m.remote_url : '';
    if (!url) return undefined;
    const name = decodeURIComponent(new URL(url, 'http://x').pathname.split('/').pop() ?? '') || 'file';
    const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
    if (strict && declared !== fileTypeOf(ext)) {
      throw errors.invalidParam('Detected file type does not match the specified type. Please verify the file.');
    }
    return {
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
    };
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
    return {
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
    };
  }
  throw errors.invalidParam(`Invalid transfer method: ${String(method)}`);
}

/**
 * `is_file_valid_with_config` against the app's file-upload feature (CONTRACT §3.9: allowed types, extensions and
 * transfer methods): the declared type must be allowed (custom passes, but then its extension must be listed), and
 * the transfer method must be allowed (for images, the image config's transfer_methods). 400 "File validation failed".
 */
function checkAppFileConfig(app: AppSpec, declared: string, file: MessageFile): void {
  const cfg = app.fileUpload;
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);
  const types = list(cfg.allowed_file_types) ?? [];
  const extensions = list(cfg.allowed_file_extensions);
  const image = cfg.image as { transfer_methods?: unknown } | undefined;
  const methods = declared === 'image' ? (list(image?.transfer_methods) ?? []) : (list(cfg.allowed_file_upload_methods) ?? []);
  const ok =
    !(types.length > 0 && !types.includes(declared) && declared !== 'custom') &&
    !(declared === 'custom' && extensions !== undefined && !extensions.includes(file.extension)) &&
    !(methods.length > 0 && !methods.includes(file.transferMethod));
  if (!ok) throw errors.invalidParam(`File validation failed for file: ${file.filename}`);
}

/** `_is_file_valid_with_config` against a file variable's config, checked after the file was built. */
function checkFileConfig(v: InputVariable, declared: string, file: MessageFile): void {
  const types = v.allowed_file_types ?? [];
  const extensions = v.allowed_file_extensions ?? [];
  const methods = v.allowed_file_upload_methods ?? [];
  const ok =
    !(types.length > 0 && !types.includes(declared) && declared !== 'custom') &&
    !(declared === 'custom' && !extensions.includes(file.extension)) &&
    !(methods.length > 0 && !methods.includes(file.transferMethod));
  if (!ok) throw errors.invalidParam(`File validation failed for file: ${file.filename}`);
}

/** A file / file-list input: built like `files` (strict only for a single file, §3.9) and checked against its config. */
function prepareFileInput(v: InputVariable, value: unknown, files: FileInputContext): unknown {
  const build = (m: Record<string, unknown>, strict: boolean): Record<string, unknown> | null => {
    const declared = typeof m.type === 'string' ? m.type : 'custom';
    const file = buildFile(files.apps, m, strict);
    if (!file) return null;
    checkFileConfig(v, declared, file);
    return fileDict(file);
  };
  if (v.type === 'file') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw errors.invalidParam(`${v.variable} in input form must be a file`);
    return build(value as Record<string, unknown>, files.strict);
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw errors.invalidParam(`${v.variable} in input form must be a list of files`);
  }
  if (v.max_length && value.length > v.max_length) throw errors.invalidParam(`Invalid upload file: ${v.variable}: max_length is ${v.max_length}`);
  return value.map((item) => build(item as Record<string, unknown>, false)).filter((f) => f !== null);
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
