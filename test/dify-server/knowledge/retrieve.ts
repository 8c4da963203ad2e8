// Retrieval (hit testing) and document metadata (CONTRACT.md §3.13 "Retrieval", "Metadata").
import { randomUUID } from 'node:crypto';
import { HttpError, errors } from '../router.js';
import type { Router, RouteContext } from '../router.js';
import { PyFloat } from '../wire.js';
import { checkRetrievalModel } from './datasets.js';
import { retrieveSegmentJson } from './serialize.js';
import type { KnowledgeState } from './state.js';
import { isObject, normalizeUuid } from './state.js';
import { defaultRetrievalModel, nowSec } from './store.js';
import type { Dataset, Doc, MetadataField, Segment } from './store.js';
import { Checker, pyLen, score } from './text.js';

const MAX_RECORDS = 10;
const BUILT_IN_FIELDS = [
  { name: 'document_name', type: 'string' },
  { name: 'uploader', type: 'string' },
  { name: 'upload_date', type: 'time' },
  { name: 'last_update_date', type: 'time' },
  { name: 'source', type: 'string' },
];

interface Hit {
  doc: Doc;
  segment: Segment;
  score: number;
  children: { id: string; content: string; position: number; score: number }[];
}

export function registerRetrieve(router: Router, state: KnowledgeState): void {
  const retrieve = async (ctx: RouteContext) => {
    const ds = state.dataset(ctx);
    const body = await ctx.json();
    const c = new Checker(body);
    const query = c.str('query', { nullable: true });
    const requested = checkRetrievalModel(c, 'retrieval_model', body['retrieval_model']);
    c.object('external_retrieval_model');
    const attachments = c.list('attachment_ids', { nullable: true });
    c.done('HitTestingPayload');
    if (!query && !(attachments && attachments.length > 0)) throw errors.invalidParam('Query or attachment_ids is required');
    if (query && pyLen(query) > 250) throw errors.invalidParam('Query cannot exceed 250 characters');

    const statuses = ds.documents.map((d) => state.indexer.status(d));
    const anyCompleted = statuses.includes('completed');
    const anyIndexing = statuses.some((s) => ['waiting', 'parsing', 'cleaning', 'splitting', 'indexing'].includes(s));
    if (!anyCompleted && anyIndexing) {
      throw new HttpError(400, 'dataset_not_initialized', 'The dataset is still being initialized or indexing. Please wait a moment.');
    }

    const model = requested ?? ds.retrievalModel ?? defaultRetrievalModel();
    const hits: Hit[] = [];
    if (query) {
      for (const doc of ds.documents) {
        if (state.indexer.status(doc) !== 'completed' || !doc.enabled || doc.archived) continue;
        for (const segment of doc.segments ?? []) {
          if (!segment.enabled) continue;
          if (segment.childChunks.length > 0) {
            const children = segment.childChunks
              .map((ch) => ({ id: ch.id, content: ch.content, position: ch.position, score: score(query, ch.content) }))
              .filter((ch) => ch.score > 0)
              .sort((a, b) => b.score - a.score);
            if (children.length > 0) hits.push({ doc, segment, score: children[0]!.score, children });
          } else {
            const s = score(query, segment.content + (segment.answer ? `\n${segment.answer}` : ''));
            if (s > 0) hits.push({ doc, segment, score: s, children: [] });
          }
        }
      }
    }
    const threshold = model.score_threshold_enabled ? (model.score_threshold ?? 0) : 0;
    const records = hits
      .filter((h) => h.score >= threshold)
      .sort((a, b) => b.score - a.score || a.doc.position - b.doc.position || a.segment.position - b.segment.position)
      .slice(0, Math.min(Math.max(model.top_k, 0), MAX_RECORDS))
      .map((h) => ({
        segment: retrieveSegmentJson(ds, h.doc, h.segment),
        child_chunks: h.children.map((ch) => ({ id: ch.id, content: ch.content, position: ch.position, score: new PyFloat(ch.score) })),
        score: new PyFloat(h.score),
        tsne_position: null,
        files: [],
        summary: null,
      }));
    ctx.send(200, { query: { content: query ?? '' }, records });
  };
  router.add('POST', '/datasets/:dataset_id<uuid>/retrieve', retrieve);
  router.add('POST', '/datasets/:dataset_id<uuid>/hit-testing', retrieve);

  registerMetadata(router, state);
}

function registerMetadata(router: Router, state: KnowledgeState): void {
  const base = '/datasets/:dataset_id<uuid>/metadata';
  const checkName = (ds: Dataset, name: string, except?: string) => {
    if (pyLen(name) > 255) throw errors.invalidParam('Metadata name cannot exceed 255 characters.');
    if (ds.metadata.some((m) => m.name === name && m.id !== except)) throw errors.invalidParam('Metadata name already exists.');
    if (BUILT_IN_FIELDS.some((f) => f.name === name)) throw errors.invalidParam('Metadata name already exists in Built-in fields.');
  };
  const fieldOf = (ds: Dataset, id: string | undefined): MetadataField => {
    const field = ds.metadata.find((m) => m.id === normalizeUuid(id ?? ''));
    if (!field) throw errors.invalidParam('Metadata not found.');
    return field;
  };

  router.add('GET', base, (ctx) => {
    const ds = state.dataset(ctx);
    ctx.send(200, {
      doc_metadata: ds.metadata.map((m) => ({
        id: m.id,
        name: m.name,
        type: m.type,
        count: ds.documents.filter((d) => d.metadata.has(m.id)).length,
      })),
      built_in_field_enabled: ds.builtInFieldEnabled,
    });
  });

  router.add('POST', base, async (ctx) => {
    const ds = state.dataset(ctx);
    const c = new Checker(await ctx.jsonValue());
    const type = c.literal('type', ['string', 'number', 'time'] as const, { required: true });
    const name = c.str('name', { required: true });
    c.done('MetadataArgs');
    checkName(ds, name!);
    const field: MetadataField = { id: randomUUID(), name: name!, type: type! };
    ds.metadata.push(field);
    ctx.send(201, { id: field.id, type: field.type, name: field.name });
  });

  router.add('PATCH', `${base}/:metadata_id<uuid>`, async (ctx) => {
    const ds = state.dataset(ctx);
    const c = new Checker(await ctx.jsonValue());
    const name = c.str('name', { required: true });
    c.done('MetadataUpdatePayload');
    const field = fieldOf(ds, ctx.params['metadata_id']);
    checkName(ds, name!, field.id);
    field.name = name!;
    ctx.send(200, { id: field.id, type: field.type, name: field.name });
  });

  router.add('DELETE', `${base}/:metadata_id<uuid>`, (ctx) => {
    const ds = state.dataset(ctx);
    const field = fieldOf(ds, ctx.params['metadata_id']);
    ds.metadata = ds.metadata.filter((m) => m !== field);
    for (const d of ds.documents) d.metadata.delete(field.id);
    ctx.sendEmpty(204);
  });

  router.add('GET', `${base}/built-in`, (ctx) => {
    state.dataset(ctx);
    ctx.send(200, { fields: BUILT_IN_FIELDS });
  });

  for (const action of ['enable', 'disable'] as const) {
    router.add('POST', `${base}/built-in/${action}`, (ctx) => {
      const ds = state.dataset(ctx);
      ds.builtInFieldEnabled = action === 'enable';
      ctx.send(200, { result: 'success' });
    });
  }

  router.add('POST', '/datasets/:dataset_id<uuid>/documents/metadata', async (ctx) => {
    const ds = state.dataset(ctx);
    const body = await ctx.json();
    const c = new Checker(body);
    const ops = c.list('operation_data', { required: true });
    ops?.forEach((op, i) => {
      if (!isObject(op)) {
        c.add(['operation_data', i], 'model_type', 'Input should be a valid dictionary or instance of DocumentMetadataOperation', op);
        return;
      }
      const n = c.nested(`operation_data.${i}`, op);
      n.str('document_id', { required: true });
      n.list('metadata_list', { required: true });
      n.bool('partial_update');
    });
    c.done('MetadataOperationData');
    const operations = ops as Record<string, unknown>[];
    const at = nowSec();
    for (const op of operations) {
      const doc = ds.documents.find((d) => d.id === normalizeUuid(String(op['document_id'])));
      if (!doc) throw errors.invalidParam('Document not found.');
      if (op['partial_update'] !== true) doc.metadata.clear();
      for (const item of op['metadata_list'] as unknown[]) {
        if (!isObject(item)) continue;
        const field = ds.metadata.find((m) => m.id === item['id'] || (item['id'] === undefined && m.name === item['name']));
        if (!field) continue;
        const value = item['value'];
        doc.metadata.set(field.id, typeof value === 'string' || typeof value === 'number' ? value : null);
      }
      doc.updatedAt = at;
    }
    ctx.send(200, { result: 'success' });
  });
}
