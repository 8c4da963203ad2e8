// The knowledge view's edits (core/knowledge-edits.ts, which the commands and the dify-segment: file system call)
// against the test Dify server: Dify's state changes and the tree model changes by exactly that item.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as edits from '../../src/core/knowledge-edits.js';
import { watchIndexing } from '../../src/core/knowledge-indexing.js';
import type { KnowledgeProfile } from '../../src/core/profile-store.js';
import { DatasetNode, DocumentNode, KnowledgeTreeModel, SegmentNode, type KeyNode, type KnowledgeNode } from '../../src/core/knowledge-tree-model.js';
import { DifyApiError, KnowledgeClient } from '../../src/dify/index.js';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
let dir: string;

before(async () => {
  // Steps long enough that the first status read after an edit, on a loaded machine, still finds it indexing.
  server = await startDifyServer({ indexingStepMs: 40 });
  dir = mkdtempSync(join(tmpdir(), 'dify-knowledge-edits-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => server.reset());

const client = () => new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: server.keys.dataset });

function model(pageSize = 100) {
  const profile: KnowledgeProfile = { id: 'kp1', kind: 'knowledge', label: 'Team', baseUrl: server.baseUrl };
  return new KnowledgeTreeModel(() => [profile], async () => client(), { pageSize });
}

const datasets = (nodes: KnowledgeNode[]) => nodes.filter((n): n is DatasetNode => n instanceof DatasetNode);
const documents = (nodes: KnowledgeNode[]) => nodes.filter((n): n is DocumentNode => n instanceof DocumentNode);
const segments = (nodes: KnowledgeNode[]) => nodes.filter((n): n is SegmentNode => n instanceof SegmentNode);
const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);

/** The tree opened down to the handbook's "Getting started" document, as a user would expand it. */
async function openHandbook(m: KnowledgeTreeModel): Promise<{ key: KeyNode; dataset: DatasetNode; document: DocumentNode }> {
  const [key] = m.roots();
  const dataset = datasets(await m.children(key!)).find((d) => d.dataset.id === SEED.handbook)!;
  const document = documents(await m.children(dataset)).find((d) => d.document.id === SEED.documents.gettingStarted)!;
  assert.ok(document, 'the seeded document is listed');
  return { key: key!, dataset, document };
}

/** Every indexing status the document went through after the update (its batch can hold other documents too). */
async function indexing(datasetId: string, batch: string, documentId: string): Promise<string[]> {
  const seen: string[] = [];
  const note = (items: { id: string; indexing_status: string }[]) => {
    const status = items.find((i) => i.id === documentId)?.indexing_status ?? 'missing';
    if (seen.at(-1) !== status) seen.push(status);
  };
  note(await client().getIndexingStatus(datasetId, batch));
  await watchIndexing((signal) => client().getIndexingStatus(datasetId, batch, { signal }), note, { initialDelayMs: 5, maxDelayMs: 20 });
  return seen;
}

/** Re-indexed: not completed right after the update, completed in the end. */
function assertReindexed(statuses: string[]): void {
  assert.ok(statuses.length > 1 && statuses[0] !== 'completed', `went through indexing: ${statuses.join(' > ')}`);
  assert.equal(statuses.at(-1), 'completed');
}

describe('knowledge edits (test Dify server)', () => {
  it('updates a document by text: it re-indexes, and its segments are the new text', async () => {
    const m = model();
    const { dataset, document } = await openHandbook(m);
    const before = segments(await m.children(document));
    assert.ok(before.length > 1);
    const text = 'Release notes 发布说明.\n\nThe first paragraph is new.';
    const updated = await edits.replaceDocument(m, dataset, () =>
      client().updateDocumentByText(SEED.handbook, document.document.id, { name: document.document.name, text }),
    );
    assert.equal(updated.document.id, document.document.id);
    assertReindexed(await indexing(SEED.handbook, updated.batch, document.document.id));
    await m.refresh(document);
    const after = segments(await m.children(document));
    assert.ok(after.length > 0);
    assert.match(after.map((s) => s.segment.content).join('\n'), /Release notes 发布说明/);
    assert.doesNotMatch(after.map((s) => s.segment.content).join('\n'), /Getting started/);
    assert.ok(documents(await m.children(dataset)).some((d) => d.document.id === document.document.id), 'still one node for the document');
  });

  it('updates a document by file: the file name and its text replace the old ones', async () => {
    const m = model();
    const { dataset, document } = await openHandbook(m);
    const path = join(dir, 'faq.md');
    writeFileSync(path, '# FAQ\n\nQ: Where are the keys? A: In the vault.\n');
    const updated = await edits.replaceDocument(m, dataset, () => client().updateDocumentByFile(SEED.handbook, document.document.id, { path }));
    assertReindexed(await indexing(SEED.handbook, updated.batch, document.document.id));
    const node = documents(await m.children(dataset)).find((d) => d.document.id === document.document.id)!;
    assert.equal(node.document.name, 'faq.md');
    await m.refresh(node);
    assert.match(segments(await m.children(node)).map((s) => s.segment.content).join('\n'), /In the vault/);
  });

  it('deletes a document: Dify forgets it and the tree drops exactly that node', async () => {
    const m = model();
    const { dataset, document } = await openHandbook(m);
    const before = ids(documents(await m.children(dataset)));
    await edits.deleteDocument(m, client(), document);
    assert.deepEqual(ids(documents(await m.children(dataset))), before.filter((id) => id !== document.id));
    await assert.rejects(client().getDocument(SEED.handbook, document.document.id), (e) => e instanceof DifyApiError && e.status === 404);
  });

  it('enables and disables a segment, deletes one, and adds one', async () => {
    const m = model();
    const { document } = await openHandbook(m);
    const [first, second] = segments(await m.children(document));
    assert.ok(first && second && first.segment.enabled);
    const disabled = await edits.setSegmentEnabled(m, client(), first, false);
    assert.equal(disabled.segment.enabled, false);
    assert.equal((await client().getSegment(SEED.handbook, document.document.id, first.segment.id)).data.enabled, false);
    const enabled = await edits.setSegmentEnabled(m, client(), disabled, true);
    assert.equal(enabled.segment.enabled, true);
    assert.equal((await client().getSegment(SEED.handbook, document.document.id, first.segment.id)).data.enabled, true);

    const before = ids(segments(await m.children(document)));
    await edits.deleteSegment(m, client(), second);
    assert.deepEqual(ids(segments(await m.children(document))), before.filter((id) => id !== second.id));
    await assert.rejects(client().getSegment(SEED.handbook, document.document.id, second.segment.id), (e) => e instanceof DifyApiError && e.status === 404);

    const added = await edits.addSegment(m, client(), document, 'A new segment 新段落.');
    assert.equal(added.length, 1);
    const now = segments(await m.children(document));
    assert.ok(now.some((s) => s.segment.id === added[0]!.id && s.segment.content === 'A new segment 新段落.'));
    assert.equal(now.length, before.length, 'one deleted, one added');
    const listed = await client().listSegments(SEED.handbook, document.document.id, { limit: 100 });
    assert.ok(listed.data.some((s) => s.id === added[0]!.id));
  });

  it("saves a segment's edited content back (the dify-segment: save) and refuses an empty one", async () => {
    const m = model();
    const { document } = await openHandbook(m);
    const [first] = segments(await m.children(document));
    const ref = { profileId: 'kp1', datasetId: SEED.handbook, documentId: document.document.id, segmentId: first!.segment.id };
    const opened = await edits.reloadSegment(m, client(), ref);
    assert.equal(opened.content, first!.segment.content);
    const saved = await edits.saveSegment(m, client(), ref, 'Edited in VS Code 已编辑.');
    assert.ok(saved !== 'empty');
    assert.equal(saved.content, 'Edited in VS Code 已编辑.');
    assert.equal(segments(await m.children(document))[0]!.segment.content, 'Edited in VS Code 已编辑.', 'the tree shows the saved text');
    assert.equal((await client().getSegment(SEED.handbook, document.document.id, first!.segment.id)).data.content, 'Edited in VS Code 已编辑.');
    const requests = server.requests.length;
    assert.equal(await edits.saveSegment(m, client(), ref, '  \n'), 'empty');
    assert.equal(server.requests.length, requests, 'nothing sent for an empty segment');
  });

  it('reads and saves a segment from its ref alone, before the tree loaded anything (a reloaded editor)', async () => {
    const m = model();
    const listed = await client().listSegments(SEED.handbook, SEED.documents.gettingStarted, { limit: 1 });
    const ref = { profileId: 'kp1', datasetId: SEED.handbook, documentId: SEED.documents.gettingStarted, segmentId: listed.data[0]!.id };
    assert.equal((await edits.reloadSegment(m, client(), ref)).content, listed.data[0]!.content);
    const saved = await edits.saveSegment(m, client(), ref, 'Saved after a reload.');
    assert.ok(saved !== 'empty');
    assert.equal((await client().getSegment(SEED.handbook, SEED.documents.gettingStarted, ref.segmentId)).data.content, 'Saved after a reload.');
    assert.ok(saved.updated_at! >= listed.data[0]!.updated_at!, "Dify's updated_at moves with the save");
    const { document } = await openHandbook(m);
    assert.equal(segments(await m.children(document))[0]!.segment.content, 'Saved after a reload.', 'the tree, opened later, shows it');
  });

  it('creates a dataset under the key and deletes it again', async () => {
    const m = model();
    const { key } = await openHandbook(m);
    const before = ids(datasets(await m.children(key)));
    const created = await edits.createDataset(m, client(), key, '  Edits 编辑 ', 'economy');
    assert.equal(created.dataset.name, 'Edits 编辑');
    assert.equal(created.dataset.indexing_technique, 'economy');
    assert.ok(ids(datasets(await m.children(key))).includes(created.id));
    assert.equal((await client().getDataset(created.dataset.id)).name, 'Edits 编辑');
    await edits.deleteDataset(m, client(), created);
    assert.deepEqual(ids(datasets(await m.children(key))).sort(), before.sort());
    await assert.rejects(client().getDataset(created.dataset.id), (e) => e instanceof DifyApiError && e.status === 404);
  });

  it('a refusal leaves the tree as it was', async () => {
    const m = model();
    const { dataset, document } = await openHandbook(m);
    const before = ids(documents(await m.children(dataset)));
    await client().deleteDocument(SEED.handbook, document.document.id);
    await assert.rejects(edits.deleteDocument(m, client(), document), (e) => e instanceof DifyApiError && e.status === 404);
    assert.deepEqual(ids(documents(await m.children(dataset))), before);
  });
});
