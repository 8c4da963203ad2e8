// What every list a tree shows a page at a time has in common (conversations, datasets, documents, segments): the
// items so far, whether there are more, the last error (the items loaded before stay), one fetch at a time, and
// "Load more" appending without the duplicates a list that changed on the server can bring, and the first page
// fetched again on top of the pages loaded (a conversation just used moves up, "Load more" stays where it was).

/** One fetch: the items the list now holds and whether the server has more. */
export interface PagedFetch<T> {
  items: T[];
  hasMore: boolean;
}

export abstract class PagedList<T extends { id: string }> {
  items: T[] = [];
  hasMore = false;
  loaded = false;
  /** The last fetch failed: what Dify or the network said. The items loaded before stay. */
  error: unknown;
  private loading: { first: boolean; done: Promise<void> } | undefined;
  /** A refresh asked for while "load more" was fetching: it runs next. */
  private refreshAfter: Promise<void> | undefined;

  /** The first page (again), replacing what was loaded. */
  refresh(): Promise<void> {
    return this.load('first');
  }

  /**
   * The first page again, followed by the items loaded before that it does not hold: the pages loaded stay, and
   * "Load more" goes on from where it was.
   */
  refreshTop(): Promise<void> {
    return this.load('top');
  }

  /** The next page, appended. */
  loadMore(): Promise<void> {
    return this.load('more');
  }

  find(id: string): T | undefined {
    return this.items.find((i) => i.id === id);
  }

  /** Fetches the first page (`first`) or the next one, and says what the list holds after it. */
  protected abstract fetch(first: boolean): Promise<PagedFetch<T>>;

  /** `items` followed by those of `page` it does not have yet. */
  protected static merge<I extends { id: string }>(items: I[], page: I[]): I[] {
    const known = new Set(items.map((i) => i.id));
    return [...items, ...page.filter((i) => !known.has(i.id))];
  }

  private load(kind: 'first' | 'top' | 'more'): Promise<void> {
    const first = kind !== 'more';
    if (this.loading) {
      // A second "load more" or refresh joins the running one; a refresh during "load more" must not be lost.
      if (!first || this.loading.first) return this.loading.done;
      return (this.refreshAfter ??= this.loading.done.then(() => {
        this.refreshAfter = undefined;
        return this.load(kind);
      }));
    }
    const run = async () => {
      try {
        const fetched = await this.fetch(first);
        const kept = kind === 'top' ? PagedList.merge(fetched.items, this.items) : fetched.items;
        // Items kept beyond the first page: whether there are more is what it was after them.
        this.hasMore = kept.length > fetched.items.length ? this.hasMore : fetched.hasMore;
        this.items = kept;
        this.loaded = true;
        this.error = undefined;
      } catch (error) {
        this.error = error;
      }
    };
    const done = run().finally(() => (this.loading = undefined));
    this.loading = { first, done };
    return done;
  }
}
