// POST /chat-messages, /completion-messages and the stop endpoints (CONTRACT §3.2–3.4, §4, §5).
import type { RouteContext, Router } from '../router.js';
import { errors } from '../router.js';
import { Validator, stableUuid, unix, uuid } from '../pyfmt.js';
import { pyJson } from '../wire.js';
import { answerDeltas, generatedName, provisionalName, suggestedQuestions, tokenCount } from './answers.js';
import type { Apps, Sink } from './context.js';
import {
  BlockingSink,
  CHAT_MODES,
  appUnavailable,
  elapsedSince,
  enterRateLimit,
  jsonEndpoint,
  notChatApp,
  notWorkflowApp,
  openStream,
  usageBlock,
} from './context.js';
import type { AppSpec } from './fixtures.js';
import { endFileDict, prepareFiles, prepareInputs } from './inputs.js';
import type { Conversation, EndUser, Message, MessageFile, RetrieverResource, Task } from './state.js';
import { produceAgent } from './agent.js';
import { agentModePayload } from './agent-mode.js';
import { runAdvancedChat } from './chatflow.js';
import { TtsAutoPlay, moderatedAnswer } from './features.js';

export interface ChatPayload {
  inputs: Record<string, unknown>;
  query: string;
  files: unknown;
  streaming: boolean;
  /** response_mode as sent (null when omitted). */
  responseMode: 'blocking' | 'streaming' | null;
  conversationId: string;
  retrieverFrom: string;
  autoGenerateName: boolean;
  workflowId: string | null;
}

/** ChatRequestPayload / CompletionRequestPayload validation (pydantic; 400 invalid_param). */
export function parsePayload(body: Record<string, unknown>, model: 'ChatRequestPayload' | 'CompletionRequestPayload'): ChatPayload {
  const v = new Validator(model, body);
  const inputs = v.dict('inputs', { required: true });
  const query = model === 'ChatRequestPayload' ? v.str('query', { required: true }) : v.str('query', { def: '' });
  if (body.files !== undefined && body.files !== null && !Array.isArray(body.files)) {
    v.issue('files', 'Input should be a valid list', 'list_type', body.files);
  }
  const mode = v.literal('response_mode', ['blocking', 'streaming'] as const, null);
  let conversationId = '';
  if (model === 'ChatRequestPayload') {
    const c = body.conversation_id;
    if (typeof c === 'string' && c.trim() !== '') conversationId = v.uuidOrEmpty('conversation_id') ?? '';
    else if (c !== undefined && c !== null && typeof c !== 'string') v.issue('conversation_id', 'Input should be a valid string', 'string_type', c);
  }
  const retrieverFrom = v.str('retriever_from', { def: 'dev' }) ?? 'dev';
  const autoGenerateName = model === 'ChatRequestPayload' ? v.bool('auto_generate_name', true) : true;
  const workflowId = model === 'ChatRequestPayload' ? (v.str('workflow_id', { nullable: true }) ?? null) : null;
  v.throwIfAny();
  return {
    inputs: inputs!,
    query: (query ?? '').replace(/\0/g, ''),
    files: body.files,
    streaming: mode === 'streaming',
    responseMode: mode,
    conversationId,
    retrieverFrom,
    autoGenerateName,
    workflowId,
  };
}

/** The conversation named by the request (404 when not this app's and this user's), or undefined for a new one. */
export function findConversation(apps: Apps, app: AppSpec, endUser: EndUser, id: string): Conversation | undefined {
  if (!id) return undefined;
  const c = apps.state.conversation(app, endUser, id);
  if (!c) throw errors.notFound('Conversation Not Exists.');
  return c;
}

function renderIntroduction(app: AppSpec, inputs: Record<string, unknown>): string {
  return (app.openingStatement ?? '').replace(/\{\{\s*([\w.]+)\s*\}\}/g, (m, name: string) =>
    inputs[name] === undefined || inputs[name] === null ? m : String(inputs[name]),
  );
}

/** `_init_generate_records`: the conversation (new or existing) and the message row, answer still empty. */
export function initRecords(
  apps: Apps,
  app: AppSpec,
  endUser: EndUser,
  existing: Conversation | undefined,
  payload: ChatPayload,
  inputs: Record<string, unknown>,
  files: MessageFile[],
): { conversation: Conversation; message: Message } {
  const { state } = apps;
  const now = state.clock.now();
  let conversation = existing;
  if (!conversation) {
    conversation = {
      id: uuid(),
      appId: app.id,
      mode: app.mode,
      endUserId: endUser.id,
      name: provisionalName(payload.query),
      inputs,
      introduction: renderIntroduction(app, inputs),
      createdAt: now,
      updatedAt: now,
      messages: [],
      variables: app.mode === 'advanced-chat' ? seedVariables(now) : [],
      firstQuery: payload.autoGenerateName ? payload.query : '',
    };
    state.conversations.set(conversation.id, conversation);
  } else {
    conversation.updatedAt = now;
  }
  const message: Message = {
    id: uuid(),
    appId: app.id,
    conversationId: conversation.id,
    endUserId: endUser.id,
    inputs,
    query: payload.query,
    answer: '',
    createdAt: now,
    retrieverResources: [],
    agentThoughts: [],
    files,
    status: 'normal',
    error: null,
    suggested: [],
  };
  for (const f of files) if (f.uploadFileId) state.files.get(f.uploadFileId)?.attachedTo.add(app.id);
  conversation.messages.push(message);
  state.messages.set(message.id, message);
  return { conversation, message };
}

/** Conversation variables of the chatflow (value types string, number, object, array[string]). */
function seedVariables(now: number): Conversation['variables'] {
  const at = (i: number): number => now + i * 0.001;
  return [
    { id: uuid(), name: 'topic', valueType: 'string', value: '', description: 'What the chat is about', createdAt: at(0), updatedAt: at(0) },
    { id: uuid(), name: 'turn_count', valueType: 'number', value: 0, description: 'Turns so far', createdAt: at(1), updatedAt: at(1) },
    { id: uuid(), name: 'profile', valueType: 'object', value: { name: 'Ada', lang: '中文' }, description: '', createdAt: at(2), updatedAt: at(2) },
    { id: uuid(), name: 'tags', valueType: 'array[string]', value: ['dify', 'vscode'], description: '', createdAt: at(3), updatedAt: at(3) },
  ];
}

/** After the answer: auto-generated name, suggestions. */
export function completeRecords(conversation: Conversation, message: Message): void {
  if (conversation.firstQuery && conversation.messages[0] === message) conversation.name = generatedName(conversation.firstQuery);
  message.suggested = suggestedQuestions(message.query);
}

function retrieverResources(app: AppSpec, message: Message, retrieverFrom: string): RetrieverResource[] {
  if (!app.retrieverResource) return [];
  const doc = (n: number): RetrieverResource => ({
    id: uuid(),
    position: n,
    datasetId: stableUuid('dify-test:dataset:docs'),
    datasetName: 'Product docs 产品文档',
    documentId: stableUuid(`dify-test:document:${n}`),
    documentName: n === 1 ? 'getting-started.md' : '常见问题.md',
    segmentId: stableUuid(`dify-test:segment:${message.query}:${n}`),
    score: n === 1 ? 0.8731 : 0.6412,
    hitCount: n,
    wordCount: 120 + n,
    segmentPosition: n + 1,
    indexNodeHash: stableUuid(`dify-test:hash:${n}`).replace(/-/g, ''),
    content: n === 1 ? `Dify apps answer questions like: ${message.query}` : '测试服务器会根据问题生成确定的回答。',
    retrieverFrom,
  });
  return [doc(1), doc(2)];
}

/** RetrieverResource as message_end / blocking metadata carry it (§4.3). */
export function resourceDict(r: RetrieverResource): Record<string, unknown> {
  return {
    position: r.position,
    dataset_id: r.datasetId,
    dataset_name: r.datasetName,
    document_id: r.documentId,
    document_name: r.documentName,
    data_source_type: 'upload_file',
    segment_id: r.segmentId,
    retriever_from: r.retrieverFrom,
    score: r.score,
    hit_count: r.hitCount,
    word_count: r.wordCount,
    segment_position: r.segmentPosition,
    index_node_hash: r.indexNodeHash,
    content: r.content,
    page: null,
    doc_metadata: null,
    title: null,
    files: null,
    summary: null,
  };
}

export interface RunResult {
  answer: string;
  usage: Parameters<typeof usageBlock>[0];
}

/**
 * chat and completion: `message`* then `message_end`. A stop ends early, still with message_end. Output moderation
 * sends `message_replace` (the stored answer becomes the preset response) before message_end; with TTS autoplay
 * (streaming only) `tts_message` frames are interleaved and follow message_end, and `tts_message_end` comes last.
 */
async function produceChat(
  sink: Sink,
  task: Task,
  app: AppSpec,
  message: Message,
  envelope: (event: string) => Record<string, unknown>,
  opts: { retrieverFrom: string; streaming: boolean },
): Promise<RunResult> {
  const started = Date.now();
  const tts = opts.streaming && app.textToSpeech.autoPlay === 'enabled' ? new TtsAutoPlay(sink, envelope, task.id) : undefined;
  let generated = '';
  for (const delta of answerDeltas(message.query || String(message.inputs.topic ?? ''))) {
    if (task.stopped) break;
    generated += delta;
    await tts?.flush();
    await sink.send({ ...envelope('message'), task_id: task.id, id: message.id, answer: delta, from_variable_selector: null });
    tts?.append(delta);
  }
  const replacement = moderatedAnswer(app, message.query);
  if (replacement !== undefined) {
    await sink.send({ ...envelope('message_replace'), task_id: task.id, answer: replacement, reason: 'output_moderation' });
  }
  const answer = replacement ?? generated;
  message.answer = answer;
  message.retrieverResources = retrieverResources(app, message, opts.retrieverFrom);
  const usage = { promptTokens: 12 + tokenCount(message.query), completionTokens: tokenCount(generated), latency: elapsedSince(started) };
  await tts?.flush();
  await sink.send({
    ...envelope('message_end'),
    task_id: task.id,
    id: message.id,
    metadata: {
      annotation_reply: null,
      retriever_resources: message.retrieverResources.map(resourceDict),
      usage: usageBlock(usage, 'stream'),
    },
    files: message.files.length ? message.files.map(endFileDict) : null,
  });
  await tts?.end();
  await sink.finish();
  return { answer, usage };
}

/** Blocking JSON (§5): Python json.dumps, no trailing newline, `application/json; charset=utf-8`. */
export function sendBlocking(ctx: RouteContext, body: unknown): void {
  const text = pyJson(body);
  ctx.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  ctx.res.end(text);
  ctx.record.status = 200;
}

async function chatMessages(apps: Apps, ctx: RouteContext): Promise<void> {
  const { app, body, endUser } = await jsonEndpoint(apps, ctx, true);
  if (!CHAT_MODES.includes(app.mode)) throw notChatApp();
  let payload = parsePayload(body, 'ChatRequestPayload');
  if (app.mode === 'agent') payload = agentModePayload(payload);
  const exit = enterRateLimit(apps, app);
  try {
    if (app.mode === 'advanced-chat') await runAdvancedChat(apps, ctx, app, endUser, payload);
    else await runChat(apps, ctx, app, endUser, payload);
  } finally {
    exit();
  }
}

/** AppGenerateService.generate for chat and agent-chat, after the rate limit let the request in. */
async function runChat(apps: Apps, ctx: RouteContext, app: AppSpec, endUser: EndUser, payload: ChatPayload): Promise<void> {
  if (app.mode === 'agent-chat' && !payload.streaming) throw errors.invalidParam('Agent Chat App does not support blocking mode');
  const agent = app.mode === 'agent-chat' || app.mode === 'agent';
  if (!payload.query) throw errors.invalidParam('query is required');
  const existing = findConversation(apps, app, endUser, payload.conversationId);
  const files = prepareFiles(apps, app, payload.files, false);
  const inputs = prepareInputs(app, payload.inputs, { apps, strict: false });
  const { conversation, message } = initRecords(apps, app, endUser, existing, payload, inputs, files);
  const task = apps.state.startTask(app, endUser);
  const created = unix(message.createdAt);
  const envelope = (event: string): Record<string, unknown> => ({ event, conversation_id: conversation.id, message_id: message.id, created_at: created });
  const sink = payload.streaming ? openStream(apps, ctx, false, () => envelope('error')) : new BlockingSink(apps.options.eventDelayMs);
  try {
    const result =
      agent
        ? await produceAgent(apps, sink, task, message, envelope)
        : await produceChat(sink, task, app, message, envelope, payload);
    completeRecords(conversation, message);
    if (!payload.streaming) {
      sendBlocking(ctx, {
        event: 'message',
        task_id: task.id,
        id: message.id,
        message_id: message.id,
        conversation_id: conversation.id,
        mode: app.mode,
        answer: result.answer,
        metadata: {
          annotation_reply: null,
          retriever_resources: message.retrieverResources.map(resourceDict),
          usage: usageBlock(result.usage, 'fixed'),
        },
        created_at: created,
      });
    }
  } finally {
    apps.state.endTask(task);
  }
}

async function completionMessages(apps: Apps, ctx: RouteContext): Promise<void> {
  const { app, body, endUser } = await jsonEndpoint(apps, ctx, true);
  if (app.mode !== 'completion') throw appUnavailable();
  const payload = parsePayload(body, 'CompletionRequestPayload');
  const exit = enterRateLimit(apps, app);
  try {
    await runCompletion(apps, ctx, app, endUser, payload);
  } finally {
    exit();
  }
}

async function runCompletion(apps: Apps, ctx: RouteContext, app: AppSpec, endUser: EndUser, payload: ChatPayload): Promise<void> {
  const files = prepareFiles(apps, app, payload.files, false);
  const inputs = prepareInputs(app, payload.inputs, { apps, strict: false });
  const { conversation, message } = initRecords(apps, app, endUser, undefined, { ...payload, autoGenerateName: false }, inputs, files);
  const task = apps.state.startTask(app, endUser);
  const created = unix(message.createdAt);
  const envelope = (event: string): Record<string, unknown> => ({ event, message_id: message.id, created_at: created });
  const sink = payload.streaming ? openStream(apps, ctx, false, () => envelope('error')) : new BlockingSink(apps.options.eventDelayMs);
  try {
    const result = await produceChat(sink, task, app, message, envelope, payload);
    completeRecords(conversation, message);
    if (!payload.streaming) {
      sendBlocking(ctx, {
        event: 'message',
        task_id: task.id,
        id: message.id,
        message_id: message.id,
        mode: 'completion',
        answer: result.answer,
        metadata: { annotation_reply: null, retriever_resources: [], usage: usageBlock(result.usage, 'fixed') },
        created_at: created,
      });
    }
  } finally {
    apps.state.endTask(task);
  }
}

export function registerChat(router: Router, apps: Apps): void {
  router.add('POST', '/chat-messages', (ctx) => chatMessages(apps, ctx));
  router.add('POST', '/completion-messages', (ctx) => completionMessages(apps, ctx));

  router.add('POST', '/chat-messages/:task_id/stop', async (ctx) => {
    const { app, endUser } = await jsonEndpoint(apps, ctx, true);
    if (!CHAT_MODES.includes(app.mode)) throw notChatApp();
    const task = apps.state.tasks.get(ctx.params.task_id!);
    if (task && task.appId === app.id && task.endUserId === endUser.id) task.stopped = true;
    ctx.send(200, { result: 'success' });
  });
  router.add('POST', '/completion-messages/:task_id/stop', async (ctx) => {
    const { app, endUser } = await jsonEndpoint(apps, ctx, true);
    if (app.mode !== 'completion') throw appUnavailable();
    const task = apps.state.tasks.get(ctx.params.task_id!);
    if (task && task.appId === app.id && task.endUserId === endUser.id) task.stopped = true;
    ctx.send(200, { result: 'success' });
  });
  router.add('POST', '/workflows/tasks/:task_id/stop', async (ctx) => {
    const { app } = await jsonEndpoint(apps, ctx, true);
    if (app.mode !== 'workflow') throw notWorkflowApp();
    const task = apps.state.tasks.get(ctx.params.task_id!);
    if (task && task.appId === app.id) task.stopped = true; // no user check (§3.4)
    ctx.send(200, { result: 'success' });
  });
}
