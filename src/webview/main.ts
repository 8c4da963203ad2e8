// The chat webview's entry: reads the host's words, builds the view, validates every message from the host
// (anything else is dropped) and says `ready`, upon which the host sends the whole state.
import { parseHostMessage, type Reply, type RequestBody, type WebviewMessage } from '../protocol.js';
import { ChatView } from './chat-view.js';
import type { ViewContext } from './context.js';
import { readStrings } from './strings.js';
import { ViewStateStore } from './view-state.js';
import { vscodeApi } from './vscode-api.js';

function start(): void {
  const api = vscodeApi();
  const strings = readStrings();
  const post = (message: WebviewMessage) => api.postMessage(message);
  // Requests wait for the host's reply; one this page never gets (the host went away) leaves its control waiting,
  // and the next `state` rebuilds the view from what the host has.
  const replies = new Map<number, (reply: Reply) => void>();
  let nextRequest = 1;
  const request = (message: RequestBody) =>
    new Promise<Reply>((resolve) => {
      const requestId = nextRequest++;
      replies.set(requestId, resolve);
      post({ ...message, requestId } as WebviewMessage);
    });
  const ctx: ViewContext = {
    strings,
    post,
    request,
    viewState: new ViewStateStore(api),
    markdownHooks: {
      onCopy: (text) => post({ type: 'copy', text }),
      onInsert: (code) => post({ type: 'insertCode', code }),
      onApply: (code, language) => post({ type: 'applyCode', code, language }),
      onLink: (href) => post({ type: 'openLink', href }),
      difyOrigin: () => view.difyOrigin,
    },
  };
  const root = document.getElementById('dify-chat') ?? document.body;
  const view = new ChatView(root, ctx);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseHostMessage(event.data);
    if (!message) return;
    if (message.type === 'reply') {
      replies.get(message.requestId)?.({ ok: message.ok, message: message.message });
      replies.delete(message.requestId);
      return;
    }
    try {
      view.handle(message);
    } catch (error) {
      // One bad message must not take the view down; the next `state` rebuilds it.
      console.error('Dify chat view: could not apply a host message', message.type, error);
    }
  });
  window.addEventListener('pagehide', () => view.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') view.flush();
  });
  post({ type: 'ready' });
}

start();
