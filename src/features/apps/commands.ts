// The app and knowledge-key commands, from the palette (they ask which profile) and from view item menus.
import * as vscode from 'vscode';
import type { Profile, ProfileStore } from '../../core/profile-store.js';
import type { AppFlows } from './app-flows.js';
import { ProfileItem } from './apps-tree.js';
import { modeLabel } from './inputs.js';

/** A command argument: a tree item, a profile id, or nothing (then the user picks). */
type Target = ProfileItem | string | undefined;

export function registerAppCommands(store: ProfileStore, flows: AppFlows): vscode.Disposable[] {
  const pick = async (target: Target, kind?: Profile['kind']): Promise<Profile | undefined> => {
    if (target instanceof ProfileItem) return store.get(target.profile.id);
    if (typeof target === 'string') return store.get(target);
    const profiles = store.all().filter((p) => !kind || p.kind === kind);
    if (profiles.length === 0) {
      void vscode.window.showInformationMessage(
        kind === 'knowledge' ? vscode.l10n.t('No Dify knowledge key is configured yet.') : vscode.l10n.t('No Dify app is configured yet.'),
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      profiles.map((p) => ({ label: p.label, description: p.kind === 'app' ? modeLabel(p.mode) : vscode.l10n.t('Knowledge'), detail: p.baseUrl, id: p.id })),
      { title: vscode.l10n.t('Choose a Dify app or knowledge key') },
    );
    return picked && store.get(picked.id);
  };
  const on = (command: string, run: (target: Target) => Promise<unknown>) => vscode.commands.registerCommand(command, run);

  return [
    on('dify.addApp', () => flows.addApp()),
    on('dify.addKnowledgeKey', () => flows.addKnowledgeKey()),
    on('dify.editApp', async (t) => {
      const p = await pick(t);
      if (p) await flows.edit(p);
    }),
    on('dify.removeApp', async (t) => {
      const p = await pick(t, 'app');
      if (p) await flows.remove(p);
    }),
    on('dify.removeKnowledgeKey', async (t) => {
      const p = await pick(t, 'knowledge');
      if (p) await flows.remove(p);
    }),
    on('dify.setKey', async (t) => {
      const p = await pick(t);
      if (p) await flows.setKey(p);
    }),
    on('dify.testConnection', async (t) => {
      const p = await pick(t);
      if (p) await flows.testConnection(p);
    }),
    on('dify.chooseDefaultChatApp', () => flows.chooseDefaultChatApp()),
    on('dify.setDefaultChatApp', async (t) => {
      const p = await pick(t, 'app');
      if (p) await store.setDefaultChatApp(p.id);
    }),
  ];
}
