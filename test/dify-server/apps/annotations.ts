// Annotations (CONTRACT §3.11): GET/POST /apps/annotations, PUT/DELETE /apps/annotations/:id, and the
// annotation-reply enable/disable jobs. In memory per app, as AppAnnotationService and its Redis job keys behave.
import type { RouteContext, Router } from '../router.js';
import { HttpError, errors } from '../router.js';
import { Validator, unix, uuid } from '../pyfmt.js';
import type { Apps } from './context.js';
import { authApp } from './context.js';
import type { Annotation } from './state.js';

/** annotation_fields: id, question, answer (the content column), hit_count, created_at. */
function annotationDict(a: Annotation): Record<string, unknown> {
  return { id: a.id, question: a.question, answer: a.content, hit_count: a.hitCount, created_at: unix(a.createdAt) };
}

/** `request.args.get(key, default, type=int)`: Python int() of the value, the default when it does not parse. */
function argInt(value: string | null, def: number): number {
  if (value === null || !/^\s*[-+]?\d+(_\d+)*\s*$/.test(value)) return def;
  return Number(value.trim().replace(/_/g, ''));
}

/** AnnotationCreatePayload (question, answer: str, both required). */
function parseAnnotation(body: Record<string, unknown>): { question: string; answer: string } {
  const v = new Validator('AnnotationCreatePayload', body);
  const question = v.str('question', { required: true });
  const answer = v.str('answer', { required: true });
  v.throwIfAny();
  return { question: question!, answer: answer! };
}

function findAnnotation(apps: Apps, appId: string, id: string): Annotation {
  const annotation = apps.state.annotations.get(id.toLowerCase());
  if (!annotation || annotation.appId !== appId) throw errors.notFound('Annotation not found');
  return annotation;
}

/** str(UUID): lower case with dashes, however the path spelled it. */
function canonicalUuid(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function list(apps: Apps, ctx: RouteContext): void {
  const app = authApp(apps, ctx);
  const page = argInt(ctx.query.get('page'), 1);
  const limit = argInt(ctx.query.get('limit'), 20);
  const keyword = (ctx.query.get('keyword') ?? '').toLowerCase();
  // db.paginate(page, per_page=limit, max_per_page=100, error_out=False): out-of-range values are corrected
  // silently, while the response echoes what was asked for.
  let perPage = Math.min(limit, 100);
  if (perPage < 1) perPage = 20;
  const effectivePage = page < 1 ? 1 : page;
  const rows = [...apps.state.annotations.values()]
    .filter((a) => a.appId === app.id)
    .filter((a) => !keyword || a.question.toLowerCase().includes(keyword) || a.content.toLowerCase().includes(keyword))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  const items = rows.slice((effectivePage - 1) * perPage, effectivePage * perPage);
  ctx.send(200, { data: items.map(annotationDict), has_more: items.length === limit, limit, total: rows.length, page });
}

async function replyAction(apps: Apps, ctx: RouteContext): Promise<void> {
  const app = authApp(apps, ctx);
  const body = await ctx.json();
  const v = new Validator('AnnotationReplyActionPayload', body);
  v.float('score_threshold');
  v.str('embedding_provider_name', { required: true });
  v.str('embedding_model_name', { required: true });
  v.throwIfAny();
  const action = ctx.params.action!;
  // Any other action leaves `result` unbound in the controller: an UnboundLocalError, so the catch-all 500.
  if (action !== 'enable' && action !== 'disable') throw new HttpError(500, 'unknown', 'Internal Server Error');
  const id = uuid();
  // The Celery task that builds (or drops) the annotation index finishes at once here.
  apps.state.annotationJobs.set(`${action}_${id}`, { id, appId: app.id, action, status: 'completed' });
  ctx.send(200, { job_id: id, job_status: 'waiting' });
}

export function registerAnnotations(router: Router, apps: Apps): void {
  router.add('GET', '/apps/annotations', (ctx) => list(apps, ctx));

  router.add('POST', '/apps/annotations', async (ctx) => {
    const app = authApp(apps, ctx);
    const { question, answer } = parseAnnotation(await ctx.json());
    const annotation: Annotation = { id: uuid(), appId: app.id, question, content: answer, hitCount: 0, createdAt: apps.state.clock.now() };
    apps.state.annotations.set(annotation.id, annotation);
    ctx.send(201, annotationDict(annotation));
  });

  router.add('PUT', '/apps/annotations/:annotation_id<uuid>', async (ctx) => {
    const app = authApp(apps, ctx);
    const { question, answer } = parseAnnotation(await ctx.json());
    const annotation = findAnnotation(apps, app.id, canonicalUuid(ctx.params.annotation_id!));
    Object.assign(annotation, { question, content: answer });
    ctx.send(200, annotationDict(annotation));
  });

  router.add('DELETE', '/apps/annotations/:annotation_id<uuid>', (ctx) => {
    const app = authApp(apps, ctx);
    const annotation = findAnnotation(apps, app.id, canonicalUuid(ctx.params.annotation_id!));
    apps.state.annotations.delete(annotation.id);
    ctx.sendEmpty(204);
  });

  router.add('POST', '/apps/annotation-reply/:action', (ctx) => replyAction(apps, ctx));

  router.add('GET', '/apps/annotation-reply/:action/status/:job_id<uuid>', (ctx) => {
    authApp(apps, ctx);
    const jobId = canonicalUuid(ctx.params.job_id!);
    // The Redis key names the action and the job, not the app.
    const job = apps.state.annotationJobs.get(`${ctx.params.action!}_${jobId}`);
    if (!job) throw errors.invalidParam('The job does not exist.');
    ctx.send(200, { job_id: jobId, job_status: job.status, error_msg: '' });
  });
}
