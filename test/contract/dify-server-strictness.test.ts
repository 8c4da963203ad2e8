// The test Dify server's request strictness (CONTRACT §3.2, §3.9; unchanged in 1.15 per CONSOLE §11): the app's
// file-upload settings apply to the `files` of chat and workflow requests, and a number input takes only numbers.
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
  });
}
