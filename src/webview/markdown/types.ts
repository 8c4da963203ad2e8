// What the chat view gives the markdown renderer: where user actions go, and the words of its buttons.

export interface MarkdownHooks {
  /** Copy button of a code block. */
  onCopy(code: string): void;
  /** Insert at cursor. */
  onInsert(code: string): void;
  /** Apply (the host opens a diff). */
  onApply(code: string, language: string): void;
  /** A link was clicked; only http, https and mailto links reach this. */
  onLink(href: string): void;
}

export interface MarkdownLabels {
  copy: string;
  copied: string;
  insert: string;
  apply: string;
  loadImage: string;
  imageBlocked: string;
}
