// Documents: create/update by text or file, list, detail, delete, status actions, indexing status, downloads.
import { randomUUID, randomBytes } from 'node:crypto';
import { since114 } from '../version.js';
import type { DifyVersion } from '../version.js';
import { HttpError, drain, errors } from '../router.js';
import type { Router, RouteContext } from '../router.js';
import { documentDetailJson, documentJson, indexingStatusJson } from './serialize.js';
import type { KnowledgeState } from './state.js';
import { intArg, normalizeUuid, paginate } from './state.js';
import { ACCOUNT, AUTOMATIC_RULES, DOC_EXTENSIONS, MIME_TYPES, displayStatus, extensionOf, newBatch, nowSec } from './store.js';
import type { Dataset, Doc, ProcessRule } from './store.js';
import { Checker } from './text.js';
import { readConfig } from './config.js';
import type { DocConfig } from './config.js';
import { DOCUMENT_SIZE_LIMIT, extractText, parseData, readUpload, storedZip } from './files.js';

export function registerDocuments(router: Router, state: KnowledgeState, version: DifyVersion): void {
  const stepNow = () => Date.now();

  /** Auth and dataset checks before an upload is read; on failure the body is drained so the client sees the error. */
  const datasetOrDrain = async (ctx: RouteContext): Promise<Dataset> => {
    try {
      return state.dataset(ctx);
    } catch (e) {
      await drain(ctx.req).catch(() => undefined);
      throw e;
    }
  };

  const resolveRule = (ds: Dataset, cfg: DocConfig): ProcessRule => {
    const latest = cfg.hasProcessRuleKey ? undefined : state.latestRule(ds);
    if (!cfg.originalDocumentId && !latest && !cfg.processRule) throw errors.invalidParam('process_rule is required.');
    if (cfg.processRule) {
      const rule: ProcessRule = {
        id: randomUUID(),
        datasetId: ds.id,
        mode: cfg.processRule.mode,
        rules: cfg.processRule.mode === 'automatic' ? structuredClone(AUTOMATIC_RULES) : cfg.processRule.rules,
        createdAt: nowSec(),
      };
      state.processRules.set(rule.id, rule);
      return rule;
    }
    return latest ?? state.latestRule(ds)!;
  };

  const applyTechnique = (ds: Dataset, cfg: DocConfig) => {
    if (!ds.indexingTechnique && !cfg.technique) throw errors.invalidParam('indexing_technique is required.');
    if (!ds.indexingTechnique && cfg.technique) {
      ds.indexingTechnique = cfg.technique;
      if (cfg.technique === 'high_quality') {
        ds.embeddingModel ??= 'text-embedding-3-small';
        ds.embeddingModelProvider ??= 'langgenius/openai/openai';
      }
    }
  };

  const newDoc = (ds: Dataset, name: string, text: string, size: number, rule: ProcessRule, cfg: DocConfig): Doc => {
    const at = nowSec();
    const ext = extensionOf(name);
    const doc: Doc = {
      id: randomUUID(),
      datasetId: ds.id,
      position: ds.documents.reduce((m, d) => Math.max(m, d.position), 0) + 1,
      name,
      batch: newBatch(),
      createdAt: at,
      updatedAt: at,
      startedMs: stepNow(),
      frozen: null,
      failure: failureFor(name),
      upload: { id: randomUUID(), name, size, extension: ext, mimeType: MIME_TYPES[ext] ?? 'text/plain', createdAt: at },
      processRule: rule,
      text,
      enabled: true,
      disabledAt: null,
      disabledBy: null,
      archived: false,
      docForm: cfg.docForm ?? 'text_model',
      docLanguage: cfg.docLanguage ?? 'English',
      docType: null,
      metadata: new Map(),
      segments: null,
      tokens: null,
    };
    ds.documents.push(doc);
    ds.dataSourceType ??= 'upload_file';
    ds.updatedAt = at;
    return doc;
  };

  const reindex = (doc: Doc, text: string | undefined, rule: ProcessRule | undefined) => {
    if (text !== undefined) doc.text = text;
    if (rule) doc.processRule = rule;
    doc.startedMs = stepNow();
    doc.failure = failureFor(doc.name);
    doc.segments = null;
    doc.plan = undefined;
    doc.tokens = null;
    delete doc.seedHits;
  };

  const mustBeAvailable = (doc: Doc) => {
    if (displayStatus(doc, state.indexer.status(doc)) !== 'available') throw errors.invalidParam('Document is not available');
  };

  // ---- create by text
  const createByText = async (ctx: RouteContext) => {
    const ds = state.dataset(ctx);
    const body = await ctx.json();
    if (ds.provider === 'external') throw errors.invalidParam('External datasets are not supported.');
    let name: string | undefined;
    let text: string | undefined;
    const cfg = readConfig(body, 'DocumentTextCreatePayload', (c) => {
      name = c.str('name', { required: true });
      text = c.str('text', { required: true });
    });
    applyTechnique(ds, cfg);
    const rule = resolveRule(ds, cfg);
    const doc = newDoc(ds, name!, text!, Buffer.byteLength(text!), rule, cfg);
    ctx.send(200, { document: documentJson(state, ds, doc), batch: doc.batch });
  };
  router.add('POST', '/datasets/:dataset_id<uuid>/document/create-by-text', createByText);
  router.add('POST', '/datasets/:dataset_id<uuid>/document/create_by_text', createByText);

  // ---- create by file
  const createByFile = async (ctx: RouteContext) => {
    const ds = await datasetOrDrain(ctx);
    const { fields, files } = await readUpload(ctx);
    if (ds.provider === 'external') throw errors.invalidParam('External datasets are not supported.');
    const data = parseData(fields['data']);
    if (!ds.indexingTechnique && !data['indexing_technique']) throw errors.invalidParam('indexing_technique is required.');
    const file = files.get('file');
    if (!file) throw new HttpError(400, 'no_file_uploaded', 'Please upload your file.');
    if (files.size > 1) throw new HttpError(400, 'too_many_files', 'Only one file is allowed.');
    if (!file.filename) throw new HttpError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
    if (/[/\\]/.test(file.filename)) throw errors.invalidParam('Filename contains invalid characters');
    // FileService's UnsupportedFileTypeError / FileTooLargeError are message-less ValueErrors, uncaught here.
    if (!DOC_EXTENSIONS.includes(extensionOf(file.filename)) || file.size > DOCUMENT_SIZE_LIMIT) throw errors.invalidParam('');
    const cfg = readConfig(data, 'KnowledgeConfig');
    applyTechnique(ds, cfg);
    const rule = resolveRule(ds, cfg);
    const name = file.filename.slice(0, 200);
    const doc = newDoc(ds, name, extractText(file, name), file.size, rule, cfg);
    doc.upload.mimeType = file.mimeType || doc.upload.mimeType;
    ctx.send(200, { document: documentJson(state, ds, doc), batch: doc.batch });
  };
  router.add('POST', '/datasets/:dataset_id<uuid>/document/create-by-file', createByFile);
  router.add('POST', '/datasets/:dataset_id<uuid>/document/create_by_file', createByFile);

  // ---- update by text
  const updateByText = async (ctx: RouteContext) => {
    const ds = state.dataset(ctx);
    const body = await ctx.json();
    let name: string | undefined;
    let text: string | undefined;
    const cfg = readConfig(body, 'DocumentTextUpdate', (c) => {
      name = c.str('name', { nullable: true });
      text = c.str('text', { nullable: true });
    });
    if (ds.provider === 'external') throw errors.invalidParam('External datasets are not supported.');
    if (text !== undefined && name === undefined) throw errors.invalidParam('Both text and name must be strings.');
    const doc = state.document(ds, ctx.params['document_id']);
    mustBeAvailable(doc);
    const rule = cfg.processRule ? resolveRule(ds, cfg) : undefined;
    if (name !== undefined) doc.name = name;
    if (text !== undefined) {
      doc.upload = { ...doc.upload, id: randomUUID(), name: name!, size: Buffer.byteLength(text), createdAt: nowSec() };
    }
    if (cfg.docForm) doc.docForm = cfg.docForm;
    if (cfg.docLanguage) doc.docLanguage = cfg.docLanguage;
    doc.updatedAt = nowSec();
    if (text !== undefined || rule) reindex(doc, text, rule);
    ctx.send(200, { document: documentJson(state, ds, doc), batch: doc.batch });
  };
  router.add('POST', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>/update-by-text', updateByText);
  router.add('POST', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>/update_by_text', updateByText);

  // ---- update by file
  const updateByFile = async (ctx: RouteContext) => {
    const ds = await datasetOrDrain(ctx);
    const { fields, files } = await readUpload(ctx);
    const data = parseData(fields['data']);
    if (ds.provider === 'external') throw errors.invalidParam('External datasets are not supported.');
    const file = files.get('file');
    if (file) {
      if (files.size > 1) throw new HttpError(400, 'too_many_files', 'Only one file is allowed.');
      if (!file.filename) throw new HttpError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
      if (/[/\\]/.test(file.filename)) throw errors.invalidParam('Filename contains invalid characters');
      if (!DOC_EXTENSIONS.includes(extensionOf(file.filename))) throw new HttpError(415, 'unsupported_file_type', 'File type not allowed.');
      if (file.size > DOCUMENT_SIZE_LIMIT) throw new HttpError(413, 'file_too_large', 'File size exceeded. {message}');
    }
    const cfg = readConfig(data, 'KnowledgeConfig');
    const doc = state.document(ds, ctx.params['document_id']);
    mustBeAvailable(doc);
    const rule = cfg.processRule ? resolveRule(ds, cfg) : undefined;
    if (cfg.docForm) doc.docForm = cfg.docForm;
    if (cfg.docLanguage) doc.docLanguage = cfg.docLanguage;
    doc.updatedAt = nowSec();
    if (file) {
      const name = file.filename!.slice(0, 200);
      const ext = extensionOf(name);
      doc.name = name;
      doc.upload = { id: randomUUID(), name, size: file.size, extension: ext, mimeType: file.mimeType || (MIME_TYPES[ext] ?? 'text/plain'), createdAt: nowSec() };
      reindex(doc, extractText(file, name), rule);
    } else if (rule) {
      reindex(doc, undefined, rule);
    }
    ctx.send(200, { document: documentJson(state, ds, doc), batch: doc.batch });
  };
  router.add('POST', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>/update-by-file', updateByFile);
  router.add('POST', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>/update_by_file', updateByFile);
  // 1.14+: PATCH on the document itself is an alias of update-by-file (CONSOLE §11 item 8).
  if (since114(version)) router.add('PATCH', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>', updateByFile);

  // ---- list
  router.add('GET', '/datasets/:dataset_id<uuid>/documents', (ctx) => {
    const ds = state.dataset(ctx);
    const page = intArg(ctx, 'page', 1);
    const limit = intArg(ctx, 'limit', 20);
    const keyword = ctx.query.get('keyword');
    let status = ctx.query.get('status');
    if (status === 'active' || status === 'enabled') status = 'available';
    const known = ['queuing', 'indexing', 'paused', 'error', 'available', 'disabled', 'archived'];
    const all = ds.documents
      .filter((d) => !keyword || d.name.toLowerCase().includes(keyword.toLowerCase()))
      .filter((d) => !status || !known.includes(status) || displayStatus(d, state.indexer.status(d)) === status)
      .sort((a, b) => b.createdAt - a.createdAt || b.position - a.position);
    const data = paginate(all, page, limit).map((d) => documentJson(state, ds, d));
    ctx.send(200, { data, has_more: data.length === limit, limit, total: all.length, page });
  });

  // ---- indexing status
  router.add('GET', '/datasets/:dataset_id<uuid>/documents/:batch/indexing-status', (ctx) => {
    const ds = state.dataset(ctx);
    const docs = ds.documents.filter((d) => d.batch === ctx.params['batch']);
    if (docs.length === 0) throw errors.notFound('Documents not found.');
    ctx.send(200, { data: docs.map((d) => indexingStatusJson(state, d)) });
  });

  // ---- detail
  router.add('GET', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>', (ctx) => {
    const ds = state.dataset(ctx);
    const doc = state.document(ds, ctx.params['document_id']);
    const metadata = ctx.query.get('metadata') ?? 'all';
    if (metadata !== 'all' && metadata !== 'only' && metadata !== 'without') {
      throw new HttpError(400, 'invalid_metadata', `Invalid metadata value: ${metadata}`);
    }
    ctx.send(200, documentDetailJson(state, ds, doc, metadata));
  });

  // ---- delete
  router.add('DELETE', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>', (ctx) => {
    const ds = state.dataset(ctx);
    const doc = state.document(ds, ctx.params['document_id'], 'Document Not Exists.');
    if (doc.archived) throw new HttpError(403, 'archived_document_immutable', 'The archived document is not editable.');
    if (isIndexing(state.indexer.status(doc))) throw new HttpError(400, 'document_indexing', 'Cannot delete document during indexing.');
    ds.documents = ds.documents.filter((d) => d !== doc);
    ctx.sendEmpty(204);
  });

  // ---- status actions
  router.add('PATCH', '/datasets/:dataset_id<uuid>/documents/status/:action', async (ctx) => {
    const ds = state.dataset(ctx);
    const body = await ctx.json();
    const action = ctx.params['action']!;
    if (!['enable', 'disable', 'archive', 'un_archive'].includes(action)) throw new HttpError(400, 'invalid_action', `Invalid action: ${action}`);
    const ids = Array.isArray(body['document_ids']) ? body['document_ids'].map(String) : [];
    const docs = ids.map((id) => ds.documents.find((d) => d.id === normalizeUuid(id))).filter((d): d is Doc => d !== undefined);
    for (const doc of docs) {
      const status = state.indexer.status(doc);
      if (isIndexing(status)) {
        throw new HttpError(400, 'invalid_action', `Document: ${doc.name} is being indexed, please try again later`);
      }
      if (action === 'disable' && status !== 'completed') throw new HttpError(400, 'invalid_action', `Document: ${doc.name} is not completed.`);
    }
    const at = nowSec();
    for (const doc of docs) {
      if (action === 'enable' && !doc.enabled) Object.assign(doc, { enabled: true, disabledAt: null, disabledBy: null, updatedAt: at });
      if (action === 'disable' && doc.enabled) Object.assign(doc, { enabled: false, disabledAt: at, disabledBy: ACCOUNT.id, updatedAt: at });
      if (action === 'archive' && !doc.archived) Object.assign(doc, { archived: true, updatedAt: at });
      if (action === 'un_archive' && doc.archived) Object.assign(doc, { archived: false, updatedAt: at });
    }
    ctx.send(200, { result: 'success' });
  });

  // ---- downloads
  router.add('GET', '/datasets/:dataset_id<uuid>/documents/:document_id<uuid>/download', (ctx) => {
    const ds = state.dataset(ctx);
    const doc = state.document(ds, ctx.params['document_id']);
    const timestamp = nowSec();
    const nonce = randomBytes(16).toString('hex');
    const sign = randomBytes(32).toString('base64url');
    const host = ctx.req.headers.host ?? 'localhost';
    ctx.send(200, {
      url: `http://${host}/files/${doc.upload.id}/file-preview?timestamp=${timestamp}&nonce=${nonce}&sign=${sign}&as_attachment=true`,
    });
  });

  router.add('POST', '/datasets/:dataset_id<uuid>/documents/download-zip', async (ctx) => {
    const ds = state.dataset(ctx);
    const body = await ctx.json();
    const c = new Checker(body);
    const ids = c.list('document_ids', { required: true });
    if (ids && ids.length === 0) c.add(['document_ids'], 'too_short', 'List should have at least 1 item after validation, not 0', ids);
    if (ids && ids.length > 100) c.add(['document_ids'], 'too_long', `List should have at most 100 items after validation, not ${ids.length}`, ids);
    c.done('DocumentBatchDownloadZipPayload');
    const docs = ids!.map((id) => ds.documents.find((d) => d.id === normalizeUuid(String(id))));
    if (docs.some((d) => !d)) throw errors.notFound('Document not found.');
    const zip = storedZip(docs.map((d) => ({ name: d!.name, data: Buffer.from(d!.text, 'utf8') })));
    ctx.res.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Length': zip.length,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(ds.name)}.zip`,
    });
    ctx.res.end(zip);
    ctx.record.status = 200;
  });
}


function failureFor(name: string): string | null {
  return name.toLowerCase().includes('fail') ? `Failed to parse document '${name}': the file content could not be extracted.` : null;
}

function isIndexing(status: string): boolean {
  return status === 'parsing' || status === 'cleaning' || status === 'splitting' || status === 'indexing';
}

