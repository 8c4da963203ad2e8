// Dify: Open App as DSL…: an app of the workspace exported (secret values only when asked) into a YAML file of the
// workspace, `dify/<app>.yml` by default, so it lives in git next to the code; the file remembers its app and the
// draft it came from (dsl-files.ts).
import * as vscode from 'vscode';
import { dslFileName } from '../../core/dsl-file.js';
import { fileName } from '../editor/file-name.js';
import type { DslFiles } from './dsl-files.js';
import { workspaceMessage } from './console-messages.js';
import { pickApp } from './workspace-picks.js';
import type { WorkspaceSession } from './workspace-session.js';

export async function openAppAsDsl(session: WorkspaceSession, files: DslFiles): Promise<void> {
  const client = await session.signedInClient();
  if (!client) return;
  try {
    const app = await pickApp(client, { title: vscode.l10n.t('Open App as DSL ({0})', client.host) });
    if (!app) return;
    const includeSecret = await askIncludeSecret();
    if (includeSecret === undefined) return;
    const folder = await askFolder();
    if (!folder) return;
    const uri = vscode.Uri.joinPath(folder, dslFileName(app.name));
    if ((await exists(uri)) && !(await overwriteConfirmed(uri))) return;
    const target = { appId: app.id, origin: client.origin };
    const { text, hash } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting "{0}" from Dify…', app.name) },
      async () => {
        // The hash first: a draft saved in between makes the next push ask rather than lose it.
        const hash = await files.draftHash(client, app.id, app.mode);
        return { hash, text: await files.exportText(client, target, includeSecret) };
      },
    );
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await files.remember(uri, { ...target, appName: app.name, hash, includeSecret });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  } catch (e) {
    void vscode.window.showErrorMessage(workspaceMessage(e));
  }
}

async function askIncludeSecret(): Promise<boolean | undefined> {
  const no = { label: vscode.l10n.t('Without secret values'), description: vscode.l10n.t('recommended for files in git'), secret: false };
  const yes = { label: vscode.l10n.t('With secret values'), description: vscode.l10n.t('the secret environment variables in clear text'), secret: true };
  const picked = await vscode.window.showQuickPick([no, yes], { title: vscode.l10n.t('Include secret values?'), placeHolder: vscode.l10n.t('Secret environment variables of the workflow') });
  return picked?.secret;
}

/** The folder for the file: the first workspace folder's `dify/` unless the user picks another. */
async function askFolder(): Promise<vscode.Uri | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const suggested = root ? vscode.Uri.joinPath(root, 'dify') : undefined;
  if (suggested) {
    const here = { label: vscode.workspace.asRelativePath(suggested, false) + '/', description: vscode.l10n.t('in the workspace'), uri: suggested };
    const other = { label: vscode.l10n.t('Choose Another Folder…'), uri: undefined };
    const picked = await vscode.window.showQuickPick([here, other], { title: vscode.l10n.t('Save the DSL in') });
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
  }
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: suggested ?? root, openLabel: vscode.l10n.t('Save Here') });
  return chosen?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function overwriteConfirmed(uri: vscode.Uri): Promise<boolean> {
  const replace = vscode.l10n.t('Replace');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} already exists. Replace it with the app\'s DSL from Dify?', fileName(uri)),
    { modal: true },
    replace,
  );
  return answer === replace;
}
