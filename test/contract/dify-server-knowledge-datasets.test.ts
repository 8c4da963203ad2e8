// Contract tests of the test Dify server's Knowledge API (CONTRACT.md §3.13): auth, datasets, tags and routing.
import assert from 'node:assert/strict';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { arr, obj, useKnowledgeServer } from './dify-server-knowledge-helpers.js';

describe('test Dify server: Knowledge API', () => {
  const k = useKnowledgeServer();
  const call = k.call;

  describe('auth', () => {
    it('rejects a missing header, an unknown key and an app key with the 401 body and WWW-Authenticate', async () => {
      const bare = await fetch(`${k.base}/datasets`);
      assert.equal(bare.status, 401);
      assert.equal(bare.headers.get('www-authenticate'), 'Bearer realm="api"');
      assert.equal(
        await bare.text(),
        `{"code": "unauthorized", "message": "Authorization header must be provided and start with 'Bearer'", "status": 401}\n`,
      );
      for (const key of [k.appKey, 'dataset-unknownunknownunknown00']) {
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

    it("the console's API Access switch: enable_api in the list and the dataset's routes follow it", async () => {
      const listed = async () => arr(obj((await call('GET', '/datasets?limit=100')).json)['data']).find((d) => d['id'] === SEED.apiDisabled)!['enable_api'];
      assert.equal(await listed(), false, 'listed, with enable_api false');
      k.setDatasetApi(SEED.apiDisabled, true);
      assert.equal(await listed(), true);
      const on = await call('GET', `/datasets/${SEED.apiDisabled}`);
      assert.equal(on.status, 200);
      assert.equal(obj(on.json)['enable_api'], true);
      k.setDatasetApi(SEED.apiDisabled, false);
      const off = await call('GET', `/datasets/${SEED.apiDisabled}`);
      assert.equal(off.text, '{"code": "forbidden", "message": "Dataset api access is not enabled.", "status": 403}\n');
    });

    it('checks the key before the dataset', async () => {
      const r = await call('GET', `/datasets/${SEED.apiDisabled}`, undefined, k.appKey);
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
      const res = await fetch(`${k.base}/datasets`, { method: 'POST', headers: { Authorization: `Bearer ${k.key}` }, body: 'name=x' });
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

  describe('routing', () => {
    it('gives the werkzeug HTML 404 for a non-UUID dataset id', async () => {
      const r = await call('GET', '/datasets/not-a-uuid/documents');
      assert.equal(r.status, 404);
      assert.match(r.text, /<title>404 Not Found<\/title>/);
    });
  });
});
