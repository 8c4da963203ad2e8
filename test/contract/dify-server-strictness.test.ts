// The test Dify server's request strictness (CONTRACT §1, §3.2, §3.9; unchanged in 1.15 per CONSOLE §11): the app's
// file-upload settings apply to the `files` of chat and workflow requests, a number input takes only numbers, a body
// that is not a JSON object fails as Dify fails on each kind of endpoint, CORS headers are flask-cors's, and 1.13.2's
// tag binding_count bug is there.
import assert from 'node:assert/strict';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer, DifyVersion } from '../dify-server/server.js';
import { CHAT_INPUTS, call, post } from './dify-server-helpers.js';

type Json = Record<string, unknown>;

async function upload(server: DifyTestServer, key: string, name: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob(['hello 你好'], { type }), name);
  form.append('user', 'u');
  const res = await fetch(`${server.baseUrl}/files/upload`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
  return String(((await res.json()) as Json).id);
}

for (const version of ['1.15.0', '1.13.2'] as DifyVersion[]) {
  describe(`test Dify server: strictness (${version})`, () => {
    let server: DifyTestServer;
    before(async () => {
      server = await startDifyServer({ version });
    });
    after(() => server.close());

    const refused = (message: string) => `{"code": "invalid_param", "message": "${message}", "status": 400}\n`;

    it('chat files: a type, extension or transfer method the app does not allow is 400 "File validation failed for file: <name>"', async () => {
      const chat = (files: Json[]) => post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: 'look', user: 'u', files });
      const doc = await upload(server, server.keys.chat, 'notes.txt', 'text/plain');
      const png = await upload(server, server.keys.chat, 'cat.png', 'image/png');
      assert.equal((await chat([{ type: 'document', transfer_method: 'local_file', upload_file_id: doc }])).text, refused('File validation failed for file: notes.txt'));
      assert.equal((await chat([{ transfer_method: 'local_file', upload_file_id: png }])).text, refused('File validation failed for file: cat.png'), 'custom: .png is not in the upper-case extension list');
      assert.equal((await chat([{ type: 'image', transfer_method: 'local_file', upload_file_id: png }])).status, 200);
    });

    it('workflow files: the app allows documents and images by local file or URL, not audio', async () => {
      const run = (files: Json[]) => post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: 't' }, user: 'u', files });
      const mp3 = await upload(server, server.keys.workflow, 'song.mp3', 'audio/mpeg');
      assert.equal((await run([{ type: 'audio', transfer_method: 'local_file', upload_file_id: mp3 }])).text, refused('File validation failed for file: song.mp3'));
      assert.equal((await run([{ type: 'document', transfer_method: 'remote_url', url: 'https://example.com/a.pdf' }])).status, 200);
    });

    it('a number input given an object or a list: "<var> in input form must be a valid number"', async () => {
      for (const value of [{ n: 1 }, [1, 2]]) {
        const res = await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: 't', count: value }, user: 'u' });
        assert.equal(res.text, refused('count in input form must be a valid number'));
      }
      const chat = await post(server, '/chat-messages', server.keys.chat, { inputs: { ...CHAT_INPUTS, max_items: [3] }, query: 'q', user: 'u' });
      assert.equal(chat.text, refused('max_items in input form must be a valid number'));
      const ok = await call(server, 'POST', '/workflows/run', { key: server.keys.workflow, json: { inputs: { topic: 't', count: 3 }, user: 'u' } });
      assert.equal(ok.status, 200);
    });

    it('a JSON body that is not an object: 500 where Dify reads `user` from it, the model\'s validation error elsewhere', async () => {
      const internal = '{"message": "Internal Server Error", "code": "unknown", "status": 500}\n';
      for (const body of [[], 'text', 3, null]) {
        for (const [path, key] of [['/chat-messages', server.keys.chat], ['/workflows/run', server.keys.workflow], ['/completion-messages', server.keys.completion]] as const) {
          const res = await post(server, path, key, body);
          assert.equal(res.text, internal, `${path} ${JSON.stringify(body)}`);
        }
      }
      const tag = await post(server, '/datasets/tags', server.keys.dataset, ['x']);
      assert.equal(tag.status, 400);
      assert.equal(
        JSON.parse(tag.text).message,
        "1 validation error for TagCreatePayload\n  Input should be a valid dictionary or instance of TagCreatePayload [type=model_type, input_value=['x'], input_type=list]\n    For further information visit https://errors.pydantic.dev/2.12/v/model_type",
      );
    });

    it('CORS as flask-cors on /v1 sends it: the origin echoed (or *), a preflight answered with the allowed methods and headers', async () => {
      const origin = 'https://tools.example.com';
      const plain = await call(server, 'GET', '/info', { key: server.keys.chat });
      assert.equal(plain.headers.get('access-control-allow-origin'), '*');
      const cross = await call(server, 'GET', '/info', { key: server.keys.chat, headers: { Origin: origin } });
      assert.equal(cross.headers.get('access-control-allow-origin'), origin);
      assert.equal(cross.headers.get('vary'), 'Origin');
      const failed = await call(server, 'GET', '/info', { key: 'app-wrong', headers: { Origin: origin } });
      assert.equal(failed.status, 401);
      assert.equal(failed.headers.get('access-control-allow-origin'), origin, 'errors of a matched route carry it too');
      const preflight = await call(server, 'OPTIONS', '/chat-messages', {
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'X-Custom, content-type, Authorization' },
      });
      assert.equal(preflight.status, 200);
      assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'DELETE, GET, OPTIONS, PATCH, POST, PUT');
      assert.equal(preflight.headers.get('access-control-allow-headers'), 'Authorization, content-type');
      assert.equal(preflight.text, '');
      const unknown = await call(server, 'GET', '/no-such-route', { headers: { Origin: origin } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.headers.get('access-control-allow-origin'), null, 'no rule matched, so no blueprint and no CORS');
    });

    it(`tags: ${version === '1.13.2' ? "1.13.2's binding_count bug fails list, create and update (after saving)" : 'list, create and update answer binding_count as a string'}`, async () => {
      const dataset = server.keys.dataset;
      const created = await post(server, '/datasets/tags', dataset, { name: `tag-${version}` });
      const list = await call(server, 'GET', '/datasets/tags', { key: dataset });
      if (version !== '1.13.2') {
        assert.equal(created.status, 200);
        assert.equal(JSON.parse(created.text).binding_count, '0');
        assert.ok((JSON.parse(list.text) as Json[]).some((t) => t.name === `tag-${version}`));
        return;
      }
      const bug =
        '1 validation error for DataSetTag\nbinding_count\n  Input should be a valid string [type=string_type, input_value=0, input_type=int]\n    For further information visit https://errors.pydantic.dev/2.12/v/string_type';
      assert.equal(created.status, 400);
      assert.deepEqual(JSON.parse(created.text), { code: 'invalid_param', message: bug, status: 400 });
      assert.equal(list.status, 400, 'the tag was saved, so the list has one to fail on');
      assert.equal(JSON.parse(list.text).message.split('\n')[0], '1 validation error for DataSetTag');
    });
  });
}
