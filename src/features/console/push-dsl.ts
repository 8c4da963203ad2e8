// Dify: Push DSL to Dify: the file's text imported into its app's draft (POST /apps/imports with app_id). Checked here
// first (nothing is sent while the YAML is broken or Dify would refuse its shape); a draft changed in Dify since the
// file was last in step asks first (Show Diff, Overwrite, Pull) instead of losing either side; Dify's answers shown as
// it gives them: a version to confirm, warnings, an error at its line, plugins the workspace lacks.
import * as vscode from 'vscode';
import { pluginName, sameDsl, type DslTarget } from '../../core/dsl-file.js';
import type { ConsoleClient, Import } from '../../dify/index.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { fileName } from '../editor/file-name.js';
import { workspaceMessage } from './console-messages.js';
import { WORKFLOW_MODES, type DslFiles } from './dsl-files.js';
import type { CheckedDsl, DslProblems } from './dsl-problems.js';
import { pickApp } from './workspace-picks.js';
import type { WorkspaceSession } from './workspace-session.js';

export interface DslDeps {
  session: WorkspaceSession;
  files: DslFiles;
  problems: DslProblems;
  docs: ReadOnlyDocs;
}

/** The DSL document a command is about: the one it was run on (editor title, explorer), else the active editor's. */
export async function dslDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const document = vscode.window.activeTextEditor?.document;
  if (document && /\.ya?ml$/i.test(document.uri.path)) return document;
  void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dify DSL file (YAML) first, or export one with "Dify: Open App as DSL…".'));
  return undefined;
}

/** The app the file pushes to on the signed-in console: its own, or (unknown yet) one the user picks. */
export async function dslTarget(deps: DslDeps, client: ConsoleClient, document: vscode.TextDocument): Promise<(DslTarget & { appName?: string }) | undefined> {
  const target = deps.files.target(document);
  if (target && target.origin !== client.origin) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} belongs to an app on {1}, and you are signed in to {2}. Sign in to {1} to use it.', fileName(document.uri), target.origin, client.origin),
    );
    return undefined;
  }
  if (target) return { ...target, appName: deps.files.remembered(document.uri, target)?.appName };
  const app = await pickApp(client, { title: vscode.l10n.t('Which App Is {0}? ({1})', fileName(document.uri), client.host), modes: WORKFLOW_MODES });
  return app && { appId: app.id, origin: client.origin, appName: app.name };
}

export async function pushDsl(deps: DslDeps, uri?: vscode.Uri): Promise<void> {
  const document = await dslDocument(uri);
  if (!document) return;
  const name = fileName(document.uri);
  const checked = deps.problems.check(document);
  if (!checked) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} has problems Dify would refuse: see the Problems panel. Nothing was sent.', name));
    return;
  }
  const client = await deps.session.signedInClient();
  if (!client) return;
  try {
    const found = await dslTarget(deps, client, document);
    if (!found) return;
    const target = { appId: found.appId, origin: found.origin };
    const appName = checked.name ?? found.appName ?? name;
    if (!(await secretsConfirmed(checked))) return;
    const remembered = deps.files.remembered(document.uri, target);
    const includeSecret = remembered?.includeSecret ?? false;
    const current = await deps.files.draftHash(client, target.appId, checked.mode);
    // No record of the last sync here (a fresh clone, another machine): the draft is compared with the file instead.
    const unknownBase = !remembered?.hash && current !== undefined && !sameDsl(await deps.files.exportText(client, target, includeSecret), document.getText());
    if (unknownBase || (remembered?.hash && current && current !== remembered.hash)) {
      const choice = await changedInDify(name, appName, unknownBase);
      if (choice === 'diff') return await showDiff(deps, client, document, target, includeSecret);
      if (choice === 'pull') return await pull(deps, client, document, { ...target, appName, includeSecret, hash: current });
      if (choice !== 'overwrite') return;
    }
    const result = await importInto(client, document.getText(), target.appId, appName, name);
    if (!result) return;
    if (result.status === 'failed') {
      const placed = deps.problems.importFailed(document, result.error);
      void vscode.window.showErrorMessage(
        placed
          ? vscode.l10n.t('Dify did not import {0}: {1} (see the Problems panel).', name, result.error.split('\n')[0]!)
          : vscode.l10n.t('Dify did not import {0}: {1}', name, result.error),
      );
      return;
    }
    const hash = await deps.files.draftHash(client, target.appId, checked.mode);
    await deps.files.remember(document.uri, { ...target, appName, hash, includeSecret });
    if (result.status === 'completed-with-warnings') {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Pushed {0} to "{1}" with a warning from Dify: the file\'s DSL version {2} is older than this Dify\'s {3}, and Dify converted it. Check the app in Dify\'s editor.', name, appName, result.imported_dsl_version, result.current_dsl_version),
      );
    } else {
      void offerPublish(name, appName, document.uri);
    }
    const leaked = await client.checkDependencies(target.appId);
    if (leaked.length) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('"{0}" needs plugins this Dify workspace lacks: {1}. Install them in Dify (Plugins) for the app to run.', appName, leaked.map(pluginName).join(', ')),
      );
    }
  } catch (e) {
    void vscode.window.showErrorMessage(workspaceMessage(e));
  }
}

async function offerPublish(name: string, appName: string, uri: vscode.Uri): Promise<void> {
  const publish = vscode.l10n.t('Publish…');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Pushed {0} to the draft of "{1}". Publish it for the Service API to run it.', name, appName),
    publish,
  );
  if (answer === publish) await vscode.commands.executeCommand('dify.publishWorkflow', uri);
}

/** The import, with Dify's confirmation asked when it holds it (`pending`: another major or a newer DSL version). */
async function importInto(client: ConsoleClient, text: string, appId: string, appName: string, name: string): Promise<Import | undefined> {
  const progress = { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pushing {0} to "{1}"…', name, appName) };
  const result = await vscode.window.withProgress(progress, () => client.importDsl({ mode: 'yaml-content', yaml_content: text, app_id: appId }));
  if (result.status !== 'pending') return result;
  const confirm = vscode.l10n.t('Import');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Dify asks to confirm: {0} is DSL version {1}, and this Dify writes version {2}.', name, result.imported_dsl_version, result.current_dsl_version),
    { modal: true, detail: vscode.l10n.t('Dify imports a DSL of another major version, or of a newer one, only when confirmed: parts of the app may not work as before.') },
    confirm,
  );
  if (answer !== confirm) return undefined;
  return vscode.window.withProgress(progress, () => client.confirmImport(result.id));
}

async function secretsConfirmed(checked: CheckedDsl): Promise<boolean> {
  const empty = checked.warnings.filter((w) => w.kind === 'empty-secret').map((w) => w.value);
  if (!empty.length) return true;
  const push = vscode.l10n.t('Push Anyway');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('The secrets {0} have no value in this file (it was exported without secret values): pushing sets them empty in Dify.', empty.join(', ')),
    { modal: true },
    push,
  );
  return answer === push;
}

async function changedInDify(name: string, appName: string, unknownBase: boolean): Promise<'diff' | 'overwrite' | 'pull' | undefined> {
  const diff = vscode.l10n.t('Show Diff');
  const overwrite = vscode.l10n.t('Overwrite');
  const pull = vscode.l10n.t('Pull');
  const answer = await vscode.window.showWarningMessage(
    unknownBase
      ? vscode.l10n.t('The draft of "{0}" in Dify differs from {1}, and this workspace has no record of when they last matched (a fresh clone?): Dify\'s draft may hold changes the file lacks.', appName, name)
      : vscode.l10n.t('The draft of "{0}" was changed in Dify since {1} was exported, pushed or pulled.', appName, name),
    {
      modal: true,
      detail: vscode.l10n.t('Overwrite replaces Dify\'s changes with this file; Pull replaces this file with Dify\'s draft (undoable); Show Diff compares them first.'),
    },
    diff,
    overwrite,
    pull,
  );
  return answer === diff ? 'diff' : answer === overwrite ? 'overwrite' : answer === pull ? 'pull' : undefined;
}

/** Dify's draft (read-only, left) against the file (right), as VS Code compares a file with its Git version. */
async function showDiff(deps: DslDeps, client: ConsoleClient, document: vscode.TextDocument, target: DslTarget, includeSecret: boolean): Promise<void> {
  const name = fileName(document.uri);
  const text = await deps.files.exportText(client, target, includeSecret);
  const left = deps.docs.put(`Dify draft of ${name}`, text, document.uri.toString());
  await vscode.commands.executeCommand('vscode.diff', left, document.uri, vscode.l10n.t('{0} (Dify\'s draft ↔ this file)', name), { preview: false });
}

/** The file's text replaced with Dify's draft, as one edit Undo takes back. */
async function pull(deps: DslDeps, client: ConsoleClient, document: vscode.TextDocument, remember: Parameters<DslFiles['remember']>[1]): Promise<void> {
  const text = await deps.files.exportText(client, remember, remember.includeSecret);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  if (!(await vscode.workspace.applyEdit(edit))) return;
  await deps.files.remember(document.uri, remember);
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} now holds the draft of "{1}" from Dify. Undo brings your version back; save to keep it.', fileName(document.uri), remember.appName));
}
