// PagedItems against scripted pages: Dify's has_more quirk, paging after local inserts and deletes, errors kept apart.
import assert from 'node:assert/strict';
import { PagedItems, type KnowledgePage } from '../../src/core/knowledge-pages.js';

interface Row {
  id: string;
}

/** A server list of `count` rows, newest first, answering like Dify (has_more = len(data) == limit). */
function server(count: number) {
  let rows: Row[] = Array.from({ length: count }, (_, i) => ({ id: `r${i + 1}` }));
  const calls: number[] = [];
  const fetch = async (page: number, limit: number): Promise<KnowledgePage<Row>> => {
    calls.push(page);
    const data = rows.slice((page - 1) * limit, page * limit);
    return { data, has_more: data.length === limit, total: rows.length, page };
  };
  return {
    fetch,
    calls,
    remove: (id: string) => (rows = rows.filter((r) => r.id !== id)),
    insertFirst: (id: string) => (rows = [{ id }, ...rows]),
  };
}

describe('knowledge paged lists', () => {
  it('fetches nothing until refreshed, then a page at a time', async () => {
    const s = server(45);
    const list = new PagedItems(s.fetch, 20);
    assert.equal(list.loaded, false);
    assert.deepEqual(s.calls, []);
    await list.refresh();
    assert.equal(list.items.length, 20);
    assert.equal(list.hasMore, true);
    await list.loadMore();
    await list.loadMore();
    assert.equal(list.items.length, 45);
    assert.equal(list.hasMore, false);
    assert.deepEqual(s.calls, [1, 2, 3]);
  });

  it('an exactly full last page ends the list although Dify says has_more', async () => {
    const s = server(40);
    const list = new PagedItems(s.fetch, 20);
    await list.refresh();
    await list.loadMore();
    assert.equal(list.items.length, 40);
    assert.equal(list.hasMore, false, 'total settles it: no request for an empty third page');
  });

  it('after a local delete the next page still brings every row, once', async () => {
    const s = server(50);
    const list = new PagedItems(s.fetch, 20);
    await list.refresh();
    s.remove('r3');
    list.forget('r3');
    await list.loadMore();
    assert.deepEqual(
      list.items.map((r) => r.id),
      Array.from({ length: 41 }, (_, i) => `r${i + 1}`).filter((id) => id !== 'r3'),
    );
  });

  it('a row Dify created first shifts the pages; the duplicate is dropped', async () => {
    const s = server(30);
    const list = new PagedItems(s.fetch, 20);
    await list.refresh();
    s.insertFirst('new');
    list.prepend({ id: 'new' });
    await list.loadMore();
    const ids = list.items.map((r) => r.id);
    assert.equal(ids.length, new Set(ids).size);
    assert.equal(ids.length, 31);
    assert.equal(ids[0], 'new');
  });

  it('a failed page keeps what was loaded and the error; the next try clears it', async () => {
    const s = server(30);
    let fail = false;
    const list = new PagedItems<Row>(async (page, limit) => {
      if (fail) throw new Error('offline');
      return s.fetch(page, limit);
    }, 20);
    await list.refresh();
    fail = true;
    await list.loadMore();
    assert.equal(list.items.length, 20);
    assert.equal((list.error as Error).message, 'offline');
    assert.equal(list.hasMore, true);
    fail = false;
    await list.loadMore();
    assert.equal(list.error, undefined);
    assert.equal(list.items.length, 30);
  });

  it('two clicks on "Load more" while a page is on its way fetch it once', async () => {
    const s = server(60);
    const list = new PagedItems(s.fetch, 20);
    await list.refresh();
    await Promise.all([list.loadMore(), list.loadMore()]);
    assert.deepEqual(s.calls, [1, 2]);
  });

  it('a refresh asked while "Load more" is fetching runs after it, and the list ends up as the server is now', async () => {
    const s = server(45);
    const list = new PagedItems(s.fetch, 20);
    await list.refresh();
    const more = list.loadMore();
    s.insertFirst('new');
    const refreshed = list.refresh();
    assert.notEqual(refreshed, more, 'the refresh is not the running "Load more"');
    await Promise.all([more, refreshed, list.refresh()]);
    assert.deepEqual(s.calls, [1, 2, 1]);
    assert.deepEqual(list.items.slice(0, 2).map((r) => r.id), ['new', 'r1']);
    assert.equal(list.items.length, 20);
  });
});
