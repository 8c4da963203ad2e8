// Builds Dify clients for profiles: the key from SecretStorage (only for the origin it was entered for, or after the
// user agrees), the user id, the dispatcher from the network settings, and request lines into the log.
import type { Dispatcher } from 'undici';
import * as vscode from 'vscode';
import type { AppProfile, KnowledgeProfile, Profile, ProfileStore } from '../../core/profile-store.js';
import { AppClient, createDispatcher, describeNetworkSettings, KnowledgeClient, type DifyClientOptions } from '../../dify/index.js';
import type { DifyLog } from '../../platform/log.js';
import { affectsNetwork, endUserId, networkSettings, streamTimeouts } from '../../platform/settings.js';

/** The key cannot be used: none stored, or the user declined to send it to a new origin. */
export class KeyUnavailableError extends Error {
  constructor(
    readonly profile: Profile,
    readonly reason: 'missing' | 'declined',
  ) {
    super(
      reason === 'missing'
        ? vscode.l10n.t('No key is stored for "{0}". Run "Dify: Set or Replace Key".', profile.label)
        : vscode.l10n.t('The key of "{0}" was not sent to its new URL.', profile.label),
    );
  }
}

export class DifyConnections implements vscode.Disposable {
  private dispatcher: Promise<Dispatcher> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: ProfileStore,
    private readonly log: DifyLog,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsNetwork(e)) return;
      this.log.info('Network settings changed: the next request uses them.');
      this.resetNetwork();
    });
  }

  async appClient(profile: AppProfile): Promise<AppClient> {
    return new AppClient({ ...(await this.options(profile)), user: await endUserId() });
  }

  async knowledgeClient(profile: KnowledgeProfile): Promise<KnowledgeClient> {
    return new KnowledgeClient(await this.options(profile));
  }

  /** Options for a connection check before a profile exists (the key is the one just typed). */
  async checkOptions(label: string): Promise<Omit<DifyClientOptions, 'baseUrl' | 'apiKey'>> {
    return { dispatcher: await this.network(), onRequest: (e) => this.log.request(e, label), timeouts: streamTimeouts() };
  }

  private async options(profile: Profile): Promise<DifyClientOptions> {
    const apiKey = await this.keyFor(profile);
    return { baseUrl: profile.baseUrl, apiKey, ...(await this.checkOptions(profile.label)) };
  }

  /** The profile's key, asking the user first if its URL moved to another origin since the key was entered. */
  async keyFor(profile: Profile): Promise<string> {
    const lookup = await this.store.key(profile.id);
    if (lookup.status === 'ok') {
      this.log.registerSecret(lookup.key);
      return lookup.key;
    }
    if (lookup.status === 'missing') throw new KeyUnavailableError(profile, 'missing');
    const send = vscode.l10n.t('Send Key to {0}', lookup.now);
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('The key of "{0}" was entered for {1}, but the app now points at {2}. Send the key there?', profile.label, lookup.enteredFor, lookup.now),
      { modal: true },
      send,
    );
    if (answer !== send) throw new KeyUnavailableError(profile, 'declined');
    await this.store.confirmOrigin(profile);
    const confirmed = await this.store.key(profile.id);
    if (confirmed.status !== 'ok') throw new KeyUnavailableError(profile, 'missing');
    this.log.registerSecret(confirmed.key);
    return confirmed.key;
  }

  private network(): Promise<Dispatcher> {
    if (!this.dispatcher) {
      const created = networkSettings().then((settings) => {
        this.log.info(`Network: ${describeNetworkSettings(settings)}${settings.extraCaFile ? `, extra CA file ${settings.extraCaFile}` : ''}`);
        return createDispatcher(settings);
      });
      // A CA file that cannot be read is reported on every use until the setting is fixed.
      created.catch(() => {
        if (this.dispatcher === created) this.dispatcher = undefined;
      });
      this.dispatcher = created;
    }
    return this.dispatcher;
  }

  private resetNetwork(): void {
    const old = this.dispatcher;
    this.dispatcher = undefined;
    void old?.then((d) => d.close()).catch(() => undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.resetNetwork();
  }
}
