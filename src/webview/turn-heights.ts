// The heights of the conversation's turns, as measured while they were in the DOM; a turn never measured counts as
// the average of those that were (or a default before any): what the windowed turn list sizes its spacers by.

/** A turn's height before any turn was measured. */
export const DEFAULT_TURN_HEIGHT = 160;

export class TurnHeights {
  private readonly measured = new Map<string, number>();
  private total = 0;

  set(id: string, height: number): void {
    this.total += height - (this.measured.get(id) ?? 0);
    this.measured.set(id, height);
  }

  /** The turn's measured height, or the estimate. */
  of(id: string): number {
    return this.measured.get(id) ?? (this.measured.size ? this.total / this.measured.size : DEFAULT_TURN_HEIGHT);
  }

  clear(): void {
    this.measured.clear();
    this.total = 0;
  }
}
