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
  const body = head.slice(OPEN.length);
  const end = body.indexOf(CLOSE);
  if (end < 0) {
    // Hold back a partial `</think>` at the very end, so it does not show as reasoning text.
    let keep = body.length;
    for (let n = Math.min(CLOSE.length - 1, body.length); n > 0; n--) {
      if (CLOSE.startsWith(body.slice(body.length - n))) {
        keep = body.length - n;
        break;
      }
    }
    return { thinking: body.slice(0, keep).trim(), closed: false, answer: '' };
  }
  return { thinking: body.slice(0, end).trim(), closed: true, answer: body.slice(end + CLOSE.length).replace(/^\s+/, '') };
}

/** The folded "Thinking" section above an answer: open while the model thinks, closed once the answer starts. */
export class ThinkingSection {
  private details: HTMLDetailsElement | undefined;

  constructor(
    private readonly answer: HTMLElement,
    private readonly title: string,
  ) {}

  show(split: ReasoningSplit, tagSeen: boolean): void {
    const text = split.thinking;
    if (text === undefined || (text === '' && !tagSeen)) {
      this.details?.remove();
      this.details = undefined;
      return;
    }
    if (!this.details) {
      this.details = el('details', 'turn-thinking') as HTMLDetailsElement;
      this.details.open = true;
      this.details.append(el('summary', '', this.title), el('div', 'turn-thinking-text'));
      this.answer.before(this.details);
    }
    const body = this.details.lastElementChild as HTMLElement;
    // Plain text, like everything from the model outside the markdown renderer.
    if (body.textContent !== text) body.textContent = text;
    if (split.closed && this.details.dataset.closed !== 'true') {
      this.details.dataset.closed = 'true';
      this.details.open = false;
    }
  }
}
