// Where a streamed markdown text can be cut into finished top-level blocks, so each is parsed once and kept.
// Pure and DOM-free (unit-tested in Node). The scanner reads each line once, however the text arrives.
import { fenceOpener, indentOf, OpenFence } from './fences.js';

/** A cut between finished blocks: `offset` ends the block; `confirmedAt` is how much text decided it. */
export interface BlockBoundary {
  offset: number;
  confirmedAt: number;
}

const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
/** First characters a list marker can start with: a line beginning otherwise cannot continue a list. */
const LIST_START = /[-+*0-9]/;

/**
 * Finds boundaries between finished top-level blocks, reading each line once as text grows.
 *
 * A block is finished once a blank line outside any fenced code block follows it; a list or an indented code block
 * may go on after a blank line, so those finish only when the next line starts at column 0 and cannot continue
 * them. Fences follow CommonMark: ``` or ~~~ of 3 or more, closed only by the same character, at least as long;
 * inside a markdown document's fence, fences nest (fences.ts).
 */
export class BlockScanner {
  private lineStart = 0;
  private fence: OpenFence | undefined;
  /** Non-blank text since the last boundary. */
  private hasContent = false;
  /** A blank line since the last non-blank one, not yet turned into a boundary. */
  private sawBlank = false;
  private listOpen = false;
  private lastIndented = false;
  private stableEnd = 0;

  /** Length of the prefix made of finished blocks. */
  get stable(): number {
    return this.stableEnd;
  }

  /** Starts again at `offset`, a boundary this scanner found earlier (or 0), forgetting what follows it. */
  reset(offset = 0): void {
    this.lineStart = offset;
    this.stableEnd = offset;
    this.fence = undefined;
    this.startBlock();
  }

  /** The caller dropped the first `count` characters (at most up to the last boundary): offsets move back. */
  shift(count: number): void {
    this.lineStart -= count;
    this.stableEnd -= count;
  }

  /** Reads what `text` added since the last call (text must extend what was scanned) and returns new boundaries. */
  scan(text: string): BlockBoundary[] {
    const found: BlockBoundary[] = [];
    let nl: number;
    while ((nl = text.indexOf('\n', this.lineStart)) !== -1) {
      const start = this.lineStart;
      const end = nl > start && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
      this.lineStart = nl + 1;
      this.readLine(text.slice(start, end), start, nl + 1, found);
    }
    this.peekPartialLine(text, found);
    return found;
  }

  private readLine(line: string, start: number, next: number, found: BlockBoundary[]): void {
    const { columns, start: contentStart } = indentOf(line);
    const content = line.slice(contentStart);
    if (this.fence) {
      if (this.fence.closedBy(content, columns)) this.fence = undefined;
      return;
    }
    if (content.length === 0) {
      if (!this.hasContent) return;
      if (!this.sawBlank && !this.listOpen && !this.lastIndented) {
        this.boundary(next, next, found);
      } else {
        this.sawBlank = true;
      }
      return;
    }
    if (this.hasContent && this.sawBlank && columns === 0 && !(this.listOpen && LIST_MARKER.test(content))) {
      this.boundary(start, next, found);
    }
    this.hasContent = true;
    this.sawBlank = false;
    this.lastIndented = columns >= 4;
    if (columns <= 3 && LIST_MARKER.test(content)) this.listOpen = true;
    if (columns <= 3 || this.listOpen) {
      const open = fenceOpener(content);
      if (open) this.fence = new OpenFence(open.char, open.length, open.info, this.listOpen ? columns + 3 : 3);
    }
  }

  /** Decides from the first character of an unfinished line whether it starts a new block. */
  private peekPartialLine(text: string, found: BlockBoundary[]): void {
    if (this.fence || !this.hasContent || !this.sawBlank || this.lineStart >= text.length) return;
    const c = text[this.lineStart]!;
    if (c === ' ' || c === '\t' || c === '\r') return;
    if (this.listOpen && LIST_START.test(c)) return;
    this.boundary(this.lineStart, this.lineStart + 1, found);
  }

  private boundary(offset: number, confirmedAt: number, found: BlockBoundary[]): void {
    this.stableEnd = offset;
    found.push({ offset, confirmedAt });
    this.startBlock();
  }

  private startBlock(): void {
    this.hasContent = false;
    this.sawBlank = false;
    this.listOpen = false;
    this.lastIndented = false;
  }
}

/** Every boundary between finished top-level blocks of `text`, in order. */
export function blockBoundaries(text: string): number[] {
  return new BlockScanner().scan(text).map((b) => b.offset);
}

/** Length of the prefix of `text` made of finished top-level blocks (0 when none is finished yet). */
export function stableBlocks(text: string): number {
  const scanner = new BlockScanner();
  scanner.scan(text);
  return scanner.stable;
}
