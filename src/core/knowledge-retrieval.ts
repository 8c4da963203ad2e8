// How a dataset is searched through `/datasets/:id/retrieve` (CONTRACT.md §3.13): the search methods its indexing
// allows, the method and top_k it was set up with in Dify, and the rest of its retrieval model kept as it is. Shared by
// "Search Dify Knowledge…" and the knowledge tool, so both search a dataset the way Dify's own apps do.
import type { Dataset, RetrievalModel, SearchMethod } from '../dify/index.js';

/** Dify takes at most this many characters in a retrieve query. */
export const MAX_RETRIEVE_QUERY = 250;

/** The default number of hits when the dataset sets none. */
const DEFAULT_TOP_K = 4;

type DatasetSearchFacts = Pick<Dataset, 'indexing_technique' | 'retrieval_model_dict'>;

/** An economy (keyword-indexed) dataset is searched by keywords only; the others by vector, full text or both. */
export function searchMethods(dataset: DatasetSearchFacts): SearchMethod[] {
  return dataset.indexing_technique === 'economy' ? ['keyword_search'] : ['semantic_search', 'full_text_search', 'hybrid_search'];
}

/** The method and top_k the dataset was set up with in Dify, or what its indexing allows. */
export function defaultSearch(dataset: DatasetSearchFacts): { method: SearchMethod; topK: number } {
  const defaults = dataset.retrieval_model_dict;
  return {
    method: defaults?.search_method ?? (dataset.indexing_technique === 'economy' ? 'keyword_search' : 'semantic_search'),
    topK: defaults?.top_k ?? DEFAULT_TOP_K,
  };
}

/** The retrieval model to send: the dataset's own (reranking, weights, score threshold), with this method and top_k. */
export function retrievalModel(dataset: DatasetSearchFacts, method: SearchMethod, topK: number): RetrievalModel {
  const defaults = dataset.retrieval_model_dict;
  return {
    search_method: method,
    top_k: topK,
    reranking_enable: defaults?.reranking_enable ?? false,
    reranking_mode: defaults?.reranking_mode ?? null,
    reranking_model: defaults?.reranking_model ?? null,
    weights: defaults?.weights ?? null,
    score_threshold_enabled: defaults?.score_threshold_enabled ?? false,
    score_threshold: defaults?.score_threshold ?? null,
  };
}
