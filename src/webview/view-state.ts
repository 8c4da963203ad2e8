// View-only state kept with getState/setState (never the truth, which the host owns): where the list was scrolled,
// and which details are open.
import type { VsCodeApi } from './vscode-api.js';

export interface ScrollPosition {
  /** Which conversation the position belongs to (app id + conversation id). */
  key: string;
  atBottom: boolean;
  /** The first visible turn and how far its top sits from the top of the scroller. */
  anchorId?: string;
  offset?: number;
}

interface Stored {
  scroll?: ScrollPosition;
  open?: string[];
}

const SAVE_DELAY_MS = 200;
const MAX_OPEN = 200;

export class ViewStateStore {
  private stored: Stored;
  private readonly open: Set<string>;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: Pick<VsCodeApi, 'getState' | 'setState'>) {
    const raw = api.getState();
    this.stored = typeof raw === 'object' && raw !== null ? (raw as Stored) : {};
    this.open = new Set(Array.isArray(this.stored.open) ? this.stored.open.filter((k) => typeof k === 'string') : []);
  }

  get scroll(): ScrollPosition | undefined {
    const scroll = this.stored.scroll;
    return scroll && typeof scroll.key === 'string' ? scroll : undefined;
  }

  set scroll(position: ScrollPosition | undefined) {
    this.stored.scroll = position;
    this.save();
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  setOpen(key: string, open: boolean): void {
    if (open === this.open.has(key)) return;
    if (open) this.open.add(key);
    else this.open.delete(key);
    // Oldest first out, so a long session does not grow the state without end.
    while (this.open.size > MAX_OPEN) this.open.delete(this.open.values().next().value as string);
    this.save();
  }

  /** Writes now what waits for the debounce (before the page goes away). */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.write();
  }

  private save(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, SAVE_DELAY_MS);
  }

  private write(): void {
    this.api.setState({ ...this.stored, open: [...this.open] });
  }
}
