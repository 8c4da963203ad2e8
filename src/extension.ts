// activate(): build the services and register the features. Wiring only: no network, no heavy work.
import * as vscode from 'vscode';
import { ProfileStore } from './core/profile-store.js';
import { AppFlows } from './features/apps/app-flows.js';
import { ProfilesTree } from './features/apps/apps-tree.js';
import { registerAppCommands } from './features/apps/commands.js';
import { DifyConnections } from './features/apps/connections.js';
import { seedFromDevFile } from './features/apps/dev-seed.js';
import { DefaultAppStatus } from './features/apps/status-bar.js';
import { DifyLog } from './platform/log.js';

export function activate(context: vscode.ExtensionContext): void {
  const log = new DifyLog();
  const store = new ProfileStore(context.globalState, context.secrets);
  const connections = new DifyConnections(store, log);
  const flows = new AppFlows(store, connections);
  context.subscriptions.push(
    log,
    connections,
    new DefaultAppStatus(store),
    vscode.window.registerTreeDataProvider('dify.apps', new ProfilesTree(store, 'app')),
    vscode.window.registerTreeDataProvider('dify.knowledgeKeys', new ProfilesTree(store, 'knowledge')),
    vscode.commands.registerCommand('dify.showLog', () => log.channel.show()),
    ...registerAppCommands(store, flows),
  );
  void seedFromDevFile(context, store).then(
    (n) => n > 0 && log.info(`Added ${n} apps and knowledge keys from DIFY_DEV_SEED.`),
    (e: unknown) => log.error(`DIFY_DEV_SEED: ${(e as Error).message}`),
  );
}

export function deactivate(): void {}
