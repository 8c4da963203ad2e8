// The test Dify server's other 1.15 changes (CONSOLE §11 items 4, 6, 8), each against 1.13.2 where it differs:
// reasoning_chunk, the `agent` app mode, segment-create validation, PATCH on a document.
import assert from 'node:assert/strict';
import { reasoningText } from '../dify-server/apps/reasoning.js';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { call, dataFrames, post } from './dify-server-helpers.js';

type Json = Record<string, unknown>;
const data = (f: Json): Json => f.data as Json;
const parse = (text: string): Json => JSON.parse(text) as Json;

describe('test Dify server: 1.15 additions', () => {
  let server: DifyTestServer;
  let old: DifyTestServer;
  before(async () => {
    server = await startDifyServer();
    old = await startDifyServer({ version: '1.13.2' });
  });
  after(async () => {
    await server.close();
    await old.close();
  });

  it('reasoning_chunk (chatflow, query with "think"): chat envelope + data {message_id, reasoning, node_id, is_final}; the answer has no <think>', async () => {
    const query = 'think about refunds';
    const res = await post(server, '/chat-messages', server.keys.advancedChat, { inputs: {}, query, user: 'u', response_mode: 'streaming' });
    const events = dataFrames(res.text);
    const chunks = events.filter((e) => e.event === 'reasoning_chunk');
    assert.ok(chunks.length >= 2);
    assert.deepEqual(Object.keys(chunks[0]!), ['event', 'conversation_id', 'message_id', 'created_at', 'task_id', 'data']);
    assert.deepEqual(Object.keys(data(chunks[0]!)), ['message_id', 'reasoning', 'node_id', 'is_final']);
    assert.equal(data(chunks[0]!).message_id, chunks[0]!.message_id);
    assert.equal(chunks.map((c) => data(c).reasoning).join(''), reasoningText(query));
    const last = data(chunks.at(-1)!);
    assert.deepEqual([last.reasoning, last.is_final], ['', true]);
    assert.ok(chunks.slice(0, -1).every((c) => data(c).is_final === false));
    const answer = events.filter((e) => e.event === 'message').map((e) => String(e.answer)).join('');
    assert.ok(!answer.includes('<think>'));
    assert.ok(events.indexOf(chunks.at(-1)!) < events.findIndex((e) => e.event === 'message'), 'thinking comes before the answer');
  });

  it('reasoning_chunk in a workflow app: message_id null; on 1.13.2 the answer starts with <think> instead', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflow, { inputs: { topic: 'think' }, user: 'u', response_mode: 'streaming' });
    const chunks = dataFrames(res.text).filter((e) => e.event === 'reasoning_chunk');
    assert.ok(chunks.length >= 2);
    assert.deepEqual(Object.keys(chunks[0]!), ['event', 'workflow_run_id', 'task_id', 'data']);
    assert.equal(data(chunks[0]!).message_id, null);
    const before = await post(old, '/workflows/run', old.keys.workflow, { inputs: { topic: 'think' }, user: 'u', response_mode: 'streaming' });
    const events = dataFrames(before.text);
    assert.ok(!events.some((e) => e.event === 'reasoning_chunk'));
    const text = events.filter((e) => e.event === 'text_chunk').map((e) => String(data(e).text)).join('');
    assert.ok(text.startsWith('<think>\n'));
  });

  it('agent mode: /info says "agent"; streams without response_mode; blocking is 400 bad_request; conversations accept it', async () => {
    const info = parse((await call(server, 'GET', '/info', { key: server.keys.newAgent })).text);
    assert.equal(info.mode, 'agent');
    const res = await post(server, '/chat-messages', server.keys.newAgent, { inputs: {}, query: 'what time is it', user: 'u' });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const events = dataFrames(res.text);
    assert.equal(events.at(-1)!.event, 'message_end');
    const blocking = await post(server, '/chat-messages', server.keys.newAgent, { inputs: {}, query: 'q', user: 'u', response_mode: 'blocking' });
    assert.equal(blocking.text, '{"code": "bad_request", "message": "Agent App only supports streaming response mode.", "status": 400}\n');
    const list = parse((await call(server, 'GET', '/conversations?user=u', { key: server.keys.newAgent })).text);
    assert.equal((list.data as Json[]).length, 1);
  });

  it('workflow_finished.exceptions_count is an int', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowFailing, { inputs: {}, user: 'u', response_mode: 'streaming' });
    assert.equal(data(dataFrames(res.text).at(-1)!).exceptions_count, 0);
  });

  describe('Knowledge API', () => {
    const seg = (s: DifyTestServer) => `${s.baseUrl}/datasets/${SEED.handbook}/documents/${SEED.documents.faq}/segments`;
    const send = (s: DifyTestServer, url: string, method: string, body: unknown) =>
      fetch(url, { method, headers: { Authorization: `Bearer ${s.keys.dataset}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    it('segment create: pydantic validation in {"error"} on 1.15 (empty list, empty content, typed keywords); 1.13.2 keeps its texts', async () => {
      const empty = await send(server, seg(server), 'POST', { segments: [] });
      assert.equal(empty.status, 400);
      const text = await empty.text();
      assert.match(text, /^\{"error": "1 validation error for SegmentCreatePayload\\nsegments\\n {2}List should have at least 1 item after validation, not 0 \[type=too_short, input_value=\[\], input_type=list\]/);
      const bad = parse(await (await send(server, seg(server), 'POST', { segments: [{ content: '' }, { content: 'ok', keywords: ['a', 1] }] })).text());
      assert.equal(
        bad.error,
        '2 validation errors for SegmentCreatePayload\n' +
          "segments.0.content\n  String should have at least 1 character [type=string_too_short, input_value='', input_type=str]\n" +
          '    For further information visit https://errors.pydantic.dev/2.12/v/string_too_short\n' +
          'segments.1.keywords.1\n  Input should be a valid string [type=string_type, input_value=1, input_type=int]\n' +
          '    For further information visit https://errors.pydantic.dev/2.12/v/string_type',
      );
      const before = await send(old, seg(old), 'POST', {});
      assert.equal(await before.text(), '{"error": "Segments is required"}\n');
    });

    it('PATCH /datasets/:id/documents/:doc_id is update-by-file on 1.15 and unknown (405) on 1.13.2', async () => {
      const form = (): FormData => {
        const f = new FormData();
        f.append('file', new Blob(['# New FAQ\nAll answers changed.'], { type: 'text/markdown' }), 'faq-v2.md');
        return f;
      };
      const url = (s: DifyTestServer) => `${s.baseUrl}/datasets/${SEED.handbook}/documents/${SEED.documents.faq}`;
      const res = await fetch(url(server), { method: 'PATCH', headers: { Authorization: `Bearer ${server.keys.dataset}` }, body: form() });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Json;
      assert.equal((body.document as Json).name, 'faq-v2.md');
      const before = await fetch(url(old), { method: 'PATCH', headers: { Authorization: `Bearer ${old.keys.dataset}` }, body: form() });
      assert.equal(before.status, 405);
    });
  });
});
