// The run history and the per-app choices, over a plain in-memory store.
import assert from 'node:assert/strict';
import { recordedSteps, RunHistory, runRecord, WorkflowChoices, type RunRecord } from '../../src/core/workflow-history.js';
import { applyEvent, initialProgress, type RunStep } from '../../src/core/workflow-progress.js';
import type { KeyValueStore } from '../../src/core/profile-store.js';

class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.parse(JSON.stringify(value ?? null)) as unknown);
  }
}

const record = (id: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  appId: 'a',
  appLabel: 'App',
  appMode: 'workflow',
  startedAt: 1,
  durationMs: 2,
  status: 'succeeded',
  inputs: { topic: 'x' },
  inputsTruncated: false,
  outputMode: 'replace',
  ...extra,
});

describe('workflow run history and choices', () => {
  it('records a run from its facts and its end state: status, steps, tokens, outputs, run id; a tool run says so', async () => {
    const progress = initialProgress();
    const events = [
      { event: 'workflow_started', workflow_run_id: 'run-1', task_id: 't', data: { id: 'run-1' } },
      { event: 'node_started', workflow_run_id: 'run-1', task_id: 't', data: { id: 'e1', node_id: 'n1', node_type: 'llm', title: 'Summarize' } },
      { event: 'node_finished', workflow_run_id: 'run-1', task_id: 't', data: { id: 'e1', node_id: 'n1', node_type: 'llm', title: 'Summarize', status: 'succeeded', elapsed_time: 1.5 } },
      { event: 'workflow_finished', workflow_run_id: 'run-1', task_id: 't', data: { id: 'run-1', status: 'succeeded', outputs: { text: 'owls' }, total_tokens: 42, total_steps: 3 } },
    ];
    for (const event of events) applyEvent(progress, event as Parameters<typeof applyEvent>[1]);
    const facts = { appId: 'a', appLabel: 'App', appMode: 'workflow' as const, inputs: { topic: 'owls' }, inputsTruncated: false, outputMode: 'newEditor' as const, via: 'tool' as const };
    const made = runRecord(facts, { status: 'succeeded', progress }, 1000, 2500);
    assert.match(made.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...made, id: undefined }, {
      ...facts,
      id: undefined,
      startedAt: 1000,
      durationMs: 2500,
      status: 'succeeded',
      tokens: 42,
      steps: 3,
      nodes: [{ title: 'Summarize', type: 'llm', status: 'succeeded', seconds: 1.5 }],
      outputs: { text: 'owls' },
      workflowRunId: 'run-1',
    });
    const history = new RunHistory(new MemoryStore());
    await history.add(made);
    assert.equal(history.all()[0]!.via, 'tool');
  });

  it('keeps the newest runs first, up to the limit, and tells listeners', async () => {
    const history = new RunHistory(new MemoryStore(), 3);
    let changes = 0;
    history.onDidChange(() => changes++);
    for (const id of ['1', '2', '3', '4']) await history.add(record(id));
    assert.deepEqual(history.all().map((r) => r.id), ['4', '3', '2']);
    assert.equal(changes, 4);
    await history.clear();
    assert.deepEqual(history.all(), []);
  });

  it('cuts long values and marks such a run as not repeatable', async () => {
    const history = new RunHistory(new MemoryStore());
    const stored = await history.add(record('1', { inputs: { code: 'x'.repeat(40_000), n: 3 }, output: 'y'.repeat(40_000) }));
    assert.equal(stored.inputsTruncated, true);
    assert.ok((stored.inputs.code as string).length < 33_000);
    assert.equal(stored.inputs.n, 3);
    assert.ok(stored.output!.length < 33_000);
    assert.equal(history.get('1')?.inputsTruncated, true);
  });

  it("keeps the steps a run went through, in order, with status and duration (the first 200 of a long run)", async () => {
    const step = (i: number, extra: Partial<RunStep> = {}): RunStep => ({ id: `e${i}`, nodeId: `n${i}`, title: `Node ${i}`, type: 'llm', status: 'succeeded', elapsedSeconds: i / 10, startedAt: 5, ...extra });
    const history = new RunHistory(new MemoryStore());
    const nodes = recordedSteps([step(1), step(2, { status: 'failed', error: 'boom', elapsedSeconds: undefined })]);
    assert.deepEqual(nodes, [
      { title: 'Node 1', type: 'llm', status: 'succeeded', seconds: 0.1 },
      { title: 'Node 2', type: 'llm', status: 'failed', seconds: undefined },
    ]);
    await history.add(record('1', { nodes }));
    assert.deepEqual(history.get('1')?.nodes, [{ title: 'Node 1', type: 'llm', status: 'succeeded', seconds: 0.1 }, { title: 'Node 2', type: 'llm', status: 'failed' }]);
    assert.equal(recordedSteps(Array.from({ length: 500 }, (_, i) => step(i))).length, 200);
  });

  it('remembers choices per app, merges asked values, and orders apps by last use', async () => {
    const choices = new WorkflowChoices(new MemoryStore());
    await choices.update('a', { outputMode: 'diff', values: { reviewer: 'Ada' } });
    await choices.update('a', { outputVariable: 'text', values: { tone: 'calm' } });
    assert.deepEqual(choices.get('a'), { outputMode: 'diff', outputVariable: 'text', values: { reviewer: 'Ada', tone: 'calm' } });
    assert.deepEqual(choices.get('b'), {});
    await choices.reset('a');
    assert.deepEqual(choices.get('a'), {});
    const apps = [{ id: 'x' }, { id: 'y' }, { id: 'z' }];
    assert.deepEqual(choices.byLastUsed(apps).map((a) => a.id), ['x', 'y', 'z']);
    await choices.markUsed('z');
    await choices.markUsed('y');
    await choices.markUsed('z');
    assert.deepEqual(choices.byLastUsed(apps).map((a) => a.id), ['z', 'y', 'x']);
  });
});
