// What every part of the view shares: the words, the way to the host, and the remembered view state.
import type { ChatStrings, Reply, RequestBody, WebviewMessage } from '../protocol.js';
import type { MarkdownHooks } from './markdown/index.js';
import type { ViewStateStore } from './view-state.js';

export interface ViewContext {
  readonly strings: ChatStrings;
  post(message: WebviewMessage): void;
  /** Posts a request the host may refuse, and resolves with its decision. */
  request(message: RequestBody): Promise<Reply>;
  readonly viewState: ViewStateStore;
  readonly markdownHooks: MarkdownHooks;
}
