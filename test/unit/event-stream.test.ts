// The stream layer against scripted bytes: the example streams byte for byte (in any chunking, CRLF, split UTF-8),
// and every way a stream can go wrong ending in its own typed error, with nothing left hanging.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import {
  AppClient,
  DifyAbortError,
  DifyApiError,
  DifyStreamError,
  DifyUnexpectedResponseError,
  DifyWorkflowRunError,
  type DifyTimeouts,
} from '../../src/dify/index.js';
import { startRawServer, startSse, tick, waitFor, writeChunked, type RawHandler, type RawServer } from '../helpers/raw-server.js';
import { exampleEvents, exampleStream } from '../helpers/streams.js';
import { drainStream } from '../helpers/drain-stream.js';

const KEY = 'app-unitTestKey0123456789abcd';
let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function client(handler: RawHandler, timeouts: Partial<DifyTimeouts> = {}) {
  server = await startRawServer(handler);
  return new AppClient({ baseUrl: server.baseUrl, apiKey: KEY, user: 'unit-user', timeouts });
}

/** Serves `body` for streaming posts, `{"result":"success"}` for stop calls. */
function replay(body: Buffer, chunkSize = body.length): RawHandler {
  return async (req, res) => {
    if (req.url!.endsWith('/stop')) return json(res, { result: 'success' });
    startSse(res);
    await writeChunked(res, body, chunkSize);
    res.end();
  };
}

function json(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const msg = (answer: string) => ({ event: 'message', conversation_id: 'c1', message_id: 'm1', created_at: 1, task_id: 't1', id: 'm1', answer, from_variable_selector: null });
const end = { event: 'message_end', conversation_id: 'c1', message_id: 'm1', created_at: 1, task_id: 't1', id: 'm1', metadata: {}, files: null };

describe('event stream: example streams', () => {
  const cases: [string, 'chat' | 'completion' | 'workflow'][] = [
    ['chat', 'chat'],
    ['agent-chat', 'chat'],
    ['advanced-chat', 'chat'],
    ['completion', 'completion'],
    ['workflow', 'workflow'],
  ];
  for (const [name, kind] of cases) {
    for (const chunk of [Infinity, 7, 1]) {
      it(`${name}.sse in ${chunk === Infinity ? 'one chunk' : `${chunk}-byte chunks`} yields exactly its data frames`, async () => {
        const bytes = exampleStream(name);
        const c = await client(replay(bytes, chunk === Infinity ? bytes.length : chunk));
        const stream =
          kind === 'chat'
            ? await c.streamChatMessage({ query: 'q' })
            : kind === 'completion'
              ? await c.streamCompletionMessage({ query: 'q' })
              : await c.streamWorkflow({ inputs: { topic: 'x' } });
        const { events, error } = await drainStream(stream);
        assert.equal(error, undefined);
        assert.deepEqual(events, exampleEvents(name));
        assert.equal(stream.taskId, (exampleEvents(name)[0] as { task_id: string }).task_id);
      });
    }
  }

  it('CRLF line endings (a rewriting proxy) give the same events', async () => {
    const crlf = Buffer.from(exampleStream('agent-chat').toString('utf8').replace(/\n/g, '\r\n'));
    const c = await client(replay(crlf, 5));
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(error, undefined);
    assert.deepEqual(events, exampleEvents('agent-chat'));
  });

  it('multi-byte characters split across TCP chunks arrive intact', async () => {
    const text = '你好，世界！Dify 流式输出 🚀';
    const body = Buffer.from(frame(msg(text)) + frame(end));
    const c = await client(replay(body, 1));
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(error, undefined);
    assert.equal((events[0] as { answer: string }).answer, text);
  });

  it('chat-error.sse: the deltas, then the error event thrown as DifyApiError', async () => {
    const c = await client(replay(exampleStream('chat-error')));
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(events.length, 3);
    assert.ok(error instanceof DifyApiError);
    assert.equal(error.code, 'completion_request_error');
    assert.equal(error.status, 400);
    assert.match(error.difyMessage, /upstream overloaded/);
    assert.equal(error.endpoint, 'POST /chat-messages');
  });
});

describe('event stream: Dify quirks', () => {
  it('a message_file event that carries `answer` is text, yielded as message', async () => {
    const quirk = { ...msg(' more'), event: 'message_file' };
    const c = await client(replay(Buffer.from(frame(msg('a')) + frame(quirk) + frame(end))));
    const { events } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.deepEqual(
      events.map((e) => e.event),
      ['message', 'message', 'message_end'],
    );
  });

  it('unknown events pass through untouched', async () => {
    const future = { event: 'human_input_required', task_id: 't1', data: { form_id: 'f', nested: [1, { a: '中' }] } };
    const c = await client(replay(Buffer.from(frame(msg('a')) + frame(future) + frame(end))));
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(error, undefined);
    assert.deepEqual(events[1], future);
  });

  it('tts frames after message_end are still delivered', async () => {
    const tts = { event: 'tts_message', conversation_id: 'c1', message_id: 'm1', created_at: 1, task_id: 't1', audio: 'AAAA' };
    const ttsEnd = { ...tts, event: 'tts_message_end', audio: '' };
    const c = await client(replay(Buffer.from(frame(msg('a')) + frame(end) + frame(tts) + frame(ttsEnd))));
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => e.event),
      ['message', 'message_end', 'tts_message', 'tts_message_end'],
    );
  });

  it('a failed workflow yields workflow_finished, then throws naming the failed node', async () => {
    const wf = (event: string, data: unknown) => ({ event, workflow_run_id: 'r1', task_id: 't9', data });
    const body =
      'event: ping\n\n' +
      frame(wf('workflow_started', { id: 'r1', workflow_id: 'w', inputs: {}, created_at: 1 })) +
      frame(wf('node_finished', { id: 'n', node_id: 'code1', node_type: 'code', title: 'Parse JSON', status: 'failed', error: 'KeyError: x' })) +
      frame(wf('workflow_finished', { id: 'r1', workflow_id: 'w', status: 'failed', error: 'Node Parse JSON run failed: KeyError: x', outputs: null }));
    const c = await client(replay(Buffer.from(body)));
    const { events, error } = await drainStream(await c.streamWorkflow({}));
    assert.equal(events.at(-1)?.event, 'workflow_finished');
    assert.ok(error instanceof DifyWorkflowRunError);
    assert.equal(error.failedNode?.title, 'Parse JSON');
    assert.equal(error.workflowRunId, 'r1');
    assert.match(error.message, /Parse JSON/);
  });

  it('advanced-chat needs workflow_finished: message_end alone is not the end', async () => {
    const body = exampleStream('advanced-chat').toString('utf8');
    const cut = body.slice(0, body.lastIndexOf('data: {"event":"workflow_finished"'));
    const c = await client(replay(Buffer.from(cut)));
    const { error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'ended_early');
  });
});

describe('event stream: failures', () => {
  it('a stream that ends cleanly without its terminal event is "ended_early"', async () => {
    const c = await client(replay(Buffer.from(frame(msg('a')) + frame(msg('b')))));
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(events.length, 2);
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'ended_early');
    assert.equal(error.eventsReceived, 2);
  });

  it('a connection cut mid-stream is "ended_early" with the cause', async () => {
    const c = await client(async (_req, res) => {
      startSse(res);
      res.write(frame(msg('a')));
      await tick(20);
      res.socket!.destroy();
    });
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.equal(events.length, 1);
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'ended_early');
    assert.match(error.message, /127\.0\.0\.1/);
  });

  it('no bytes for streamIdleMs is "stalled", and the task is left to run on Dify (it may be alive: follow it)', async () => {
    const c = await client(
      async (req, res) => {
        if (req.url!.endsWith('/stop')) return json(res, { result: 'success' });
        startSse(res);
        res.write(frame(msg('a')));
      },
      { streamIdleMs: 150 },
    );
    const { error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'stalled');
    assert.match(error.message, /No data from 127\.0\.0\.1:\d+ for 0\.15 s/);
    await tick(100);
    assert.equal(server!.requests.filter((r) => r.path.endsWith('/stop')).length, 0);
  });

  it('pings without events for streamEventMs is "no_events" (Dify 1.13 hang)', async () => {
    let timer: NodeJS.Timeout | undefined;
    const c = await client(
      (_req, res) => {
        startSse(res);
        res.write('event: ping\n\n');
        timer = setInterval(() => res.write('event: ping\n\n'), 30);
        res.on('close', () => clearInterval(timer));
      },
      { streamIdleMs: 1_000, streamEventMs: 200 },
    );
    const { events, error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    clearInterval(timer);
    assert.equal(events.length, 0);
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'no_events');
  });

  it('silence after the first ping is "stalled" and explains the 1.13 behaviour', async () => {
    const c = await client(
      (_req, res) => {
        startSse(res);
        res.write('event: ping\n\n');
      },
      { streamIdleMs: 150 },
    );
    const { error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'stalled');
    assert.match(error.message, /sent no events/);
  });

  it('a slow consumer is not mistaken for a stall', async () => {
    const c = await client(replay(Buffer.from(frame(msg('a')) + frame(msg('b')) + frame(end))), { streamIdleMs: 100, streamEventMs: 100 });
    const events: string[] = [];
    for await (const e of await c.streamChatMessage({ query: 'q' })) {
      events.push(e.event);
      await tick(250);
    }
    assert.deepEqual(events, ['message', 'message', 'message_end']);
  });

  it('data that is not JSON is "malformed"', async () => {
    const c = await client(replay(Buffer.from('data: <html>oops</html>\n\n')));
    const { error } = await drainStream(await c.streamChatMessage({ query: 'q' }));
    assert.ok(error instanceof DifyStreamError);
    assert.equal(error.kind, 'malformed');
  });

  it('an HTML page with status 200 instead of a stream is DifyUnexpectedResponseError', async () => {
    const c = await client((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>Dify</title><div id="root"></div>');
    });
    await assert.rejects(c.streamChatMessage({ query: 'q' }), (e: unknown) => {
      assert.ok(e instanceof DifyUnexpectedResponseError);
      assert.match(e.message, /ending in \/v1/);
      return true;
    });
  });
});

describe('event stream: cancellation', () => {
  it('aborting the signal ends the loop with DifyAbortError and calls the stop endpoint with the task id', async () => {
    const c = await client(async (req, res) => {
      if (req.url!.endsWith('/stop')) return json(res, { result: 'success' });
      startSse(res);
      res.write(frame(msg('a')));
    });
    const controller = new AbortController();
    const stream = await c.streamChatMessage({ query: 'q' }, { signal: controller.signal });
    const events: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of stream) {
          events.push(e);
          controller.abort();
        }
      })(),
      DifyAbortError,
    );
    assert.equal(events.length, 1);
    await waitFor(() => server!.requests.some((r) => r.method === 'POST' && r.path === '/v1/chat-messages/t1/stop'));
  });

  it('stop() asks Dify to stop and keeps reading until Dify ends the stream', async () => {
    let release: (() => void) | undefined;
    const c = await client(async (req, res) => {
      if (req.url!.endsWith('/stop')) {
        json(res, { result: 'success' });
        release?.();
        return;
      }
      startSse(res);
      res.write(frame(msg('partial')));
      await new Promise<void>((resolve) => (release = resolve));
      res.end(frame(end));
    });
    const stream = await c.streamChatMessage({ query: 'q' });
    const events: string[] = [];
    for await (const e of stream) {
      events.push(e.event);
      if (e.event === 'message') await stream.stop();
    }
    assert.deepEqual(events, ['message', 'message_end']);
  });

  it('completion and workflow streams stop through their own endpoints', async () => {
    for (const [kind, path] of [
      ['completion', '/v1/completion-messages/t1/stop'],
      ['workflow', '/v1/workflows/tasks/t1/stop'],
    ] as const) {
      const c = await client(async (req, res) => {
        if (req.url!.endsWith('/stop')) return json(res, { result: 'success' });
        startSse(res);
        res.write(frame(kind === 'workflow' ? { event: 'workflow_started', workflow_run_id: 'r', task_id: 't1', data: {} } : msg('a')));
      });
      const controller = new AbortController();
      const stream = kind === 'workflow' ? await c.streamWorkflow({}, { signal: controller.signal }) : await c.streamCompletionMessage({}, { signal: controller.signal });
      await assert.rejects(
        (async () => {
          for await (const _ of stream) controller.abort();
        })(),
        DifyAbortError,
      );
      await waitFor(() => server!.requests.some((r) => r.path === path));
      await server!.close();
      server = undefined;
    }
  });
});
