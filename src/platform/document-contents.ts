// The text of each read-only document the extension shows (conversation variables, run details, citations), by URI:
// dropped when its document closes, and no more than `max` of them unless tabs show more (the oldest not shown go
// first), so a long session does not keep every document it ever showed.
export class DocumentContents {
  private readonly texts = new Map<string, string>();

  constructor(
    /** Whether a tab shows the document now: its text must stay. */
    private readonly shown: (uri: string) => boolean,
    readonly max = 50,
  ) {}

  get(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  /** Keeps `text` for `uri` as the newest; beyond `max`, the oldest not shown go. */
  set(uri: string, text: string): void {
    this.texts.delete(uri);
    this.texts.set(uri, text);
    for (const old of this.texts.keys()) {
      if (this.texts.size <= this.max) break;
      if (old !== uri && !this.shown(old)) this.texts.delete(old);
    }
  }

  /** The document closed: its text goes, unless a tab still shows it (a language change closes and reopens it). */
  closed(uri: string): void {
    if (!this.shown(uri)) this.texts.delete(uri);
  }

  get size(): number {
    return this.texts.size;
  }
}
