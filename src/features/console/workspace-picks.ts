// Adding apps and knowledge from the signed-in workspace without copying keys: pick an app (paged, searched by name on
// Dify, filtered by kind as you type) or press its Add button in the Apps view, and the extension reuses one of its
// Service API keys or creates one, checks it like a hand-entered key, and stores it the same way. Switching the
// workspace says first that Dify switches it for the account's browser sessions too.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AppProfile, KnowledgeProfile, ProfileStore } from '../../core/profile-store.js';
import { addedAs, WorkspaceApps, workspaceAppFilter } from '../../core/workspace-apps.js';
import { serviceApiBaseUrl, type ConsoleApp, type ConsoleClient } from '../../dify/index.js';
import { appProfileOf, type AppFlows } from '../apps/app-flows.js';
import { modeLabel } from '../apps/inputs.js';
import { problemMessage } from '../apps/messages.js';
import { workspaceMessage } from './console-messages.js';
import type { WorkspaceSession } from './workspace-session.js';
import { workspaceAppKind } from './workspace-tree.js';

const PAGE = 50;

export class WorkspacePicks {
  constructor(
    private readonly session: WorkspaceSession,
    private readonly store: ProfileStore,
    private readonly flows: AppFlows,
  ) {}

  /**
   * Adds `app` of the workspace (a row of the Apps view), or the one picked: one of its Service API keys reused, or
   * one created, checked like a hand-entered key.
   */
  async addApp(app?: ConsoleApp): Promise<void> {
    const client = await this.session.signedInClient();
    if (!client) return;
    try {
      app ??= await pickApp(client, { title: vscode.l10n.t('Add App from Dify Workspace ({0})', client.host), mine: () => this.store.apps() });
      if (!app) return;
      const detail = await client.app(app.id);
      if (!detail.enable_api) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('The API of "{0}" is switched off in Dify. Turn on its "Backend service API" (API Access page of the app), then add it again.', app.name),
        );
        return;
      }
      const baseUrl = serviceApiBaseUrl(client.origin, detail.api_base_url);
      if (addedAs(this.store.apps(), baseUrl, app)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" is already in your Dify apps.', app.name));
        return;
      }
      const key = (await client.appApiKeys(app.id))[0]?.token ?? (await client.createAppApiKey(app.id)).token;
      const check = await this.flows.checkApp(baseUrl, key, app.name);
      if (!check.ok) {
        void vscode.window.showErrorMessage(vscode.l10n.t('"{0}": {1}', app.name, problemMessage(check.problem)));
        return;
      }
      const profile = appProfileOf(check, app.name);
      await this.store.add(profile, key);
      void vscode.window.showInformationMessage(vscode.l10n.t('Added "{0}" ({1}) from the workspace.', profile.label, modeLabel(profile.mode)));
    } catch (e) {
      void vscode.window.showErrorMessage(workspaceMessage(e));
    }
  }

  /** The workspace's knowledge: one of its Knowledge API keys reused, or one created (admins and owners only). */
  async addKnowledge(): Promise<void> {
    const client = await this.session.signedInClient();
    if (!client) return;
    try {
      const baseUrl = await client.apiBaseUrl();
      if (this.store.knowledge().some((p) => p.baseUrl === baseUrl)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('The knowledge of this workspace is already in your Dify views.'));
        return;
      }
      const workspace = (await client.workspaces()).find((w) => w.current);
      const key = (await client.datasetApiKeys())[0]?.token ?? (await client.createDatasetApiKey()).token;
      const label = workspace ? vscode.l10n.t('Knowledge of {0}', workspace.name) : vscode.l10n.t('Knowledge on {0}', client.host);
      const check = await this.flows.checkKnowledge(baseUrl, key, label);
      if (!check.ok) {
        void vscode.window.showErrorMessage(vscode.l10n.t('"{0}": {1}', label, problemMessage(check.problem)));
        return;
      }
      const profile: KnowledgeProfile = { id: randomUUID(), kind: 'knowledge', label, baseUrl: check.baseUrl, lastCheck: { at: Date.now() } };
      await this.store.add(profile, key);
      void vscode.window.showInformationMessage(vscode.l10n.t('Added knowledge key "{0}".', label));
    } catch (e) {
      void vscode.window.showErrorMessage(workspaceMessage(e));
    }
  }

  async switchWorkspace(): Promise<void> {
    const client = await this.session.signedInClient();
    if (!client) return;
    try {
      const workspaces = await client.workspaces();
      const picked = await vscode.window.showQuickPick(
        workspaces.map((w) => ({ label: w.name, description: w.current ? vscode.l10n.t('current') : undefined, id: w.id, current: w.current })),
        { title: vscode.l10n.t('Dify Workspaces on {0}', client.host), placeHolder: vscode.l10n.t('The workspace whose apps and knowledge you add') },
      );
      if (!picked || picked.current) return;
      const switchTo = vscode.l10n.t('Switch');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Switch to "{0}"? Dify switches the current workspace of the account, so your browser sessions of this Dify switch too.', picked.label),
        { modal: true },
        switchTo,
      );
      if (answer !== switchTo) return;
      await client.switchWorkspace(picked.id);
      await this.session.workspaceChanged(picked.label);
      void vscode.window.showInformationMessage(vscode.l10n.t('The current Dify workspace is now "{0}".', picked.label));
    } catch (e) {
      void vscode.window.showErrorMessage(workspaceMessage(e));
    }
  }
}

type AppItem = vscode.QuickPickItem & { app?: ConsoleApp; more?: boolean };

/**
/**
 * The workspace's apps in a quick pick titled `title` (those added already say so when `mine` gives the user's apps),
 * filtered as you type by name or kind (only those of `modes` when given); when the workspace has more apps than one
 * page, typing also asks Dify for the apps whose name contains the text, and "Load more" pages.
 */
export function pickApp(
  client: ConsoleClient,
  options: { title: string; mine?: () => AppProfile[]; modes?: readonly string[] },
): Promise<ConsoleApp | undefined> {
  return new Promise((resolve, reject) => {
    const pick = vscode.window.createQuickPick<AppItem>();
    pick.title = options.title;
    pick.placeholder = vscode.l10n.t('Type to search apps by name or kind');
    pick.matchOnDescription = true;
    const apps = new WorkspaceApps(async () => client, PAGE);
    let everything = false;
    let timer: NodeJS.Timeout | undefined;
    const render = () => {
      const items: AppItem[] = apps.items
        .filter((app) => !options.modes || options.modes.includes(app.mode))
        .map((app) => ({
          label: app.name,
          description: workspaceAppKind(app, options.mine ? addedAs(options.mine(), apps.baseUrl, app) : undefined),
          detail: app.description || undefined,
          app,
        }));
      if (apps.hasMore) items.push({ label: `$(more) ${vscode.l10n.t('Load more…')}`, alwaysShow: true, more: true });
      pick.items = items;
    };
    const load = async (fetch: () => Promise<void>) => {
      const filter = apps.filter;
      pick.busy = true;
      await fetch();
      if (apps.filter !== filter) return; // typed on meanwhile: the newer search shows
      pick.busy = false;
      if (apps.error) {
        reject(apps.error); // before hide(), whose onDidHide would settle the pick as dismissed
        pick.hide();
        return;
      }
      everything ||= !apps.hasMore && !apps.filter.name;
      render();
    };
    pick.onDidChangeValue((value) => {
      clearTimeout(timer);
      if (everything) return; // all apps are listed: the quick pick's own filter is enough
      timer = setTimeout(() => {
        apps.setFilter(workspaceAppFilter('all', value));
        void load(() => apps.refresh());
      }, 300);
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (item?.more) return void load(() => apps.loadMore());
      resolve(item?.app);
      pick.hide();
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
    void load(() => apps.refresh());
  });
}
