// Uploading a batch of files into a dataset against the test Dify server, then following indexing: every bad input
// gets its own reason and the rest of the batch goes on; a dead key or a deleted dataset stops it with one reason.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshCounts, watchIndexing } from '../../src/core/knowledge-indexing.js';
import type { KnowledgeProfile } from '../../src/core/profile-store.js';
import { DatasetNode, KnowledgeTreeModel } from '../../src/core/knowledge-tree-model.js';
import { toProcessRule } from '../../src/core/knowledge-process-rule.js';
import { checkUploadFile, uploadBatch, DEFAULT_UPLOAD_LIMITS, type UploadOutcome } from '../../src/core/knowledge-upload.js';
import { KnowledgeClient, type IndexingStatusItem } from '../../src/dify/index.js';
import { KNOWLEDGE_SEED as SEED } from '../dify-server/knowledge.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
let dir: string;
let kb: KnowledgeClient;
const settings = { indexing_technique: 'high_quality' as const, process_rule: toProcessRule({ mode: 'automatic' }) };

before(async () => {
  // Slow enough that the watcher sees the intermediate states on a loaded machine.
  server = await startDifyServer({ indexingStepMs: 60 });
  kb = new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: server.keys.dataset });
  dir = mkdtempSync(join(tmpdir(), 'kn-upload-'));
  writeFileSync(join(dir, 'alpha.md'), '# Alpha\n\nThe alpha launch is in March.\n\nIt ships the new billing page.');
  writeFileSync(join(dir, 'beta.txt'), 'Beta notes: the beta programme has forty customers.');
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'tool.exe'), 'MZ');
  writeFileSync(join(dir, 'huge.txt'), '');
  truncateSync(join(dir, 'huge.txt'), DEFAULT_UPLOAD_LIMITS.maxBytes + 1); // sparse: nothing written to disk
  writeFileSync(join(dir, 'will-fail.md'), 'A document the test server fails to parse.');
  mkdirSync(join(dir, 'folder'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => server.reset());

const statusOf = (outcomes: UploadOutcome[]) => outcomes.map((o) => `${o.name}:${o.status}${o.status === 'rejected' ? `/${o.reason.kind}` : ''}`);
const uploads = () => server.requests.filter((r) => r.path.endsWith('/document/create-by-file'));

describe('knowledge upload batch', () => {
  it('checks each file before sending: 0 bytes, a type Dify cannot read, over the limit, a folder, a missing file', async () => {
    assert.deepEqual(await checkUploadFile(join(dir, 'empty.txt')), { kind: 'empty' });
    assert.deepEqual(await checkUploadFile(join(dir, 'tool.exe')), { kind: 'type', extension: 'exe' });
    assert.deepEqual(await checkUploadFile(join(dir, 'huge.txt')), { kind: 'too_large', size: DEFAULT_UPLOAD_LIMITS.maxBytes + 1, limit: DEFAULT_UPLOAD_LIMITS.maxBytes });
    assert.deepEqual(await checkUploadFile(join(dir, 'folder')), { kind: 'folder' });
    assert.deepEqual(await checkUploadFile(join(dir, 'gone.txt')), { kind: 'missing' });
    assert.equal(await checkUploadFile(join(dir, 'alpha.md')), undefined);
  });

  it('a mixed batch: the good files are uploaded, each bad one has its reason, nothing bad is sent', async () => {
    const progress: string[] = [];
    const paths = ['alpha.md', 'empty.txt', 'tool.exe', 'huge.txt', 'folder', 'beta.txt'].map((n) => join(dir, n));
    const outcomes = await uploadBatch(kb, SEED.handbook, paths, settings, { onFile: (done, total) => progress.push(`${done}/${total}`) });
    assert.deepEqual(statusOf(outcomes), [
      'alpha.md:uploaded',
      'empty.txt:rejected/empty',
      'tool.exe:rejected/type',
      'huge.txt:rejected/too_large',
      'folder:rejected/folder',
      'beta.txt:uploaded',
    ]);
    assert.deepEqual(progress, ['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    assert.equal(uploads().length, 2, 'only the two good files reached Dify');
    const docs = await kb.listDocuments(SEED.handbook);
    assert.ok(docs.data.some((d) => d.name === 'alpha.md') && docs.data.some((d) => d.name === 'beta.txt'));
  });

  it('a file Dify refuses with its empty 400 is a rejection of that file only', async () => {
    // Limits looser than the server's: the server's own 400 invalid_param "" answer is what the user hears about.
    const limits = { maxBytes: DEFAULT_UPLOAD_LIMITS.maxBytes * 2, extensions: [...DEFAULT_UPLOAD_LIMITS.extensions] };
    const outcomes = await uploadBatch(kb, SEED.handbook, [join(dir, 'huge.txt'), join(dir, 'beta.txt')], settings, { limits });
    assert.deepEqual(statusOf(outcomes), ['huge.txt:rejected/refused_by_server', 'beta.txt:uploaded']);
  });

  it('a wrong key stops the batch after the first answer: one reason, the rest skipped, not sent', async () => {
    const bad = new KnowledgeClient({ baseUrl: server.baseUrl, apiKey: 'dataset-wrongwrongwrongwrongwrong' });
    const outcomes = await uploadBatch(bad, SEED.handbook, [join(dir, 'alpha.md'), join(dir, 'tool.exe'), join(dir, 'beta.txt')], settings);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['failed', 'skipped', 'skipped'],
    );
    assert.equal(outcomes[1]!.status === 'skipped' && outcomes[1]!.because, 'key_rejected');
    assert.equal(uploads().length, 1);
  });

  it('a dataset deleted meanwhile stops the batch with that reason', async () => {
    await kb.deleteDataset(SEED.chinese);
    const outcomes = await uploadBatch(kb, SEED.chinese, [join(dir, 'alpha.md'), join(dir, 'beta.txt')], settings);
    assert.deepEqual(outcomes.map((o) => o.status), ['failed', 'skipped']);
    assert.equal(outcomes[1]!.status === 'skipped' && outcomes[1]!.because, 'dataset_gone');
  });

  it('cancelling leaves the files not yet sent as cancelled', async () => {
    const controller = new AbortController();
    const outcomes = await uploadBatch(kb, SEED.handbook, [join(dir, 'alpha.md'), join(dir, 'beta.txt')], settings, {
      signal: controller.signal,
      onFile: () => controller.abort(),
    });
    assert.deepEqual(outcomes.map((o) => o.status), ['uploaded', 'cancelled']);
  });

  it('after upload the watcher follows each document to completed, or to error with Dify\'s text', async () => {
    const outcomes = await uploadBatch(kb, SEED.handbook, [join(dir, 'alpha.md'), join(dir, 'will-fail.md')], settings);
    const finals: IndexingStatusItem[] = [];
    const seen = new Set<string>();
    for (const o of outcomes) {
      assert.equal(o.status, 'uploaded');
      if (o.status !== 'uploaded') continue;
      const last = await watchIndexing(
        () => kb.getIndexingStatus(SEED.handbook, o.response.batch),
        (items) => items.forEach((i) => seen.add(i.indexing_status)),
        { initialDelayMs: 5, maxDelayMs: 20 },
      );
      finals.push(...last);
    }
    assert.deepEqual(finals.map((f) => f.indexing_status), ['completed', 'error']);
    assert.match(finals[1]!.error ?? '', /could not be extracted/);
    assert.ok(seen.has('waiting') || seen.has('parsing'), `intermediate states seen: ${[...seen].join(', ')}`);
  });

  it("once indexed, the tree shows Dify's new counts: the dataset's documents and words, the document's words", async () => {
    const profile: KnowledgeProfile = { id: 'kp1', kind: 'knowledge', label: 'Team', baseUrl: server.baseUrl };
    const model = new KnowledgeTreeModel(() => [profile], async () => kb);
    const dataset = (await model.children(model.roots()[0]!)).find((n): n is DatasetNode => n instanceof DatasetNode && n.dataset.id === SEED.handbook)!;
    await model.children(dataset);
    const before = { documents: dataset.dataset.document_count, words: dataset.dataset.word_count };
    const [outcome] = await uploadBatch(kb, SEED.handbook, [join(dir, 'alpha.md')], settings);
    assert.ok(outcome?.status === 'uploaded');
    const document = model.addDocument(dataset, outcome.response.document);
    assert.ok(!document.document.word_count, 'Dify counts the words while indexing');
    await watchIndexing(() => kb.getIndexingStatus(SEED.handbook, outcome.response.batch), () => undefined, { initialDelayMs: 5, maxDelayMs: 20 });

    await refreshCounts(model, kb, dataset, [document.document.id]);
    const words = (await kb.listDocuments(SEED.handbook, { limit: 1 })).data[0]!.word_count ?? 0;
    assert.ok(words > 0);
    assert.equal(document.document.word_count, words, "the document's row: Dify's word count");
    assert.deepEqual({ documents: dataset.dataset.document_count, words: dataset.dataset.word_count }, { documents: before.documents + 1, words: before.words + words });
  });
});
