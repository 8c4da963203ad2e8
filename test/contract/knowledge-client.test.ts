// KnowledgeClient against the test Dify server: every method, what it sends, and what the caller gets back.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DifyApiError, KnowledgeClient, type IndexingStatusItem } from '../../src/dify/index.js';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
let kb: KnowledgeClient;

before(async () => {
  server = await startDifyServer({ indexingStepMs: 10 });
  kb = new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: server.keys.dataset });
});
after(() => server.close());
beforeEach(() => server.reset());

async function untilIndexed(datasetId: string, batch: string): Promise<IndexingStatusItem[]> {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const status = await kb.getIndexingStatus(datasetId, batch);
    status.forEach((s) => seen.add(s.indexing_status));
    if (status.every((s) => s.indexing_status === 'completed' || s.indexing_status === 'error')) return status;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`still indexing; states seen: ${[...seen].join(', ')}`);
}

const lastRequest = () => server.requests.at(-1)!;

describe('KnowledgeClient: datasets', () => {
  it('lists datasets page by page with Dify\'s has_more rule', async () => {
    const page = await kb.listDatasets({ page: 1, limit: 2 });
    assert.equal(page.data.length, 2);
    assert.equal(page.has_more, true);
    assert.equal(page.limit, 2);
    assert.ok(page.total >= 4);
    assert.equal(lastRequest().path, '/datasets');
    assert.deepEqual(lastRequest().query, { page: '1', limit: '2' });
  });

  it('creates, reads, updates and deletes a dataset', async () => {
    const created = await kb.createDataset({ name: 'VS Code notes', indexing_technique: 'economy' });
    assert.equal(created.name, 'VS Code notes');
    assert.deepEqual(lastRequest().json, { name: 'VS Code notes', indexing_technique: 'economy' });
    assert.equal((await kb.getDataset(created.id)).id, created.id);
    const updated = await kb.updateDataset(created.id, { description: '编辑器笔记' });
    assert.equal(updated.description, '编辑器笔记');
    assert.equal(lastRequest().method, 'PATCH');
    await kb.deleteDataset(created.id);
    assert.equal(lastRequest().status, 204);
    await assert.rejects(kb.getDataset(created.id), (e: unknown) => e instanceof DifyApiError && e.status === 404 && e.code === 'not_found');
  });

  it('a duplicate name and a dataset in use are 409s with their codes', async () => {
    await assert.rejects(kb.createDataset({ name: 'Acme Product Handbook' }), (e: unknown) => e instanceof DifyApiError && e.code === 'dataset_name_duplicate' && e.status === 409);
    await assert.rejects(kb.deleteDataset(SEED.handbook), (e: unknown) => e instanceof DifyApiError && e.code === 'dataset_in_use');
  });

  it('an app key on a dataset route is "Access token is invalid"; a disabled dataset API is 403', async () => {
    const wrong = new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: server.keys.chat });
    await assert.rejects(wrong.listDatasets(), (e: unknown) => e instanceof DifyApiError && e.status === 401 && e.difyMessage === 'Access token is invalid');
    await assert.rejects(kb.listDocuments(SEED.apiDisabled), (e: unknown) => e instanceof DifyApiError && e.status === 403 && e.code === 'forbidden');
  });

  it('tags: create, rename, bind, list per dataset, unbind, delete', async () => {
    const tag = await kb.createTag('vscode');
    assert.equal(tag.name, 'vscode');
    assert.equal((await kb.updateTag(tag.id, 'editor')).name, 'editor');
    await kb.bindTags(SEED.chinese, [tag.id]);
    assert.ok((await kb.getDatasetTags(SEED.chinese)).data.some((t) => t.id === tag.id));
    await kb.unbindTag(SEED.chinese, tag.id);
    assert.ok(!(await kb.getDatasetTags(SEED.chinese)).data.some((t) => t.id === tag.id));
    await kb.deleteTag(tag.id);
    assert.ok(!(await kb.listTags()).some((t) => t.id === tag.id));
  });

  it('lists embedding models', async () => {
    const models = await kb.getModels('text-embedding');
    assert.ok(Array.isArray(models.data));
    assert.equal(lastRequest().path, '/workspaces/current/models/model-types/text-embedding');
  });
});

describe('KnowledgeClient: documents', () => {
  it('create-by-text moves through the indexing states to completed, then its segments and a search find it', async () => {
    const { document, batch } = await kb.createDocumentByText(SEED.chinese, {
      name: '快捷键.md',
      text: '在 VS Code 中按 Ctrl+Shift+P 打开命令面板。\n\n按 Ctrl+` 打开终端。',
      process_rule: { mode: 'automatic' },
    });
    assert.equal(document.name, '快捷键.md');
    const status = await untilIndexed(SEED.chinese, batch);
    assert.equal(status[0]!.indexing_status, 'completed');
    assert.ok(status[0]!.completed_at);
    const segments = await kb.listSegments(SEED.chinese, document.id);
    assert.ok(segments.data.length >= 1);
    const hits = await kb.retrieve(SEED.chinese, { query: '命令面板', retrieval_model: { search_method: 'keyword_search', reranking_enable: false, top_k: 3, score_threshold_enabled: false } });
    assert.equal(hits.query.content, '命令面板');
    assert.equal(hits.records[0]!.segment.document.name, '快捷键.md');
  });

  it('create-by-file streams the file and sends the settings as the `data` JSON string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dify-kb-'));
    const path = join(dir, 'notes.md');
    writeFileSync(path, '# Notes\n\nThe extension talks to Dify with undici.\n');
    const { document, batch } = await kb.createDocumentByFile(SEED.handbook, { path }, { process_rule: { mode: 'automatic' }, doc_form: 'text_model' });
    assert.equal(document.name, 'notes.md');
    assert.match(String(lastRequest().headers['content-type']), /^multipart\/form-data/);
    assert.equal((await untilIndexed(SEED.handbook, batch))[0]!.indexing_status, 'completed');
  });

  it('a file whose name says "fail" ends in error with Dify\'s error text', async () => {
    const { batch } = await kb.createDocumentByText(SEED.handbook, { name: 'will-fail.txt', text: 'x', process_rule: { mode: 'automatic' } });
    const [status] = await untilIndexed(SEED.handbook, batch);
    assert.equal(status!.indexing_status, 'error');
    assert.ok(status!.error);
  });

  it('lists with filters, reads with metadata, updates by text and file, changes status, deletes', async () => {
    const available = await kb.listDocuments(SEED.handbook, { status: 'available', limit: 50 });
    assert.ok(available.data.every((d) => d.display_status === 'available'));
    assert.deepEqual(lastRequest().query, { status: 'available', limit: '50' });
    const detail = await kb.getDocument(SEED.handbook, SEED.documents.faq, { metadata: 'all' });
    assert.equal(detail.name, 'faq.txt');

    const renamed = await kb.updateDocumentByText(SEED.handbook, SEED.documents.faq, { name: 'faq-2.txt' });
    assert.equal(renamed.document.name, 'faq-2.txt');
    const dir = mkdtempSync(join(tmpdir(), 'dify-kb-'));
    writeFileSync(join(dir, 'faq.md'), 'Q: What?\n\nA: This.');
    const replaced = await kb.updateDocumentByFile(SEED.handbook, SEED.documents.gettingStarted, { path: join(dir, 'faq.md') });
    assert.equal(replaced.document.id, SEED.documents.gettingStarted);

    await kb.updateDocumentStatus(SEED.handbook, 'disable', [SEED.documents.faq]);
    assert.equal((await kb.getDocument(SEED.handbook, SEED.documents.faq)).enabled, false);
    assert.match((await kb.getDocumentDownloadUrl(SEED.handbook, SEED.documents.faq)).url, /^https?:\/\//);

    await kb.deleteDocument(SEED.handbook, SEED.documents.faq);
    await assert.rejects(kb.getDocument(SEED.handbook, SEED.documents.faq), (e: unknown) => e instanceof DifyApiError && e.status === 404);
  });

  it('an archived document cannot be deleted (403 archived_document_immutable)', async () => {
    await assert.rejects(kb.deleteDocument(SEED.handbook, SEED.documents.archived), (e: unknown) => e instanceof DifyApiError && e.code === 'archived_document_immutable');
  });

  it('pages through the 2,000-document dataset', async () => {
    const p1 = await kb.listDocuments(SEED.large, { page: 1, limit: 100 });
    const p20 = await kb.listDocuments(SEED.large, { page: 20, limit: 100 });
    assert.equal(p1.total, 2000);
    assert.equal(p1.data.length, 100);
    assert.equal(p20.data.length, 100);
    assert.notEqual(p1.data[0]!.id, p20.data[0]!.id);
  });
});

describe('KnowledgeClient: segments, child chunks, metadata', () => {
  it('creates, reads, updates (POST) and deletes segments', async () => {
    const { data } = await kb.createSegments(SEED.handbook, SEED.documents.gettingStarted, [{ content: 'New chunk about Dify', keywords: ['dify'] }]);
    const segment = data[0]!;
    assert.equal(segment.content, 'New chunk about Dify');
    assert.equal((await kb.getSegment(SEED.handbook, SEED.documents.gettingStarted, segment.id)).data.id, segment.id);
    const updated = await kb.updateSegment(SEED.handbook, SEED.documents.gettingStarted, segment.id, { content: 'Edited' });
    assert.equal(lastRequest().method, 'POST');
    assert.deepEqual(lastRequest().json, { segment: { content: 'Edited' } });
    assert.equal(updated.data.content, 'Edited');
    // Like Dify, disabling returns early and changes nothing else.
    const disabled = await kb.updateSegment(SEED.handbook, SEED.documents.gettingStarted, segment.id, { content: 'ignored', enabled: false });
    assert.equal(disabled.data.enabled, false);
    assert.equal(disabled.data.content, 'Edited');
    await kb.deleteSegment(SEED.handbook, SEED.documents.gettingStarted, segment.id);
    await assert.rejects(kb.getSegment(SEED.handbook, SEED.documents.gettingStarted, segment.id), (e: unknown) => e instanceof DifyApiError && e.status === 404);
  });

  it('adding a segment to a document that is not completed is a 404', async () => {
    await assert.rejects(kb.createSegments(SEED.handbook, SEED.documents.indexing, [{ content: 'x' }]), (e: unknown) => e instanceof DifyApiError && e.status === 404);
  });

  it('the non-standard {"error"} body of segment creation becomes a DifyApiError (1.15 pydantic text, 1.13 "Segments is required")', async () => {
    const post = (k: KnowledgeClient) => k.http.json('POST', `/datasets/${SEED.handbook}/documents/${SEED.documents.gettingStarted}/segments`, { json: {} }).catch((e: unknown) => e);
    const error = await post(kb);
    assert.ok(error instanceof DifyApiError);
    assert.equal(error.status, 400);
    assert.match(error.difyMessage, /segments/i);
    const old = await startDifyServer({ version: '1.13.2', indexingStepMs: 10 });
    try {
      const oldError = await post(new KnowledgeClient({ baseUrl: old.baseUrl, apiKey: old.keys.dataset }));
      assert.ok(oldError instanceof DifyApiError);
      assert.equal(oldError.difyMessage, 'Segments is required');
    } finally {
      await old.close();
    }
  });

  it('child chunks: create, list, update, delete', async () => {
    const segments = await kb.listSegments(SEED.handbook, SEED.documents.gettingStarted, { limit: 1 });
    const segmentId = segments.data[0]!.id;
    const chunk = await kb.createChildChunk(SEED.handbook, SEED.documents.gettingStarted, segmentId, 'child text');
    assert.equal(chunk.content, 'child text');
    const list = await kb.listChildChunks(SEED.handbook, SEED.documents.gettingStarted, segmentId);
    assert.ok(list.data.some((c) => c.id === chunk.id));
    assert.equal((await kb.updateChildChunk(SEED.handbook, SEED.documents.gettingStarted, segmentId, chunk.id, 'edited')).content, 'edited');
    assert.equal(lastRequest().method, 'PATCH');
    await kb.deleteChildChunk(SEED.handbook, SEED.documents.gettingStarted, segmentId, chunk.id);
    assert.equal(lastRequest().status, 204);
  });

  it('metadata fields and document values', async () => {
    const field = await kb.createMetadata(SEED.chinese, { type: 'string', name: 'owner' });
    assert.equal(field.name, 'owner');
    assert.equal((await kb.updateMetadata(SEED.chinese, field.id, 'maintainer')).name, 'maintainer');
    await kb.updateDocumentsMetadata(SEED.chinese, [
      { document_id: SEED.documents.chineseGuide, metadata_list: [{ id: field.id, name: 'maintainer', value: '张三' }], partial_update: true },
    ]);
    const list = await kb.listMetadata(SEED.chinese);
    assert.ok(list.doc_metadata.some((f) => f.id === field.id));
    assert.ok((await kb.getBuiltInMetadata(SEED.chinese)).fields.some((f) => f.name === 'document_name'));
    await kb.setBuiltInMetadata(SEED.chinese, true);
    assert.equal((await kb.listMetadata(SEED.chinese)).built_in_field_enabled, true);
    await kb.deleteMetadata(SEED.chinese, field.id);
    assert.ok(!(await kb.listMetadata(SEED.chinese)).doc_metadata.some((f) => f.id === field.id));
  });

  it('a query over 250 characters is refused by Dify with its message', async () => {
    await assert.rejects(kb.retrieve(SEED.handbook, { query: 'x'.repeat(251) }), (e: unknown) => e instanceof DifyApiError && /250/.test(e.difyMessage));
  });
});
