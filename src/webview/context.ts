// What every part of the view shares: the words, the way to the host, and the remembered view state.
import type { ChatStrings, WebviewMessage } from '../protocol.js';
import type { MarkdownHooks } from './markdown/index.js';
import type { ViewStateStore } from './view-state.js';

export interface ViewContext {
  readonly strings: ChatStrings;
  post(message: WebviewMessage): void;
  readonly viewState: ViewStateStore;
  readonly markdownHooks: MarkdownHooks;
}
