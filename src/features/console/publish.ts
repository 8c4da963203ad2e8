// Dify: Publish Workflow… (the DSL file's app, or one picked): the draft published with a version name and notes, as
// Dify's "Publish" does; the Service API runs it from then on. Dify: Show Workflow Versions lists the draft and the
// published versions with their names, notes and dates; picking one opens its DSL read-only.
import * as vscode from 'vscode';
import { dslFileName } from '../../core/dsl-file.js';
import type { ConsoleClient, WorkflowResponse } from '../../dify/index.js';
import { ask } from '../apps/inputs.js';
import { workspaceMessage } from './console-messages.js';
import { WORKFLOW_MODES } from './dsl-files.js';
import { dslTarget, type DslDeps } from './push-dsl.js';
import { pickApp } from './workspace-picks.js';

const MAX_NAME = 20;
const MAX_COMMENT = 100;

interface AppRef {
  appId: string;
  appName: string;
}

/** The app of the DSL file the command was run on (or of the active DSL editor), else one the user picks. */
async function appOf(deps: DslDeps, client: ConsoleClient, uri: vscode.Uri | undefined, title: string): Promise<AppRef | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : active && deps.files.target(active) ? active : undefined;
  if (document) {
    const target = await dslTarget(deps, client, document);
    return target && { appId: target.appId, appName: target.appName ?? (await client.app(target.appId)).name };
  }
  const app = await pickApp(client, { title, modes: WORKFLOW_MODES });
  return app && { appId: app.id, appName: app.name };
}

export async function publishWorkflow(deps: DslDeps, uri?: vscode.Uri): Promise<void> {
  const client = await deps.session.signedInClient();
  if (!client) return;
  try {
    const app = await appOf(deps, client, uri, vscode.l10n.t('Publish Which App? ({0})', client.host));
    if (!app) return;
    const title = vscode.l10n.t('Publish "{0}"', app.appName);
    const tooLong = (max: number) => (v: string) => (v.trim().length > max ? vscode.l10n.t('At most {0} characters ({1} now).', max, v.trim().length) : undefined);
    const markedName = await ask({ title, prompt: vscode.l10n.t('A name for this version (optional, at most 20 characters), as Dify\'s version history shows it.'), validate: tooLong(MAX_NAME) });
    if (markedName === undefined) return;
    const markedComment = await ask({ title, prompt: vscode.l10n.t('Release notes (optional, at most 100 characters).'), validate: tooLong(MAX_COMMENT) });
    if (markedComment === undefined) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Publishing "{0}"…', app.appName) }, () =>
      client.publish(app.appId, { marked_name: markedName, marked_comment: markedComment }),
    );
    const versions = vscode.l10n.t('Show Versions');
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Published "{0}": the Service API runs this version now.', app.appName), versions);
    if (answer === versions) await showVersions(deps, client, app);
  } catch (e) {
    void vscode.window.showErrorMessage(workspaceMessage(e));
  }
}

export async function showWorkflowVersions(deps: DslDeps, uri?: vscode.Uri): Promise<void> {
  const client = await deps.session.signedInClient();
  if (!client) return;
  try {
    const app = await appOf(deps, client, uri, vscode.l10n.t('Show Versions of Which App? ({0})', client.host));
    if (app) await showVersions(deps, client, app);
  } catch (e) {
    void vscode.window.showErrorMessage(workspaceMessage(e));
  }
}

type VersionItem = vscode.QuickPickItem & { version: WorkflowResponse };

/** The draft and the newest published versions, as Dify lists them (draft first); a pick opens its DSL read-only. */
async function showVersions(deps: DslDeps, client: ConsoleClient, app: AppRef): Promise<void> {
  const page = await client.workflowVersions(app.appId);
  if (!page.items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has not been published yet.', app.appName));
    return;
  }
  const date = (seconds: number) => new Date(seconds * 1000).toLocaleString(vscode.env.language);
  const items: VersionItem[] = page.items.map((version) => {
    const draft = version.version === 'draft';
    return {
      label: draft ? vscode.l10n.t('Draft') : version.marked_name || vscode.l10n.t('Unnamed version'),
      description: draft ? vscode.l10n.t('edited {0}', date(version.updated_at)) : vscode.l10n.t('published {0}', date(version.created_at)),
      detail: version.marked_comment || undefined,
      version,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Versions of "{0}"', app.appName),
    placeHolder: vscode.l10n.t('Pick a version to open its DSL (read-only)'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const draft = picked.version.version === 'draft';
  const text = await client.exportDsl(app.appId, false, draft ? undefined : picked.version.id);
  const name = dslFileName(`${app.appName} ${draft ? 'draft' : picked.version.marked_name || picked.version.version}`);
  await deps.docs.show(name, text, `${app.appId}/${picked.version.id}`);
}
