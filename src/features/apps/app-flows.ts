// Adding, checking and changing apps and knowledge keys. Every step can be cancelled with Escape; when a check
// fails, the flow goes back to the step to fix, with what the user typed still there and the problem shown.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { checkApp, checkKnowledge, DIFY_CLOUD_API, type AppCheck, type ConnectionProblem, type KnowledgeCheck } from '../../core/connection-check.js';
import { isChatApp, originOf, type AppProfile, type KnowledgeProfile, type Profile, type ProfileStore } from '../../core/profile-store.js';
import { endUserId } from '../../platform/settings.js';
import type { DifyConnections } from './connections.js';
import { ask, askBaseUrl, askKey, modeLabel } from './inputs.js';
import { errorMessage, problemMessage } from './messages.js';
import { datasetCount } from '../../platform/counts.js';

type Step = 'url' | 'key';

/** Which step fixes a problem, or undefined when only a retry can (network, disabled app). */
function stepFor(problem: ConnectionProblem): Step | undefined {
  switch (problem.kind) {
    case 'invalid_url':
    case 'missing_v1':
    case 'console_url':
      return 'url';
    case 'wrong_key_kind':
    case 'invalid_key':
      return 'key';
    default:
      return undefined;
  }
}

/** The profile of an app whose key passed the check. */
export function appProfileOf(check: Extract<AppCheck, { ok: true }>, label: string): AppProfile {
  const { info } = check;
  return { id: randomUUID(), kind: 'app', label, baseUrl: check.baseUrl, mode: info.mode, appName: info.name, description: info.description, lastCheck: { at: Date.now() } };
}

export class AppFlows {
  constructor(
    private readonly store: ProfileStore,
    private readonly connections: DifyConnections,
  ) {}

  async addApp(): Promise<AppProfile | undefined> {
    const title = vscode.l10n.t('Add Dify App');
    const entered = await this.askAndCheck(title, 'app', this.lastBaseUrl(), (url, key, label) => this.checkApp(url, key, label));
    if (!entered) return undefined;
    const { check, key } = entered;
    const label = await ask({
      title,
      value: check.info.name,
      prompt: vscode.l10n.t('A name for this app in VS Code ({0}).', modeLabel(check.info.mode)),
      validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')),
    });
    if (label === undefined) return undefined;
    const profile = appProfileOf(check, label);
    await this.store.add(profile, key);
    const unpublished = check.parameters === undefined ? ' ' + vscode.l10n.t('(It has no published configuration yet.)') : '';
    void vscode.window.showInformationMessage(vscode.l10n.t('Added "{0}" ({1}).', label, modeLabel(profile.mode)) + unpublished);
    return profile;
  }

  async addKnowledgeKey(): Promise<KnowledgeProfile | undefined> {
    const title = vscode.l10n.t('Add Dify Knowledge Key');
    const entered = await this.askAndCheck(title, 'dataset', this.lastBaseUrl(), (url, key, label) => this.checkKnowledge(url, key, label));
    if (!entered) return undefined;
    const host = new URL(entered.check.baseUrl).host;
    const label = await ask({
      title,
      value: vscode.l10n.t('Knowledge on {0}', host),
      prompt: vscode.l10n.t('A name for this knowledge key ({0}).', datasetCount(entered.check.datasetCount)),
      validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')),
    });
    if (label === undefined) return undefined;
    const profile: KnowledgeProfile = { id: randomUUID(), kind: 'knowledge', label, baseUrl: entered.check.baseUrl, lastCheck: { at: Date.now() } };
    await this.store.add(profile, entered.key);
    void vscode.window.showInformationMessage(vscode.l10n.t('Added knowledge key "{0}".', label));
    return profile;
  }

  /** Replaces a profile's key after checking the new one against its URL. */
  async setKey(profile: Profile): Promise<boolean> {
    const expected = profile.kind === 'app' ? 'app' : 'dataset';
    const title = vscode.l10n.t('Set Key for "{0}"', profile.label);
    let problem: string | undefined;
    let value = '';
    for (;;) {
      const key = await askKey(title, expected, value, problem);
      if (key === undefined) return false;
      value = key;
      const check = await this.check(profile, profile.baseUrl, key);
      if (check.ok) {
        await this.store.setKey(profile.id, key);
        await this.recordCheck(profile, check);
        void vscode.window.showInformationMessage(vscode.l10n.t('The key of "{0}" is saved and works.', profile.label));
        return true;
      }
      problem = problemMessage(check.problem);
      if (stepFor(check.problem) !== 'key' && !(await this.retry(problem))) return false;
    }
  }

  /** Checks a saved profile with its stored key and records the outcome (shown in the tree and status bar). */
  async testConnection(profile: Profile): Promise<boolean> {
    let key: string;
    try {
      key = await this.connections.keyFor(profile);
    } catch (e) {
      await this.offerFix(profile, errorMessage(e), 'missing_key');
      return false;
    }
    const check = await this.check(profile, profile.baseUrl, key);
    await this.recordCheck(profile, check);
    if (check.ok) {
      const detail = check.kind === 'app' ? modeLabel(check.result.info.mode) : datasetCount(check.result.datasetCount);
      void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" works ({1}).', profile.label, detail));
      return true;
    }
    await this.offerFix(profile, problemMessage(check.problem), check.problem.kind);
    return false;
  }

  async edit(profile: Profile): Promise<void> {
    const rename = vscode.l10n.t('Rename…');
    const url = vscode.l10n.t('Change URL…');
    const key = vscode.l10n.t('Replace Key…');
    const choice = await vscode.window.showQuickPick([rename, url, key], { title: vscode.l10n.t('Edit "{0}"', profile.label) });
    if (choice === rename) {
      const label = await ask({ title: choice, value: profile.label, validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')) });
      if (label) await this.store.update(profile.id, { label });
    } else if (choice === url) {
      await this.changeUrl(profile);
    } else if (choice === key) {
      await this.setKey(profile);
    }
  }

  async remove(profile: Profile): Promise<void> {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}" and delete its key from this computer?', profile.label),
      { modal: true },
      remove,
    );
    if (answer === remove) await this.store.remove(profile.id);
  }

  async chooseDefaultChatApp(): Promise<void> {
    const chatApps = this.store.apps().filter(isChatApp);
    if (chatApps.length === 0) {
      const add = vscode.l10n.t('Add App…');
      if ((await vscode.window.showInformationMessage(vscode.l10n.t('No Dify chat app is configured yet.'), add)) === add) await this.addApp();
      return;
    }
    const current = this.store.defaultChatApp()?.id;
    const picked = await vscode.window.showQuickPick(
      chatApps.map((p) => ({
        label: p.label,
        description: `${modeLabel(p.mode)}${p.id === current ? ` · ${vscode.l10n.t('default')}` : ''}`,
        detail: p.baseUrl,
        id: p.id,
      })),
      { title: vscode.l10n.t('Default Dify Chat App'), placeHolder: vscode.l10n.t('The app the chat view and the status bar use') },
    );
    if (picked) await this.store.setDefaultChatApp(picked.id);
  }

  // ------------------------------------------------------------------------------------------ internals

  /** Asks URL and key until the check passes or the user cancels. */
  private async askAndCheck<C extends AppCheck | KnowledgeCheck>(
    title: string,
    expected: 'app' | 'dataset',
    initialUrl: string,
    check: (url: string, key: string, label: string) => Promise<C>,
  ): Promise<{ check: Extract<C, { ok: true }>; key: string } | undefined> {
    let url = initialUrl;
    let key = '';
    let step: Step = 'url';
    let problem: string | undefined;
    for (;;) {
      if (step === 'url') {
        const answer = await askBaseUrl(title, url, problem);
        if (answer === undefined) return undefined;
        url = answer;
        problem = undefined;
      }
      const typedKey = await askKey(title, expected, key, step === 'key' ? problem : undefined);
      if (typedKey === undefined) return undefined;
      key = typedKey;
      const result = await check(url, key, title);
      if (result.ok) return { check: result as Extract<C, { ok: true }>, key };
      problem = problemMessage(result.problem);
      const next = stepFor(result.problem);
      if (result.problem.kind === 'missing_v1' || result.problem.kind === 'console_url') url = result.problem.suggestedUrl ?? url;
      if (next) step = next;
      else {
        // Nothing to fix in the boxes (network, certificate, disabled app): retry as is, or go back to the URL.
        const choice = await this.retryOrEditUrl(problem);
        if (!choice) return undefined;
        step = choice;
      }
    }
  }

  private async retryOrEditUrl(problem: string): Promise<Step | undefined> {
    const retry = vscode.l10n.t('Retry');
    const changeUrl = vscode.l10n.t('Change URL…');
    const choice = await vscode.window.showErrorMessage(problem, retry, changeUrl);
    return choice === retry ? 'key' : choice === changeUrl ? 'url' : undefined;
  }

  private async retry(problem: string): Promise<boolean> {
    const retry = vscode.l10n.t('Retry');
    return (await vscode.window.showErrorMessage(problem, retry)) === retry;
  }

  private async changeUrl(profile: Profile): Promise<void> {
    const title = vscode.l10n.t('Change URL of "{0}"', profile.label);
    let url = profile.baseUrl;
    let problem: string | undefined;
    for (;;) {
      const answer = await askBaseUrl(title, url, problem);
      if (answer === undefined) return;
      url = answer;
      const lookup = await this.store.key(profile.id);
      if (lookup.status === 'missing') {
        await this.store.update(profile.id, { baseUrl: url });
        return void (await this.setKey(this.store.get(profile.id)!));
      }
      let newOrigin: string;
      try {
        newOrigin = originOf(url.includes('://') ? url : `https://${url}`);
      } catch {
        problem = problemMessage({ kind: 'invalid_url', detail: url });
        continue;
      }
      if (lookup.status === 'ok' && newOrigin !== originOf(profile.baseUrl)) {
        const send = vscode.l10n.t('Send Key to {0}', newOrigin);
        const answer2 = await vscode.window.showWarningMessage(
          vscode.l10n.t('The key of "{0}" was entered for {1}. Send it to {2} to check the new URL?', profile.label, originOf(profile.baseUrl), newOrigin),
          { modal: true },
          send,
        );
        if (answer2 !== send) return;
      }
      const key = lookup.status === 'ok' ? lookup.key : '';
      const check = await this.check(profile, url, key);
      if (check.ok) {
        const baseUrl = check.result.baseUrl;
        const updated = await this.store.update(profile.id, { baseUrl }, true);
        await this.recordCheck(updated, check);
        void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" now uses {1}.', profile.label, baseUrl));
        return;
      }
      problem = problemMessage(check.problem);
      if (check.problem.kind === 'missing_v1' || check.problem.kind === 'console_url') url = check.problem.suggestedUrl ?? url;
      if (stepFor(check.problem) !== 'url' && !(await this.retry(problem))) return;
    }
  }

  private async check(profile: Profile, url: string, key: string): Promise<TaggedCheck> {
    if (profile.kind === 'app') {
      const result = await this.checkApp(url, key, profile.label);
      return result.ok ? { ok: true, kind: 'app', result } : result;
    }
    const result = await this.checkKnowledge(url, key, profile.label);
    return result.ok ? { ok: true, kind: 'knowledge', result } : result;
  }

  /** Checks an app's URL and key (with a progress notification). */
  async checkApp(url: string, key: string, label: string): Promise<AppCheck> {
    const options = await this.connections.checkOptions(label);
    return progress(url, async () => checkApp(url, key, await endUserId(), options));
  }

  /** Checks a knowledge key against its URL (with a progress notification). */
  async checkKnowledge(url: string, key: string, label: string): Promise<KnowledgeCheck> {
    const options = await this.connections.checkOptions(label);
    return progress(url, () => checkKnowledge(url, key, options));
  }

  private async recordCheck(profile: Profile, check: TaggedCheck): Promise<void> {
    const lastCheck = { at: Date.now(), problem: check.ok ? undefined : check.problem.kind };
    if (check.ok && check.kind === 'app') {
      const { info } = check.result;
      await this.store.update(profile.id, { lastCheck, mode: info.mode, appName: info.name, description: info.description });
    } else {
      await this.store.update(profile.id, { lastCheck });
    }
  }

  private async offerFix(profile: Profile, message: string, problem: string): Promise<void> {
    const setKey = vscode.l10n.t('Set Key…');
    const edit = vscode.l10n.t('Edit…');
    const actions = problem === 'invalid_key' || problem === 'wrong_key_kind' || problem === 'missing_key' ? [setKey, edit] : [edit];
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('"{0}": {1}', profile.label, message), ...actions);
    if (choice === setKey) await this.setKey(profile);
    else if (choice === edit) await this.edit(profile);
  }

  private lastBaseUrl(): string {
    return this.store.all().at(-1)?.baseUrl ?? DIFY_CLOUD_API;
  }
}

type TaggedCheck =
  | { ok: true; kind: 'app'; result: Extract<AppCheck, { ok: true }> }
  | { ok: true; kind: 'knowledge'; result: Extract<KnowledgeCheck, { ok: true }> }
  | { ok: false; problem: ConnectionProblem };

function progress<T>(url: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', url) },
      task,
    ),
  );
}
