// Contract tests of the test Dify server's Knowledge API (CONTRACT.md §3.13): documents, from creation through indexing to deletion.
import assert from 'node:assert/strict';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { arr, obj, sleep, useKnowledgeServer, type Obj } from './dify-server-knowledge-helpers.js';

describe('test Dify server: Knowledge API', () => {
  const k = useKnowledgeServer();
  const call = k.call;

  describe('documents', () => {
    it('walks a text document through the indexing states and creates segments', async () => {
      const ds = obj((await call('POST', '/datasets', { name: 'Indexing' })).json);
      const id = String(ds['id']);
      const noTechnique = await call('POST', `/datasets/${id}/document/create-by-text`, { name: 'a.txt', text: 'hello' });
      assert.equal(noTechnique.text, '{"code": "invalid_param", "message": "indexing_technique is required.", "status": 400}\n');
      const noRule = await call('POST', `/datasets/${id}/document/create_by_text`, { name: 'a.txt', text: 'hello', indexing_technique: 'high_quality' });
      assert.equal(obj(noRule.json)['message'], 'process_rule is required.');
      const missing = await call('POST', `/datasets/${id}/document/create-by-text`, { name: 'a.txt' });
      assert.match(String(obj(missing.json)['message']), /validation error for \w+\ntext\n {2}Field required \[type=missing, input_value=\{'name': 'a.txt'\}, input_type=dict\]/);

      const text = 'Alpha paragraph about rockets.\n\nBeta paragraph about oceans.\n\nGamma paragraph about forests.';
      const rule = {
        mode: 'custom',
        rules: { pre_processing_rules: [{ id: 'remove_extra_spaces', enabled: true }], segmentation: { separator: '\\n\\n', max_tokens: 10 } },
      };
      const r = await call('POST', `/datasets/${id}/document/create-by-text`, {
        name: 'nature.txt',
        text,
        indexing_technique: 'high_quality',
        process_rule: rule,
      });
      assert.equal(r.status, 200);
      const { document, batch } = obj(r.json) as { document: Obj; batch: string };
      assert.match(batch, /^\d{20}$/);
      assert.equal(document['indexing_status'], 'waiting');
      assert.equal(document['display_status'], 'queuing');
      assert.equal(document['created_from'], 'api');
      assert.deepEqual(Object.keys(document), [
        'id', 'position', 'data_source_type', 'data_source_info', 'data_source_detail_dict', 'dataset_process_rule_id', 'name',
        'created_from', 'created_by', 'created_at', 'tokens', 'indexing_status', 'error', 'enabled', 'disabled_at', 'disabled_by',
        'archived', 'display_status', 'word_count', 'hit_count', 'doc_form', 'doc_metadata', 'summary_index_status', 'need_summary',
      ]);

      const seen = new Set<string>();
      let row: Obj = {};
      for (let i = 0; i < 400 && row['indexing_status'] !== 'completed'; i++) {
        row = arr(obj((await call('GET', `/datasets/${id}/documents/${batch}/indexing-status`)).json)['data'])[0]!;
        seen.add(String(row['indexing_status']));
        if (row['indexing_status'] === 'parsing') assert.equal(row['parsing_completed_at'], null);
        await sleep(3);
      }
      assert.equal(row['indexing_status'], 'completed');
      assert.ok(seen.size >= 3, `saw ${[...seen].join(',')}`);
      assert.equal(typeof row['completed_at'], 'number');
      assert.equal(typeof row['processing_started_at'], 'number');
      assert.equal(row['total_segments'], 3);
      assert.equal(row['completed_segments'], 3);

      const segs = obj((await call('GET', `/datasets/${id}/documents/${String(document['id'])}/segments`)).json);
      assert.deepEqual(
        arr(segs['data']).map((s) => s['content']),
        ['Alpha paragraph about rockets.', 'Beta paragraph about oceans.', 'Gamma paragraph about forests.'],
      );
      assert.equal(segs['doc_form'], 'text_model');
      assert.ok((arr(segs['data'])[0]!['keywords'] as string[]).includes('rockets'));

      const detail = obj((await call('GET', `/datasets/${id}/documents/${String(document['id'])}`)).json);
      assert.equal(detail['segment_count'], 3);
      assert.equal(detail['display_status'], 'available');
      assert.equal(obj(detail['dataset_process_rule'])['mode'], 'custom');
      assert.equal(obj(obj(detail['document_process_rule'])['rules'])['segmentation'] !== undefined, true);
      // The dataset's rule is now reused when none is sent.
      const again = await call('POST', `/datasets/${id}/document/create-by-text`, { name: 'b.txt', text: 'second' });
      assert.equal(again.status, 200);
    });

    it('cuts hierarchical documents into parents with child chunks, retrievable by child', async () => {
      const r = obj(
        (
          await call('POST', `/datasets/${SEED.handbook}/document/create-by-text`, {
            name: 'parent-child.md',
            text: 'Solar panels convert light.\nInverters convert current.\n\nWind turbines spin.\nGearboxes raise speed.',
            doc_form: 'hierarchical_model',
            process_rule: {
              mode: 'hierarchical',
              rules: {
                pre_processing_rules: [],
                segmentation: { separator: '\\n\\n', max_tokens: 20 },
                parent_mode: 'paragraph',
                subchunk_segmentation: { separator: '\\n', max_tokens: 8 },
              },
            },
          })
        ).json,
      );
      await k.waitForStatus(SEED.handbook, String(r['batch']), 'completed');
      const docId = String(obj(r['document'])['id']);
      const segs = arr(obj((await call('GET', `/datasets/${SEED.handbook}/documents/${docId}/segments`)).json)['data']);
      assert.equal(segs.length, 2);
      assert.deepEqual(arr(segs[0]!['child_chunks']).map((c) => [c['content'], c['type']]), [
        ['Solar panels convert light.', 'automatic'],
        ['Inverters convert current.', 'automatic'],
      ]);
      const hit = arr(obj((await call('POST', `/datasets/${SEED.handbook}/retrieve`, { query: 'gearboxes' })).json)['records'])[0]!;
      assert.equal(obj(hit['segment'])['document_id'], docId);
      assert.deepEqual(arr(hit['child_chunks']).map((c) => c['content']), ['Gearboxes raise speed.']);
    });

    it('ends a document named *fail* in error with an error text', async () => {
      const r = obj((await call('POST', `/datasets/${SEED.handbook}/document/create-by-text`, { name: 'will-fail.txt', text: 'x' })).json);
      const row = await k.waitForStatus(SEED.handbook, String(r['batch']), 'error');
      assert.match(String(row['error']), /will-fail\.txt/);
      assert.equal(typeof row['stopped_at'], 'number');
      const doc = obj((await call('GET', `/datasets/${SEED.handbook}/documents/${String(obj(r['document'])['id'])}`)).json);
      assert.equal(doc['display_status'], 'error');
    });

    it('streams create-by-file: multipart with a JSON string data field', async () => {
      const big = 'Lorem ipsum dolor sit amet.\n'.repeat(80000); // ~2.2 MB, more than what is kept
      const form = new FormData();
      form.append('data', JSON.stringify({ indexing_technique: 'high_quality', process_rule: { mode: 'automatic' } }));
      form.append('file', new Blob([big], { type: 'text/plain' }), 'notes.txt');
      const r = await call('POST', `/datasets/${SEED.handbook}/document/create-by-file`, form);
      assert.equal(r.status, 200, r.text);
      const doc = obj(obj(r.json)['document']);
      assert.equal(doc['name'], 'notes.txt');
      const upload = obj(obj(doc['data_source_detail_dict'])['upload_file']);
      assert.equal(upload['size'], Buffer.byteLength(big));
      assert.equal(upload['extension'], 'txt');
      assert.match(r.text, /"created_at": \d+\.0\}/);
      const done = await k.waitForStatus(SEED.handbook, String(obj(r.json)['batch']), 'completed');
      assert.ok(Number(done['total_segments']) > 1);
    });

    it('answers a bad extension or oversized file on create-by-file with an empty-message 400', async () => {
      const bad = new FormData();
      bad.append('file', new Blob(['MZ'], { type: 'application/octet-stream' }), 'tool.exe');
      const r = await call('POST', `/datasets/${SEED.handbook}/document/create_by_file`, bad);
      assert.equal(r.status, 400);
      assert.equal(r.text, '{"code": "invalid_param", "message": "", "status": 400}\n');

      const huge = new FormData();
      huge.append('file', new Blob([new Uint8Array(15 * 1024 * 1024 + 1)], { type: 'text/plain' }), 'huge.txt');
      const r2 = await call('POST', `/datasets/${SEED.handbook}/document/create-by-file`, huge);
      assert.equal(r2.text, '{"code": "invalid_param", "message": "", "status": 400}\n');

      const none = new FormData();
      none.append('data', '{}');
      const r3 = await call('POST', `/datasets/${SEED.handbook}/document/create-by-file`, none);
      assert.equal(obj(r3.json)['code'], 'no_file_uploaded');
    });

    it('maps the same cases to 415 and 413 on update-by-file', async () => {
      const path = `/datasets/${SEED.handbook}/documents/${SEED.documents.faq}/update-by-file`;
      const bad = new FormData();
      bad.append('file', new Blob(['x'], { type: 'image/png' }), 'pic.png');
      const r = await call('POST', path, bad);
      assert.equal(r.status, 415);
      assert.equal(r.text, '{"code": "unsupported_file_type", "message": "File type not allowed.", "status": 415}\n');
      const huge = new FormData();
      huge.append('file', new Blob([new Uint8Array(15 * 1024 * 1024 + 1)]), 'huge.md');
      const r2 = await call('POST', path.replace('-by-', '_by_'), huge);
      assert.equal(r2.status, 413);
      assert.equal(r2.text, '{"code": "file_too_large", "message": "File size exceeded. {message}", "status": 413}\n');
      const ok = new FormData();
      ok.append('file', new Blob(['New FAQ text.'], { type: 'text/plain' }), 'faq-v2.txt');
      const r3 = obj((await call('POST', path, ok)).json);
      assert.equal(r3['batch'], SEED.batches.handbook);
      assert.equal(obj(r3['document'])['name'], 'faq-v2.txt');
      assert.equal(obj(r3['document'])['indexing_status'], 'waiting');
    });

    it('updates by text and rejects text without a name', async () => {
      const path = `/datasets/${SEED.handbook}/documents/${SEED.documents.gettingStarted}/update-by-text`;
      const bad = await call('POST', path, { text: 'x' });
      assert.equal(bad.status, 400);
      const r = obj((await call('POST', path, { name: 'renamed.md' })).json);
      assert.equal(obj(r['document'])['name'], 'renamed.md');
      assert.equal(obj(r['document'])['display_status'], 'available');
      const archived = await call('POST', `/datasets/${SEED.handbook}/documents/${SEED.documents.archived}/update-by-text`, { name: 'n' });
      assert.equal(obj(archived.json)['message'], 'Document is not available');
    });

    it('filters the list by display status and keyword', async () => {
      const statusOf = async (status: string) =>
        arr(obj((await call('GET', `/datasets/${SEED.handbook}/documents?status=${status}`)).json)['data']).map((d) => d['name']);
      assert.deepEqual(await statusOf('available'), ['faq.txt', 'getting-started.md']);
      assert.deepEqual(await statusOf('enabled'), ['faq.txt', 'getting-started.md']);
      assert.deepEqual(await statusOf('disabled'), ['old-pricing.md']);
      assert.deepEqual(await statusOf('archived'), ['roadmap-2023.md']);
      assert.deepEqual(await statusOf('error'), ['scanned-contract.pdf']);
      assert.deepEqual(await statusOf('indexing'), ['release-notes-draft.md']);
      assert.deepEqual(await statusOf('paused'), ['customers-export.csv']);
      const kw = obj((await call('GET', `/datasets/${SEED.handbook}/documents?keyword=FAQ`)).json);
      assert.equal(kw['total'], 1);
      const err = arr(obj((await call('GET', `/datasets/${SEED.handbook}/documents?status=error`)).json)['data'])[0]!;
      assert.match(String(err['error']), /no text layer/);
    });

    it('returns detail by metadata mode and rejects an invalid one', async () => {
      const base = `/datasets/${SEED.handbook}/documents/${SEED.documents.gettingStarted}`;
      const only = obj((await call('GET', `${base}?metadata=only`)).json);
      assert.deepEqual(Object.keys(only), ['id', 'doc_type', 'doc_metadata']);
      assert.deepEqual(arr(only['doc_metadata']).map((m) => [m['name'], m['value']]), [
        ['author', 'Jane Doe'],
        ['year', 2025],
      ]);
      const without = obj((await call('GET', `${base}?metadata=without`)).json);
      assert.ok(!('doc_metadata' in without) && 'segment_count' in without);
      const all = obj((await call('GET', base)).json);
      assert.ok(all['hit_count'] as number > 0);
      const bad = await call('GET', `${base}?metadata=some`);
      assert.equal(bad.text, '{"code": "invalid_metadata", "message": "Invalid metadata value: some", "status": 400}\n');
    });

    it('guards delete: archived 403, indexing 400, otherwise 204', async () => {
      const archived = await call('DELETE', `/datasets/${SEED.handbook}/documents/${SEED.documents.archived}`);
      assert.equal(archived.status, 403);
      assert.equal(obj(archived.json)['code'], 'archived_document_immutable');
      const indexing = await call('DELETE', `/datasets/${SEED.handbook}/documents/${SEED.documents.indexing}`);
      assert.equal(indexing.text, '{"code": "document_indexing", "message": "Cannot delete document during indexing.", "status": 400}\n');
      assert.equal((await call('DELETE', `/datasets/${SEED.handbook}/documents/${SEED.documents.faq}`)).status, 204);
      assert.equal((await call('DELETE', `/datasets/${SEED.handbook}/documents/${SEED.documents.faq}`)).status, 404);
    });

    it('applies status actions and reports indexing documents as invalid_action', async () => {
      const path = `/datasets/${SEED.handbook}/documents/status`;
      assert.deepEqual((await call('PATCH', `${path}/disable`, { document_ids: [SEED.documents.faq] })).json, { result: 'success' });
      const faq = obj((await call('GET', `/datasets/${SEED.handbook}/documents/${SEED.documents.faq}`)).json);
      assert.equal(faq['display_status'], 'disabled');
      assert.equal(faq['disabled_by'], '8c7f3a52-1d4b-4e7a-9f0c-5b2e6d1a3c90');
      await call('PATCH', `${path}/un_archive`, { document_ids: [SEED.documents.archived] });
      const roadmap = obj((await call('GET', `/datasets/${SEED.handbook}/documents/${SEED.documents.archived}`)).json);
      assert.equal(roadmap['display_status'], 'available');
      const busy = await call('PATCH', `${path}/enable`, { document_ids: [SEED.documents.indexing] });
      assert.equal(busy.status, 400);
      assert.equal(obj(busy.json)['code'], 'invalid_action');
    });

    it('404s an unknown batch', async () => {
      const r = await call('GET', `/datasets/${SEED.handbook}/documents/20990101000000000000/indexing-status`);
      assert.equal(r.status, 404);
      assert.equal(obj(r.json)['message'], 'Documents not found.');
    });
  });
});
