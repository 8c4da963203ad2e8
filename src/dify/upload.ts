// Multipart bodies for uploads, as the platform's FormData. Files on disk become lazily-read Blobs (fs.openAsBlob),
// which http.ts encodes chunk by chunk as they are sent: a 100 MB upload never sits in memory.
import { openAsBlob } from 'node:fs';
import { basename, extname } from 'node:path';

/** A file on disk, or bytes already in a Blob (e.g. a paste from the webview). */
export type FileSource = { path: string; filename?: string; mimeType?: string } | { blob: Blob; filename: string };

/** Dify's upload needs a Content-Type on the part (415 without one, CONTRACT.md §3.8). */
const MIME_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.mdx': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.epub': 'application/epub+zip',
  '.eml': 'message/rfc822',
  '.vtt': 'text/vtt',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mpeg': 'video/mpeg',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
};

/** `/audio-to-text` compares the part type literally and rejects audio/mpeg (CONTRACT.md §3.10). */
const AUDIO_PART_TYPES: Record<string, string> = {
  '.mp3': 'audio/mp3',
  '.m4a': 'audio/m4a',
  '.wav': 'audio/wav',
  '.amr': 'audio/amr',
  '.mpga': 'audio/mpga',
};

export function mimeTypeOf(filename: string): string {
  return MIME_TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

async function toBlob(source: FileSource, type: (filename: string) => string): Promise<{ blob: Blob; filename: string }> {
  if ('blob' in source) {
    const blob = source.blob.type ? source.blob : new Blob([source.blob], { type: type(source.filename) });
    return { blob, filename: source.filename };
  }
  const filename = source.filename ?? basename(source.path);
  const blob = await openAsBlob(source.path, { type: source.mimeType ?? type(filename) });
  return { blob, filename };
}

/** A form with one `file` part, as `/files/upload` and the knowledge file endpoints take it. */
export async function filePart(source: FileSource, field = 'file'): Promise<FormData> {
  const { blob, filename } = await toBlob(source, mimeTypeOf);
  const form = new FormData();
  form.append(field, blob, filename);
  return form;
}

/** `/audio-to-text` wants the literal part types above, also for a Blob typed audio/mpeg by a browser. */
export async function audioPart(source: FileSource): Promise<FormData> {
  const audioType = (filename: string) => AUDIO_PART_TYPES[extname(filename).toLowerCase()] ?? mimeTypeOf(filename);
  const { blob, filename } = await toBlob(source, audioType);
  const wanted = AUDIO_PART_TYPES[extname(filename).toLowerCase()];
  const typed = wanted && blob.type !== wanted ? new Blob([blob], { type: wanted }) : blob;
  const form = new FormData();
  form.append('file', typed, filename);
  return form;
}
