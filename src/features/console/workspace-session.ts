// The one Dify console the user is signed in to: its client (built on first use from the stored refresh token, with
// the same network settings and log as every other Dify call), sign-in and sign-out, and the `dify.signedIn` context
// key the menus follow.
import * as vscode from 'vscode';
import type { ConsoleAccount, ConsoleAccounts } from '../../core/console-account.js';
import { ConsoleClient, DifyConsoleSessionError, type StoredConsoleSession } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';

export class WorkspaceSession implements vscode.Disposable {
  private current: ConsoleClient | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Signed in, signed out, or another workspace made current. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly accounts: ConsoleAccounts,
    private readonly connections: DifyConnections,
  ) {
    void this.updateContext();
  }

  get account(): ConsoleAccount | undefined {
    return this.accounts.account();
  }

  /** The signed-in console's client; throws DifyConsoleSessionError('signed_out') when there is none. */
  async client(): Promise<ConsoleClient> {
    const account = this.account;
    if (!account) throw new DifyConsoleSessionError('signed_out', '', 'sign-in', undefined);
    if (this.current?.origin !== account.origin) this.current = await this.create(account.origin, await this.accounts.session());
    return this.current;
  }

  /** The client when signed in; otherwise undefined, after offering to sign in. */
  async signedInClient(): Promise<ConsoleClient | undefined> {
    const client = this.account ? await this.client().catch(() => undefined) : undefined;
    if (client?.signedIn) return client;
    const signIn = vscode.l10n.t('Sign In…');
    if ((await vscode.window.showInformationMessage(vscode.l10n.t('Not signed in to a Dify workspace. Sign in first.'), signIn)) === signIn) {
      await vscode.commands.executeCommand('dify.signIn');
    }
    return undefined;
  }

  /** Network settings, timeouts and the request log, as every Dify call has them. */
  connectionOptions(): ReturnType<DifyConnections['checkOptions']> {
    return this.connections.checkOptions('Dify console');
  }

  /** A client for a sign-in to `origin`: it becomes the current one only once signedIn() is called. */
  async create(origin: string, session?: StoredConsoleSession): Promise<ConsoleClient> {
    return new ConsoleClient({
      ...(await this.connectionOptions()),
      consoleUrl: origin,
      session,
      onSession: (s) => {
        void this.accounts.saveSession(origin, s);
        if (!s && this.current?.origin === origin) void this.updateContext();
      },
    });
  }

  /** `workspace`: the name of the account's current workspace, when Dify said it. */
  async signedIn(client: ConsoleClient, email: string, workspace: string | undefined): Promise<void> {
    await this.accounts.signedIn({ origin: client.origin, email, workspace }, client.session);
    this.current = client;
    await this.updateContext();
    this.changed.fire();
  }

  /** Revokes the refresh token on Dify (best effort) and forgets the session here. */
  async signOut(): Promise<void> {
    const client = this.account ? await this.client().catch(() => undefined) : undefined;
    try {
      await client?.logout();
    } finally {
      await this.accounts.signOut();
      this.current = undefined;
      await this.updateContext();
      this.changed.fire();
    }
  }

  /** After a workspace switch: its name is kept, and views listing the workspace's apps and datasets reload. */
  async workspaceChanged(name: string): Promise<void> {
    await this.accounts.workspaceSwitched(name);
    this.changed.fire();
  }

  private async updateContext(): Promise<void> {
    const signedIn = this.account !== undefined && (await this.accounts.session()) !== undefined;
    await vscode.commands.executeCommand('setContext', 'dify.signedIn', signedIn);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
