// A run followed across a broken connection, against the test Dify server on both wire versions: Dify 1.15 re-attaches
// to the run's events, Dify 1.13 looks the result up. Each run is started once, and the caller sees it end as an
// unbroken stream would have ended it.
import assert from 'node:assert/strict';
import { AppClient, DifyAbortError, DifyStreamError, followWorkflowRun, type ReconnectInfo } from '../../src/dify/index.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';
import { drainStream } from '../helpers/drain-stream.js';
import { waitFor } from '../helpers/raw-server.js';

type Version = '1.15.0' | '1.13.2';
type Event = { event: string; data?: Record<string, unknown>; answer?: string };

const FOLLOW = { attempts: 3, delayMs: 20, pollMs: 40, lookupMs: 5_000 };

function client(server: DifyTestServer, handle: keyof DifyTestServer['keys'], lookupMs = FOLLOW.lookupMs) {
  return new AppClient({
    baseUrl: server.baseUrl,
    apiKey: server.keys[handle],
    user: 'follow-user',
    timeouts: { streamIdleMs: 300, streamEventMs: 2_000 },
    follow: { ...FOLLOW, lookupMs },
  });
}

const posts = (server: DifyTestServer, path: string) => server.requests.filter((r) => r.method === 'POST' && r.path === path).length;
const names = (events: Event[]) => events.map((e) => e.event);

for (const version of ['1.15.0', '1.13.2'] as Version[]) {
  const via = version === '1.15.0' ? 'events' : 'lookup';

  describe(`following a run whose connection broke (Dify ${version}: ${via})`, () => {
    let server: DifyTestServer;
    before(async () => {
      server = await startDifyServer({ version, pingIntervalMs: 40, idleTimeoutMs: 3_000, eventDelayMs: 5, slowNodeMs: 400 });
    });
    after(() => server.close());
    beforeEach(() => server.reset());

    it('a workflow cut mid-run ends with its own workflow_finished and outputs, started once', async () => {
      const plain = await drainStream(await client(server, 'workflow').streamWorkflow({ inputs: { topic: 'tides' } }));
      const expected = (plain.events.at(-1) as Event).data!.outputs;
      server.reset();
      server.fault({ kind: 'cut', afterEvents: 3 }, { path: '/workflows/run' });
      const reconnects: ReconnectInfo[] = [];
      const stream = await client(server, 'workflow').followWorkflow({ inputs: { topic: 'tides' } }, { onReconnect: (r) => reconnects.push(r) });
      const { events, error } = await drainStream(stream);
      assert.equal(error, undefined);
      const last = events.at(-1) as Event;
      assert.equal(last.event, 'workflow_finished');
      assert.equal(last.data!.status, 'succeeded');
      assert.deepEqual(last.data!.outputs, expected);
      assert.equal(posts(server, '/workflows/run'), 1, 'the run was not started again');
      assert.deepEqual(reconnects.map((r) => [r.via, r.error.kind]), [[via, 'ended_early']]);
      const followed = version === '1.15.0' ? `/workflow/${stream.workflowRunId}/events` : `/workflows/run/${stream.workflowRunId}`;
      assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === followed), followed);
    });

    it('a workflow whose node runs long and whose connection stalls meanwhile: followed to the end of that node', async () => {
      server.fault({ kind: 'stall', afterEvents: 4 }, { path: '/workflows/run' });
      const stream = await client(server, 'workflowSlow').followWorkflow({ inputs: { topic: 'docs' } });
      const { events, error } = await drainStream(stream);
      assert.equal(error, undefined);
      assert.equal((events.at(-1) as Event).data!.status, 'succeeded');
      assert.equal(stream.reconnects, 1);
      assert.ok(!server.requests.some((r) => r.path.endsWith('/stop')), 'the running node was never stopped');
    });

    it('a chatflow cut mid-answer ends with the whole answer Dify saved', async () => {
      const query = 'Explain the tides in three sentences';
      const plain = await drainStream(await client(server, 'advancedChat').streamChatMessage({ query }));
      const whole = plain.events.filter((e) => e.event === 'message').map((e) => (e as Event).answer).join('');
      server.reset();
      server.fault({ kind: 'cut', afterEvents: 6 }, { path: '/chat-messages' });
      const stream = await client(server, 'advancedChat').followChatMessage({ query });
      const { events, error } = await drainStream(stream);
      assert.equal(error, undefined);
      let answer = '';
      for (const e of events as Event[]) answer = e.event === 'message_replace' ? e.answer! : e.event === 'message' ? answer + e.answer! : answer;
      assert.equal(answer, whole);
      assert.ok(names(events as Event[]).includes('message_end'), 'the answer ends as answers end');
      assert.equal(posts(server, '/chat-messages'), 1);
    });

    it('a chat app (no events endpoint on any version) cut mid-answer: looked up in the conversation', async () => {
      server.fault({ kind: 'cut', afterEvents: 3 }, { path: '/chat-messages' });
      const stream = await client(server, 'chat').followChatMessage({ query: 'hello there', inputs: { name: 'Ada' } });
      const { events, error } = await drainStream(stream);
      assert.equal(error, undefined);
      const replaced = (events as Event[]).find((e) => e.event === 'message_replace');
      assert.ok(replaced?.answer, 'the saved answer');
      assert.equal(names(events as Event[]).at(-1), 'message_end');
      assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === '/messages'));
      assert.equal(posts(server, '/chat-messages'), 1);
    });

    it('Stop while reconnecting ends the answer quietly and stops the task on Dify', async () => {
      server.fault({ kind: 'cut', afterEvents: 4 }, { path: '/workflows/run' });
      const app = new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys.workflowSlow, user: 'follow-user', follow: { ...FOLLOW, delayMs: 300, pollMs: 300 } });
      let stream: Awaited<ReturnType<AppClient['followWorkflow']>> | undefined = undefined;
      stream = await app.followWorkflow({ inputs: { topic: 'docs' } }, { onReconnect: () => void stream!.stop() });
      const { error } = await drainStream(stream);
      assert.equal(error, undefined);
      await waitFor(() => server.requests.some((r) => r.path === `/workflows/tasks/${stream.taskId}/stop`));
    });

    it('cancel while reconnecting is the caller\'s abort', async () => {
      server.fault({ kind: 'cut', afterEvents: 4 }, { path: '/workflows/run' });
      const controller = new AbortController();
      const stream = await client(server, 'workflowSlow').followWorkflow({ inputs: { topic: 'docs' } }, { signal: controller.signal, onReconnect: () => controller.abort() });
      const { error } = await drainStream(stream);
      assert.ok(error instanceof DifyAbortError);
    });

    /** Starts a run on a fresh client and leaves it after `events` events, as a window reload does: no stop. */
    async function leave(events: number): Promise<{ workflowRunId: string; taskId: string }> {
      const left = await client(server, 'workflowSlow').streamWorkflow({ inputs: { topic: 'docs' } });
      let seen = 0;
      for await (const event of left) if (++seen >= events && event) break;
      return { workflowRunId: left.workflowRunId!, taskId: left.taskId! };
    }

    it('a run left mid-way (a window reload) is followed by a new client to its own end, started once', async () => {
      const expected = (await drainStream(await client(server, 'workflowSlow').streamWorkflow({ inputs: { topic: 'docs' } }))).events.at(-1) as Event;
      server.reset();
      const known = await leave(3);
      const stream = await followWorkflowRun(client(server, 'workflowSlow'), known);
      const { events, error } = await drainStream(stream);
      assert.equal(error, undefined);
      const last = events.at(-1) as Event;
      assert.equal(last.event, 'workflow_finished');
      assert.equal(last.data!.status, 'succeeded');
      assert.deepEqual(last.data!.outputs, expected.data!.outputs);
      assert.equal(posts(server, '/workflows/run'), 1, 'not started again');
      assert.equal(server.requests.filter((r) => r.path.endsWith('/stop')).length, 0, 'leaving it did not stop it');
      const followed = version === '1.15.0' ? `/workflow/${known.workflowRunId}/events` : `/workflows/run/${known.workflowRunId}`;
      assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === followed), followed);
      if (version === '1.15.0') assert.ok(events.map((e) => e.event).includes('node_started'), 'the nodes so far are replayed');
    });

    it('a left run that has finished meanwhile gives its workflow_finished at once', async () => {
      const known = await leave(2);
      while ((await client(server, 'workflowSlow').getWorkflowRun(known.workflowRunId)).status === 'running') await new Promise((r) => setTimeout(r, 50));
      const { events, error } = await drainStream(await followWorkflowRun(client(server, 'workflowSlow'), known));
      assert.equal(error, undefined);
      assert.deepEqual(events.map((e) => e.event), ['workflow_finished']);
    });

    it('Stop on a left run stops its task on Dify, before any event names it again', async () => {
      const known = await leave(2);
      const stream = await followWorkflowRun(client(server, 'workflowSlow'), known);
      await stream.stop();
      await waitFor(() => server.requests.some((r) => r.path === `/workflows/tasks/${known.taskId}/stop`));
      await drainStream(stream);
    });
  });
}

describe('following a run on Dify 1.13: a result that does not come', () => {
  let server: DifyTestServer;
  before(async () => {
    server = await startDifyServer({ version: '1.13.2', pingIntervalMs: 40, idleTimeoutMs: 3_000, slowNodeMs: 3_000 });
  });
  after(() => server.close());

  it('says the run may still be going on in Dify, naming the run, after lookupMs', async () => {
    server.fault({ kind: 'cut', afterEvents: 4 }, { path: '/workflows/run' });
    const stream = await client(server, 'workflowSlow', 300).followWorkflow({ inputs: { topic: 'docs' } });
    const { error } = await drainStream(stream);
    assert.ok(error instanceof DifyStreamError, String(error));
    assert.equal(error.kind, 'still_running');
    assert.equal(error.workflowRunId, stream.workflowRunId);
    assert.match(error.message, new RegExp(`run ${stream.workflowRunId}`));
  });
});
