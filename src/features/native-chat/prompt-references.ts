// What the user attached to an @dify request (#file, #selection, a pasted image…), as Dify gets it: text as a fenced
// block under its file name and lines, the way the sidebar sends a selection; binary files (images, PDFs…) as uploads
// where the app takes files.
import * as vscode from 'vscode';
import type { FileToAttach } from '../../core/app-chat.js';
import { extensionOf, fileTypeOf } from '../../core/file-rules.js';
import { codeAsMarkdown } from '../editor/code-markdown.js';
import { fileName } from '../editor/file-name.js';

/** Document types Dify reads as files, not text: sent as uploads. */
const BINARY_DOCUMENTS = new Set(['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'epub', 'msg', 'eml']);

export interface PromptContext {
  /** Fenced blocks (and plain values) that go after the question. */
  blocks: string[];
  files: FileToAttach[];
  /** References that could not be read: said in the answer, the rest is sent. */
  unreadable: { name: string; reason: string }[];
}

/** Image data pasted or dropped into the chat input (ChatReferenceBinaryData, newer VS Code). */
interface BinaryData {
  mimeType: string;
  data(): Thenable<Uint8Array>;
}

const isBinaryData = (value: unknown): value is BinaryData =>
  typeof value === 'object' && value !== null && typeof (value as BinaryData).mimeType === 'string' && typeof (value as BinaryData).data === 'function';

const sendsAsFile = (name: string): boolean => {
  const type = fileTypeOf(name);
  return type === 'image' || type === 'audio' || type === 'video' || BINARY_DOCUMENTS.has(extensionOf(name));
};

export async function promptContext(references: readonly vscode.ChatPromptReference[]): Promise<PromptContext> {
  const context: PromptContext = { blocks: [], files: [], unreadable: [] };
  for (const reference of references) {
    const value: unknown = reference.value;
    try {
      if (value instanceof vscode.Location) {
        const document = await vscode.workspace.openTextDocument(value.uri);
        context.blocks.push(codeAsMarkdown(document, value.range.isEmpty ? undefined : value.range));
      } else if (value instanceof vscode.Uri) {
        await addUri(context, value);
      } else if (isBinaryData(value)) {
        const name = `${reference.id.replace(/[^\w.-]+/g, '_') || 'pasted'}.${value.mimeType.split('/')[1]?.replace(/\W.*$/, '') || 'bin'}`;
        const bytes = await value.data();
        context.files.push({ name, size: bytes.byteLength, source: { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), filename: name } });
      } else if (typeof value === 'string' && value.trim()) {
        context.blocks.push(value.trim());
      }
    } catch (e) {
      context.unreadable.push({ name: referenceName(reference), reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return context;
}

async function addUri(context: PromptContext, uri: vscode.Uri): Promise<void> {
  const name = fileName(uri);
  if (sendsAsFile(name)) {
    const { size } = await vscode.workspace.fs.stat(uri);
    const source = uri.scheme === 'file' ? { path: uri.fsPath } : { blob: new Blob([(await vscode.workspace.fs.readFile(uri)) as Uint8Array<ArrayBuffer>]), filename: name };
    context.files.push({ name, size, source });
    return;
  }
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) throw new Error(vscode.l10n.t('a folder cannot be sent; attach its files'));
  context.blocks.push(codeAsMarkdown(await vscode.workspace.openTextDocument(uri)));
}

function referenceName(reference: vscode.ChatPromptReference): string {
  const value: unknown = reference.value;
  if (value instanceof vscode.Uri) return fileName(value);
  if (value instanceof vscode.Location) return fileName(value.uri);
  return reference.id;
}

/** The question as Dify gets it: what the user typed, then what they attached. */
export function queryWithContext(prompt: string, context: PromptContext): string {
  return [prompt.trim(), ...context.blocks].filter(Boolean).join('\n\n');
}
