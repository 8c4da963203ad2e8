// The test Dify server: streaming framing, key order against the example streams, pings, blocking bodies, stop.
import assert from 'node:assert/strict';
import { answerText } from '../dify-server/apps/answers.js';
import { decimalStr } from '../dify-server/pyfmt.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { CHAT_INPUTS, dataFrames, exampleStream, parseFrames, post, shapesByEvent } from './dify-server-helpers.js';

const streaming = (extra: Record<string, unknown>): Record<string, unknown> => ({ user: 'user-123', response_mode: 'streaming', ...extra });

/** Every event type both streams have must have the same key sequence (recursively for schema objects). */
function assertSameShapes(ours: string, example: string, required: string[]): void {
  const mine = shapesByEvent(dataFrames(ours));
  const theirs = shapesByEvent(dataFrames(exampleStream(example)));
  for (const event of required) {
    assert.ok(mine.has(event), `our stream has no ${event}`);
    assert.ok(theirs.has(event), `${example} has no ${event}`);
  }
  for (const [event, s] of theirs) {
    if (mine.has(event)) assert.deepEqual(mine.get(event), s, `key order of ${event} differs from ${example}`);
  }
}

describe('test Dify server: streaming', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('chat: framing, headers, answer and key order as chat.sse', async () => {
    const res = await post(server, '/chat-messages', server.keys.chat, streaming({ inputs: CHAT_INPUTS, query: 'Show me code' }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const frames = parseFrames(res.text);
    assert.ok(frames.every((f) => f.kind === 'data'), 'no ping within the first 10 s');
    const events = dataFrames(res.text);
    assert.equal(events.at(-1)!.event, 'message_end');
    assert.ok(events.slice(0, -1).every((e) => e.event === 'message'));
    assert.equal(events.map((e) => e.answer ?? '').join(''), answerText('Show me code'));
    assert.ok(res.text.includes('你好') && res.text.includes('```python'), 'raw UTF-8 and a code block');
    assert.ok(!res.text.includes('\\u'), 'orjson writes raw UTF-8');
    assert.equal(new Set(events.map((e) => e.conversation_id)).size, 1);
    assertSameShapes(res.text, 'chat.sse', ['message', 'message_end']);
    const end = events.at(-1)!;
    const usage = (end.metadata as { usage: Record<string, unknown> }).usage;
    assert.match(String(usage.total_price), /^\d+\.\d{7}$|^\dE-\d+$|^\d\.\d+E-\d+$/);
    const resources = (end.metadata as { retriever_resources: Record<string, unknown>[] }).retriever_resources;
    assert.equal(resources.length, 2);
    assert.deepEqual(Object.keys(resources[0]!), [
      'position', 'dataset_id', 'dataset_name', 'document_id', 'document_name', 'data_source_type', 'segment_id', 'retriever_from',
      'score', 'hit_count', 'word_count', 'segment_position', 'index_node_hash', 'content', 'page', 'doc_metadata', 'title', 'files', 'summary',
    ]);
  });

  it('completion: no conversation_id, key order as completion.sse', async () => {
    const res = await post(server, '/completion-messages', server.keys.completion, streaming({ inputs: { topic: 'SSE' }, query: 'poem' }));
    const events = dataFrames(res.text);
    assert.ok(events.every((e) => !('conversation_id' in e)));
    assertSameShapes(res.text, 'completion.sse', ['message', 'message_end']);
  });

  it('agent-chat: thought upserts, message_file, agent_message, key order as agent-chat.sse', async () => {
    const res = await post(server, '/chat-messages', server.keys.agent, streaming({ inputs: {}, query: 'draw a cat' }));
    const events = dataFrames(res.text);
    assertSameShapes(res.text, 'agent-chat.sse', ['agent_thought', 'message_file', 'agent_message', 'message_end']);
    const thoughts = events.filter((e) => e.event === 'agent_thought');
    assert.ok(thoughts.length >= 4);
    assert.equal(new Set(thoughts.map((t) => t.id)).size, 2, 'two thoughts, each emitted several times');
    const end = events.at(-1)!;
    assert.equal(end.event, 'message_end');
    assert.equal((end.files as unknown[]).length, 1);
  });

  it('advanced-chat: leading ping, message_end before workflow_finished, key order as advanced-chat.sse', async () => {
    const res = await post(server, '/chat-messages', server.keys.advancedChat, streaming({ inputs: {}, query: 'What is Dify?' }));
    const frames = parseFrames(res.text);
    assert.equal(frames[0]!.kind, 'ping');
    const events = dataFrames(res.text);
    assert.equal(events[0]!.event, 'workflow_started');
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['message_end', 'workflow_finished']);
    const message = events.find((e) => e.event === 'message')!;
    assert.deepEqual(message.from_variable_selector, ['llm', 'text']);
    assertSameShapes(res.text, 'advanced-chat.sse', ['workflow_started', 'node_started', 'node_finished', 'message', 'message_end', 'workflow_finished']);
    const inputs = (events[0]!.data as { inputs: Record<string, unknown> }).inputs;
    assert.equal(inputs['sys.query'], 'What is Dify?');
    assert.equal(inputs['sys.dialogue_count'], 1);
  });

  it('workflow: leading ping, text_chunk, outputs.text, key order as workflow.sse', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflow, streaming({ inputs: { topic: '服务器推送' } }));
    assert.equal(parseFrames(res.text)[0]!.kind, 'ping');
    const events = dataFrames(res.text);
    assertSameShapes(res.text, 'workflow.sse', ['workflow_started', 'node_started', 'node_finished', 'text_chunk', 'workflow_finished']);
    const finished = events.at(-1)!;
    assert.equal(finished.event, 'workflow_finished');
    const data = finished.data as { status: string; outputs: { text: string } };
    assert.equal(data.status, 'succeeded');
    assert.equal(data.outputs.text, answerText('服务器推送'));
    assert.equal(events.filter((e) => e.event === 'text_chunk').map((e) => (e.data as { text: string }).text).join(''), data.outputs.text);
  });

  it('iteration workflow: iteration_* and loop_* events, inner nodes carry iteration_id / loop_id', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowIteration, streaming({ inputs: { items: 'x\ny' } }));
    const events = dataFrames(res.text);
    const names = events.map((e) => e.event);
    for (const n of ['iteration_started', 'iteration_next', 'iteration_completed', 'loop_started', 'loop_next', 'loop_completed']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(names.filter((n) => n === 'iteration_next').length, 2);
    const inner = events.filter((e) => e.event === 'node_finished' && (e.data as { iteration_id: string | null }).iteration_id);
    assert.equal(inner.length, 2);
    assert.equal((inner[0]!.data as { iteration_id: string }).iteration_id, (events.find((e) => e.event === 'iteration_started')!.data as { node_id: string }).node_id);
    assert.ok(events.some((e) => e.event === 'node_started' && (e.data as { loop_id: string | null }).loop_id));
    const loopNext = events.find((e) => e.event === 'loop_next')!;
    assert.deepEqual(Object.keys(loopNext.data as object), ['id', 'node_id', 'node_type', 'title', 'index', 'created_at', 'extras', 'pre_loop_output']);
  });

  it('failing workflow: node_finished failed, workflow_finished failed, no error event', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowFailing, streaming({ inputs: {} }));
    const events = dataFrames(res.text);
    assert.ok(!events.some((e) => e.event === 'error'));
    assert.equal((events.find((e) => e.event === 'node_finished' && (e.data as { status: string }).status === 'failed')!.data as { error: string }).error, 'ZeroDivisionError: division by zero');
    const last = events.at(-1)!;
    assert.equal(last.event, 'workflow_finished');
    assert.equal((last.data as { status: string }).status, 'failed');
  });

  it('blocking chat: Python json.dumps, no trailing newline, fixed-point decimals', async () => {
    const res = await post(server, '/chat-messages', server.keys.chat, { inputs: CHAT_INPUTS, query: '你好', user: 'u' });
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.ok(!res.text.endsWith('\n'));
    assert.ok(res.text.includes('\\u4f60\\u597d') && res.text.startsWith('{"event": "message", "task_id": '));
    const body = JSON.parse(res.text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['event', 'task_id', 'id', 'message_id', 'conversation_id', 'mode', 'answer', 'metadata', 'created_at']);
    assert.equal(body.answer, answerText('你好'));
    const usage = (body.metadata as { usage: Record<string, string> }).usage;
    assert.match(usage.total_price!, /^\d+\.\d{7}$/);
  });

  it('blocking workflow: 200 even when failed, documented keys', async () => {
    const res = await post(server, '/workflows/run', server.keys.workflowFailing, { inputs: {}, user: 'u' });
    assert.equal(res.status, 200);
    const body = JSON.parse(res.text) as { data: Record<string, unknown> };
    assert.deepEqual(Object.keys(body), ['task_id', 'workflow_run_id', 'data']);
    assert.deepEqual(Object.keys(body.data), ['id', 'workflow_id', 'status', 'outputs', 'error', 'elapsed_time', 'total_tokens', 'total_steps', 'created_at', 'finished_at']);
    assert.equal(body.data.status, 'failed');
  });

  it('str(Decimal) notation for streamed prices', () => {
    assert.equal(decimalStr(27), '0.0000027');
    assert.equal(decimalStr(5), '5E-7');
    assert.equal(decimalStr(0), '0E-7');
    assert.equal(decimalStr(16000), '0.0016000');
  });
});

describe('test Dify server: pings, hangs and stop', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ eventDelayMs: 15, pingIntervalMs: 60, idleTimeoutMs: 250 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('chat pings every interval since the task started, never first', async () => {
    const res = await post(server, '/chat-messages', server.keys.chat, streaming({ inputs: CHAT_INPUTS, query: 'long:20' }));
    const frames = parseFrames(res.text);
    assert.equal(frames[0]!.kind, 'data');
    assert.ok(frames.filter((f) => f.kind === 'ping').length >= 2, 'pings during a 300 ms stream');
    assert.equal(dataFrames(res.text).filter((e) => e.event === 'message').length, 20);
  });

  it('advanced-chat with an unknown conversation hangs: one ping, silence, end after the idle timeout', async () => {
    const started = Date.now();
    const res = await post(server, '/chat-messages', server.keys.advancedChat, streaming({ inputs: {}, query: 'q', conversation_id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' }));
    assert.equal(res.status, 200);
    assert.equal(res.text, 'event: ping\n\n');
    assert.ok(Date.now() - started >= 240);
    const blocking = await post(server, '/chat-messages', server.keys.advancedChat, { inputs: {}, query: 'q', user: 'u', conversation_id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' });
    assert.equal(blocking.status, 404, 'blocking mode reports it properly');
  });

  async function startAndStop(key: string, path: string, body: Record<string, unknown>, stopPath: (task: string) => string, stopUser = 'user-123'): Promise<Record<string, unknown>[]> {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(streaming(body)),
    });
    const reader = res.body!.getReader();
    let text = '';
    let stopped = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
      const task = /"task_id":"([^"]+)"/.exec(text)?.[1];
      if (task && !stopped && (text.match(/\n\n/g) ?? []).length >= 4) {
        stopped = true;
        const r = await post(server, stopPath(task), key, { user: stopUser });
        assert.equal(r.text, '{"result": "success"}\n');
      }
    }
    return dataFrames(text);
  }

  it('stopping a chat ends it with message_end after a partial answer', async () => {
    const events = await startAndStop(server.keys.chat, '/chat-messages', { inputs: CHAT_INPUTS, query: 'long:100' }, (t) => `/chat-messages/${t}/stop`);
    assert.equal(events.at(-1)!.event, 'message_end');
    const deltas = events.filter((e) => e.event === 'message').length;
    assert.ok(deltas > 0 && deltas < 100, `partial answer (${deltas} deltas)`);
  });

  it("another user's stop does nothing", async () => {
    server.reset();
    const events = await startAndStop(server.keys.chat, '/chat-messages', { inputs: CHAT_INPUTS, query: 'long:30' }, (t) => `/chat-messages/${t}/stop`, 'someone-else');
    assert.equal(events.filter((e) => e.event === 'message').length, 30);
  });

  it('stopping a workflow or a chatflow ends with workflow_finished stopped', async () => {
    const wf = await startAndStop(server.keys.workflow, '/workflows/run', { inputs: { topic: 'long:100' } }, (t) => `/workflows/tasks/${t}/stop`);
    const last = wf.at(-1)!;
    assert.equal(last.event, 'workflow_finished');
    assert.deepEqual([(last.data as { status: string }).status, (last.data as { error: string }).error], ['stopped', 'Stopped by user.']);
    const chatflow = await startAndStop(server.keys.advancedChat, '/chat-messages', { inputs: {}, query: 'long:100' }, (t) => `/chat-messages/${t}/stop`);
    assert.equal((chatflow.at(-1)!.data as { status: string }).status, 'stopped');
  });
});
