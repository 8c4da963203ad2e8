// Files the user pastes or drops: checked against the app's upload rules before a byte is posted (the same rules
// Dify applies, so a refusal comes at once and in words), then read and handed to the host as bytes.
import { checkFile, extensionOf } from '../core/file-rules.js';
import type { Attachment, ChatStrings, FileUploadRules, WebviewMessage } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, formatSize, icon, iconButton } from './dom.js';
import { format } from './strings.js';

const MIME_EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

/** A pasted screenshot is called "image.png" by the browser; give it a name that says when. */
function nameOf(file: File): string {
  if (file.name && extensionOf(file.name)) return file.name;
  const extension = MIME_EXTENSIONS[file.type];
  const base = file.name || `pasted-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return extension ? `${base}.${extension}` : base;
}

/** Why this file cannot be attached, in the user's words, or undefined when it can (Dify's rules, core/file-rules.ts). */
function fileProblem(rules: FileUploadRules, file: { name: string; size: number }, attached: number, strings: ChatStrings): string | undefined {
  const problem = checkFile(rules, file, attached);
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'disabled':
      return format(strings.fileDisabled, file.name);
    case 'too_many':
      return problem.max === 1 ? format(strings.fileOnlyOne, file.name) : format(strings.fileTooMany, file.name, problem.max);
    case 'type_not_allowed':
      return format(strings.fileTypeNotAllowed, file.name, problem.allowed.join(', '));
    case 'empty':
      return format(strings.fileEmpty, file.name);
    case 'too_large':
      return format(strings.fileTooLarge, file.name, Math.round(problem.limit / 1048576));
  }
}

/**
 * Checks each file and sends the accepted ones as bytes, in order. `refused`: the view's refusals, at once;
 * `hostRefused`: the host's, once it answered for every file sent. `attached` counts the draft's files already
 * there, so a drop of five onto an app that takes three sends three.
 */
export async function postFiles(
  files: File[],
  rules: FileUploadRules,
  attached: number,
  strings: ChatStrings,
  request: ViewContext['request'],
): Promise<{ refused: string[]; hostRefused: Promise<string[]> }> {
  const refused: string[] = [];
  const accepted: { file: File; name: string }[] = [];
  for (const file of files) {
    const name = nameOf(file);
    const problem = fileProblem(rules, { name, size: file.size }, attached + accepted.length, strings);
    if (problem) refused.push(problem);
    else accepted.push({ file, name });
  }
  const replies = [];
  for (const { file, name } of accepted) {
    const data = new Uint8Array(await file.arrayBuffer());
    replies.push(request({ type: 'attachData', name, mime: file.type || 'application/octet-stream', data }));
  }
  const hostRefused = Promise.all(replies).then((all) => all.flatMap((reply) => (!reply.ok && reply.message ? [reply.message] : [])));
  return { refused, hostRefused };
}

/** The chips of the draft's files: name, size, status (spinner, ready, error) and a remove button. */
export function attachmentChips(attachments: Attachment[], strings: ChatStrings, post: (message: WebviewMessage) => void): HTMLElement {
  const list = el('ul', 'chips draft-attachments');
  list.setAttribute('aria-label', strings.attachments);
  for (const attachment of attachments) {
    if (typeof attachment !== 'object' || attachment === null) continue;
    const name = String(attachment.name ?? '');
    const chip = el('li', `chip attachment attachment-${attachment.status}`);
    chip.dataset.status = attachment.status;
    const status =
      attachment.status === 'uploading'
        ? icon('loading', 'codicon-modifier-spin')
        : attachment.status === 'error'
          ? icon('error')
          : icon(attachment.fileType === 'image' ? 'file-media' : 'file');
    chip.append(status, el('span', 'chip-name', name));
    if (attachment.status === 'uploading') chip.append(el('span', 'chip-detail', strings.uploading));
    else if (attachment.status === 'error') chip.append(el('span', 'chip-detail chip-error', attachment.error ?? ''));
    else {
      const size = formatSize(attachment.size, { b: strings.sizeBytes, kb: strings.sizeKilobytes, mb: strings.sizeMegabytes }, format);
      if (size) chip.append(el('span', 'chip-detail', size));
    }
    chip.title = attachment.status === 'error' && attachment.error ? `${name}: ${attachment.error}` : name;
    chip.append(iconButton('close', format(strings.removeAttachment, name), 'icon-button chip-remove', () => post({ type: 'removeAttachment', id: attachment.id })));
    list.append(chip);
  }
  return list;
}
