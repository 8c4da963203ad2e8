// Context keys that menus and welcome views read, kept in step with the configured apps and knowledge keys:
// `dify.hasRunnableApp` shows Run Dify Workflow in the editor and Explorer menus, `dify.hasKnowledgeKey` the uploads,
// and `dify.ready` (set last) lets the empty views say "nothing yet" only once the list is known.
import * as vscode from 'vscode';
import { touches, type ProfileStore } from '../../core/profile-store.js';
import { isRunnableMode } from '../../core/workflow-run.js';

export function trackContextKeys(store: ProfileStore): vscode.Disposable {
  const update = async (): Promise<void> => {
    const apps = store.apps();
    await Promise.all([
      vscode.commands.executeCommand('setContext', 'dify.hasApps', apps.length > 0),
      vscode.commands.executeCommand('setContext', 'dify.hasRunnableApp', apps.some((p) => isRunnableMode(p.mode))),
      vscode.commands.executeCommand('setContext', 'dify.hasKnowledgeKey', store.knowledge().length > 0),
    ]);
    await vscode.commands.executeCommand('setContext', 'dify.ready', true);
  };
  void update();
  return store.onDidChange((change) => touches(change, 'mode') && void update());
}
