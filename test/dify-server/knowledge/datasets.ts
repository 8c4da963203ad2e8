// Datasets, tags and the model list (CONTRACT.md §3.13 "Datasets").
import { randomUUID } from 'node:crypto';
import { HttpError, errors } from '../router.js';
import type { Router, RouteContext } from '../router.js';
import { datasetJson } from './serialize.js';
import type { KnowledgeState } from './state.js';
import { isObject, paginate } from './state.js';
import { defaultRetrievalModel, nowSec } from './store.js';
import type { Dataset, RetrievalModel } from './store.js';
import { Checker, pyRepr, validationError } from './text.js';
import { since114, type DifyVersion } from '../version.js';

const SEARCH_METHODS = ['keyword_search', 'semantic_search', 'full_text_search', 'hybrid_search'] as const;

/** Validates a RetrievalModel sub-object; issues are added to `parent`. */
export function checkRetrievalModel(parent: Checker, key: string, raw: unknown): RetrievalModel | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    parent.add([key], 'model_type', 'Input should be a valid dictionary or instance of RetrievalModel', raw);
    return undefined;
  }
  const c = parent.nested(key, raw);
  const before = c.issues.length;
  const search_method = c.literal('search_method', SEARCH_METHODS, { required: true });
  const reranking_enable = c.bool('reranking_enable', { required: true });
  const reranking_mode = c.str('reranking_mode', { nullable: true });
  const rerank = c.object('reranking_model');
  const weights = c.object('weights');
  const top_k = c.int('top_k', { required: true });
  const score_threshold_enabled = c.bool('score_threshold_enabled', { required: true });
  const score_threshold = c.num('score_threshold', { nullable: true });
  if (c.issues.length > before) return undefined;
  return {
    search_method: search_method!,
    reranking_enable: reranking_enable!,
    reranking_mode: reranking_mode ?? null,
    reranking_model: rerank
      ? {
          reranking_provider_name: typeof rerank['reranking_provider_name'] === 'string' ? rerank['reranking_provider_name'] : null,
          reranking_model_name: typeof rerank['reranking_model_name'] === 'string' ? rerank['reranking_model_name'] : null,
        }
      : null,
    weights: weights ?? null,
    top_k: top_k!,
    score_threshold_enabled: score_threshold_enabled!,
    score_threshold: score_threshold ?? null,
  };
}

const PERMISSIONS = ['only_me', 'all_team_members', 'partial_members'] as const;
const TECHNIQUES = ['high_quality', 'economy'] as const;

/** pydantic int parsing of a query-string value. */
function queryInt(c: Checker, query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (/^\s*[+-]?\d+\s*$/.test(raw)) return parseInt(raw, 10);
  c.add([name], 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', raw);
  return fallback;
}

export function registerDatasets(router: Router, state: KnowledgeState, version: DifyVersion): void {
  const findByName = (name: string, except?: string) => state.datasets.find((d) => d.name === name && d.id !== except);

  router.add('GET', '/datasets', (ctx) => {
    state.auth(ctx);
    const query: Record<string, unknown> = Object.fromEntries(ctx.query.entries());
    const c = new Checker(query);
    const page = queryInt(c, ctx.query, 'page', 1);
    const limit = queryInt(c, ctx.query, 'limit', 20);
    if (ctx.query.has('tag_ids')) {
      // request.args.to_dict() hands tag_ids over as one string, which fails list validation (1.13.2 bug).
      c.add(['tag_ids'], 'list_type', 'Input should be a valid list', ctx.query.get('tag_ids'));
    }
    c.done('DatasetListQuery');
    const keyword = ctx.query.get('keyword');
    const all = [...state.datasets]
      .filter((d) => !keyword || d.name.toLowerCase().includes(keyword.toLowerCase()))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    const data = paginate(all, page, limit).map((d) => datasetJson(state, d));
    ctx.send(200, { data, has_more: data.length === limit, limit, total: all.length, page });
  });

  router.add('POST', '/datasets', async (ctx) => {
    state.auth(ctx);
    const body = await ctx.json();
    const c = new Checker(body);
    const name = c.str('name', { required: true, min: 1, max: 40 });
    const description = c.str('description', { max: 400, nullable: true });
    const technique = c.literal('indexing_technique', TECHNIQUES, { nullable: true });
    const permission = c.literal('permission', PERMISSIONS, { nullable: true });
    const provider = c.literal('provider', ['vendor', 'external'] as const, { nullable: true });
    const extApi = c.str('external_knowledge_api_id', { nullable: true });
    const extId = c.str('external_knowledge_id', { nullable: true });
    const retrieval = checkRetrievalModel(c, 'retrieval_model', body['retrieval_model']);
    const embeddingModel = c.str('embedding_model', { nullable: true });
    const embeddingProvider = c.str('embedding_model_provider', { nullable: true });
    c.object('summary_index_setting');
    c.done('DatasetCreatePayload');
    if (findByName(name!)) throw new HttpError(409, 'dataset_name_duplicate', 'Dataset name already exists. Please modify your dataset name.');
    if (provider === 'external') {
      if (!extApi) throw errors.invalidParam('external_knowledge_api_id is required');
      if (!extId) throw errors.invalidParam('external_knowledge_id is required');
    }
    const at = nowSec();
    const ds: Dataset = {
      id: randomUUID(),
      name: name!,
      description: description ?? '',
      provider: provider ?? 'vendor',
      permission: permission ?? 'only_me',
      indexingTechnique: technique ?? null,
      createdAt: at,
      updatedAt: at,
      embeddingModel: technique === 'high_quality' ? (embeddingModel ?? 'text-embedding-3-small') : null,
      embeddingModelProvider: technique === 'high_quality' ? (embeddingProvider ?? 'langgenius/openai/openai') : null,
      retrievalModel: retrieval ?? defaultRetrievalModel(),
      appCount: 0,
      enableApi: true,
      builtInFieldEnabled: false,
      metadata: [],
      partialMembers: [],
      iconInfo: null,
      externalKnowledgeId: extId ?? null,
      externalKnowledgeApiId: extApi ?? null,
      documents: [],
      dataSourceType: null,
    };
    state.datasets.push(ds);
    ctx.send(200, datasetJson(state, ds));
  });

  router.add('GET', '/datasets/:dataset_id<uuid>', (ctx) => {
    const ds = state.dataset(ctx);
    const out = datasetJson(state, ds, { economySearch: true });
    if (ds.permission === 'partial_members') out['partial_member_list'] = ds.partialMembers;
    ctx.send(200, out);
  });

  router.add('PATCH', '/datasets/:dataset_id<uuid>', async (ctx) => {
    const ds = state.dataset(ctx);
    const body = await ctx.json();
    const c = new Checker(body);
    const name = c.str('name', { min: 1, max: 40, nullable: true });
    const description = c.str('description', { max: 400, nullable: true });
    const technique = c.literal('indexing_technique', TECHNIQUES, { nullable: true });
    const permission = c.literal('permission', PERMISSIONS, { nullable: true });
    const embeddingModel = c.str('embedding_model', { nullable: true });
    const embeddingProvider = c.str('embedding_model_provider', { nullable: true });
    const retrieval = checkRetrievalModel(c, 'retrieval_model', body['retrieval_model']);
    const members = c.list('partial_member_list', { nullable: true });
    const extId = c.str('external_knowledge_id', { nullable: true });
    const extApi = c.str('external_knowledge_api_id', { nullable: true });
    c.object('external_retrieval_model');
    c.done('DatasetUpdatePayload');
    if (name && findByName(name, ds.id)) throw errors.invalidParam('Dataset name already exists');
    if (name) ds.name = name;
    if (description !== undefined) ds.description = description;
    if (technique) {
      ds.indexingTechnique = technique;
      if (technique === 'economy') {
        ds.embeddingModel = null;
        ds.embeddingModelProvider = null;
      } else {
        ds.embeddingModel ??= 'text-embedding-3-small';
        ds.embeddingModelProvider ??= 'langgenius/openai/openai';
      }
    }
    if (embeddingModel) ds.embeddingModel = embeddingModel;
    if (embeddingProvider) ds.embeddingModelProvider = embeddingProvider;
    if (permission) ds.permission = permission;
    if (retrieval) ds.retrievalModel = retrieval;
    if (extId) ds.externalKnowledgeId = extId;
    if (extApi) ds.externalKnowledgeApiId = extApi;
    if (members) {
      ds.partialMembers = members.map((m) => (isObject(m) && typeof m['user_id'] === 'string' ? m['user_id'] : '')).filter((m) => m);
    }
    if (ds.permission !== 'partial_members' && permission) ds.partialMembers = [];
    ds.updatedAt = nowSec();
    ctx.send(200, { ...datasetJson(state, ds), partial_member_list: ds.partialMembers });
  });

  router.add('DELETE', '/datasets/:dataset_id<uuid>', (ctx) => {
    const ds = state.dataset(ctx);
    if (ds.appCount > 0) {
      throw new HttpError(409, 'dataset_in_use', 'The dataset is being used by some apps. Please remove the dataset from the apps before deleting it.');
    }
    state.datasets = state.datasets.filter((d) => d !== ds);
    for (const set of state.bindings.values()) set.delete(ds.id);
    for (const [id, r] of state.processRules) if (r.datasetId === ds.id) state.processRules.delete(id);
    ctx.sendEmpty(204);
  });

  registerTags(router, state, version);

  router.add('GET', '/workspaces/current/models/model-types/:model_type', (ctx) => {
    state.auth(ctx);
    const type = ctx.params['model_type']!;
    const models = MODELS[type];
    if (!models) throw errors.invalidParam(`${pyRepr(type)} is not a valid ModelType`);
    ctx.send(200, { data: models });
  });
}

function registerTags(router: Router, state: KnowledgeState, version: DifyVersion): void {
  /**
   * A tag as the response model DataSetTag gives it: `binding_count` typed `str | None`. Dify 1.13.2's controllers
   * hand it the count as an int, which pydantic refuses (CONTRACT.md "Tag binding_count", a bug Dify's own tests
   * mark): list, create and update then fail with 400 invalid_param, after a create or update was saved. CONSOLE.md
   * §11 does not say whether 1.14+ still fails; there this server gives the count as a string, as older servers did.
   */
  const tagJson = (id: string): Record<string, unknown> => {
    const tag = state.tags.find((t) => t.id === id)!;
    const count = state.bindings.get(tag.id)?.size ?? 0;
    if (!since114(version)) {
      throw validationError('DataSetTag', [{ loc: ['binding_count'], type: 'string_type', msg: 'Input should be a valid string', input: count }]);
    }
    return { id: tag.id, name: tag.name, type: 'knowledge', binding_count: String(count) };
  };
  const findTag = (id: unknown) => {
    const tag = state.tags.find((t) => t.id === id);
    if (!tag) throw errors.notFound('Tag not found.');
    return tag;
  };
  const checkName = (c: Checker, model: string, except?: string): string => {
    const name = c.str('name', { required: true, min: 1, max: 50 });
    c.done(model);
    if (state.tags.some((t) => t.name === name && t.id !== except)) throw errors.invalidParam('Tag name already exists');
    return name!;
  };

  router.add('GET', '/datasets/tags', (ctx) => {
    state.auth(ctx);
    const tags = [...state.tags].sort((a, b) => b.createdAt - a.createdAt);
    ctx.send(200, tags.map((t) => tagJson(t.id)));
  });

  router.add('POST', '/datasets/tags', async (ctx) => {
    state.auth(ctx);
    const name = checkName(new Checker(await ctx.jsonValue()), 'TagCreatePayload');
    const tag = { id: randomUUID(), name, createdAt: nowSec() };
    state.tags.push(tag);
    state.bindings.set(tag.id, new Set());
    ctx.send(200, tagJson(tag.id));
  });

  router.add('PATCH', '/datasets/tags', async (ctx) => {
    state.auth(ctx);
    const body = await ctx.json();
    const c = new Checker(body);
    const tagId = c.str('tag_id', { required: true });
    const name = checkName(c, 'TagUpdatePayload', tagId);
    const tag = findTag(tagId);
    tag.name = name;
    ctx.send(200, tagJson(tag.id));
  });

  router.add('DELETE', '/datasets/tags', async (ctx) => {
    state.auth(ctx);
    const c = new Checker(await ctx.jsonValue());
    const tagId = c.str('tag_id', { required: true });
    c.done('TagDeletePayload');
    const tag = findTag(tagId);
    state.tags = state.tags.filter((t) => t !== tag);
    state.bindings.delete(tag.id);
    ctx.sendEmpty(204);
  });

  const target = (id: string): Dataset => {
    const ds = state.datasets.find((d) => d.id === id);
    if (!ds) throw errors.notFound('Dataset not found');
    return ds;
  };

  router.add('POST', '/datasets/tags/binding', async (ctx) => {
    state.auth(ctx);
    const c = new Checker(await ctx.jsonValue());
    const ids = c.list('tag_ids', { required: true });
    const targetId = c.str('target_id', { required: true });
    if (ids && ids.length === 0) c.add(['tag_ids'], 'too_short', 'List should have at least 1 item after validation, not 0', ids);
    c.done('TagBindingPayload');
    const ds = target(targetId!);
    for (const id of ids!) state.bindings.get(String(id))?.add(ds.id);
    ctx.sendEmpty(204);
  });

  router.add('POST', '/datasets/tags/unbinding', async (ctx) => {
    state.auth(ctx);
    const c = new Checker(await ctx.jsonValue());
    const tagId = c.str('tag_id', { required: true });
    const targetId = c.str('target_id', { required: true });
    c.done('TagUnbindingPayload');
    const ds = target(targetId!);
    state.bindings.get(tagId!)?.delete(ds.id);
    ctx.sendEmpty(204);
  });

  router.add('GET', '/datasets/:dataset_id<uuid>/tags', (ctx: RouteContext) => {
    const ds = state.dataset(ctx);
    const tags = state.tagsOf(ds.id).map((t) => ({ id: t.id, name: t.name }));
    ctx.send(200, { data: tags, total: tags.length });
  });
}


const label = (en: string, zh = en) => ({ zh_Hans: zh, en_US: en });
const icon = (provider: string) => ({
  zh_Hans: `/console/api/workspaces/current/model-providers/${provider}/icon_small/zh_Hans`,
  en_US: `/console/api/workspaces/current/model-providers/${provider}/icon_small/en_US`,
});

function model(name: string, type: string, properties: Record<string, unknown>) {
  return {
    model: name,
    label: label(name),
    model_type: type,
    features: null,
    fetch_from: 'predefined-model',
    model_properties: properties,
    deprecated: false,
    status: 'active',
    load_balancing_enabled: false,
    has_invalid_load_balancing_configs: false,
  };
}

function provider(name: string, title: string, models: ReturnType<typeof model>[]) {
  return {
    tenant_id: 'f2a4c6e8-0b1d-4f3a-8c5e-7d9b1a3c5e70',
    provider: name,
    label: label(title),
    icon_small: icon(name),
    icon_small_dark: null,
    icon_large: null,
    status: 'active',
    models,
  };
}

const MODELS: Record<string, unknown[]> = {
  'text-embedding': [
    provider('langgenius/openai/openai', 'OpenAI', [
      model('text-embedding-3-large', 'text-embedding', { context_size: 8191, max_chunks: 32 }),
      model('text-embedding-3-small', 'text-embedding', { context_size: 8191, max_chunks: 32 }),
      model('text-embedding-ada-002', 'text-embedding', { context_size: 8097, max_chunks: 32 }),
    ]),
  ],
  rerank: [provider('langgenius/cohere/cohere', 'Cohere', [model('rerank-multilingual-v3.0', 'rerank', { context_size: 5120 })])],
  llm: [
    provider('langgenius/openai/openai', 'OpenAI', [
      model('gpt-4o', 'llm', { mode: 'chat', context_size: 128000 }),
      model('gpt-4o-mini', 'llm', { mode: 'chat', context_size: 128000 }),
    ]),
  ],
  speech2text: [provider('langgenius/openai/openai', 'OpenAI', [model('whisper-1', 'speech2text', { file_upload_limit: 25, supported_file_extensions: 'flac,mp3,mp4,mpeg,mpga,m4a,ogg,wav,webm' })])],
  tts: [provider('langgenius/openai/openai', 'OpenAI', [model('tts-1', 'tts', { default_voice: 'alloy', word_limit: 3500, audio_type: 'mp3', max_workers: 5 })])],
  moderation: [provider('langgenius/openai/openai', 'OpenAI', [model('omni-moderation-latest', 'moderation', { max_chunks: 32, max_characters_per_chunk: 2000 })])],
};
