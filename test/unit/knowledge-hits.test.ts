// What the knowledge tool gives a model: hits of several knowledge bases merged best first, each naming its document
// and base, its text folded and cut at a word; and the retrieval model each base is searched with.
import assert from 'node:assert/strict';
import { foldBlankLines, knowledgeHits } from '../../src/core/knowledge-hits.js';
import { defaultSearch, retrievalModel, searchMethods } from '../../src/core/knowledge-retrieval.js';
import { cutAtWord } from '../../src/core/text-cut.js';
import type { RetrievalModel, RetrieveRecord } from '../../src/dify/index.js';

const record = (document: string, score: number, content: string): RetrieveRecord =>
  ({ score, segment: { content, document: { name: document } }, child_chunks: null, tsne_position: null }) as unknown as RetrieveRecord;

describe('knowledge hits for a language model', () => {
  it('merges the bases best first, ties in the order searched, at most maxHits', () => {
    const hits = knowledgeHits(
      [
        { knowledgeBase: 'Handbook', records: [record('faq.txt', 0.5, 'A'), record('setup.md', 0.9, 'B')] },
        { knowledgeBase: '产品知识库', records: [record('安装指南.md', 0.5, 'C'), record('常见问题.txt', 0.7, 'D')] },
      ],
      { maxHits: 3, maxChars: 100 },
    );
    assert.deepEqual(
      hits.map((h) => [h.document, h.knowledgeBase, h.score, h.content]),
      [
        ['setup.md', 'Handbook', 0.9, 'B'],
        ['常见问题.txt', '产品知识库', 0.7, 'D'],
        ['faq.txt', 'Handbook', 0.5, 'A'],
      ],
    );
    assert.deepEqual(knowledgeHits([{ knowledgeBase: 'Empty', records: [] }]), []);
  });

  it("folds a segment's blank lines and cuts a long one at a word, saying it was cut", () => {
    const [hit] = knowledgeHits([{ knowledgeBase: 'KB', records: [record('long.md', 1, `Title  \n\n\n\n${'lorem ipsum '.repeat(30)}`)] }], { maxHits: 10, maxChars: 60 });
    assert.ok(hit!.cut);
    assert.ok(hit!.content.startsWith('Title\n\nlorem ipsum'), hit!.content);
    assert.ok(hit!.content.length <= 60);
    assert.match(hit!.content, /(lorem|ipsum)$/);
    assert.equal(foldBlankLines(' a \t\n\n\n\nb\n'), 'a\n\nb');
  });

  it('cuts by characters, never inside an emoji or a CJK character', () => {
    assert.deepEqual(cutAtWord('短文本', 5), { text: '短文本', cut: false });
    assert.deepEqual(cutAtWord('😀😀😀😀😀😀', 4), { text: '😀😀😀😀', cut: true });
    assert.deepEqual(cutAtWord('知识库检索结果很长很长', 6), { text: '知识库检索结', cut: true });
    // Without a space near the end, the cut is at the limit.
    assert.deepEqual(cutAtWord('a bcdefghijkl', 10), { text: 'a bcdefghi', cut: true });
  });
});

describe('retrieval model of a dataset', () => {
  const configured: RetrievalModel = {
    search_method: 'hybrid_search',
    top_k: 7,
    reranking_enable: true,
    reranking_mode: 'reranking_model',
    reranking_model: { reranking_provider_name: 'cohere', reranking_model_name: 'rerank-3' },
    weights: null,
    score_threshold_enabled: true,
    score_threshold: 0.4,
  };

  it("keeps the dataset's own settings (reranking, threshold) with the method and top_k asked for", () => {
    const dataset = { indexing_technique: 'high_quality' as const, retrieval_model_dict: configured };
    assert.deepEqual(defaultSearch(dataset), { method: 'hybrid_search', topK: 7 });
    assert.deepEqual(retrievalModel(dataset, 'semantic_search', 3), { ...configured, search_method: 'semantic_search', top_k: 3 });
  });

  it('an economy dataset is searched by keywords; a dataset without settings gets 4 hits, no reranking or threshold', () => {
    const economy = { indexing_technique: 'economy' as const, retrieval_model_dict: null };
    assert.deepEqual(searchMethods(economy), ['keyword_search']);
    assert.deepEqual(defaultSearch(economy), { method: 'keyword_search', topK: 4 });
    assert.deepEqual(retrievalModel(economy, 'keyword_search', 4), {
      search_method: 'keyword_search',
      top_k: 4,
      reranking_enable: false,
      reranking_mode: null,
      reranking_model: null,
      weights: null,
      score_threshold_enabled: false,
      score_threshold: null,
    });
    assert.deepEqual(searchMethods({ indexing_technique: 'high_quality', retrieval_model_dict: null }), ['semantic_search', 'full_text_search', 'hybrid_search']);
  });
});
