// Segments (chunks) and child chunks (CONTRACT.md §3.13 "Segments").
import { errors } from '../router.js';
import type { Router, RouteContext } from '../router.js';
import { childChunkJson, segmentJson } from './serialize.js';
import type { KnowledgeState } from './state.js';
import { intArg, isObject, normalizeUuid, paginate } from './state.js';
import { ACCOUNT, makeChildChunk, makeSegment, nowSec } from './store.js';
import type { Dataset, Doc, Segment } from './store.js';
import { Checker, extractKeywords, textHash } from './text.js';
import { segmentPayloadError } from './segment-payload.js';
import { since115 } from '../version.js';
import type { DifyVersion } from '../version.js';

/** DATASET_MAX_SEGMENTS_PER_REQUEST; 0 means unlimited (the self-hosted default). */
const MAX_SEGMENTS_PER_REQUEST = 0;

function segmentArgsValidate(args: Record<string, unknown>, doc: Doc): void {
  if (doc.docForm === 'qa_model') {
    const answer = args['answer'];
    if (!answer) throw errors.invalidParam('Answer is required');
    if (typeof answer === 'string' && !answer.trim()) throw errors.invalidParam('Answer is empty');
  }
  const content = args['content'];
  if (!content || typeof content !== 'string' || !content.trim()) throw errors.invalidParam('Content is empty');
  const attachments = args['attachment_ids'];
  if (Array.isArray(attachments) && attachments.length > 10) throw errors.invalidParam('Too many attachments. Maximum is 10.');
}

function keywordsOf(raw: unknown): string[] | null {
  return Array.isArray(raw) ? raw.map(String) : null;
}

export function registerSegments(router: Router, state: KnowledgeState, version: DifyVersion): void {
  const base = '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>/segments';

  const load = (ctx: RouteContext): { ds: Dataset; doc: Doc } => {
    const ds = state.dataset(ctx);
    const doc = state.document(ds, ctx.params['document_id']);
    state.indexer.progress(doc); // materialises segments once indexing has finished
    return { ds, doc };
  };
  const segmentOf = (doc: Doc, id: string | undefined): Segment => {
    const s = doc.segments?.find((x) => x.id === normalizeUuid(id ?? ''));
    if (!s) throw errors.notFound('Segment not found.');
    return s;
  };

  router.add('POST', base, async (ctx) => {
    const { doc } = load(ctx);
    if (state.indexer.status(doc) !== 'completed') throw errors.notFound('Document is not completed.');
    if (!doc.enabled) throw errors.notFound('Document is disabled.');
    const body = await ctx.json();
    const segments = body['segments'];
    const error = since115(version) ? segmentPayloadError(body) : undefined;
    if (error !== undefined) {
      ctx.send(400, { error });
      return;
    }
    if (segments === undefined || segments === null) {
      ctx.send(400, { error: 'Segments is required' });
      return;
    }
    const c = new Checker(body);
    const list = c.list('segments');
    list?.forEach((item, i) => {
      if (!isObject(item)) c.add(['segments', i], 'dict_type', 'Input should be a valid dictionary', item);
    });
    c.done('SegmentCreatePayload');
    const items = list as Record<string, unknown>[];
    if (MAX_SEGMENTS_PER_REQUEST > 0 && items.length > MAX_SEGMENTS_PER_REQUEST) {
      throw errors.invalidParam(`Exceeded maximum segments limit of ${MAX_SEGMENTS_PER_REQUEST}.`);
    }
    for (const item of items) segmentArgsValidate(item, doc);
    const at = nowSec();
    const segs = doc.segments!;
    const created = items.map((item) => {
      const position = segs.reduce((m, s) => Math.max(m, s.position), 0) + 1;
      const answer = doc.docForm === 'qa_model' ? String(item['answer']) : null;
      const s = makeSegment(doc, position, String(item['content']), answer, keywordsOf(item['keywords']), at);
      segs.push(s);
      return s;
    });
    doc.updatedAt = at;
    ctx.send(200, { data: created.map(segmentJson), doc_form: doc.docForm });
  });

  router.add('GET', base, (ctx) => {
    const { doc } = load(ctx);
    const page = intArg(ctx, 'page', 1);
    const limit = intArg(ctx, 'limit', 20);
    const statuses = ctx.query.getAll('status').filter((s) => s);
    const keyword = ctx.query.get('keyword');
    const all = (doc.segments ?? [])
      .filter(() => statuses.length === 0 || statuses.includes('completed'))
      .filter((s) => !keyword || s.content.toLowerCase().includes(keyword.toLowerCase()))
      .sort((a, b) => a.position - b.position);
    const data = paginate(all, page, limit).map(segmentJson);
    ctx.send(200, { data, doc_form: doc.docForm, total: all.length, has_more: data.length === limit, limit, page });
  });

  router.add('GET', `${base}/:segment_id<uuid>`, (ctx) => {
    const { doc } = load(ctx);
    ctx.send(200, { data: segmentJson(segmentOf(doc, ctx.params['segment_id'])), doc_form: doc.docForm });
  });

  router.add('POST', `${base}/:segment_id<uuid>`, async (ctx) => {
    const { doc } = load(ctx);
    const s = segmentOf(doc, ctx.params['segment_id']);
    const body = await ctx.json();
    const c = new Checker(body);
    const args = c.object('segment', { required: true });
    if (args) {
      const n = c.nested('segment', args);
      n.str('content', { nullable: true });
      n.str('answer', { nullable: true });
      n.list('keywords', { nullable: true });
      if (args['enabled'] !== null) n.bool('enabled');
      if (args['regenerate_child_chunks'] !== null) n.bool('regenerate_child_chunks');
      n.list('attachment_ids', { nullable: true });
      n.str('summary', { nullable: true });
    }
    c.done('SegmentUpdatePayload');
    const a = args!;
    const at = nowSec();
    const enabled = typeof a['enabled'] === 'boolean' ? a['enabled'] : undefined;
    if (enabled === false && s.enabled) {
      Object.assign(s, { enabled: false, disabledAt: at, disabledBy: ACCOUNT.id, updatedAt: at, updatedBy: ACCOUNT.id });
      ctx.send(200, { data: segmentJson(s), doc_form: doc.docForm });
      return;
    }
    if (!s.enabled && enabled !== true) throw errors.invalidParam("Can't update disabled segment");
    const content = typeof a['content'] === 'string' && a['content'] ? a['content'] : s.content;
    if (content !== s.content) {
      s.content = content;
      s.indexNodeHash = textHash(content);
      if (!Array.isArray(a['keywords'])) s.keywords = extractKeywords(content);
      if (a['regenerate_child_chunks'] === true && s.childChunks.length > 0) {
        s.childChunks = content
          .split('\n')
          .map((p) => p.trim())
          .filter((p) => p)
          .map((p, i) => makeChildChunk(s, i + 1, p, 'automatic', at));
      }
    }
    if (doc.docForm === 'qa_model' && typeof a['answer'] === 'string') s.answer = a['answer'];
    const kw = keywordsOf(a['keywords']);
    if (kw) s.keywords = kw;
    Object.assign(s, { enabled: true, disabledAt: null, disabledBy: null, updatedAt: at, updatedBy: ACCOUNT.id });
    ctx.send(200, { data: segmentJson(s), doc_form: doc.docForm });
  });

  router.add('DELETE', `${base}/:segment_id<uuid>`, (ctx) => {
    const { doc } = load(ctx);
    const s = segmentOf(doc, ctx.params['segment_id']);
    doc.segments = doc.segments!.filter((x) => x !== s);
    ctx.sendEmpty(204);
  });

  // ---- child chunks
  const chunks = `${base}/:segment_id<uuid>/child_chunks`;
  const contentOf = async (ctx: RouteContext, model: string): Promise<string> => {
    const c = new Checker(await ctx.jsonValue());
    const content = c.str('content', { required: true });
    c.done(model);
    if (!content!.trim()) throw errors.invalidParam('Content is empty');
    return content!;
  };

  router.add('POST', chunks, async (ctx) => {
    const { doc } = load(ctx);
    const s = segmentOf(doc, ctx.params['segment_id']);
    const content = await contentOf(ctx, 'ChildChunkCreatePayload');
    const position = s.childChunks.reduce((m, x) => Math.max(m, x.position), 0) + 1;
    const chunk = makeChildChunk(s, position, content, 'customized', nowSec());
    s.childChunks.push(chunk);
    ctx.send(200, { data: childChunkJson(chunk) });
  });

  router.add('GET', chunks, (ctx) => {
    const { doc } = load(ctx);
    const s = segmentOf(doc, ctx.params['segment_id']);
    const query: Record<string, unknown> = Object.fromEntries(ctx.query.entries());
    const c = new Checker(query);
    const page = intArg(ctx, 'page', 1);
    const limit = intArg(ctx, 'limit', 20);
    if (page < 1) c.add(['page'], 'greater_than_equal', 'Input should be greater than or equal to 1', query['page']);
    if (limit < 1) c.add(['limit'], 'greater_than_equal', 'Input should be greater than or equal to 1', query['limit']);
    c.done('ChildChunkListQuery');
    const keyword = ctx.query.get('keyword');
    const all = s.childChunks
      .filter((x) => !keyword || x.content.toLowerCase().includes(keyword.toLowerCase()))
      .sort((a, b) => a.position - b.position);
    const perPage = Math.min(limit, 100);
    ctx.send(200, {
      data: paginate(all, page, perPage).map(childChunkJson),
      total: all.length,
      total_pages: Math.ceil(all.length / perPage),
      page,
      limit: perPage,
    });
  });

  const chunkOf = (ctx: RouteContext) => {
    const { doc } = load(ctx);
    const s = segmentOf(doc, ctx.params['segment_id']);
    const chunk = s.childChunks.find((x) => x.id === normalizeUuid(ctx.params['child_chunk_id'] ?? ''));
    if (!chunk) throw errors.notFound('Child chunk not found.');
    return { s, chunk };
  };

  router.add('PATCH', `${chunks}/:child_chunk_id<uuid>`, async (ctx) => {
    const { chunk } = chunkOf(ctx);
    const content = await contentOf(ctx, 'ChildChunkUpdatePayload');
    Object.assign(chunk, { content, updatedAt: nowSec() });
    ctx.send(200, { data: childChunkJson(chunk) });
  });

  router.add('DELETE', `${chunks}/:child_chunk_id<uuid>`, (ctx) => {
    const { s, chunk } = chunkOf(ctx);
    s.childChunks = s.childChunks.filter((x) => x !== chunk);
    ctx.sendEmpty(204);
  });
}
