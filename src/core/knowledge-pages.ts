// A Dify list paged by number (`page`/`limit`: the Knowledge API's datasets, documents and segments, CONTRACT.md
// §3.13, and an app's /workflows/logs) as a tree shows it: a page at a time, nothing fetched before the first refresh,
// local updates once Dify agreed to a change.
import { PagedList, type PagedFetch } from './paged-list.js';

/** What these list endpoints answer. */
export interface KnowledgePage<T> {
  data: T[];
  has_more: boolean;
  total: number;
  page: number;
}

export type FetchPage<T> = (page: number, limit: number) => Promise<KnowledgePage<T>>;

export class PagedItems<T extends { id: string }> extends PagedList<T> {
  total = 0;
  private pagesLoaded = 0;
  /** Items removed locally since the last page: the server's pages moved back by as many rows. */
  private removed = 0;

  constructor(
    private readonly fetchPage: FetchPage<T>,
    readonly pageSize = 20,
  ) {
    super();
  }

  protected async fetch(first: boolean): Promise<PagedFetch<T>> {
    // After local deletions the next page starts earlier: fetch the previous one again, duplicates are dropped.
    const pages = first ? [1] : this.removed > 0 && this.pagesLoaded > 0 ? [this.pagesLoaded, this.pagesLoaded + 1] : [this.pagesLoaded + 1];
    let items = first ? [] : this.items;
    let last: KnowledgePage<T> | undefined;
    for (const n of pages) {
      last = await this.fetchPage(n, this.pageSize);
      items = PagedList.merge(items, last.data);
    }
    this.pagesLoaded = pages.at(-1)!;
    this.removed = 0;
    this.total = last!.total;
    // Dify's has_more is `len(data) == limit`, true on an exactly full last page: `total` settles it.
    return { items, hasMore: last!.has_more && this.pagesLoaded * this.pageSize < last!.total };
  }

  /** Replaces the item with the same id (Dify's answer after an update). */
  replace(item: T): void {
    this.items = this.items.map((i) => (i.id === item.id ? item : i));
  }

  /** A new item Dify created, shown first (lists are newest first) without refetching. */
  prepend(item: T): void {
    if (this.find(item.id)) return this.replace(item);
    this.items = [item, ...this.items];
    this.total++;
  }

  /** A new item shown last (segments are in position order). */
  append(item: T): void {
    if (this.find(item.id)) return this.replace(item);
    if (!this.hasMore) this.items = [...this.items, item];
    this.total++;
  }

  forget(id: string): void {
    const before = this.items.length;
    this.items = this.items.filter((i) => i.id !== id);
    if (this.items.length < before) {
      this.removed++;
      this.total = Math.max(0, this.total - 1);
    }
  }
}
