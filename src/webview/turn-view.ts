// One question and its answer: an <article data-turn-id data-status>. Deltas go straight to the answer's
// StreamingMarkdown; a `turn` update rebuilds only the parts whose data changed, so focus and open steps stay put.
import type { ChatTurn, TurnError, TurnNode, Usage } from '../protocol.js';
import { NodeSteps } from './node-steps.js';
import { humanForms } from './human-form.js';
import type { ViewContext } from './context.js';
import { citationsSection } from './citations.js';
import { el, formatSize, icon, iconButton, setLabel, textButton } from './dom.js';
import { errorBox } from './error-box.js';
import { StreamingMarkdown } from './markdown/index.js';
import { messageFiles } from './message-files.js';
import { scanThinking, splitReasoning, ThinkingSection } from './reasoning.js';
import { format } from './strings.js';
import { thoughtStep, visibleThoughts } from './thoughts.js';

const COPIED_MS = 1500;

type Part = 'question' | 'nodes' | 'thoughts' | 'files' | 'forms' | 'notes' | 'error' | 'citations' | 'footer' | 'suggestions';
const ORDER: Part[] = ['question', 'nodes', 'thoughts', 'files', 'forms', 'notes', 'error', 'citations', 'footer', 'suggestions'];
/** Parts that sit under the answer; the others above it. */
const BELOW_ANSWER = new Set<Part>(['files', 'forms', 'notes', 'error', 'citations', 'footer', 'suggestions']);


/** What a turn's buttons ask of the chat. */
export interface TurnActions {
  /** Send a suggested question (the chat checks the form first). */
  ask(question: string): void;
  /** Put a question into the input, to change and send it. */
  edit(question: string): void;
}

export class TurnView {
  readonly element: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly markdown: StreamingMarkdown;
  /** The answer as received, and how far its `<think>` block is (see reasoning.ts). */
  private received = '';
  private reasoning: 'undecided' | 'thinking' | 'done' = 'undecided';
  /** While thinking: where the block's text starts in `received`, and how much of it the section has. */
  private thinkingFrom = 0;
  private thinkingShownTo = 0;
  private readonly thinking: ThinkingSection;
  private readonly steps: NodeSteps;
  /** What is typed into the human-input forms, by form and field: kept when a form is drawn again. */
  private readonly typed = new Map<string, string>();
  private readonly parts = new Map<Part, { signature: string; element: HTMLElement | undefined }>();
  private turn: ChatTurn;
  private last = false;

  constructor(
    turn: ChatTurn,
    private readonly ctx: ViewContext,
    private readonly actions: TurnActions,
  ) {
    this.turn = turn;
    this.element = el('article', 'turn');
    this.element.dataset.turnId = turn.id;
    this.element.setAttribute('aria-label', turnLabel(turn, ctx));
    this.answer = el('div', 'turn-answer');
    this.element.append(this.answer);
    this.markdown = new StreamingMarkdown(this.answer, ctx.markdownHooks, ctx.strings);
    this.thinking = new ThinkingSection(this.answer, ctx.strings.thinking);
    this.steps = new NodeSteps(ctx, `${turn.id}:process`);
    this.update(turn, false);
  }

  get id(): string {
    return this.turn.id;
  }

  /** Streamed text: the renderer coalesces it per frame. */
  append(text: string): void {
    const from = this.received.length;
    this.received += text;
    if (this.reasoning === 'done') this.markdown.append(text);
    else if (this.reasoning === 'thinking') this.moreThinking(from);
    else this.showSplit(false);
  }

  /**
   * Splits the received text afresh (a whole update, a stream not yet known to start with `<think>`, the block
   * closing): after that, deltas of the reasoning block add to it, and deltas after it pass through.
   */
  private showSplit(whole: boolean): void {
    const split = splitReasoning(this.received);
    // Undecided while the text so far could still become `<think>` (white space, `<thi`).
    this.reasoning = split.bodyStart === undefined ? (split.answer === '' ? 'undecided' : 'done') : split.closed ? 'done' : 'thinking';
    if (this.reasoning === 'thinking') {
      this.thinkingFrom = split.bodyStart ?? 0;
      this.thinkingShownTo = scanThinking(this.received, this.thinkingFrom, this.thinkingFrom).visibleTo;
    }
    // Reasoning that Dify streams apart (reasoning_chunk) owns the Thinking section; the answer has no `<think>` then.
    if (!this.turn.reasoning) this.thinking.show(split, this.received.includes('<think>'));
    if (whole || !split.answer.startsWith(this.markdown.text)) this.markdown.set(split.answer);
    else if (split.answer.length > this.markdown.text.length) this.markdown.append(split.answer.slice(this.markdown.text.length));
  }

  /** More of an open `<think>` block: only the new text is looked at, and only it is added to the section. */
  private moreThinking(from: number): void {
    const { end, visibleTo } = scanThinking(this.received, this.thinkingFrom, from);
    if (end !== undefined) return this.showSplit(false); // `</think>`: the section closes, the answer starts
    if (!this.turn.reasoning && visibleTo > this.thinkingShownTo) this.thinking.append(this.received.slice(this.thinkingShownTo, visibleTo));
    this.thinkingShownTo = Math.max(this.thinkingShownTo, visibleTo);
  }

  /** Reasoning streamed apart from the answer (Dify 1.15's reasoning_chunk), added to the Thinking section. */
  appendReasoning(turn: ChatTurn, text: string): void {
    this.turn = turn;
    this.thinking.append(text);
  }

  /** The separate reasoning as the host has it now, whole (a `turn` update: also when it is final). */
  showReasoning(turn: ChatTurn): void {
    this.turn = turn;
    const reasoning = turn.reasoning;
    if (reasoning && typeof reasoning.text === 'string') this.thinking.show({ thinking: reasoning.text.trim(), closed: reasoning.done === true, answer: '' }, true);
  }

  /** The turn as the host now has it (the answer text included, which may be shorter: message_replace). */
  update(turn: ChatTurn, last: boolean): void {
    this.turn = turn;
    this.last = last;
    const status = ['streaming', 'done', 'stopped', 'error', 'paused'].includes(turn.status) ? turn.status : 'done';
    this.element.dataset.status = status;
    this.element.setAttribute('aria-busy', String(status === 'streaming'));
    this.showReasoning(turn);
    const answer = typeof turn.answer === 'string' ? turn.answer : '';
    if (answer !== this.received) {
      this.received = answer;
      this.showSplit(true);
    }
    this.steps.sync(turn);
    // A turn that ended without a word (an error before the first token) shows no empty answer.
    this.answer.hidden = status !== 'streaming' && turn.answer === '';
    for (const part of ORDER) this.render(part);
  }

  /** One step of the chatflow's run (the host keeps the turn's list; the view changes that one row). */
  node(turn: ChatTurn, node: TurnNode): void {
    this.turn = turn;
    this.steps.upsert(node);
    this.render('nodes');
  }

  setLast(last: boolean): void {
    if (last === this.last) return;
    this.last = last;
    this.render('footer');
    this.render('suggestions');
  }

  dispose(): void {
    this.markdown.dispose();
    this.element.remove();
  }

  private render(part: Part): void {
    const signature = this.signature(part);
    const current = this.parts.get(part);
    if (current?.signature === signature) return;
    if (part === 'footer' && current?.element && this.updateFooter(current.element)) {
      current.signature = signature;
      return;
    }
    const element = signature === '' ? undefined : this.build(part);
    if (current?.element) {
      if (element) current.element.replaceWith(element);
      else current.element.remove();
    } else if (element) {
      this.insert(part, element);
    }
    this.parts.set(part, { signature, element });
  }

  /** Puts a new part in its place: after the nearest earlier part on its side of the answer. */
  private insert(part: Part, element: HTMLElement): void {
    const below = BELOW_ANSWER.has(part);
    for (let i = ORDER.indexOf(part) - 1; i >= 0; i--) {
      const before = ORDER[i]!;
      const previous = this.parts.get(before)?.element;
      if (previous && BELOW_ANSWER.has(before) === below) {
        previous.after(element);
        return;
      }
    }
    if (below) this.answer.after(element);
    else this.element.prepend(element);
  }

  /** What a part shows, as a string: '' means nothing to show. */
  private signature(part: Part): string {
    const t = this.turn;
    switch (part) {
      case 'question':
        return JSON.stringify([t.query, t.attachments]);
      case 'nodes':
        return this.steps.empty ? '' : 'steps'; // the section updates itself, row by row
      case 'thoughts': {
        const thoughts = visibleThoughts(t.thoughts, t.answer);
        return thoughts.length ? JSON.stringify(thoughts) : '';
      }
      case 'files':
        // The tools that made them name them: a thought naming its files may come after the files.
        return Array.isArray(t.files) && t.files.length ? JSON.stringify([t.files, Array.isArray(t.thoughts) ? t.thoughts.map((th) => [th.tool, th.files]) : []]) : '';
      case 'forms':
        return Array.isArray(t.forms) && t.forms.length ? JSON.stringify(t.forms) : '';
      case 'notes':
        return t.replacedBecause || t.status === 'stopped' || (t.status === 'streaming' && t.reconnecting) ? JSON.stringify([t.replacedBecause, t.status, t.reconnecting]) : '';
      case 'error':
        return t.status === 'error' && t.error ? JSON.stringify(t.error) : '';
      case 'citations':
        return Array.isArray(t.citations) && t.citations.length ? JSON.stringify(t.citations) : '';
      case 'footer':
        return (t.status === 'done' || t.status === 'stopped') && (t.messageId || t.usage) ? JSON.stringify([t.messageId, t.feedback, t.usage, this.last]) : '';
      case 'suggestions':
        return this.last && t.status === 'done' && Array.isArray(t.suggestions) && t.suggestions.length ? JSON.stringify(t.suggestions) : '';
    }
  }

  private build(part: Part): HTMLElement | undefined {
    const t = this.turn;
    switch (part) {
      case 'question':
        return this.question();
      case 'nodes':
        return this.steps.element;
      case 'thoughts': {
        const section = el('div', 'turn-thoughts');
        for (const thought of visibleThoughts(t.thoughts, t.answer)) section.append(thoughtStep(thought, this.ctx, `${t.id}:thought:${thought.id}`));
        return section;
      }
      case 'files':
        return messageFiles(t.files, t.thoughts, this.ctx);
      case 'forms':
        return humanForms(t.forms ?? [], t.id, this.ctx, this.typed);
      case 'notes':
        return this.notes();
      case 'error':
        return t.error ? this.error(t.error) : undefined;
      case 'citations':
        return citationsSection(t.citations, this.ctx, t.id, `${t.id}:citation`);
      case 'footer':
        return this.footer();
      case 'suggestions':
        return this.suggestions(t.suggestions ?? []);
    }
  }

  private question(): HTMLElement {
    const { strings } = this.ctx;
    const wrap = el('div', 'turn-question');
    wrap.append(el('span', 'visually-hidden', strings.question));
    const query = typeof this.turn.query === 'string' ? this.turn.query : '';
    wrap.append(el('div', 'turn-query', query));
    if (query) wrap.append(iconButton('edit', strings.editQuestion, 'icon-button edit-question', () => this.actions.edit(query)));
    const attachments = Array.isArray(this.turn.attachments) ? this.turn.attachments : [];
    if (attachments.length) {
      const list = el('ul', 'chips turn-attachments');
      for (const file of attachments) {
        const chip = el('li', 'chip');
        chip.append(icon(file.fileType === 'image' ? 'file-media' : 'file'), el('span', 'chip-name', String(file.name ?? '')));
        const size = this.size(file.size);
        if (size) chip.append(el('span', 'chip-detail', size));
        list.append(chip);
      }
      wrap.append(list);
    }
    return wrap;
  }

  private notes(): HTMLElement {
    const { strings } = this.ctx;
    const wrap = el('div', 'turn-notes');
    if (this.turn.replacedBecause) wrap.append(el('p', 'turn-note turn-replaced', format(strings.replaced, this.turn.replacedBecause)));
    if (this.turn.status === 'streaming' && this.turn.reconnecting) {
      const note = el('p', 'turn-note turn-reconnecting');
      note.setAttribute('role', 'status');
      note.append(icon('sync', 'codicon-modifier-spin'), el('span', '', this.turn.reconnecting === 'events' ? strings.reconnecting : strings.waitingForResult));
      wrap.append(note);
    }
    if (this.turn.status === 'stopped') {
      const note = el('p', 'turn-note turn-stopped');
      note.append(icon('debug-stop'), el('span', '', strings.stopped));
      wrap.append(note);
    }
    return wrap;
  }

  private error(error: TurnError): HTMLElement {
    const box = errorBox(error, this.ctx, this.turn.id);
    box.classList.add('turn-error');
    return box;
  }

  private footer(): HTMLElement {
    const { strings } = this.ctx;
    const footer = el('div', 'turn-footer');
    // The whole answer as markdown (without a <think> block), as the code blocks' Copy does for their code.
    const copy = iconButton('copy', strings.copyAnswer, 'icon-button copy-answer', () => {
      this.ctx.post({ type: 'copy', text: splitReasoning(typeof this.turn.answer === 'string' ? this.turn.answer : '').answer });
      setLabel(copy, strings.copied);
      copy.replaceChildren(icon('check'));
      setTimeout(() => {
        setLabel(copy, strings.copyAnswer);
        copy.replaceChildren(icon('copy'));
      }, COPIED_MS);
    });
    if (this.turn.answer) footer.append(copy);
    if (this.last) {
      // Another answer to the same question: asked again after this one (Dify keeps a conversation in one line).
      const again = iconButton('refresh', strings.askAgain, 'icon-button ask-again', () => {
        void this.ctx.request({ type: 'askAgain', turnId: this.turn.id }).then((reply) => {
          if (!reply.ok && reply.message) footer.append(el('div', 'error-refused', reply.message));
        });
      });
      again.title = strings.askAgainHint;
      footer.append(again);
    }
    if (this.turn.messageId) {
      for (const rating of ['like', 'dislike'] as const) {
        const button = iconButton(rating === 'like' ? 'thumbsup' : 'thumbsdown', strings[rating], 'icon-button feedback', () => {
          const pressed = button.getAttribute('aria-pressed') === 'true';
          const next = pressed ? null : rating;
          // Shown at once; the host's next `turn` puts back what Dify kept if it refused.
          this.turn = { ...this.turn, feedback: next };
          this.updateFooter(footer);
          this.ctx.post({ type: 'feedback', turnId: this.turn.id, rating: next });
        });
        button.dataset.rating = rating;
        footer.append(button);
      }
    }
    const usage = this.turn.usage;
    if (usage && typeof usage === 'object') {
      const info = icon('info', 'turn-usage');
      info.removeAttribute('aria-hidden');
      info.setAttribute('role', 'img');
      info.tabIndex = 0;
      info.title = usageText(usage, this.ctx);
      info.setAttribute('aria-label', `${strings.usage}: ${info.title.replace(/\n/g, '; ')}`);
      footer.append(info);
    }
    this.updateFooter(footer);
    return footer;
  }

  /** Feedback state in place (keeps the focus on the button just clicked); false when the footer must be rebuilt. */
  private updateFooter(footer: HTMLElement): boolean {
    const buttons = footer.querySelectorAll<HTMLButtonElement>('button.feedback');
    if (buttons.length === 0 && this.turn.messageId) return false;
    if (!!footer.querySelector('.ask-again') !== this.last) return false; // Ask Again is on the last answer only
    for (const button of Array.from(buttons)) {
      const rating = button.dataset.rating;
      const pressed = this.turn.feedback === rating;
      button.setAttribute('aria-pressed', String(pressed));
      button.classList.toggle('pressed', pressed);
      button.querySelector('.codicon')!.className = `codicon codicon-${rating === 'like' ? 'thumbsup' : 'thumbsdown'}${pressed ? '-filled' : ''}`;
    }
    const info = footer.querySelector<HTMLElement>('.turn-usage');
    const usage = this.turn.usage;
    if (!!info !== !!usage) return false;
    if (info && usage) info.title = usageText(usage, this.ctx);
    return true;
  }

  private suggestions(questions: string[]): HTMLElement {
    const list = el('div', 'chips suggestions turn-suggestions');
    list.setAttribute('role', 'group');
    list.setAttribute('aria-label', this.ctx.strings.suggestionsAfterAnswer);
    for (const question of questions) {
      if (typeof question !== 'string') continue;
      list.append(textButton(question, 'chip chip-button suggestion', () => this.actions.ask(question), 'sparkle'));
    }
    return list;
  }

  private size(bytes: number): string {
    const { strings } = this.ctx;
    return formatSize(bytes, { b: strings.sizeBytes, kb: strings.sizeKilobytes, mb: strings.sizeMegabytes }, format);
  }
}

function usageText(usage: Usage, ctx: ViewContext): string {
  const { strings } = ctx;
  const lines = [format(strings.usageTokens, num(usage.prompt_tokens), num(usage.completion_tokens), num(usage.total_tokens))];
  if (typeof usage.latency === 'number') lines.push(format(strings.usageLatency, usage.latency.toFixed(2)));
  const price = Number(usage.total_price);
  if (usage.total_price !== undefined && Number.isFinite(price)) lines.push(format(strings.usagePrice, String(usage.total_price), String(usage.currency ?? '')));
  return lines.join('\n');
}

const num = (value: unknown): string => (typeof value === 'number' ? value.toLocaleString() : '0');

function turnLabel(turn: ChatTurn, ctx: ViewContext): string {
  const query = typeof turn.query === 'string' ? turn.query : '';
  return `${ctx.strings.question}: ${query.length > 80 ? `${query.slice(0, 80)}…` : query}`;
}
