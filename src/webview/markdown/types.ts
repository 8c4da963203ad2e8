// What the chat view gives the markdown renderer: where user actions go, and the words of its buttons.
import type { ChatStrings } from '../../protocol.js';

export interface MarkdownHooks {
  /** Copy button of a code block. */
  onCopy(code: string): void;
  /** Insert at cursor. */
  onInsert(code: string): void;
  /** Apply (the host opens a diff). */
  onApply(code: string, language: string): void;
  /** A link was clicked; only http, https and mailto links reach this. */
  onLink(href: string): void;
  /** The origin of the app's Dify server: images from it may carry a query (its file links are signed). */
  difyOrigin(): string | undefined;
}

/** The renderer's words: the chat view's own strings for code blocks and images. */
export type MarkdownLabels = Pick<ChatStrings, 'copy' | 'copied' | 'insert' | 'apply' | 'loadImage' | 'imageBlocked' | 'imageBlockedLocal' | 'imageBlockedQuery'>;
