// Filter Workspace Apps…: one quick pick, the kind of app to pick and the name to search typed in its box (Dify
// searches by its first 30 characters, case-insensitively: the workspace node's description shows what is searched).
import * as vscode from 'vscode';
import { filterModes, workspaceAppFilter, type FilterMode, type WorkspaceAppFilter } from '../../core/workspace-apps.js';
import { modeLabel } from '../apps/inputs.js';

type ModeItem = vscode.QuickPickItem & { mode: FilterMode };

/** A kind of app the filter offers, in words (Dify 1.15's agent apps apart from the older agent-chat ones). */
export function filterModeLabel(mode: Exclude<FilterMode, 'all'>): string {
  return mode === 'agent' ? vscode.l10n.t('Agent (Dify 1.15 agent apps, listed only here)') : modeLabel(mode);
}

/** Asks for the filter, starting from `current`, among the kinds a Dify of `version` lists; undefined when dismissed. */
export function pickWorkspaceAppFilter(current: WorkspaceAppFilter, version: string | undefined): Promise<WorkspaceAppFilter | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<ModeItem>();
    pick.title = vscode.l10n.t('Filter Workspace Apps');
    pick.placeholder = vscode.l10n.t('Type part of a name to search for (optional), then pick the kind of app');
    const items = filterModes(version).map(
      (mode): ModeItem => ({
        mode,
        label: mode === 'all' ? vscode.l10n.t('All') : filterModeLabel(mode),
        description: mode === current.mode ? vscode.l10n.t('current') : undefined,
        // The typed text is a name to search for, not a filter of these items.
        alwaysShow: true,
      }),
    );
    pick.items = items;
    pick.value = current.name;
    pick.activeItems = items.filter((i) => i.mode === current.mode);
    pick.onDidAccept(() => {
      const item = pick.activeItems[0];
      resolve(item ? workspaceAppFilter(item.mode, pick.value) : undefined);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
