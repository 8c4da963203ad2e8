// The chat sidebar: a webview view whose page is rebuilt whenever VS Code shows it again (no
// retainContextWhenHidden); the controller keeps the truth and rehydrates the page when it says `ready`.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage } from '../../protocol.js';
import { originOf, type ProfileStore } from '../../core/profile-store.js';
import type { DifyLog } from '../../platform/log.js';
import type { ChatController } from './chat-controller.js';
import { chatStrings } from './chat-strings.js';
import { chatHtml } from './webview-html.js';

export const CHAT_VIEW_ID = 'dify.chat';

export class ChatViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
    private readonly store: ProfileStore,
    private readonly log: DifyLog,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const { webview } = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    const asUri = (base: vscode.Uri, ...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(base, ...path)).toString();
    webview.html = chatHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: asUri(dist, 'webview.js'),
      styleUris: [asUri(dist, 'codicons', 'codicon.css'), asUri(media, 'markdown.css'), asUri(media, 'chat.css')],
      // Files Dify sends with answers are served by the app's own server: allow those origins (a click loads them).
      imgSources: [...new Set(this.store.apps().map((p) => originOf(p.baseUrl)))],
      strings: chatStrings(),
      lang: vscode.env.language,
    });
    let ready = false;
    const port = {
      post: (message: HostMessage) => {
        if (ready) void webview.postMessage(message);
      },
    };
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          this.log.warn(`Chat view: ignored a malformed message (${describe(raw)}).`);
          return;
        }
        if (message.type === 'ready') {
          ready = true;
          this.controller.connect(port);
          return;
        }
        this.controller.handle(message).catch((error: unknown) => this.log.error(`Chat view (${message.type}): ${(error as Error).message}`));
      }),
      // Hidden means the page is gone: post nothing until the next `ready`.
      view.onDidChangeVisibility(() => {
        if (!view.visible) ready = false;
      }),
    ];
    view.onDidDispose(() => {
      ready = false;
      if (this.view === view) this.view = undefined;
      this.controller.connect(undefined);
      subscriptions.forEach((s) => s.dispose());
    });
  }

  /** Shows the chat view (creating it if needed). */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }
}

function describe(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `type ${type.slice(0, 40)}` : typeof raw;
}
