// The indexing watcher with scripted answers and a recorded clock: backoff, settling, failures and cancelling.
import assert from 'node:assert/strict';
import { watchIndexing } from '../../src/core/knowledge-indexing.js';
import { DifyAbortError, DifyApiError, DifyNetworkError, type IndexingStatus, type IndexingStatusItem } from '../../src/dify/index.js';

const item = (status: IndexingStatus, done = 0, total = 0, error: string | null = null): IndexingStatusItem => ({
  id: 'doc-1',
  indexing_status: status,
  processing_started_at: null,
  parsing_completed_at: null,
  cleaning_completed_at: null,
  splitting_completed_at: null,
  completed_at: null,
  paused_at: null,
  error,
  stopped_at: null,
  completed_segments: done,
  total_segments: total,
});

function scripted(answers: (IndexingStatusItem[] | Error)[]) {
  let i = 0;
  return async () => {
    const next = answers[Math.min(i++, answers.length - 1)]!;
    if (next instanceof Error) throw next;
    return next;
  };
}

describe('knowledge indexing watcher', () => {
  it('reports each change once and backs off while nothing moves', async () => {
    const waits: number[] = [];
    const updates: string[] = [];
    const last = await watchIndexing(
      scripted([[item('waiting')], [item('waiting')], [item('waiting')], [item('parsing')], [item('indexing', 1, 4)], [item('completed', 4, 4)]]),
      (items) => updates.push(items[0]!.indexing_status),
      { initialDelayMs: 100, factor: 2, maxDelayMs: 300, sleep: async (ms) => void waits.push(ms) },
    );
    assert.deepEqual(updates, ['waiting', 'parsing', 'indexing', 'completed']);
    assert.equal(last[0]!.indexing_status, 'completed');
    // Changed → first delay; unchanged → doubled, capped at 300.
    assert.deepEqual(waits, [100, 200, 300, 100, 100]);
  });

  it('an error state settles, with Dify\'s text', async () => {
    const last = await watchIndexing(scripted([[item('parsing')], [item('error', 0, 0, 'the PDF has no text layer')]]), () => {}, { sleep: async () => {} });
    assert.equal(last[0]!.error, 'the PDF has no text layer');
  });

  it('network failures are retried; a 404 (document deleted meanwhile) gives up at once', async () => {
    const net = new DifyNetworkError('reset', 'h', 'ECONNRESET', 'GET /x');
    const ok = await watchIndexing(scripted([net, net, [item('completed')]]), () => {}, { sleep: async () => {} });
    assert.equal(ok[0]!.indexing_status, 'completed');
    const gone = new DifyApiError(404, 'not_found', 'Documents not found.', 'GET /x');
    await assert.rejects(watchIndexing(scripted([[item('parsing')], gone]), () => {}, { sleep: async () => {} }), (e) => e === gone);
    await assert.rejects(watchIndexing(scripted([net]), () => {}, { sleep: async () => {}, maxFailures: 3 }), (e) => e === net);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const running = watchIndexing(scripted([[item('parsing')]]), () => controller.abort(), { initialDelayMs: 10_000, signal: controller.signal });
    await assert.rejects(running, (e) => e instanceof DifyAbortError);
  });
});
