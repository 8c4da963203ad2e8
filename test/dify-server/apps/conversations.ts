// Messages, feedback, suggestions, conversations and conversation variables (CONTRACT §3.5, §3.6).
import type { RouteContext, Router } from '../router.js';
import { errors } from '../router.js';
import { Validator, isoFormat, pyStr, unix, uuid } from '../pyfmt.js';
import { generatedName } from './answers.js';
import type { Apps } from './context.js';
import { CHAT_MODES, authApp, jsonEndpoint, notChatApp, queryEndpoint, userArg } from './context.js';
import type { AppSpec } from './fixtures.js';
import type { Conversation, ConversationVariable, EndUser, Message } from './state.js';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

function messageItem(m: Message, apps: Apps): Record<string, unknown> {
  const feedback = apps.state.feedbacks.find((f) => f.messageId === m.id && f.endUserId === m.endUserId);
  return {
    id: m.id,
    conversation_id: m.conversationId,
    parent_message_id: NIL_UUID,
    inputs: m.inputs,
    query: m.query,
    answer: m.answer,
    feedback: feedback ? { rating: feedback.rating } : null,
    retriever_resources: m.retrieverResources.map((r) => ({
      id: r.id,
      message_id: m.id,
      position: r.position,
      dataset_id: r.datasetId,
      dataset_name: r.datasetName,
      document_id: r.documentId,
      document_name: r.documentName,
      data_source_type: 'upload_file',
      segment_id: r.segmentId,
      score: r.score,
      hit_count: r.hitCount,
      word_count: r.wordCount,
      segment_position: r.segmentPosition,
      index_node_hash: r.indexNodeHash,
      content: r.content,
      summary: null,
      created_at: unix(m.createdAt),
    })),
    created_at: unix(m.createdAt),
    agent_thoughts: m.agentThoughts.map((t) => ({
      id: t.id,
      chain_id: null,
      message_id: m.id,
      position: t.position,
      thought: t.thought,
      tool: t.tool,
      tool_labels: t.toolLabels,
      tool_input: t.toolInput,
      created_at: unix(t.createdAt),
      observation: t.observation,
      files: t.files,
    })),
    message_files: m.files.map((f) => ({
      id: f.id,
      filename: f.filename,
      type: f.type,
      url: f.url,
      mime_type: f.mimeType,
      size: f.size,
      transfer_method: f.transferMethod,
      belongs_to: f.belongsTo,
      upload_file_id: f.uploadFileId,
    })),
    status: m.status,
    error: m.error,
    extra_contents: [],
  };
}

function conversationItem(c: Conversation): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    inputs: c.inputs,
    status: 'normal',
    introduction: c.introduction,
    created_at: unix(c.createdAt),
    updated_at: unix(c.updatedAt),
  };
}

function variableItem(v: ConversationVariable): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    value_type: v.valueType,
    value: pyStr(v.value),
    description: v.description,
    created_at: unix(v.createdAt),
    updated_at: unix(v.updatedAt),
  };
}

function chatApp(apps: Apps, ctx: RouteContext): { app: AppSpec; endUser: EndUser } {
  const r = queryEndpoint(apps, ctx);
  if (!CHAT_MODES.includes(r.app.mode)) throw notChatApp();
  return r;
}

function conversationOr404(apps: Apps, app: AppSpec, endUser: EndUser, id: string): Conversation {
  const c = apps.state.conversation(app, endUser, id);
  if (!c) throw errors.notFound('Conversation Not Exists.');
  return c;
}

function messagesList(apps: Apps, ctx: RouteContext): void {
  const { app, endUser } = chatApp(apps, ctx);
  const q = Object.fromEntries(ctx.query.entries());
  const v = new Validator('MessageListQuery', q);
  if (q.conversation_id === undefined) v.missing('conversation_id');
  const conversationId = v.uuidOrEmpty('conversation_id');
  const firstId = v.uuidOrEmpty('first_id');
  const limit = v.int('limit', { def: 20, ge: 1, le: 100 });
  v.throwIfAny();
  if (!conversationId) return ctx.send(200, { limit, has_more: false, data: [] });
  const conversation = conversationOr404(apps, app, endUser, conversationId);
  let pool = conversation.messages;
  if (firstId) {
    const first = pool.find((m) => m.id === firstId.toLowerCase());
    if (!first) throw errors.notFound('First Message Not Exists.');
    pool = pool.filter((m) => m.createdAt < first.createdAt && m.id !== first.id);
  }
  const page = pool.slice(Math.max(0, pool.length - limit));
  const hasMore = page.length === limit && pool.length > limit;
  ctx.send(200, { limit, has_more: hasMore, data: page.map((m) => messageItem(m, apps)) });
}

async function feedback(apps: Apps, ctx: RouteContext): Promise<void> {
  const { app, body, endUser } = await jsonEndpoint(apps, ctx, true);
  const v = new Validator('FeedbackPayload', body);
  const rating = v.literal('rating', ['like', 'dislike'] as const, null);
  const content = v.str('content', { nullable: true }) ?? null;
  v.throwIfAny();
  const message = apps.state.messages.get(ctx.params.message_id!.toLowerCase());
  if (!message || message.appId !== app.id || message.endUserId !== endUser.id) throw errors.notFound('Message Not Exists.');
  const { state } = apps;
  const existing = state.feedbacks.find((f) => f.messageId === message.id && f.endUserId === endUser.id);
  if (!rating) {
    if (!existing) throw errors.invalidParam('rating cannot be None when feedback not exists');
    state.feedbacks = state.feedbacks.filter((f) => f !== existing);
  } else if (existing) {
    Object.assign(existing, { rating, content, updatedAt: state.clock.now() });
  } else {
    const now = state.clock.now();
    state.feedbacks.push({
      id: uuid(),
      appId: app.id,
      conversationId: message.conversationId,
      messageId: message.id,
      rating,
      content,
      endUserId: endUser.id,
      createdAt: now,
      updatedAt: now,
    });
  }
  ctx.send(200, { result: 'success' });
}

function conversationsList(apps: Apps, ctx: RouteContext): void {
  const { app, endUser } = chatApp(apps, ctx);
  const q = Object.fromEntries(ctx.query.entries());
  const v = new Validator('ConversationListQuery', q);
  const lastId = v.uuidOrEmpty('last_id');
  const limit = v.int('limit', { def: 20, ge: 1, le: 100 });
  const sortBy = v.literal('sort_by', ['created_at', '-created_at', 'updated_at', '-updated_at'] as const, '-updated_at')!;
  v.throwIfAny();
  const field = sortBy.replace('-', '') as 'created_at' | 'updated_at';
  const key = (c: Conversation): number => (field === 'created_at' ? c.createdAt : c.updatedAt);
  const desc = sortBy.startsWith('-');
  let rows = [...apps.state.conversations.values()]
    .filter((c) => c.appId === app.id && c.endUserId === endUser.id)
    .sort((a, b) => (desc ? key(b) - key(a) : key(a) - key(b)));
  if (lastId) {
    const last = rows.find((c) => c.id === lastId.toLowerCase());
    if (!last) throw errors.notFound('Last Conversation Not Exists.');
    rows = rows.filter((c) => (desc ? key(c) < key(last) : key(c) > key(last)));
  }
  const page = rows.slice(0, limit);
  ctx.send(200, { limit, has_more: rows.length > limit, data: page.map(conversationItem) });
}

async function rename(apps: Apps, ctx: RouteContext): Promise<void> {
  const { app, body, endUser } = await jsonEndpoint(apps, ctx, false);
  if (!CHAT_MODES.includes(app.mode)) throw notChatApp();
  const v = new Validator('ConversationRenamePayload', body);
  const name = v.str('name', { nullable: true });
  const autoGenerate = v.bool('auto_generate', false);
  if (v.issues.length === 0 && !autoGenerate && (!name || !name.trim())) {
    v.issue('', 'Value error, name is required when auto_generate is false', 'value_error', body);
  }
  v.throwIfAny();
  const conversation = conversationOr404(apps, app, endUser, ctx.params.c_id!);
  if (autoGenerate) {
    const first = conversation.messages[0];
    if (!first) throw errors.invalidParam('');
    conversation.name = generatedName(first.query);
  } else {
    conversation.name = name!;
  }
  conversation.updatedAt = apps.state.clock.now();
  ctx.send(200, conversationItem(conversation));
}

const VALUE_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'array[string]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  'array[number]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'number'),
  'array[object]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)),
};

export function registerConversations(router: Router, apps: Apps): void {
  router.add('GET', '/messages', (ctx) => messagesList(apps, ctx));
  router.add('POST', '/messages/:message_id<uuid>/feedbacks', (ctx) => feedback(apps, ctx));

  router.add('GET', '/app/feedbacks', (ctx) => {
    const app = authApp(apps, ctx);
    const v = new Validator('FeedbackListQuery', Object.fromEntries(ctx.query.entries()));
    const page = v.int('page', { def: 1, ge: 1 });
    const limit = v.int('limit', { def: 20, ge: 1, le: 101 });
    v.throwIfAny();
    const rows = apps.state.feedbacks.filter((f) => f.appId === app.id).sort((a, b) => b.createdAt - a.createdAt);
    ctx.send(200, {
      data: rows.slice((page - 1) * limit, page * limit).map((f) => ({
        id: f.id,
        app_id: f.appId,
        conversation_id: f.conversationId,
        message_id: f.messageId,
        rating: f.rating,
        content: f.content,
        from_source: 'user',
        from_end_user_id: f.endUserId,
        from_account_id: null,
        created_at: isoFormat(f.createdAt),
        updated_at: isoFormat(f.updatedAt),
      })),
    });
  });

  router.add('GET', '/messages/:message_id<uuid>/suggested', (ctx) => {
    const app = authApp(apps, ctx);
    const session = userArg(ctx.query.get('user') ?? undefined, true);
    const endUser = apps.state.endUser(app, session);
    if (!CHAT_MODES.includes(app.mode)) throw notChatApp();
    const message = apps.state.messages.get(ctx.params.message_id!.toLowerCase());
    if (!message || message.appId !== app.id || message.endUserId !== endUser.id) throw errors.notFound('Message Not Exists.');
    if (!app.suggestedAfterAnswer) throw errors.badRequest('Suggested Questions Is Disabled.');
    ctx.send(200, { result: 'success', data: message.suggested });
  });

  router.add('GET', '/conversations', (ctx) => conversationsList(apps, ctx));

  router.add('DELETE', '/conversations/:c_id<uuid>', async (ctx) => {
    const { app, endUser } = await jsonEndpoint(apps, ctx, false);
    if (!CHAT_MODES.includes(app.mode)) throw notChatApp();
    const conversation = conversationOr404(apps, app, endUser, ctx.params.c_id!);
    apps.state.conversations.delete(conversation.id);
    for (const m of conversation.messages) apps.state.messages.delete(m.id);
    ctx.sendEmpty(204);
  });

  router.add('POST', '/conversations/:c_id<uuid>/name', (ctx) => rename(apps, ctx));

  router.add('GET', '/conversations/:c_id<uuid>/variables', (ctx) => {
    const { app, endUser } = chatApp(apps, ctx);
    const q = Object.fromEntries(ctx.query.entries());
    const v = new Validator('ConversationVariablesQuery', q);
    const lastId = v.uuidOrEmpty('last_id');
    const limit = v.int('limit', { def: 20, ge: 1, le: 100 });
    const name = q.variable_name;
    if (name !== undefined && !/^[A-Za-z0-9._-]{1,255}$/.test(name)) {
      v.issue('variable_name', "String should match pattern '^[a-zA-Z0-9_.-]+$'", 'string_pattern_mismatch', name);
    }
    v.throwIfAny();
    const conversation = conversationOr404(apps, app, endUser, ctx.params.c_id!);
    let rows = conversation.variables.filter((x) => !name || x.name.toLowerCase().includes(name.toLowerCase()));
    if (lastId) {
      const last = conversation.variables.find((x) => x.id === lastId.toLowerCase());
      if (!last) throw errors.notFound('Conversation Variable Not Exists.');
      rows = rows.filter((x) => x.createdAt > last.createdAt);
    }
    ctx.send(200, { limit, has_more: rows.length > limit, data: rows.slice(0, limit).map(variableItem) });
  });

  router.add('PUT', '/conversations/:c_id<uuid>/variables/:variable_id<uuid>', async (ctx) => {
    const { app, body, endUser } = await jsonEndpoint(apps, ctx, false);
    if (!CHAT_MODES.includes(app.mode)) throw notChatApp();
    const conversation = conversationOr404(apps, app, endUser, ctx.params.c_id!);
    const variable = conversation.variables.find((x) => x.id === ctx.params.variable_id!.toLowerCase());
    if (!variable) throw errors.notFound('Conversation Variable Not Exists.');
    const value = body.value;
    const check = VALUE_TYPES[variable.valueType];
    if (check && !check(value)) {
      throw errors.badRequest(`Type mismatch: variable '${variable.name}' expects ${variable.valueType}, but got ${pyTypeOf(value)} type`);
    }
    variable.value = value;
    variable.updatedAt = apps.state.clock.now();
    ctx.send(200, variableItem(variable));
  });
}

function pyTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}
