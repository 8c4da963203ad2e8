// Sign in to a Dify workspace (the console of a self-hosted Dify) and add its apps and knowledge without copying keys,
// from the palette or from the workspace's rows in the Apps view; keep its workflow apps as DSL files in the
// workspace (export, push, publish).
import * as vscode from 'vscode';
import { ConsoleAccounts } from '../../core/console-account.js';
import type { ProfileStore } from '../../core/profile-store.js';
import { NO_FILTER } from '../../core/workspace-apps.js';
import type { AppFlows } from '../apps/app-flows.js';
import type { DifyConnections } from '../apps/connections.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { DslFiles } from './dsl-files.js';
import { DslProblems } from './dsl-problems.js';
import { openAppAsDsl } from './open-dsl.js';
import { publishWorkflow, showWorkflowVersions } from './publish.js';
import { pushDsl, type DslDeps } from './push-dsl.js';
import { signIn } from './sign-in.js';
import { pickWorkspaceAppFilter } from './workspace-filter.js';
import { WorkspacePicks } from './workspace-picks.js';
import { WorkspaceSession } from './workspace-session.js';
import { WorkspaceSection, type WorkspaceAppNode } from './workspace-tree.js';

/** The commands, and the workspace's rows for the Apps view. */
export function registerConsole(
  context: vscode.ExtensionContext,
  deps: { store: ProfileStore; connections: DifyConnections; flows: AppFlows; docs: ReadOnlyDocs },
): { workspaceSection: WorkspaceSection; disposables: vscode.Disposable[] } {
  const session = new WorkspaceSession(new ConsoleAccounts(context.globalState, context.secrets), deps.connections);
  const picks = new WorkspacePicks(session, deps.store, deps.flows);
  const workspaceSection = new WorkspaceSection(session, deps.store);
  const dsl: DslDeps = { session, files: new DslFiles(context.workspaceState), problems: new DslProblems(), docs: deps.docs };
  // The console of the Dify the user's apps are on, as the first guess of where to sign in.
  const suggested = (): string | undefined => {
    const baseUrl = deps.store.all().at(-1)?.baseUrl;
    return baseUrl && !baseUrl.startsWith('https://api.dify.ai') ? new URL(baseUrl).origin : undefined;
  };
  const disposables = [
    session,
    workspaceSection,
    dsl.problems,
    vscode.commands.registerCommand('dify.signIn', () => signIn(session, suggested())),
    vscode.commands.registerCommand('dify.signOut', async () => {
      const account = session.account;
      await session.signOut();
      if (account) void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of Dify at {0}. The apps you added keep their keys.', new URL(account.origin).host));
    }),
    vscode.commands.registerCommand('dify.addAppFromWorkspace', () => picks.addApp()),
    vscode.commands.registerCommand('dify.addKnowledgeFromWorkspace', () => picks.addKnowledge()),
    vscode.commands.registerCommand('dify.switchWorkspace', () => picks.switchWorkspace()),
    vscode.commands.registerCommand('dify.addWorkspaceApp', (node: WorkspaceAppNode) =>
      vscode.window.withProgress({ location: { viewId: 'dify.apps' } }, () => picks.addApp(node.app)),
    ),
    vscode.commands.registerCommand('dify.filterWorkspaceApps', async () => {
      const version = (await session.client().catch(() => undefined))?.serverVersion;
      const filter = await pickWorkspaceAppFilter(workspaceSection.filter, version);
      if (filter) workspaceSection.setFilter(filter);
    }),
    vscode.commands.registerCommand('dify.clearWorkspaceAppsFilter', () => workspaceSection.setFilter(NO_FILTER)),
    vscode.commands.registerCommand('dify.loadMoreWorkspaceApps', () => workspaceSection.loadMore()),
    vscode.commands.registerCommand('dify.refreshWorkspaceApps', () => workspaceSection.refresh()),
    vscode.commands.registerCommand('dify.openAppAsDsl', () => openAppAsDsl(session, dsl.files)),
    vscode.commands.registerCommand('dify.pushDsl', (uri?: vscode.Uri) => pushDsl(dsl, uri)),
    vscode.commands.registerCommand('dify.publishWorkflow', (uri?: vscode.Uri) => publishWorkflow(dsl, uri)),
    vscode.commands.registerCommand('dify.showWorkflowVersions', (uri?: vscode.Uri) => showWorkflowVersions(dsl, uri)),
  ];
  return { workspaceSection, disposables };
}
