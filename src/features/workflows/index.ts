// Workflows on code: the commands (editor and Explorer context menus, palette, keybindings with an app argument) and
// the "Dify Runs" view. One call wires it all: registerWorkflows(context, deps).
import * as vscode from 'vscode';
import { touches, type ProfileStore } from '../../core/profile-store.js';
import { RunHistory, WorkflowChoices } from '../../core/workflow-history.js';
import { isOutputMode } from '../../core/workflow-output.js';
import { isRunnableMode } from '../../core/workflow-run.js';
import type { DifyLog } from '../../platform/log.js';
import type { DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';
import { errorMessage } from '../apps/messages.js';
import type { Proposals } from '../editor/proposal.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { ParametersCache } from './parameters-cache.js';
import type { RunCommandArgs } from './prepare-run.js';
import { runRecordMarkdown, serverRunMarkdown } from './run-details.js';
import { RunItem, RunsTree } from './runs-tree.js';
import { LeftRuns } from './left-runs.js';
import { WorkflowRunner, type RunReport } from './workflow-runner.js';

const RUNS_VIEW_ID = 'dify.runs';

export interface WorkflowDeps {
  store: ProfileStore;
  connections: DifyConnections;
  proposals: Proposals;
  docs: ReadOnlyDocs;
  log: DifyLog;
}

/** A command's first argument: an editor's or Explorer file's Uri, keybinding args, an app id, or an Apps view item. */
type RunTarget = vscode.Uri | RunCommandArgs | string | { profile: { id: string } } | undefined;

function runArgs(target: RunTarget): RunCommandArgs {
  if (typeof target === 'string') return { app: target };
  if (!target || target instanceof vscode.Uri) return {};
  if ('profile' in target) return { app: target.profile.id };
  return { app: typeof target.app === 'string' ? target.app : undefined, output: isOutputMode(target.output) ? target.output : undefined };
}

/** What other features share with Run Workflow: its Runs history and its cache of the apps' forms (the LM tool). */
export interface WorkflowShared {
  history: RunHistory;
  parameters: ParametersCache;
}

/** The workflow commands and views; the runner goes to @dify's /run, the rest to the LM tool. */
export function registerWorkflows(
  context: vscode.ExtensionContext,
  deps: WorkflowDeps,
): { runner: WorkflowRunner; disposables: vscode.Disposable[]; shared: WorkflowShared } {
  const history = new RunHistory(context.workspaceState);
  const choices = new WorkflowChoices(context.globalState);
  const parameters = new ParametersCache();
  const runner = new WorkflowRunner({ ...deps, history, choices, parameters, left: new LeftRuns(context.workspaceState) });
  const tree = new RunsTree(history, deps.store, deps.connections);
  const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: tree });
  tree.keepTimesFresh(view);

  const run = (target: RunTarget, chooseOutput: boolean): Promise<RunReport | undefined> => {
    const editor = vscode.window.activeTextEditor;
    // From the editor's context menu the Uri is the editor's own document: run on its selection.
    if (target instanceof vscode.Uri && editor?.document.uri.toString() !== target.toString()) return runner.runOnFile(target, {}, chooseOutput);
    return runner.runOnEditor(editor, runArgs(target), chooseOutput);
  };

  // Runs an earlier window left while they streamed: followed now, beside everything else activation does.
  runner.resumeLeftRuns().catch((e: unknown) => deps.log.warn(`Could not follow the runs left by the last window: ${errorMessage(e)}`));

  const disposables = [
    tree,
    // Parameters read with another key, from another server or for another mode are read again.
    deps.store.onDidChange((change) => (change.what === 'key' || touches(change, 'baseUrl', 'mode')) && parameters.forget(change.id)),
    view,
    vscode.commands.registerCommand('dify.runWorkflow', (target?: RunTarget) => run(target, false)),
    vscode.commands.registerCommand('dify.runWorkflowChooseOutput', (target?: RunTarget) => run(target, true)),
    vscode.commands.registerCommand('dify.runWorkflowOnFile', (uri?: vscode.Uri) =>
      uri instanceof vscode.Uri ? runner.runOnFile(uri) : runner.runOnEditor(vscode.window.activeTextEditor),
    ),
    vscode.commands.registerCommand('dify.rerunWorkflow', (item?: RunItem) => item instanceof RunItem && runner.rerun(item.record)),
    vscode.commands.registerCommand('dify.showWorkflowRun', async (item?: RunItem) => {
      if (item instanceof RunItem) await deps.docs.preview(`${item.record.appLabel} ${item.record.id.slice(0, 8)}.md`, runRecordMarkdown(item.record), item.record.id);
    }),
    vscode.commands.registerCommand('dify.showServerWorkflowRun', async (appId: string, runId: string) => {
      const profile = deps.store.apps().find((p) => p.id === appId);
      if (!profile) return;
      try {
        const detail = await (await deps.connections.appClient(profile)).getWorkflowRun(runId);
        await deps.docs.preview(`${profile.label} ${runId.slice(0, 8)}.md`, serverRunMarkdown(profile.label, detail), runId);
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not load the run from Dify: {0}', errorMessage(e)));
      }
    }),
    vscode.commands.registerCommand('dify.loadMoreWorkflowLogs', (appId: string) => tree.loadMore(appId)),
    vscode.commands.registerCommand('dify.refreshWorkflowRuns', () => {
      parameters.forget();
      tree.refresh();
    }),
    vscode.commands.registerCommand('dify.clearWorkflowRuns', () => history.clear()),
    vscode.commands.registerCommand('dify.resetWorkflowChoices', async () => {
      const apps = deps.store.apps().filter((p) => isRunnableMode(p.mode));
      const picked = await vscode.window.showQuickPick(
        apps.map((p) => ({ label: p.label, description: modeLabel(p.mode), id: p.id })),
        { title: vscode.l10n.t('Forget the choices made for an app (input, output variable, output mode)') },
      );
      if (!picked) return;
      await choices.reset(picked.id);
      parameters.forget(picked.id);
      void vscode.window.showInformationMessage(vscode.l10n.t('The next run of "{0}" asks again.', picked.label));
    }),
  ];
  return { runner, disposables, shared: { history, parameters } };
}
