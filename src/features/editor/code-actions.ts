// What a code block in the chat offers for the editor: insert at the cursor, apply as a diff to accept, and links
// opened outside VS Code only for the schemes a chat answer may use.
import * as vscode from 'vscode';
import type { DifyLog } from '../../platform/log.js';
import type { Proposals } from './proposal.js';
import { fileName } from './file-name.js';
import { selectionOrFile } from './selection.js';

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The editor the user was in: a sidebar webview having focus leaves it as the active one. */
const targetEditor = (): vscode.TextEditor | undefined => vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];

export async function insertCode(code: string): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open an editor to insert the code into.'));
    return;
  }
  await editor.edit((edit) => editor.selections.forEach((s) => edit.replace(s, code)));
}

/** The selection, or the whole file when nothing is selected, against the code block. */
export async function applyCode(proposals: Proposals, code: string): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open the file to apply the code to, select what it replaces, then Apply again.'));
    return;
  }
  const { document } = editor;
  const { range } = selectionOrFile(editor);
  const name = fileName(document.uri);
  await proposals.propose(document, range, code, vscode.l10n.t('{0} ↔ Dify suggestion', name));
}

export async function openLink(href: string, log: DifyLog): Promise<void> {
  let uri: vscode.Uri;
  try {
    if (!LINK_SCHEMES.has(new URL(href).protocol)) throw new Error('scheme');
    uri = vscode.Uri.parse(href, true);
  } catch {
    log.warn(`Blocked a link from the chat view: ${href.slice(0, 200)}`);
    return;
  }
  await vscode.env.openExternal(uri);
}
