// Where an attachment comes from: files picked on this computer, or a URL Dify downloads itself.
import * as vscode from 'vscode';
import type { FileToAttach } from '../../core/app-chat.js';
import type { FileUploadRules } from '../../protocol.js';
import { fileName } from '../editor/file-name.js';

export type AttachmentChoice = { kind: 'files'; files: FileToAttach[] } | { kind: 'url'; url: string };

/** Asks where from only when the app also takes URLs; else straight to the file dialog. */
export async function askAttachment(rules: FileUploadRules | undefined): Promise<AttachmentChoice | undefined> {
  if (!rules?.remoteUrl) return { kind: 'files', files: await pickFiles(true) };
  const fromDisk = vscode.l10n.t('$(folder-opened) From this computer…');
  const fromUrl = vscode.l10n.t('$(link) From a URL…');
  const picked = await vscode.window.showQuickPick(rules.localUpload ? [fromDisk, fromUrl] : [fromUrl], { title: vscode.l10n.t('Attach Files') });
  if (picked === fromDisk) return { kind: 'files', files: await pickFiles(true) };
  if (picked !== fromUrl) return undefined;
  const url = await vscode.window.showInputBox({
    title: vscode.l10n.t('Attach Files'),
    prompt: vscode.l10n.t('The URL of the file; Dify downloads it itself.'),
    placeHolder: 'https://example.com/diagram.png',
    validateInput: (value) => (/^https?:\/\/\S+$/i.test(value.trim()) ? undefined : vscode.l10n.t('Enter an http or https URL.')),
  });
  return url ? { kind: 'url', url: url.trim() } : undefined;
}

/** Files from the open dialog; on disk they are streamed when uploaded, elsewhere (a remote file system) read once. */
export async function pickFiles(many: boolean): Promise<FileToAttach[]> {
  const uris = await vscode.window.showOpenDialog({ canSelectMany: many, openLabel: vscode.l10n.t('Attach') });
  const files: FileToAttach[] = [];
  for (const uri of uris ?? []) {
    const stat = await vscode.workspace.fs.stat(uri);
    const name = fileName(uri);
    const source = uri.scheme === 'file' ? { path: uri.fsPath } : { blob: new Blob([(await vscode.workspace.fs.readFile(uri)) as Uint8Array<ArrayBuffer>]), filename: name };
    files.push({ name, size: stat.size, source });
  }
  return files;
}
