// Contract tests of the test Dify server's Knowledge API (CONTRACT.md §3.13) over real HTTP with fetch.
import assert from 'node:assert/strict';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';

const STEP_MS = 20;
let server: DifyTestServer;
let KEY = '';
let APP_KEY = '';

interface Harness {
  base: string;
  reset(): void;
}

let h: Harness;

async function call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; text: string; json: unknown; headers: Headers }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key ?? KEY}` };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(h.base + path, { method, headers, body: payload });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, json, headers: res.headers };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => v as Obj;
const arr = (v: unknown): Obj[] => v as Obj[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForStatus(datasetId: string, batch: string, status: string): Promise<Obj> {
  for (let i = 0; i < 200; i++) {
    const r = await call('GET', `/datasets/${datasetId}/documents/${batch}/indexing-status`);
    const row = arr(obj(r.json)['data'])[0]!;
    if (row['indexing_status'] === status) return row;
    await sleep(5);
  }
  throw new Error(`document never reached ${status}`);
}

describe('test Dify server: Knowledge API', () => {
  before(async () => {
    server = await startDifyServer({ indexingStepMs: STEP_MS });
    KEY = server.keys.dataset;
    APP_KEY = server.keys.chat;
    h = { base: server.baseUrl, reset: () => server.reset() };
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => h.reset());

  describe('auth', () => {
    it('rejects a missing header, an unknown key and an app key with the 401 body and WWW-Authenticate', async () => {
      const bare = await fetch(`${h.base}/datasets`);
      assert.equal(bare.status, 401);
      assert.equal(bare.headers.get('www-authenticate'), 'Bearer realm="api"');
      assert.equal(
        await bare.text(),
        `{"code": "unauthorized", "message": "Authorization header must be provided and start with 'Bearer'", "status": 401}\n`,
      );
      for (const key of [APP_KEY, 'dataset-unknownunknownunknown00']) {
        const r = await call('GET', '/datasets', undefined, key);
        assert.equal(r.status, 401);
        assert.equal(r.text, '{"code": "unauthorized", "message": "Access token is invalid", "status": 401}\n');
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="api"');
      }
    });

    it('404s an unknown dataset and 403s one with API access disabled', async () => {
      const missing = await call('GET', '/datasets/00000000-0000-4000-8000-000000000000');
      assert.equal(missing.status, 404);
      assert.equal(missing.text, '{"code": "not_found", "message": "Dataset not found.", "status": 404}\n');
      const off = await call('GET', `/datasets/${SEED.apiDisabled}/documents`);
      assert.equal(off.status, 403);
      assert.equal(off.text, '{"code": "forbidden", "message": "Dataset api access is not enabled.", "status": 403}\n');
    });

    it('checks the key before the dataset', async () => {
      const r = await call('GET', `/datasets/${SEED.apiDisabled}`, undefined, APP_KEY);
      assert.equal(r.status, 401);
    });
  });

  describe('datasets', () => {
    it('lists newest first with the has_more quirk and the limit echo', async () => {
      const r = await call('GET', '/datasets?limit=2');
      assert.equal(r.status, 200);
      const body = obj(r.json);
      assert.deepEqual(Object.keys(body), ['data', 'has_more', 'limit', 'total', 'page']);
      assert.equal(body['total'], 5);
      assert.equal(body['has_more'], true);
      assert.deepEqual(
        arr(body['data']).map((d) => d['id']),
        [SEED.apiDisabled, SEED.large],
      );
      const last = obj((await call('GET', '/datasets?limit=5&page=1')).json);
      assert.equal(last['has_more'], true, 'len(data) == limit even though nothing follows');
      const empty = obj((await call('GET', '/datasets?limit=5&page=2')).json);
      assert.deepEqual(empty['data'], []);
      assert.equal(empty['has_more'], false);
    });

    it('serialises the Chinese dataset name with Python \\u escapes and the documented key order', async () => {
      const r = await call('GET', `/datasets/${SEED.chinese}`);
      assert.ok(r.text.includes('"name": "\\u4ea7\\u54c1\\u77e5\\u8bc6\\u5e93"'), r.text.slice(0, 200));
      assert.ok(r.text.endsWith('}\n'));
      const ds = obj(r.json);
      assert.deepEqual(Object.keys(ds).slice(0, 8), [
        'id',
        'name',
        'description',
        'provider',
        'permission',
        'data_source_type',
        'indexing_technique',
        'app_count',
      ]);
      assert.equal(Object.keys(ds).at(-1), 'is_multimodal');
      assert.equal(ds['document_count'], 2);
      assert.equal(ds['total_available_documents'], 2);
      assert.ok(!('partial_member_list' in ds));
    });

    it('reports keyword_search for economy datasets on GET and adds partial_member_list', async () => {
      const ds = obj((await call('GET', `/datasets/${SEED.economy}`)).json);
      assert.equal(obj(ds['retrieval_model_dict'])['search_method'], 'keyword_search');
      assert.deepEqual(ds['partial_member_list'], ['8c7f3a52-1d4b-4e7a-9f0c-5b2e6d1a3c90']);
    });

    it('serves a limit above 100 as 100 rows while echoing it', async () => {
      const r = obj((await call('GET', `/datasets/${SEED.large}/documents?limit=150`)).json);
      assert.equal(arr(r['data']).length, 100);
      assert.equal(r['limit'], 150);
      assert.equal(r['has_more'], false);
      assert.equal(r['total'], 2000);
      const page3 = obj((await call('GET', `/datasets/${SEED.large}/documents?limit=20&page=3`)).json);
      assert.equal(page3['has_more'], true);
      assert.equal(arr(page3['data'])[0]!['name'], 'meeting-1960.txt');
      const lastPage = obj((await call('GET', `/datasets/${SEED.large}/documents?limit=20&page=100`)).json);
      assert.equal(arr(lastPage['data']).length, 20);
      assert.equal(lastPage['has_more'], true);
      const beyond = obj((await call('GET', `/datasets/${SEED.large}/documents?limit=20&page=101`)).json);
      assert.equal(arr(beyond['data']).length, 0);
    });

    it('fails with 400 invalid_param whenever tag_ids is sent', async () => {
      const r = await call('GET', `/datasets?tag_ids=${SEED.tags.product}`);
      assert.equal(r.status, 400);
      const body = obj(r.json);
      assert.equal(body['code'], 'invalid_param');
      assert.match(String(body['message']), /^1 validation error for DatasetListQuery\ntag_ids\n {2}Input should be a valid list/);
    });

    it('creates, rejects duplicates with 409, updates and deletes', async () => {
      const created = await call('POST', '/datasets', { name: 'Scratch', indexing_technique: 'economy' });
      assert.equal(created.status, 200);
      const ds = obj(created.json);
      assert.equal(ds['permission'], 'only_me');
      assert.equal(ds['doc_form'], null);
      assert.equal(ds['embedding_model'], null);
      assert.equal(obj(ds['retrieval_model_dict'])['top_k'], 4);
      const dup = await call('POST', '/datasets', { name: 'Scratch' });
      assert.equal(dup.status, 409);
      assert.equal(obj(dup.json)['code'], 'dataset_name_duplicate');
      const tooLong = await call('POST', '/datasets', { name: 'x'.repeat(41) });
      assert.equal(tooLong.status, 400);
      assert.match(String(obj(tooLong.json)['message']), /String should have at most 40 characters \[type=string_too_long/);
      const patched = await call('PATCH', `/datasets/${String(ds['id'])}`, { description: 'new' });
      assert.equal(obj(patched.json)['description'], 'new');
      assert.deepEqual(obj(patched.json)['partial_member_list'], []);
      const del = await call('DELETE', `/datasets/${String(ds['id'])}`);
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      assert.equal((await call('GET', `/datasets/${String(ds['id'])}`)).status, 404);
    });

    it('refuses to delete a dataset in use', async () => {
      const r = await call('DELETE', `/datasets/${SEED.handbook}`);
      assert.equal(r.status, 409);
      assert.equal(obj(r.json)['code'], 'dataset_in_use');
    });

    it('415s a JSON endpoint without a JSON content type', async () => {
      const res = await fetch(`${h.base}/datasets`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` }, body: 'name=x' });
      assert.equal(res.status, 415);
      assert.equal(obj(await res.json())['code'], 'unsupported_media_type');
    });
  });

  describe('tags', () => {
    it('lists tags as a bare array with string binding counts, binds and unbinds', async () => {
      const list = arr((await call('GET', '/datasets/tags')).json);
      const product = list.find((t) => t['id'] === SEED.tags.product)!;
      assert.deepEqual(product, { id: SEED.tags.product, name: 'product', type: 'knowledge', binding_count: '2' });
      const created = obj((await call('POST', '/datasets/tags', { name: 'fresh' })).json);
      assert.equal(created['binding_count'], '0');
      assert.equal((await call('POST', '/datasets/tags/binding', { tag_ids: [created['id']], target_id: SEED.large })).status, 204);
      const tags = obj((await call('GET', `/datasets/${SEED.large}/tags`)).json);
      assert.deepEqual(tags, { data: [{ id: created['id'], name: 'fresh' }], total: 1 });
      assert.equal((await call('POST', '/datasets/tags/unbinding', { tag_id: created['id'], target_id: SEED.large })).status, 204);
      assert.equal(obj((await call('GET', `/datasets/${SEED.large}/tags`)).json)['total'], 0);
      assert.equal((await call('DELETE', '/datasets/tags', { tag_id: created['id'] })).status, 204);
      const empty = await call('POST', '/datasets/tags/binding', { tag_ids: [], target_id: SEED.large });
      assert.equal(empty.status, 400);
    });
  });

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
      await waitForStatus(SEED.handbook, String(r['batch']), 'completed');
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
      const row = await waitForStatus(SEED.handbook, String(r['batch']), 'error');
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
      const done = await waitForStatus(SEED.handbook, String(obj(r.json)['batch']), 'completed');
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

    it('refuses to add segments to an unfinished or disabled document', async () => {
      const a = await call('POST', seg(SEED.documents.indexing), { segments: [{ content: 'x' }] });
      assert.equal(a.text, '{"code": "not_found", "message": "Document is not completed.", "status": 404}\n');
      const b = await call('POST', seg(SEED.documents.disabled), { segments: [{ content: 'x' }] });
      assert.equal(b.text, '{"code": "not_found", "message": "Document is disabled.", "status": 404}\n');
    });

    it('answers a missing segments key with the bare {"error"} body', async () => {
      const r = await call('POST', seg(SEED.documents.faq), {});
      assert.equal(r.status, 400);
      assert.equal(r.text, '{"error": "Segments is required"}\n');
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
      assert.equal((await call('GET', '/workspaces/current/models/model-types/rerank', undefined, APP_KEY)).status, 401);
    });
  });

  describe('routing', () => {
    it('gives the werkzeug HTML 404 for a non-UUID dataset id', async () => {
      const r = await call('GET', '/datasets/not-a-uuid/documents');
      assert.equal(r.status, 404);
      assert.match(r.text, /<title>404 Not Found<\/title>/);
    });
  });
});
