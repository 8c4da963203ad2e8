// Dify's stream events folded into what the progress notification shows and what the run produced.
import assert from 'node:assert/strict';
import { applyEvent, currentActivity, finishedSteps, initialProgress, type StreamEventLike } from '../../src/core/workflow-progress.js';
import { exampleEvents } from '../helpers/streams.js';

const fold = (events: StreamEventLike[]) => events.reduce(applyEvent, initialProgress());
const node = (event: string, id: string, title: string, extra: Record<string, unknown> = {}): StreamEventLike => ({
  event,
  task_id: 't1',
  workflow_run_id: 'r1',
  data: { id, node_id: `n-${title}`, node_type: 'code', title, iteration_id: null, loop_id: null, ...extra },
});
const container = (event: string, title: string, extra: Record<string, unknown> = {}): StreamEventLike => ({
  event,
  task_id: 't1',
  workflow_run_id: 'r1',
  data: { id: `c-${title}`, node_id: `n-${title}`, node_type: event.split('_')[0], title, ...extra },
});

describe('workflow progress', () => {
  it("the example workflow stream: steps in order, text chunks, the run's outputs, tokens and elapsed time", () => {
    const events = exampleEvents('workflow') as unknown as StreamEventLike[];
    const seen: string[] = [];
    const progress = initialProgress();
    for (const e of events) {
      applyEvent(progress, e);
      const a = currentActivity(progress);
      if (a.kind === 'node') seen.push(a.title);
    }
    assert.deepEqual([...new Set(seen)], ['Start', 'Summarize', 'End']);
    assert.equal(progress.status, 'succeeded');
    assert.equal(progress.taskId, '4c5d6e7f-8a9b-4c0d-9e1f-3a4b5c6d7e8f');
    assert.equal(progress.workflowRunId, '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d');
    assert.deepEqual(progress.outputs, { summary: 'SSE streams events over one HTTP response.' });
    assert.equal(progress.text.length > 0, true);
    assert.equal(progress.totalTokens, 49);
    assert.equal(progress.totalSteps, 3);
    assert.equal(progress.elapsedSeconds, 0.944518);
    assert.equal(finishedSteps(progress), 3);
    assert.deepEqual(currentActivity(progress), { kind: 'done' });
  });

  it('the example completion stream: the answer from message deltas, tokens from message_end usage', () => {
    const events = exampleEvents('completion') as unknown as StreamEventLike[];
    const progress = fold(events);
    const answer = events.filter((e) => e.event === 'message').map((e) => e.answer).join('');
    assert.equal(progress.status, 'succeeded');
    assert.equal(progress.text, answer);
    assert.equal(progress.totalTokens, 47);
  });

  it('iteration and loop rounds: which round runs now, and of how many', () => {
    const progress = fold([
      container('iteration_started', 'Each file', { metadata: { iterator_length: 3 } }),
      container('iteration_next', 'Each file', { index: 0 }),
      container('iteration_next', 'Each file', { index: 1 }),
      node('node_started', 'x1', 'Lint', { iteration_id: 'n-Each file' }),
    ]);
    const now = currentActivity(progress);
    assert.equal(now.kind, 'node');
    assert.equal(now.kind === 'node' && now.title, 'Lint');
    assert.deepEqual(now.kind === 'node' && now.container && [now.container.kind, now.container.index, now.container.total], ['iteration', 1, 3]);
    applyEvent(progress, node('node_finished', 'x1', 'Lint', { status: 'succeeded', iteration_id: 'n-Each file' }));
    assert.deepEqual(progress.steps[0]!.round, { container: 'n-Each file', index: 1 });
    const between = currentActivity(progress);
    assert.equal(between.kind, 'container');
    applyEvent(progress, container('iteration_completed', 'Each file', { status: 'succeeded' }));
    applyEvent(progress, container('loop_started', 'Refine', { metadata: { loop_length: 2 } }));
    applyEvent(progress, container('loop_next', 'Refine', { index: 1 }));
    const loop = currentActivity(progress);
    assert.deepEqual(loop.kind === 'container' && [loop.container.kind, loop.container.title, loop.container.index, loop.container.total], ['loop', 'Refine', 1, 2]);
  });

  it('a failed node is named; a retry is not a finished step; text_replace replaces the streamed text', () => {
    const progress = fold([
      node('node_started', 'a', 'Fetch'),
      node('node_retry', 'a', 'Fetch', { status: 'retry', error: '503' }),
      node('node_finished', 'a', 'Fetch', { status: 'succeeded' }),
      { event: 'text_chunk', data: { text: 'draft' } },
      { event: 'text_replace', data: { text: 'final' } },
      node('node_started', 'b', 'Divide 除法'),
      node('node_finished', 'b', 'Divide 除法', { status: 'failed', error: 'ZeroDivisionError: division by zero' }),
      { event: 'workflow_finished', workflow_run_id: 'r1', data: { status: 'failed', outputs: {}, error: 'ZeroDivisionError: division by zero', elapsed_time: 0.2, total_tokens: 0, total_steps: 2 } },
    ]);
    assert.equal(progress.status, 'failed');
    assert.deepEqual(progress.failedNode, { title: 'Divide 除法', type: 'code', error: 'ZeroDivisionError: division by zero' });
    assert.equal(progress.error, 'ZeroDivisionError: division by zero');
    assert.equal(progress.text, 'final');
    assert.equal(finishedSteps(progress), 2);
  });

  it('a paused run names the nodes waiting for a person; unknown events are counted and ignored', () => {
    const progress = fold([
      { event: 'agent_log', data: { label: 'ROUND 1' } },
      { event: 'human_input_required', data: { node_title: 'Review 审核' } },
      { event: 'workflow_paused', data: { status: 'paused', total_tokens: 12, elapsed_time: 1.5 } },
    ]);
    assert.equal(progress.status, 'paused');
    assert.deepEqual(progress.waitingFor, ['Review 审核']);
    assert.equal(progress.events, 3);
  });
});
