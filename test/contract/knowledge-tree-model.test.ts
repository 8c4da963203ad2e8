// The knowledge tree model against the test Dify server: lazy loading, paging at every level, the 2,000-document
// dataset (requests counted), refresh, and its state after a rejected key or a dataset deleted meanwhile.
import assert from 'node:assert/strict';
import type { KnowledgeProfile } from '../../src/core/profile-store.js';
import {
  DatasetNode,
  DocumentNode,
  KnowledgeTreeModel,
  MoreNode,
  NoticeNode,
  SegmentNode,
  type KnowledgeNode,
} from '../../src/core/knowledge-tree-model.js';
import { knowledgeFailure } from '../../src/core/knowledge-errors.js';
import { KnowledgeClient } from '../../src/dify/index.js';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
let apiKey: string;

before(async () => {
  server = await startDifyServer({ indexingStepMs: 5 });
});
after(() => server.close());

function model(pageSize = 20) {
  apiKey = server.keys.dataset;
  const profile: KnowledgeProfile = { id: 'kp1', kind: 'knowledge', label: 'Team', baseUrl: server.baseUrl };
  return new KnowledgeTreeModel(() => [profile], async () => new KnowledgeClient({ baseUrl: server.baseUrl, apiKey }), { pageSize });
}

const requests = (path: RegExp) => server.requests.filter((r) => path.test(r.path));
const datasets = (nodes: KnowledgeNode[]) => nodes.filter((n): n is DatasetNode => n instanceof DatasetNode);

describe('knowledge tree model', () => {
  beforeEach(() => server.reset());

  it('fetches nothing before a key is expanded, then datasets, documents and segments one level at a time', async () => {
    const m = model();
    const [key] = m.roots();
    assert.equal(server.requests.length, 0);
    const level1 = await m.children(key!);
    assert.deepEqual(
      datasets(level1).map((d) => d.dataset.id).sort(),
      [SEED.handbook, SEED.chinese, SEED.economy, SEED.large, SEED.apiDisabled].sort(),
    );
    assert.equal(requests(/^\/datasets$/).length, 1);
    assert.equal(requests(/\/documents/).length, 0, 'no dataset opened yet');
    const handbook = datasets(level1).find((d) => d.dataset.id === SEED.handbook)!;
    const docs = (await m.children(handbook)).filter((n): n is DocumentNode => n instanceof DocumentNode);
    assert.ok(docs.some((d) => d.document.id === SEED.documents.error && d.document.indexing_status === 'error'));
    assert.ok(docs.some((d) => d.document.id === SEED.documents.disabled && d.document.enabled === false));
    assert.ok(docs.some((d) => d.document.id === SEED.documents.archived && d.document.archived));
    const gettingStarted = docs.find((d) => d.document.id === SEED.documents.gettingStarted)!;
    const segments = (await m.children(gettingStarted)).filter((n): n is SegmentNode => n instanceof SegmentNode);
    assert.ok(segments.length > 3);
    assert.match(segments[0]!.segment.content, /Getting started/);
    assert.equal(segments[0], (await m.children(gettingStarted))[0], 'the same node object on the next call');
  });

  it('2,000 documents: the first page comes alone, and only the pages asked for are fetched', async () => {
    const m = model(20);
    const [key] = m.roots();
    const large = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.large)!;
    assert.equal(large.dataset.document_count, 2000);
    const started = performance.now();
    const first = await m.children(large);
    const elapsed = performance.now() - started;
    assert.equal(first.filter((n) => n instanceof DocumentNode).length, 20);
    assert.ok(first.at(-1) instanceof MoreNode);
    assert.ok(elapsed < 1000, `first page in ${elapsed.toFixed(0)} ms`);
    await m.loadMore(large);
    await m.loadMore(large);
    const after = await m.children(large);
    assert.equal(after.filter((n) => n instanceof DocumentNode).length, 60);
    const pages = requests(new RegExp(`^/datasets/${SEED.large}/documents$`)).map((r) => r.query['page']);
    assert.deepEqual(pages, ['1', '2', '3']);
    assert.ok(requests(/\/segments/).length === 0);
  });

  it('paging at the dataset level too, with "Load more" until the last one', async () => {
    const m = model(2);
    const [key] = m.roots();
    let nodes = await m.children(key!);
    assert.equal(datasets(nodes).length, 2);
    assert.ok(nodes.at(-1) instanceof MoreNode);
    await m.loadMore(key!);
    await m.loadMore(key!);
    nodes = await m.children(key!);
    assert.equal(datasets(nodes).length, 5);
    assert.ok(!(nodes.at(-1) instanceof MoreNode));
  });

  it('a rejected key shows as a notice under the key; after the fix a refresh loads', async () => {
    const profile: KnowledgeProfile = { id: 'kp2', kind: 'knowledge', label: 'Bad', baseUrl: server.baseUrl };
    let key = 'dataset-wrongwrongwrongwrongwrong';
    const bad = new KnowledgeTreeModel(() => [profile], async () => new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: key }));
    const [root] = bad.roots();
    const nodes = await bad.children(root!);
    assert.equal(nodes.length, 1);
    const notice = nodes[0] as NoticeNode;
    assert.ok(notice instanceof NoticeNode);
    assert.equal(knowledgeFailure(notice.error), 'key_rejected');
    const before = server.requests.length;
    assert.ok((await bad.children(root!))[0] instanceof NoticeNode);
    assert.equal(server.requests.length, before, 'a failed list is not fetched again each time the tree asks');
    key = server.keys.dataset;
    // "Set Key" changed the profile store: the knowledge view retries the keys that failed.
    await bad.retryFailedKeys();
    assert.equal(server.requests.length, before + 1);
    assert.equal(datasets(await bad.children(root!)).length, 5);
    await bad.retryFailedKeys();
    assert.equal(server.requests.length, before + 1, 'a key that works is not fetched again');
  });

  it('a full refresh while a key is being expanded does not show it empty', async () => {
    const m = model();
    const [key] = m.roots();
    const expanding = m.children(key!);
    await m.refresh();
    assert.deepEqual(await expanding, [], 'the stale answer is dropped (the tree asks again after the refresh)');
    assert.equal(datasets(await m.children(key!)).length, 5);
  });

  it('a dataset deleted meanwhile leaves the tree when it is opened', async () => {
    const m = model();
    const [key] = m.roots();
    const chinese = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.chinese)!;
    const changed: (KnowledgeNode | undefined)[] = [];
    m.onDidChange((n) => changed.push(n));
    await new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: server.keys.dataset }).deleteDataset(SEED.chinese);
    const nodes = await m.children(chinese);
    assert.equal(knowledgeFailure((nodes[0] as NoticeNode).error), 'dataset_gone');
    assert.ok(changed.includes(key), 'the key is refreshed');
    assert.ok(!datasets(await m.children(key!)).some((d) => d.dataset.id === SEED.chinese));
  });

  it('refresh re-fetches only what was opened and forgets what is below', async () => {
    const m = model();
    const [key] = m.roots();
    const handbook = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.handbook)!;
    await m.children(handbook);
    const before = server.requests.length;
    await m.refresh(handbook);
    assert.equal(server.requests.length, before + 1);
    assert.equal(m.isLoaded(handbook), true);
    const economy = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.economy)!;
    await m.refresh(economy);
    assert.equal(m.isLoaded(economy), false, 'never opened: nothing fetched');
    await m.refresh(key!);
    assert.equal(m.isLoaded(handbook), false, 'below a refreshed key everything loads again when opened');
  });

  it('local updates: a new document first, its progress in place, removal only of that one', async () => {
    const m = model();
    const [key] = m.roots();
    const handbook = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.handbook)!;
    const before = (await m.children(handbook)).length;
    const client = new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: server.keys.dataset });
    const created = await client.createDocumentByText(SEED.handbook, { name: 'note.txt', text: 'hello world' });
    const node = m.addDocument(handbook, created.document);
    let nodes = await m.children(handbook);
    assert.equal(nodes[0], node);
    assert.equal(nodes.length, before + 1);
    m.updateDocument(handbook, { id: created.document.id, indexing_status: 'completed' });
    assert.equal(node.document.indexing_status, 'completed', 'the same node object is updated');
    m.removeDocument(node);
    nodes = await m.children(handbook);
    assert.equal(nodes.length, before);
  });

  it("a dataset whose API access is off: refused while Dify says so, usable once it is turned on (asked again)", async () => {
    const m = model();
    const [key] = m.roots();
    const off = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.apiDisabled)!;
    const handbook = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.handbook)!;
    assert.equal(off.dataset.enable_api, false, "the list's enable_api");
    const before = server.requests.length;
    assert.equal(await m.apiAccessOn(handbook), true);
    assert.equal(server.requests.length, before, 'a dataset listed with API access on is not asked about again');
    assert.equal(await m.apiAccessOn(off), false);
    assert.deepEqual(server.requests.slice(before).map((r) => `${r.method} ${r.path}`), [`GET /datasets/${SEED.apiDisabled}`]);

    server.setDatasetApi(SEED.apiDisabled, true);
    assert.equal(await m.apiAccessOn(off), true);
    assert.equal(off.dataset.enable_api, true, 'the node, and so the pickers, show it usable now');
    assert.equal(datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.apiDisabled), off);
  });
});
