// Registers the Dify chat apps as VS Code language models where the running VS Code has the provider API (1.104+).
// On older VS Code (and forks that lag behind) nothing is registered and the manifest's contribution is ignored.
import * as vscode from 'vscode';
import type { ProfileStore } from '../../core/profile-store.js';
import type { DifyLog } from '../../platform/log.js';
import type { DifyConnections } from '../apps/connections.js';
import { languageModelProviderApi } from './language-model-api.js';
import { DifyLanguageModels, LANGUAGE_MODEL_VENDOR } from './language-model-provider.js';

export function registerLanguageModels(deps: { store: ProfileStore; connections: DifyConnections; state: vscode.Memento; log: DifyLog }): vscode.Disposable[] {
  const register = languageModelProviderApi();
  if (!register) {
    deps.log.info(`VS Code ${vscode.version} has no language model provider API (1.104+): Dify apps are not offered as language models.`);
    return [];
  }
  const provider = new DifyLanguageModels(deps.store, deps.connections, deps.state, deps.log);
  const registration = register(LANGUAGE_MODEL_VENDOR, provider);
  // VS Code (1.139) asks a provider for its models only when told they changed or when an extension selects models:
  // said once now, the Chat view's model picker lists the Dify apps from the start (after a reload too).
  provider.modelsChanged();
  return [provider, registration];
}
