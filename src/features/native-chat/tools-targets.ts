// What the language model tools may reach: the apps and knowledge bases the user enabled, by the names the Apps and
// Knowledge views show (settings `dify.tools.workflowApps`, `dify.tools.knowledgeBases`; nothing until enabled).
import * as vscode from 'vscode';
import type { AppProfile, KnowledgeProfile, ProfileStore } from '../../core/profile-store.js';
import { isRunnableMode } from '../../core/workflow-run.js';
import type { Dataset } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';

export const CHOOSE_TOOL_TARGETS = 'dify.chooseToolTargets';
const SECTION = 'dify';
export const WORKFLOW_APPS_SETTING = 'tools.workflowApps';
export const KNOWLEDGE_BASES_SETTING = 'tools.knowledgeBases';
/** Datasets are listed this many at a time, and at most this many pages per knowledge key. */
const PAGE = 100;
const MAX_PAGES = 20;

type Setting = typeof WORKFLOW_APPS_SETTING | typeof KNOWLEDGE_BASES_SETTING;

/** The names in a setting, without blanks and repeats. */
export function enabledNames(setting: Setting): string[] {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>(setting);
  const names = Array.isArray(raw) ? raw.filter((n): n is string => typeof n === 'string').map((n) => n.trim()) : [];
  return [...new Set(names.filter(Boolean))];
}

/** Names match as the views show them, ignoring case (a model may write "test workflow"). */
export const sameName = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** The configured workflow and text generator apps that are enabled for tools. */
export function enabledApps(store: ProfileStore): AppProfile[] {
  const names = enabledNames(WORKFLOW_APPS_SETTING);
  return store.apps().filter((p) => isRunnableMode(p.mode) && names.some((n) => sameName(n, p.label)));
}

/** Why a tool can do nothing yet, and how to change that. */
export function nothingEnabledMessage(kind: 'apps' | 'knowledge'): string {
  return kind === 'apps'
    ? vscode.l10n.t(
        'No Dify workflow or text generator app is enabled for chat tools. Run "Dify: Choose Apps for Chat Tools…", or list app names as the Apps view shows them in the "dify.{0}" setting.',
        WORKFLOW_APPS_SETTING,
      )
    : vscode.l10n.t(
        'No Dify knowledge base is enabled for chat tools. Run "Dify: Choose Apps for Chat Tools…", or list knowledge base names as the Knowledge view shows them in the "dify.{0}" setting.',
        KNOWLEDGE_BASES_SETTING,
      );
}

export interface KeyDatasets {
  profile: KnowledgeProfile;
  datasets: Dataset[];
  /** Listing this key's datasets failed. */
  error?: unknown;
}

/** Every dataset of every knowledge key (each key's failure kept beside the others' lists). */
export async function listKnowledgeBases(store: ProfileStore, connections: DifyConnections, signal?: AbortSignal): Promise<KeyDatasets[]> {
  return Promise.all(
    store.knowledge().map(async (profile): Promise<KeyDatasets> => {
      try {
        const client = await connections.knowledgeClient(profile);
        const datasets: Dataset[] = [];
        for (let page = 1; page <= MAX_PAGES; page++) {
          const list = await client.listDatasets({ page, limit: PAGE }, { signal });
          datasets.push(...list.data);
          if (!list.has_more) break;
        }
        return { profile, datasets };
      } catch (error) {
        return { profile, datasets: [], error };
      }
    }),
  );
}

interface TargetItem extends vscode.QuickPickItem {
  setting?: Setting;
  name?: string;
}

const keyOf = (setting: Setting, name: string): string => `${setting}\0${name.toLocaleLowerCase()}`;

/** "Dify: Choose Apps for Chat Tools…": one list of the workflow apps and knowledge bases, the enabled ones ticked. */
export async function chooseToolTargets(store: ProfileStore, connections: DifyConnections): Promise<void> {
  const apps = store.apps().filter((p) => isRunnableMode(p.mode));
  const hasKnowledge = store.knowledge().length > 0;
  if (apps.length === 0 && !hasKnowledge) {
    const add = vscode.l10n.t('Add App…');
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('No Dify workflow app or knowledge key is configured yet: add one to use it as a chat tool.'), add);
    if (answer === add) await vscode.commands.executeCommand('dify.addApp');
    return;
  }
  const enabled = { [WORKFLOW_APPS_SETTING]: enabledNames(WORKFLOW_APPS_SETTING), [KNOWLEDGE_BASES_SETTING]: enabledNames(KNOWLEDGE_BASES_SETTING) };
  // What is ticked, also for names not listed (yet): a knowledge base stays ticked while the lists load.
  const ticked = new Set(Object.entries(enabled).flatMap(([setting, names]) => names.map((n) => keyOf(setting as Setting, n))));
  const item = (setting: Setting, name: string, description?: string): TargetItem => ({ label: name, description, setting, name });
  const notFound = (setting: Setting, listed: TargetItem[]): TargetItem[] =>
    enabled[setting].filter((n) => !listed.some((i) => sameName(i.name!, n))).map((n) => item(setting, n, vscode.l10n.t('not found')));
  const appItems = apps.map((p) => item(WORKFLOW_APPS_SETTING, p.label, modeLabel(p.mode)));

  const pick = vscode.window.createQuickPick<TargetItem>();
  pick.title = vscode.l10n.t('Apps and knowledge bases for chat tools (#difyWorkflow, #difyKnowledge)');
  pick.placeholder = vscode.l10n.t('Tick what language models may run or search; nothing else is exposed.');
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  const show = (bases: TargetItem[]) => {
    const items: TargetItem[] = [
      { label: vscode.l10n.t('Workflow and text generator apps'), kind: vscode.QuickPickItemKind.Separator },
      ...appItems,
      ...notFound(WORKFLOW_APPS_SETTING, appItems),
      { label: vscode.l10n.t('Knowledge bases'), kind: vscode.QuickPickItemKind.Separator },
      ...bases,
    ];
    pick.items = items;
    pick.selectedItems = items.filter((i) => i.setting && i.name && ticked.has(keyOf(i.setting, i.name)));
  };
  pick.onDidChangeSelection((selected) => {
    for (const i of pick.items) if (i.setting && i.name) ticked.delete(keyOf(i.setting, i.name));
    for (const i of selected) if (i.setting && i.name) ticked.add(keyOf(i.setting, i.name));
  });
  show(enabled[KNOWLEDGE_BASES_SETTING].map((n) => item(KNOWLEDGE_BASES_SETTING, n)));
  pick.busy = hasKnowledge;
  const loading = new AbortController();
  void listKnowledgeBases(store, connections, loading.signal).then((keys) => {
    if (loading.signal.aborted) return;
    const bases: TargetItem[] = [];
    for (const { profile, datasets, error } of keys) {
      if (error) bases.push({ label: `$(warning) ${profile.label}`, description: vscode.l10n.t('could not list its knowledge bases'), alwaysShow: true });
      for (const d of datasets) if (!bases.some((b) => b.name && sameName(b.name, d.name))) bases.push(item(KNOWLEDGE_BASES_SETTING, d.name, profile.label));
    }
    show([...bases, ...notFound(KNOWLEDGE_BASES_SETTING, bases)]);
    pick.busy = false;
  });
  const accepted = await new Promise<boolean>((resolve) => {
    pick.onDidAccept(() => resolve(true));
    pick.onDidHide(() => resolve(false));
    pick.show();
  });
  loading.abort();
  const chosen = (setting: Setting) => pick.items.filter((i) => i.setting === setting && i.name && ticked.has(keyOf(setting, i.name))).map((i) => i.name!);
  const apply = accepted && { apps: chosen(WORKFLOW_APPS_SETTING), bases: chosen(KNOWLEDGE_BASES_SETTING) };
  pick.dispose();
  if (!apply) return;
  const config = vscode.workspace.getConfiguration(SECTION);
  await config.update(WORKFLOW_APPS_SETTING, apply.apps, vscode.ConfigurationTarget.Global);
  await config.update(KNOWLEDGE_BASES_SETTING, apply.bases, vscode.ConfigurationTarget.Global);
}
