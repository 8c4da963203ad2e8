// The status bar shows the default chat app; a warning when its key is missing or its last check failed.
import * as vscode from 'vscode';
import type { ProfileStore } from '../../core/profile-store.js';
import { modeLabel } from './inputs.js';

export class DefaultAppStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dify.defaultApp', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ProfileStore) {
    this.item.name = vscode.l10n.t('Dify Chat App');
    this.item.command = 'dify.chooseDefaultChatApp';
    this.subscription = store.onDidChange((change) => change.kind === 'app' && void this.update());
    void this.update();
  }

  async update(): Promise<void> {
    const app = this.store.defaultChatApp();
    if (!app) {
      this.item.text = '$(comment-discussion) Dify';
      this.item.tooltip = vscode.l10n.t('No Dify chat app yet: click to add one.');
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const hasKey = await this.store.hasKey(app.id);
    const problem = !hasKey ? vscode.l10n.t('No key is stored for this app.') : app.lastCheck?.problem ? vscode.l10n.t('The last connection check failed.') : undefined;
    this.item.text = `${problem ? '$(warning)' : '$(comment-discussion)'} Dify: ${app.label}`;
    this.item.tooltip = [`${app.label} (${modeLabel(app.mode)})`, app.baseUrl, problem, vscode.l10n.t('Click to choose the default chat app.')]
      .filter(Boolean)
      .join('\n');
    this.item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
