// Contract tests of the test Dify server's Knowledge API (CONTRACT.md §3.13): segments, child chunks, retrieval, metadata and models.
import assert from 'node:assert/strict';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { arr, obj, useKnowledgeServer } from './dify-server-knowledge-helpers.js';

describe('test Dify server: Knowledge API', () => {
  const k = useKnowledgeServer();
  const call = k.call;

  describe('segments', () => {
    const seg = (doc: string) => `/datasets/${SEED.handbook}/documents/${doc}/segments`;

    it('lists seeded segments with keywords and hit counts', async () => {
      const r = obj((await call('GET', `${seg(SEED.documents.gettingStarted)}?limit=3`)).json);
      assert.deepEqual(Object.keys(r), ['data', 'doc_form', 'total', 'has_more', 'limit', 'page']);
      assert.equal(r['has_more'], true);
      const first = arr(r['data'])[0]!;
      assert.equal(first['position'], 1);
      assert.equal(first['hit_count'], 3);
      assert.equal(first['status'], 'completed');
      assert.match(String(first['content']), /^# Getting started with Acme Cloud\nAcme Cloud lets you/);
      const kw = obj((await call('GET', `${seg(SEED.documents.gettingStarted)}?keyword=rollback`)).json);
      assert.equal(kw['total'], 1);
    });

    it("moves a segment's updated_at (seconds) when its content is saved, and reports it on GET", async () => {
      const first = arr(obj((await call('GET', `${seg(SEED.documents.gettingStarted)}?limit=1`)).json)['data'])[0]!;
      const path = `${seg(SEED.documents.gettingStarted)}/${String(first['id'])}`;
      const started = Math.floor(Date.now() / 1000);
      const saved = obj(obj((await call('POST', path, { segment: { content: 'Changed in Dify.' } })).json)['data']);
      assert.ok(Number(saved['updated_at']) >= started && Number(saved['updated_at']) > Number(first['updated_at']), `${String(saved['updated_at'])}`);
      assert.ok(Number.isInteger(saved['updated_at']));
      const read = obj(obj((await call('GET', path)).json)['data']);
      assert.equal(read['updated_at'], saved['updated_at']);
      assert.equal(read['content'], 'Changed in Dify.');
    });

    it('refuses to add segments to an unfinished or disabled document', async () => {
      const a = await call('POST', seg(SEED.documents.indexing), { segments: [{ content: 'x' }] });
      assert.equal(a.text, '{"code": "not_found", "message": "Document is not completed.", "status": 404}\n');
      const b = await call('POST', seg(SEED.documents.disabled), { segments: [{ content: 'x' }] });
      assert.equal(b.text, '{"code": "not_found", "message": "Document is disabled.", "status": 404}\n');
    });

    it('answers a missing segments key with the bare {"error"} body, pydantic\'s text on 1.15 (CONSOLE §11.8)', async () => {
      const r = await call('POST', seg(SEED.documents.faq), {});
      assert.equal(r.status, 400);
      assert.equal(
        r.text,
        '{"error": "1 validation error for SegmentCreatePayload\\nsegments\\n  Field required [type=missing, input_value={}, input_type=dict]\\n' +
          '    For further information visit https://errors.pydantic.dev/2.12/v/missing"}\n',
      );
    });

    it('creates, gets, updates (POST) and deletes a segment', async () => {
      const empty = await call('POST', seg(SEED.documents.faq), { segments: [{ content: '  ' }] });
      assert.equal(obj(empty.json)['message'], 'Content is empty');
      const created = obj((await call('POST', seg(SEED.documents.faq), { segments: [{ content: 'Refunds take five days.', keywords: ['refund'] }] })).json);
      const s = arr(created['data'])[0]!;
      assert.equal(created['doc_form'], 'text_model');
      assert.equal(s['position'], 5);
      assert.deepEqual(s['keywords'], ['refund']);
      assert.equal(s['word_count'], 'Refunds take five days.'.length);
      const url = `${seg(SEED.documents.faq)}/${String(s['id'])}`;
      const got = obj((await call('GET', url)).json);
      assert.equal(obj(got['data'])['content'], 'Refunds take five days.');
      const updated = obj((await call('POST', url, { segment: { content: 'Refunds take three days.' } })).json);
      assert.equal(obj(updated['data'])['content'], 'Refunds take three days.');
      const disabled = obj((await call('POST', url, { segment: { enabled: false } })).json);
      assert.equal(obj(disabled['data'])['enabled'], false);
      const refused = await call('POST', url, { segment: { content: 'again' } });
      assert.equal(obj(refused.json)['message'], "Can't update disabled segment");
      assert.equal((await call('DELETE', url)).status, 204);
      assert.equal((await call('GET', url)).text, '{"code": "not_found", "message": "Segment not found.", "status": 404}\n');
    });

    it('manages child chunks', async () => {
      const list = obj((await call('GET', seg(SEED.documents.faq))).json);
      const segmentId = String(arr(list['data'])[0]!['id']);
      const base = `${seg(SEED.documents.faq)}/${segmentId}/child_chunks`;
      const created = obj(obj((await call('POST', base, { content: 'Starter plan is free.' })).json)['data']);
      assert.deepEqual(Object.keys(created), ['id', 'segment_id', 'content', 'position', 'word_count', 'type', 'created_at', 'updated_at']);
      assert.equal(created['type'], 'customized');
      const listed = obj((await call('GET', `${base}?limit=500`)).json);
      assert.deepEqual(Object.keys(listed), ['data', 'total', 'total_pages', 'page', 'limit']);
      assert.equal(listed['total'], 1);
      assert.equal(listed['limit'], 100);
      const patched = obj(obj((await call('PATCH', `${base}/${String(created['id'])}`, { content: 'Team plan costs 20.' })).json)['data']);
      assert.equal(patched['content'], 'Team plan costs 20.');
      assert.equal((await call('DELETE', `${base}/${String(created['id'])}`)).status, 204);
      const gone = await call('DELETE', `${base}/${String(created['id'])}`);
      assert.equal(obj(gone.json)['message'], 'Child chunk not found.');
    });
  });

  describe('retrieve', () => {
    it('ranks matching segments with the documented record shape', async () => {
      const r = await call('POST', `/datasets/${SEED.handbook}/retrieve`, { query: 'how do I rollback a deploy' });
      assert.equal(r.status, 200);
      const body = obj(r.json);
      assert.deepEqual(body['query'], { content: 'how do I rollback a deploy' });
      const records = arr(body['records']);
      assert.ok(records.length > 0 && records.length <= 4);
      const top = records[0]!;
      assert.deepEqual(Object.keys(top), ['segment', 'child_chunks', 'score', 'tsne_position', 'files', 'summary']);
      assert.match(String(obj(top['segment'])['content']), /rollback/);
      assert.deepEqual(Object.keys(obj(top['segment'])), [
        'id', 'position', 'document_id', 'content', 'sign_content', 'answer', 'word_count', 'tokens', 'keywords',
        'index_node_id', 'index_node_hash', 'hit_count', 'enabled', 'disabled_at', 'disabled_by', 'status', 'created_by',
        'created_at', 'indexing_at', 'completed_at', 'error', 'stopped_at', 'document',
      ]);
      assert.deepEqual(Object.keys(obj(obj(top['segment'])['document'])), ['id', 'data_source_type', 'name', 'doc_type', 'doc_metadata']);
      assert.ok((top['score'] as number) > 0 && (top['score'] as number) <= 1);
      // Disabled, archived and unfinished documents are never retrieved.
      const names = records.map((rec) => obj(obj(rec['segment'])['document'])['name']);
      assert.ok(names.every((n) => n === 'getting-started.md' || n === 'faq.txt'));
    });

    it('works for Chinese by characters and honours top_k via the hit-testing alias', async () => {
      const r = obj(
        (
          await call('POST', `/datasets/${SEED.chinese}/hit-testing`, {
            query: '如何重置密码',
            retrieval_model: { search_method: 'semantic_search', reranking_enable: false, top_k: 1, score_threshold_enabled: false },
          })
        ).json,
      );
      const records = arr(r['records']);
      assert.equal(records.length, 1);
      assert.match(String(obj(records[0]!['segment'])['content']), /重置密码/);
    });

    it('caps records at 10 and rejects long queries', async () => {
      const r = obj(
        (
          await call('POST', `/datasets/${SEED.large}/retrieve`, {
            query: 'budget meeting',
            retrieval_model: { search_method: 'hybrid_search', reranking_enable: false, top_k: 50, score_threshold_enabled: false },
          })
        ).json,
      );
      assert.equal(arr(r['records']).length, 10);
      const long = await call('POST', `/datasets/${SEED.handbook}/retrieve`, { query: 'q'.repeat(251) });
      assert.equal(long.text, '{"code": "invalid_param", "message": "Query cannot exceed 250 characters", "status": 400}\n');
      const none = await call('POST', `/datasets/${SEED.handbook}/retrieve`, {});
      assert.equal(obj(none.json)['message'], 'Query or attachment_ids is required');
    });

    it('reports dataset_not_initialized while the only documents are indexing', async () => {
      const ds = obj((await call('POST', '/datasets', { name: 'Fresh', indexing_technique: 'high_quality' })).json);
      await call('POST', `/datasets/${String(ds['id'])}/document/create-by-text`, { name: 'n.txt', text: 'hello world', process_rule: { mode: 'automatic' } });
      const r = await call('POST', `/datasets/${String(ds['id'])}/retrieve`, { query: 'hello' });
      assert.equal(r.status, 400);
      assert.equal(obj(r.json)['code'], 'dataset_not_initialized');
    });
  });

  describe('metadata and models', () => {
    it('lists, creates (201), renames and deletes metadata fields', async () => {
      const base = `/datasets/${SEED.handbook}/metadata`;
      const list = obj((await call('GET', base)).json);
      assert.deepEqual(list['doc_metadata'], [
        { id: SEED.metadata.author, name: 'author', type: 'string', count: 2 },
        { id: SEED.metadata.year, name: 'year', type: 'number', count: 1 },
        { id: SEED.metadata.reviewedAt, name: 'reviewed_at', type: 'time', count: 0 },
      ]);
      const created = await call('POST', base, { type: 'string', name: 'team' });
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(obj(created.json)), ['id', 'type', 'name']);
      const dup = await call('POST', base, { type: 'string', name: 'team' });
      assert.equal(obj(dup.json)['message'], 'Metadata name already exists.');
      const builtIn = await call('POST', base, { type: 'string', name: 'uploader' });
      assert.equal(obj(builtIn.json)['message'], 'Metadata name already exists in Built-in fields.');
      const id = String(obj(created.json)['id']);
      assert.equal(obj((await call('PATCH', `${base}/${id}`, { name: 'squad' })).json)['name'], 'squad');
      const op = await call('POST', `/datasets/${SEED.handbook}/documents/metadata`, {
        operation_data: [{ document_id: SEED.documents.faq, metadata_list: [{ id, name: 'squad', value: 'blue' }], partial_update: true }],
      });
      assert.deepEqual(op.json, { result: 'success' });
      const faq = obj((await call('GET', `/datasets/${SEED.handbook}/documents/${SEED.documents.faq}?metadata=only`)).json);
      assert.deepEqual(arr(faq['doc_metadata']).map((m) => m['value']), ['Support Team', 'blue']);
      assert.equal((await call('DELETE', `${base}/${id}`)).status, 204);
    });

    it('exposes built-in fields and toggles them into doc_metadata', async () => {
      const base = `/datasets/${SEED.handbook}/metadata/built-in`;
      const fields = obj((await call('GET', base)).json);
      assert.equal(arr(fields['fields']).length, 5);
      assert.deepEqual((await call('POST', `${base}/enable`)).json, { result: 'success' });
      const doc = await call('GET', `/datasets/${SEED.handbook}/documents/${SEED.documents.faq}?metadata=only`);
      assert.match(doc.text, /"name": "upload_date", "type": "time", "value": \d+\.0\}/);
      const list = obj((await call('GET', `/datasets/${SEED.handbook}/metadata`)).json);
      assert.equal(list['built_in_field_enabled'], true);
    });

    it('lists embedding models', async () => {
      const r = obj((await call('GET', '/workspaces/current/models/model-types/text-embedding')).json);
      const provider = arr(r['data'])[0]!;
      assert.equal(provider['provider'], 'langgenius/openai/openai');
      assert.ok(arr(provider['models']).some((m) => m['model'] === 'text-embedding-3-small'));
      const bad = await call('GET', '/workspaces/current/models/model-types/nope');
      assert.equal(bad.status, 400);
      assert.equal((await call('GET', '/workspaces/current/models/model-types/rerank', undefined, k.appKey)).status, 401);
    });
  });
});
