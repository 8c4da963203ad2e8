// The conversation's turns, windowed: only the turns near the viewport are in the DOM; the others are two spacers of
// their measured (or estimated) height, so a 2,000-turn conversation opens as fast as a short one. Sticks to the
// bottom while an answer streams unless the user scrolled up; remembers and restores the scroll position.
import { putNode } from '../core/chat-turn.js';
import type { ChatTurn, TurnNode } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, icon } from './dom.js';
import { TurnView, type TurnActions } from './turn-view.js';
import type { ScrollPosition } from './view-state.js';
import { DEFAULT_TURN_HEIGHT, TurnHeights } from './turn-heights.js';

/** Turns rendered when a conversation opens at its end. */
const INITIAL_TURNS = 12;
/** A hard cap on rendered turns, whatever the viewport. */
const MAX_RENDERED = 60;
/** Turns added per step when the user scrolls towards unrendered ones. */
const STEP = 8;
/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK = 40;
/** How long after a wheel, key, touch or pointer press a scroll counts as the user's. */
const USER_SCROLL_MS = 600;

export interface TurnListEvents {
  /** The user reached the top of the turns that are here (there may be older ones on the server). */
  nearTop(): void;
  /** The scroll position changed (to remember it). */
  scrolled(position: Omit<ScrollPosition, 'key'>): void;
}

export class TurnList {
  readonly element: HTMLElement;
  private readonly older: HTMLElement;
  private readonly top: HTMLElement;
  private readonly bottom: HTMLElement;
  private turns: ChatTurn[] = [];
  private readonly index = new Map<string, number>();
  private readonly views = new Map<string, TurnView>();
  private readonly heights = new TurnHeights();
  private start = 0;
  private end = 0;
  private stuck = true;
  private frame = 0;
  private settling = 0;
  /** Scroll events until then may be the user's (wheel, keys, touch, the scrollbar); others are ours. */
  private userScrollUntil = 0;
  private readonly resizes: ResizeObserver;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly ctx: ViewContext,
    private readonly actions: TurnActions,
    private readonly events: TurnListEvents,
  ) {
    this.element = el('section', 'turns');
    this.element.setAttribute('aria-label', ctx.strings.conversation);
    this.older = el('div', 'older-loading');
    this.older.append(icon('loading', 'codicon-modifier-spin'), el('span', '', ctx.strings.loadingOlder));
    this.older.hidden = true;
    this.top = el('div', 'turns-spacer');
    this.bottom = el('div', 'turns-spacer');
    this.top.setAttribute('aria-hidden', 'true');
    this.bottom.setAttribute('aria-hidden', 'true');
    this.element.append(this.older, this.top, this.bottom);
    this.resizes = new ResizeObserver((entries) => this.onResize(entries));
    this.resizes.observe(this.element);
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    const userScrolls = () => (this.userScrollUntil = performance.now() + USER_SCROLL_MS);
    for (const type of ['wheel', 'touchmove', 'pointerdown', 'keydown'] as const) scroller.addEventListener(type, userScrolls, { passive: true });
  }

  get count(): number {
    return this.turns.length;
  }

  get last(): ChatTurn | undefined {
    return this.turns[this.turns.length - 1];
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Another conversation (or a fresh page): everything is rebuilt, at the end or at the remembered position. */
  reset(turns: ChatTurn[], position?: Omit<ScrollPosition, 'key'>): void {
    this.older.hidden = true;
    for (const view of this.views.values()) this.unrender(view);
    this.views.clear();
    this.heights.clear();
    this.setModel(turns);
    const n = this.turns.length;
    const anchor = position && !position.atBottom && position.anchorId !== undefined ? this.index.get(position.anchorId) : undefined;
    if (anchor !== undefined) {
      this.start = Math.max(0, anchor - 2);
      this.end = Math.min(n, anchor + INITIAL_TURNS);
    } else {
      this.start = Math.max(0, n - INITIAL_TURNS);
      this.end = n;
    }
    for (let i = this.start; i < this.end; i++) this.bottom.before(this.render(i).element);
    this.updateSpacers();
    if (anchor !== undefined) {
      this.stuck = false;
      const element = this.views.get(this.turns[anchor]!.id)!.element;
      this.scroller.scrollTop += element.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top - (position?.offset ?? 0);
    } else {
      this.stuck = true;
      this.scrollToBottom();
    }
    this.schedule();
  }

  /** Shows that older messages are on their way (they come with the next `replace`), or that they will not. */
  showLoadingOlder(shown: boolean): void {
    this.older.hidden = !shown;
  }

  /** The same conversation with changed turns (older ones loaded, a state resent): what is on screen stays put. */
  replace(turns: ChatTurn[]): void {
    this.keepingAnchor(() => {
      this.older.hidden = true;
      const firstId = this.turns[this.start]?.id;
      const wasAtEnd = this.end === this.turns.length;
      this.setModel(turns);
      for (const [id, view] of this.views) {
        if (!this.index.has(id)) {
          this.unrender(view);
          this.views.delete(id);
        }
      }
      const rendered = [...this.views.keys()].map((id) => this.index.get(id)!).sort((a, b) => a - b);
      if (rendered.length && rendered[rendered.length - 1]! - rendered[0]! < MAX_RENDERED) {
        this.start = rendered[0]!;
        this.end = wasAtEnd ? turns.length : rendered[rendered.length - 1]! + 1;
      } else {
        const at = firstId !== undefined ? (this.index.get(firstId) ?? 0) : Math.max(0, turns.length - INITIAL_TURNS);
        this.start = Math.min(at, Math.max(0, turns.length - INITIAL_TURNS));
        this.end = Math.min(turns.length, this.start + INITIAL_TURNS);
      }
      this.renderWindow();
    });
    this.schedule();
  }

  /** A turn changed or was added (a new question is added at the end). */
  upsert(turn: ChatTurn): void {
    const at = this.index.get(turn.id);
    if (at !== undefined) {
      this.turns[at] = turn;
      this.views.get(turn.id)?.update(turn, at === this.turns.length - 1);
      return;
    }
    const wasAtEnd = this.end === this.turns.length;
    const previous = this.views.get(this.last?.id ?? '');
    this.turns.push(turn);
    this.index.set(turn.id, this.turns.length - 1);
    previous?.setLast(false);
    if (wasAtEnd || this.stuck) {
      if (!wasAtEnd) return this.reset(this.turns);
      this.end = this.turns.length;
      this.bottom.before(this.render(this.turns.length - 1).element);
      this.trim();
    }
    this.updateSpacers();
    if (this.stuck) this.scrollToBottom();
  }

  /** Streamed text: the model keeps it, and the turn's renderer gets it if the turn is on screen. */
  delta(turnId: string, text: string, part?: 'reasoning'): void {
    const at = this.index.get(turnId);
    if (at === undefined) return;
    const turn = this.turns[at]!;
    if (part === 'reasoning') {
      turn.reasoning = { text: (turn.reasoning?.text ?? '') + text, done: false };
      this.views.get(turnId)?.appendReasoning(turn, text);
      return;
    }
    turn.answer += text;
    this.views.get(turnId)?.append(text);
  }

  /** One step of a chatflow turn's run: the model keeps it, and the turn's view changes that one row. */
  node(turnId: string, node: TurnNode): void {
    const at = this.index.get(turnId);
    if (at === undefined) return;
    const turn = this.turns[at]!;
    putNode(Array.isArray(turn.nodes) ? turn.nodes : (turn.nodes = []), node);
    this.views.get(turnId)?.node(turn, node);
  }

  /** The questions asked in this conversation so far (the loaded part), oldest first. */
  questions(): string[] {
    return this.turns.map((t) => t.query).filter((q): q is string => typeof q === 'string' && q.trim() !== '');
  }

  /** Scrolls to the end and sticks there (after sending). */
  stick(): void {
    this.stuck = true;
    if (this.end !== this.turns.length) this.reset(this.turns);
    else this.scrollToBottom();
  }

  /** The first turn on screen and its distance from the scroller's top; for restoring after a reload. */
  position(): Omit<ScrollPosition, 'key'> {
    if (this.stuck) return { atBottom: true };
    const anchor = this.anchor();
    return anchor ? { atBottom: false, anchorId: anchor.id, offset: Math.round(anchor.offset) } : { atBottom: false };
  }

  private setModel(turns: ChatTurn[]): void {
    this.turns = turns.filter((t) => typeof t === 'object' && t !== null && typeof t.id === 'string' && typeof t.answer === 'string');
    this.index.clear();
    this.turns.forEach((t, i) => this.index.set(t.id, i));
  }

  private render(i: number): TurnView {
    const turn = this.turns[i]!;
    let view = this.views.get(turn.id);
    if (view) view.update(turn, i === this.turns.length - 1);
    else {
      view = new TurnView(turn, this.ctx, this.actions);
      view.setLast(i === this.turns.length - 1);
      this.views.set(turn.id, view);
      this.resizes.observe(view.element);
    }
    return view;
  }

  private unrender(view: TurnView): void {
    this.resizes.unobserve(view.element);
    view.dispose();
  }

  /** Makes the DOM hold exactly turns [start, end), in order, between the spacers. */
  private renderWindow(): void {
    for (const [id, view] of this.views) {
      const at = this.index.get(id)!;
      if (at < this.start || at >= this.end) {
        this.measure(view);
        this.unrender(view);
        this.views.delete(id);
      }
    }
    let previous: Element = this.top;
    for (let i = this.start; i < this.end; i++) {
      const element = this.render(i).element;
      if (previous.nextElementSibling !== element) previous.after(element);
      previous = element;
    }
    this.updateSpacers();
  }

  private heightOf(i: number): number {
    return this.heights.of(this.turns[i]!.id);
  }

  private updateSpacers(): void {
    let above = 0;
    for (let i = 0; i < this.start; i++) above += this.heightOf(i);
    let below = 0;
    for (let i = this.end; i < this.turns.length; i++) below += this.heightOf(i);
    this.top.style.height = `${Math.round(above)}px`;
    this.bottom.style.height = `${Math.round(below)}px`;
  }

  private measure(view: TurnView): void {
    const height = view.element.getBoundingClientRect().height;
    if (height > 0) this.heights.set(view.id, height);
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    for (const entry of entries) {
      if (entry.target === this.element) continue;
      const id = (entry.target as HTMLElement).dataset.turnId;
      const height = entry.borderBoxSize?.[0]?.blockSize ?? entry.contentRect.height;
      if (id && this.views.has(id) && height > 0) this.heights.set(id, height);
    }
    // Growing content (a streaming answer) keeps the end in view while stuck; window changes wait for a frame.
    if (this.stuck) this.scrollToBottom();
  }

  private onScroll(): void {
    // While stuck, only the user can unstick: our own scrolls to the end (a streaming answer grew) need nothing, and
    // measuring them every frame would force a layout of the growing answer each time.
    if (this.stuck && performance.now() > this.userScrollUntil) return;
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    this.stuck = scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.updateWindow();
      this.events.scrolled(this.position());
    });
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Grows the window towards the viewport and drops turns far from it; runs again next frame until it settles. */
  private updateWindow(): void {
    const n = this.turns.length;
    if (n === 0) return;
    const view = this.scroller.getBoundingClientRect();
    const margin = view.height + 200;
    const topRect = this.top.getBoundingClientRect();
    const bottomRect = this.bottom.getBoundingClientRect();
    // The rendered turns lie between the spacers: their span on screen, relative to the viewport.
    const renderedTop = topRect.bottom - view.top;
    const renderedBottom = bottomRect.top - view.top;
    if (renderedBottom < -margin || renderedTop > view.height + margin) {
      this.jump(view.height);
      return;
    }
    let changed = false;
    this.keepingAnchor(() => {
      if (renderedTop > -margin && this.start > 0) {
        this.start = Math.max(0, this.start - STEP);
        changed = true;
      }
      if (renderedBottom < view.height + margin && this.end < n) {
        this.end = Math.min(n, this.end + STEP);
        changed = true;
      }
      changed = this.trimFar(view, margin) || changed;
      if (changed) this.renderWindow();
    });
    if (this.start === 0 && this.scroller.scrollTop < margin) this.events.nearTop();
    if (changed && ++this.settling < 20) this.schedule();
    else this.settling = 0;
  }

  /** Drops rendered turns more than two margins away from the viewport (always keeping the one in view). */
  private trimFar(view: DOMRect, margin: number): boolean {
    let changed = false;
    while (this.end - this.start > 1) {
      const first = this.views.get(this.turns[this.start]!.id);
      if (!first || first.element.getBoundingClientRect().bottom - view.top > -2 * margin) break;
      this.start++;
      changed = true;
    }
    while (this.end - this.start > 1) {
      const last = this.views.get(this.turns[this.end - 1]!.id);
      if (!last || last.element.getBoundingClientRect().top - view.top < view.height + 2 * margin) break;
      this.end--;
      changed = true;
    }
    return this.trim() || changed;
  }

  /** Keeps at most MAX_RENDERED turns, dropping from the side away from the end while stuck. */
  private trim(): boolean {
    if (this.end - this.start <= MAX_RENDERED) return false;
    if (this.stuck) this.start = this.end - MAX_RENDERED;
    else this.end = this.start + MAX_RENDERED;
    this.renderWindow();
    return true;
  }

  /** The user jumped far (scrollbar drag): render the turns the estimated heights put under the viewport. */
  private jump(viewHeight: number): void {
    const target = this.scroller.scrollTop - this.element.offsetTop;
    let offset = 0;
    let at = 0;
    while (at < this.turns.length - 1 && offset + this.heightOf(at) < target) offset += this.heightOf(at++);
    this.start = Math.max(0, at - 1);
    this.end = Math.min(this.turns.length, at + Math.max(STEP, Math.ceil(viewHeight / DEFAULT_TURN_HEIGHT) + 2));
    this.renderWindow();
    this.schedule();
  }

  private anchor(): { id: string; offset: number; element: HTMLElement } | undefined {
    const top = this.scroller.getBoundingClientRect().top;
    for (let i = this.start; i < this.end; i++) {
      const view = this.views.get(this.turns[i]!.id);
      if (!view) continue;
      const rect = view.element.getBoundingClientRect();
      if (rect.bottom > top) return { id: view.id, offset: rect.top - top, element: view.element };
    }
    return undefined;
  }

  /** Runs a change to the window without moving what the user looks at (or keeps the end in view when stuck). */
  private keepingAnchor(change: () => void): void {
    if (this.stuck) {
      change();
      this.scrollToBottom();
      return;
    }
    const before = this.anchor();
    change();
    if (!before?.element.isConnected) return;
    const top = this.scroller.getBoundingClientRect().top;
    const shift = before.element.getBoundingClientRect().top - top - before.offset;
    if (shift !== 0) this.scroller.scrollTop += shift;
  }
}
