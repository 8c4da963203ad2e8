// Streamed text on its way to the chat view: deltas parsed from one network read go over as one message, a lone
// delta is not held back, and nothing is reordered or lost.
import assert from 'node:assert/strict';
import { ChatSession } from '../../src/core/chat-session.js';
import { DeltaBatcher, type DeltaBatch } from '../../src/core/delta-batcher.js';
import { AppClient } from '../../src/dify/index.js';
import { answerText } from '../dify-server/apps/answers.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer({ eventDelayMs: 0 })));
after(() => server.close());
beforeEach(() => server.reset());

/** Streams `query` through a ChatSession into a batcher; what the view would be sent, and how many deltas there were. */
async function stream(query: string): Promise<{ batches: DeltaBatch[]; deltas: number; answer: string }> {
  const client = new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys.chat, user: 'batch-user' });
  const chat = new ChatSession(client, (e) => ({ message: (e as Error).message, actions: [] }));
  const batches: DeltaBatch[] = [];
  const batcher = new DeltaBatcher((batch) => batches.push(batch));
  let deltas = 0;
  chat.onDidChange((change) => {
    if (change.kind !== 'delta') return batcher.flush();
    deltas++;
    batcher.add(change.turn.id, change.text);
  });
  const turn = await chat.send({ query, inputs: { name: 'Ada' } });
  batcher.flush();
  return { batches, deltas, answer: turn.answer };
}

describe('delta batcher', () => {
  it('a stream that arrives in a few reads goes to the view in a few messages, the text whole and in order', async () => {
    server.setEventDelay(0);
    const { batches, deltas, answer } = await stream('long:400');
    assert.equal(answer, answerText('long:400'));
    assert.equal(batches.map((b) => b.text).join(''), answer);
    assert.ok(deltas >= 100, `the answer came as many deltas (${deltas})`);
    assert.ok(batches.length <= deltas / 4, `${deltas} deltas went over as ${batches.length} messages`);
  });

  it('deltas that arrive one at a time go over one at a time: none waits for the next', async () => {
    server.setEventDelay(15);
    const { batches, deltas, answer } = await stream('hello');
    assert.equal(batches.map((b) => b.text).join(''), answer);
    assert.equal(batches.length, deltas);
  });

  it('text for another turn, or any other message, first sends what is queued', () => {
    const sent: DeltaBatch[] = [];
    const batcher = new DeltaBatcher((batch) => sent.push(batch));
    batcher.add('t1', 'a');
    batcher.add('t1', 'b');
    batcher.add('t2', 'c');
    assert.deepEqual(sent, [{ turnId: 't1', text: 'ab' }]);
    batcher.flush();
    assert.deepEqual(sent, [{ turnId: 't1', text: 'ab' }, { turnId: 't2', text: 'c' }]);
    batcher.flush();
    assert.equal(sent.length, 2, 'nothing is sent twice');
  });

  it('dropped text is not sent later (the view was replaced and gets the whole state)', async () => {
    const sent: DeltaBatch[] = [];
    const batcher = new DeltaBatcher((batch) => sent.push(batch));
    batcher.add('t1', 'a');
    batcher.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(sent, []);
  });
});
