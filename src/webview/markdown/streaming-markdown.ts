// A streamed answer rendered as it arrives: finished blocks are rendered once into their own element and kept;
// only the unfinished tail is rendered again, at most once per animation frame however many deltas arrive.
import type { Env } from 'markdown-it';
import { BlockScanner } from './blocks.js';
import type { CodeAction } from './decorate.js';
import { codeOf, decorate, icon, label, loadImage } from './decorate.js';
import { renderMarkdown } from './render-html.js';
import { sanitizeToFragment } from './sanitize.js';
import type { MarkdownHooks, MarkdownLabels } from './types.js';
import { allowedLink } from './url-policy.js';

type References = NonNullable<Env['references']>;

/** A finished block: its source, where it ends and what decided it (offsets in the whole text), its element. */
interface Block {
  source: string;
  end: number;
  confirmedAt: number;
  element: HTMLElement;
  /** Link reference definitions known after this block, for the blocks after it. */
  references: References;
  /** Reference labels it uses that were not defined when it was rendered, and what they resolved to then. */
  missing: string[];
  resolved: string;
}

const COPIED_MS = 1500;
/**
 * Finished blocks go into chunks of this many, so a growing answer's container has few children: each frame's layout
 * then walks a few dozen untouched chunks instead of every paragraph so far. A full chunk, once laid out, is
 * "settled" (CSS: content-visibility: auto): off screen, the browser skips its layout and paint and uses the size it
 * remembered, so the frames of a long answer cost what is on screen, not everything above it.
 */
const CHUNK_BLOCKS = 16;

/** What `labels` resolve to in `references`, as one comparable string. */
function resolution(labels: string[], references: References): string {
  return labels.length === 0 ? '' : JSON.stringify(labels.map((label) => references[label] ?? null));
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export class StreamingMarkdown {
  private readonly blocks: Block[] = [];
  /** Finished blocks that use a link reference not defined when they were rendered. */
  private awaitingReferences: Block[] = [];
  /** Text after the last finished block; kept apart so streaming never copies the whole answer. */
  private pending = '';
  private pendingStart = 0;
  private readonly scanner = new BlockScanner();
  private references: References = {};
  /** The references the tail was last rendered with: the finished blocks' and the tail's own. */
  private tailReferences: References = {};
  private tail: HTMLElement;
  /** The chunk finished blocks go into until it is full. */
  private chunk: HTMLElement | undefined;
  private renderedTail: string | undefined;
  private frame = 0;
  private textCache: string | undefined = '';
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private disposed = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly hooks: MarkdownHooks,
    private readonly labels: MarkdownLabels,
  ) {
    container.classList.add('md-body');
    this.tail = this.newElement('md-tail');
    container.append(this.tail);
    container.addEventListener('click', this.onClick);
    container.addEventListener('auxclick', this.onAuxClick);
    container.addEventListener('keydown', this.onKeyDown);
  }

  /** The whole text so far. */
  get text(): string {
    this.textCache ??= this.blocks.map((b) => b.source).join('') + this.pending;
    return this.textCache;
  }

  /** Adds streamed text; the render waits for the next animation frame, so many deltas cost one render. */
  append(delta: string): void {
    if (this.disposed || delta === '') return;
    this.pending += delta;
    this.textCache = undefined;
    this.schedule();
  }

  /** Replaces the whole text (message_replace, rehydration) and renders it now; it may be shorter than before. */
  set(text: string): void {
    if (this.disposed) return;
    const old = this.text;
    if (text !== old) {
      if (text.startsWith(old)) this.pending += text.slice(old.length);
      else this.rewind(old, text);
      this.textCache = text;
    }
    this.flush();
  }

  /** Renders what is waiting for the next animation frame now. */
  flush(): void {
    if (this.disposed) return;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  /** Stops listening and rendering, and removes what this renderer put in its container. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.frame) cancelAnimationFrame(this.frame);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.container.removeEventListener('click', this.onClick);
    this.container.removeEventListener('auxclick', this.onAuxClick);
    this.container.removeEventListener('keydown', this.onKeyDown);
    for (const block of this.blocks) block.element.parentElement?.remove();
    this.tail.remove();
    this.awaitingReferences = [];
  }

  private schedule(): void {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (!this.disposed) this.render();
      });
    }
  }

  /** Keeps the finished blocks the new text still starts with (and still decides the same way); drops the rest. */
  private rewind(old: string, text: string): void {
    const common = commonPrefixLength(old, text);
    let keep = 0;
    while (keep < this.blocks.length && this.blocks[keep]!.confirmedAt <= common) keep++;
    for (const block of this.blocks.splice(keep)) {
      const chunk = block.element.parentElement;
      block.element.remove();
      if (chunk?.childElementCount === 0) chunk.remove();
    }
    const last = this.blocks[keep - 1];
    this.chunk = last?.element.parentElement ?? undefined;
    // Blocks go into it again: it must grow, even off screen.
    this.chunk?.classList.remove('md-settled');
    this.pendingStart = last?.end ?? 0;
    this.awaitingReferences = this.awaitingReferences.filter((block) => block.end <= this.pendingStart);
    this.pending = text.slice(this.pendingStart);
    this.references = { ...(last?.references ?? {}) };
    this.tailReferences = this.references;
    this.scanner.reset(0);
    this.renderedTail = undefined;
  }

  private render(): void {
    const boundaries = this.scanner.scan(this.pending);
    let cut = 0;
    for (const boundary of boundaries) {
      const start = this.pendingStart;
      this.addBlock(this.pending.slice(cut, boundary.offset), start + boundary.offset, start + boundary.confirmedAt);
      cut = boundary.offset;
    }
    if (cut > 0) {
      this.pending = this.pending.slice(cut);
      this.pendingStart += cut;
      this.scanner.shift(cut);
      this.renderedTail = undefined;
    }
    if (this.pending !== this.renderedTail) {
      // The tail is thrown away at the next render, so whatever it defines must not stay in the references.
      this.tailReferences = { ...this.references };
      const tail = this.renderElement(this.pending, this.tailReferences, 'md-tail').element;
      this.tail.replaceWith(tail);
      this.tail = tail;
      this.renderedTail = this.pending;
    }
    this.resolveLateReferences();
  }

  /**
   * A block that used `[label]` before `[label]: url` arrived (citations listed at the end of an answer) is rendered
   * again once the definition is known: the one exception to "a finished block is never parsed again".
   */
  private resolveLateReferences(): void {
    for (const block of this.awaitingReferences) {
      const resolved = resolution(block.missing, this.tailReferences);
      if (resolved === block.resolved) continue;
      const { element } = this.renderElement(block.source, { ...this.tailReferences }, 'md-block');
      block.element.replaceWith(element);
      block.element = element;
      block.resolved = resolved;
    }
  }

  private addBlock(source: string, end: number, confirmedAt: number): void {
    const known = Object.keys(this.references).length;
    const { element, missing } = this.renderElement(source, this.references, 'md-block');
    if (!this.chunk || this.chunk.childElementCount >= CHUNK_BLOCKS) {
      if (this.chunk) this.settleWhenLaidOut(this.chunk);
      this.chunk = this.newElement('md-chunk');
      this.tail.before(this.chunk);
    }
    this.chunk.append(element);
    const previous = this.blocks[this.blocks.length - 1]?.references;
    const references = previous && Object.keys(this.references).length === known ? previous : { ...this.references };
    const block: Block = { source, end, confirmedAt, element, references, missing, resolved: resolution(missing, this.references) };
    this.blocks.push(block);
    if (missing.length > 0) this.awaitingReferences.push(block);
  }

  /**
   * Settles a full chunk after the frame that lays it out, so the size the browser remembers for it is its real one.
   * Never the chunk blocks still go into: off screen, it would not grow.
   */
  private settleWhenLaidOut(chunk: HTMLElement): void {
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (chunk !== this.chunk && !this.disposed) chunk.classList.add('md-settled');
      }),
    );
  }

  private renderElement(source: string, references: References, className: string): { element: HTMLElement; missing: string[] } {
    const element = this.newElement(className);
    if (source === '') return { element, missing: [] };
    const rendered = renderMarkdown(source, references);
    const fragment = sanitizeToFragment(rendered.html);
    decorate(fragment, rendered, this.labels, this.hooks.difyOrigin());
    element.append(fragment);
    return { element, missing: rendered.missing };
  }

  private newElement(className: string): HTMLElement {
    const element = document.createElement('div');
    element.className = className;
    return element;
  }

  private readonly onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const action = target.closest<HTMLButtonElement>('button.md-code-action');
    if (action && this.container.contains(action)) {
      this.codeAction(action);
      return;
    }
    const image = target.closest<HTMLButtonElement>('button.md-image-load');
    if (image && this.container.contains(image)) {
      event.preventDefault();
      loadImage(image, this.hooks.difyOrigin());
      return;
    }
    const link = target.closest('a');
    if (link && this.container.contains(link)) {
      // Nothing inside a webview navigates: a link only ever asks the host to open it.
      event.preventDefault();
      this.openLink(link);
    }
  };

  private readonly onAuxClick = (event: MouseEvent): void => {
    if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || !(event.target instanceof HTMLAnchorElement)) return;
    event.preventDefault();
    this.openLink(event.target);
  };

  private openLink(link: HTMLAnchorElement): void {
    const href = allowedLink(link.dataset.href ?? '');
    if (href) this.hooks.onLink(href);
  }

  private codeAction(button: HTMLButtonElement): void {
    const block = button.closest<HTMLElement>('.md-code');
    if (!block) return;
    const code = codeOf(block);
    switch (button.dataset.action as CodeAction) {
      case 'copy':
        this.hooks.onCopy(code);
        this.showCopied(button);
        break;
      case 'insert':
        this.hooks.onInsert(code);
        break;
      case 'apply':
        this.hooks.onApply(code, block.dataset.lang ?? '');
        break;
    }
  }

  private showCopied(button: HTMLButtonElement): void {
    label(button, this.labels.copied);
    button.replaceChildren(icon('codicon-check'));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      label(button, this.labels.copy);
      button.replaceChildren(icon('codicon-copy'));
    }, COPIED_MS);
    this.timers.add(timer);
  }
}
