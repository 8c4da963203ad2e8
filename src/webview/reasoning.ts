// Reasoning models in Dify (DeepSeek-R1 and the like) start their answer with `<think>…</think>`. Dify's own web app
// folds that into a "Thinking" section; here too, as plain text (never HTML), above the answer's markdown.

import { el } from './dom.js';

const OPEN = '<think>';
const CLOSE = '</think>';

export interface ReasoningSplit {
  /** The reasoning text (without the tags); undefined when the answer has no reasoning block. */
  thinking: string | undefined;
  /** Whether `</think>` has arrived. */
  closed: boolean;
  /** The answer after the reasoning block (the whole text when there is none). */
  answer: string;
  /** Where the reasoning text starts in the text (after `<think>`), when there is a reasoning block. */
  bodyStart?: number;
}

/**
 * Splits an answer (whole or as streamed so far). While the first characters could still become `<think>`, they are
 * held back (answer ''), so a streamed `<thi` never flashes as text.
 */
export function splitReasoning(text: string): ReasoningSplit {
  const start = text.length - text.trimStart().length;
  const head = text.slice(start);
  if (head.length < OPEN.length && OPEN.startsWith(head)) return { thinking: head === '' ? undefined : '', closed: false, answer: '' };
  if (!head.startsWith(OPEN)) return { thinking: undefined, closed: false, answer: text };
  const bodyStart = start + OPEN.length;
  const { end, visibleTo } = scanThinking(text, bodyStart, bodyStart);
  if (end === undefined) return { thinking: text.slice(bodyStart, visibleTo).trim(), closed: false, answer: '', bodyStart };
  return { thinking: text.slice(bodyStart, end).trim(), closed: true, answer: text.slice(end + CLOSE.length).replace(/^\s+/, ''), bodyStart };
}

/**
 * How far an open reasoning block (its text from `bodyStart`) goes now that more text came: only the text from
 * `from` on is searched (and the length of a tag before it), so a streamed block costs what each delta adds. `end`
 * is where `</think>` starts, once it came; otherwise the reasoning text can be shown up to `visibleTo` (a partial
 * `</think>` at the very end is held back, so it never shows as reasoning).
 */
export function scanThinking(text: string, bodyStart: number, from: number): { end: number | undefined; visibleTo: number } {
  const end = text.indexOf(CLOSE, Math.max(bodyStart, from - CLOSE.length + 1));
  if (end >= 0) return { end, visibleTo: end };
  for (let n = Math.min(CLOSE.length - 1, text.length - bodyStart); n > 0; n--) {
    if (CLOSE.startsWith(text.slice(text.length - n))) return { end: undefined, visibleTo: text.length - n };
  }
  return { end: undefined, visibleTo: text.length };
}

/**
 * The folded "Thinking" section above an answer: open while the model thinks, closed once the answer starts. Text
 * streamed into it is added per frame as new text nodes (the text shown so far is never copied again).
 */
export class ThinkingSection {
  private details: HTMLDetailsElement | undefined;
  private body: HTMLElement | undefined;
  private pending = '';
  private frame: number | undefined;
  /** Whether any text shows (leading white space is dropped until then). */
  private started = false;

  constructor(
    private readonly answer: HTMLElement,
    private readonly title: string,
  ) {}

  /** The whole reasoning as it is now (also when it closes). */
  show(split: ReasoningSplit, tagSeen: boolean): void {
    const text = split.thinking;
    this.cancel();
    if (text === undefined || (text === '' && !tagSeen)) {
      this.details?.remove();
      this.details = undefined;
      this.body = undefined;
      this.started = false;
      return;
    }
    const body = this.ensure();
    // Plain text, like everything from the model outside the markdown renderer.
    if (body.textContent !== text) body.textContent = text;
    this.started = text !== '';
    if (split.closed) this.close();
  }

  /** More reasoning text while it streams; shown with the next frame. */
  append(text: string): void {
    this.ensure();
    if (!this.started) text = text.trimStart();
    if (text === '') return;
    this.started = true;
    this.pending += text;
    this.frame ??= requestAnimationFrame(() => this.flush());
  }

  /**
   * Adds what came since the last frame, a block per line: the browser lays out again only the line that grew (one
   * text block of a long reasoning would be laid out whole on every frame).
   */
  private flush(): void {
    this.frame = undefined;
    const body = this.body;
    const lines = this.pending.split('\n');
    this.pending = '';
    if (!body) return;
    let line = body.lastChild instanceof HTMLElement && !body.lastChild.textContent!.endsWith('\n') ? body.lastChild : undefined;
    lines.forEach((text, i) => {
      const last = i === lines.length - 1;
      if (last && text === '') return;
      if (!line) body.append((line = el('div', 'turn-thinking-line')));
      line.append(last ? text : `${text}\n`);
      if (!last) line = undefined;
    });
  }

  private cancel(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.pending = '';
  }

  private close(): void {
    if (this.details && this.details.dataset.closed !== 'true') {
      this.details.dataset.closed = 'true';
      this.details.open = false;
    }
  }

  private ensure(): HTMLElement {
    if (!this.details || !this.body) {
      this.details = el('details', 'turn-thinking') as HTMLDetailsElement;
      this.details.open = true;
      this.body = el('div', 'turn-thinking-text');
      this.details.append(el('summary', '', this.title), this.body);
      this.answer.before(this.details);
    }
    return this.body;
  }
}
