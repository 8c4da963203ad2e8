// What a Dify app lets the user attach (its `file_upload` feature and the server's size limits, CONTRACT.md §3.1,
// §3.8), and the check of one file against it before any byte is sent. Pure: the chat webview uses it too.
import type { AppParameters, FileType } from '../dify/index.js';
import type { FileUploadRules, InputField } from '../protocol.js';

const MB = 1024 * 1024;

/** Dify's extension lists per file type (api/constants/__init__.py). */
const EXTENSIONS: Record<Exclude<FileType, 'custom'>, string[]> = {
  image: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'svg'],
  video: ['mp4', 'mov', 'mpeg', 'webm'],
  audio: ['mp3', 'm4a', 'wav', 'amr', 'mpga'],
  document: ['txt', 'markdown', 'md', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'vtt', 'properties', 'doc', 'docx', 'csv', 'eml', 'msg', 'pptx', 'xml', 'epub', 'ppt'],
};

export const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** The file type Dify detects from the extension. */
export function fileTypeOf(name: string): FileType {
  const extension = extensionOf(name);
  for (const [type, extensions] of Object.entries(EXTENSIONS)) if (extensions.includes(extension)) return type as FileType;
  return 'custom';
}

export function fileUploadRules(parameters: Pick<AppParameters, 'file_upload' | 'system_parameters'>): FileUploadRules {
  const upload = parameters.file_upload ?? {};
  const image = upload.image;
  // Older chat apps only have the `image` block; newer ones have the workflow-style keys (and maybe `image` too).
  const workflowStyle = upload.enabled !== undefined || upload.allowed_file_types !== undefined;
  const enabled = workflowStyle ? upload.enabled === true : image?.enabled === true;
  const methods = (workflowStyle ? upload.allowed_file_upload_methods : image?.transfer_methods) ?? ['local_file', 'remote_url'];
  return {
    enabled,
    allowedFileTypes: workflowStyle ? (upload.allowed_file_types ?? []) : ['image'],
    allowedExtensions: (upload.allowed_file_extensions ?? []).map((e) => e.toLowerCase().replace(/^\.?/, '.')),
    maxFiles: (workflowStyle ? upload.number_limits : image?.number_limits) ?? 3,
    sizeLimits: sizeLimits(parameters.system_parameters),
    localUpload: methods.includes('local_file'),
    remoteUrl: methods.includes('remote_url'),
  };
}

/** The largest upload per file type, in bytes, from the server's `system_parameters` (MB; self-hosted defaults). */
export function sizeLimits(system: Partial<AppParameters['system_parameters']> | undefined): Record<FileType, number> {
  return {
    image: (system?.image_file_size_limit ?? 10) * MB,
    video: (system?.video_file_size_limit ?? 100) * MB,
    audio: (system?.audio_file_size_limit ?? 50) * MB,
    document: (system?.file_size_limit ?? 15) * MB,
    custom: (system?.file_size_limit ?? 15) * MB,
  };
}

/** The rules of a form's file / file-list input (its own types and extensions, the server's sizes). */
export function fileInputRules(field: InputField, limits: Record<FileType, number>): FileUploadRules {
  return {
    enabled: true,
    allowedFileTypes: field.allowedFileTypes ?? [],
    allowedExtensions: (field.allowedFileExtensions ?? []).map((e) => e.toLowerCase().replace(/^\.?/, '.')),
    maxFiles: field.maxFiles ?? 1,
    sizeLimits: limits,
    localUpload: true,
    remoteUrl: false,
  };
}

export type FileProblem =
  | { kind: 'disabled' }
  | { kind: 'too_many'; max: number }
  | { kind: 'type_not_allowed'; allowed: string[] }
  | { kind: 'empty' }
  | { kind: 'too_large'; limit: number }
  /** A file by URL that is not an http(s) URL. */
  | { kind: 'not_a_url' };

/** Why this file cannot be attached, or undefined when it can. `attached` counts the files already in the draft. */
export function checkFile(rules: FileUploadRules, file: { name: string; size: number }, attached: number): FileProblem | undefined {
  if (!rules.enabled || !rules.localUpload) return { kind: 'disabled' };
  if (attached >= rules.maxFiles) return { kind: 'too_many', max: rules.maxFiles };
  const type = fileTypeOf(file.name);
  // As Dify checks it: a known type must be allowed; any other file needs "custom" and its extension listed.
  const customAllowed = rules.allowedFileTypes.includes('custom');
  const allowed = type === 'custom' ? customAllowed && rules.allowedExtensions.includes(`.${extensionOf(file.name)}`) : rules.allowedFileTypes.includes(type);
  if (!allowed) {
    return { kind: 'type_not_allowed', allowed: [...rules.allowedFileTypes.filter((t) => t !== 'custom'), ...(customAllowed ? rules.allowedExtensions : [])] };
  }
  if (file.size === 0) return { kind: 'empty' };
  if (file.size > rules.sizeLimits[type]) return { kind: 'too_large', limit: rules.sizeLimits[type] };
  return undefined;
}
