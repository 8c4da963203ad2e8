// advanced-chat (chatflow) runs on the 1.13 pub/sub path: leading ping, worker-side errors hang the stream, and a
// failed run ends at workflow_finished without its `error` frame (CONTRACT §4.1, §4.4, §5.1, §6.2, §6.3).
import type { RouteContext } from '../router.js';
import { HttpError, errors } from '../router.js';
import { unix, uuid } from '../pyfmt.js';
import type { ChatPayload } from './chat.js';
import { completeRecords, findConversation, initRecords, sendBlocking } from './chat.js';
import { since114, since115 } from '../version.js';
import { PyFloat } from '../wire.js';
import { splitDeltas } from './answers.js';
import type { Apps } from './context.js';
import { hangStream, runSink, usageBlock } from './context.js';
import { RunEmitter } from './engine.js';
import type { AppSpec } from './fixtures.js';
import { HUMAN_NODE, awaitForm, humanInputPause, resumeHumanNode } from './human-input.js';
import { prepareFiles, prepareInputs } from './inputs.js';
import { longIteration } from './long-runs.js';
import { wantsReasoning } from './reasoning.js';
import { fileDict, finishRun, newRun, pauseRun, resolveWorkflowId, startNode } from './runs.js';
import type { Conversation, EndUser, Message } from './state.js';

/** The code node of the failing chatflow and what it raises. */
const FAILING_NODE = { id: '1741234571003', type: 'code', title: 'Parse JSON 解析' };
export const CHATFLOW_FAILURE = 'JSONDecodeError: Expecting value: line 1 column 1 (char 0)';

/**
 * advanced-chat: ping, workflow_started, Start / LLM (message deltas) / Answer, message_end, workflow_finished.
 * advancedChatIterations iterates first; advancedChatHumanInput pauses for a review (see pauseForReview).
 * The failing chatflow runs Start / LLM / a code node that fails, then workflow_finished `failed` and nothing more
 * (the `error` frame Dify publishes after it never reaches a 1.13 pub/sub client); blocking, it is 400 "Run failed".
 */
export async function runAdvancedChat(apps: Apps, ctx: RouteContext, app: AppSpec, endUser: EndUser, payload: ChatPayload): Promise<void> {
  const workflowId = resolveWorkflowId(app, payload.workflowId);
  let prepared;
  try {
    if (!payload.query) throw errors.invalidParam('query is required');
    const existing = findConversation(apps, app, endUser, payload.conversationId);
    const files = prepareFiles(apps, app, payload.files, false);
    const inputs = prepareInputs(app, payload.inputs, { apps, strict: false });
    prepared = { existing, files, inputs };
  } catch (e) {
    // Worker-side failures publish nothing on 1.13 (langgenius/dify#37197): ping, then silence.
    if (payload.streaming && e instanceof HttpError) return hangStream(apps, ctx);
    throw e;
  }
  const { conversation, message } = initRecords(apps, app, endUser, prepared.existing, payload, prepared.inputs, prepared.files);
  const task = apps.state.startTask(app, endUser);
  const runId = uuid();
  const sys = {
    'sys.files': prepared.files.map(fileDict),
    'sys.user_id': endUser.sessionId,
    'sys.app_id': app.id,
    'sys.workflow_id': workflowId,
    'sys.workflow_run_id': runId,
    'sys.query': payload.query,
    'sys.dialogue_count': conversation.messages.length,
  };
  const startedInputs = { ...prepared.inputs, ...sys };
  const { run, log } = newRun(apps, app, endUser, workflowId, startedInputs, runId, task.id);
  const created = unix(message.createdAt);
  const envelope = (event: string): Record<string, unknown> => ({ event, conversation_id: conversation.id, message_id: message.id, created_at: created });
  const sink = runSink(apps, ctx, payload.streaming, log, () => envelope('error'));
  const em = new RunEmitter(sink, task, run, envelope, app.workflow?.titles);
  const job: ChatflowJob = { apps, ctx, app, endUser, payload, conversation, message, em, started: Date.now(), created };
  try {
    await em.emit('workflow_started', { id: run.id, workflow_id: workflowId, inputs: startedInputs, created_at: unix(run.createdAt), reason: 'initial' });
    const { 'sys.query': query, ...rest } = sys;
    await startNode(em, '1741234567001', { ...prepared.inputs, 'sys.query': query, ...rest });
    await produceChatflow(job, prepared.inputs);
  } finally {
    apps.state.endTask(task);
  }
}

/** One advanced-chat run being produced. */
interface ChatflowJob {
  apps: Apps;
  ctx: RouteContext;
  app: AppSpec;
  endUser: EndUser;
  payload: ChatPayload;
  conversation: Conversation;
  message: Message;
  em: RunEmitter;
  started: number;
  /** message_end / envelope created_at. */
  created: number;
}

/** After the Start node: [iterations], the LLM (reasoning when the query says "think"), then the app's ending. */
async function produceChatflow(job: ChatflowJob, inputs: Record<string, unknown>): Promise<void> {
  const { apps, app, payload, message, em, started } = job;
  const kind = app.workflow!.kind;
  let prompt = payload.query;
  if (kind === 'iterations') {
    const results = await longIteration(em, Number(inputs.iterations ?? 1000));
    if (results) prompt = `${payload.query} (${results.length} items processed)`;
  }
  const reasoning = wantsReasoning(payload.query)
    ? { format: since115(apps.options.version) ? ('separated' as const) : ('tagged' as const), messageId: message.id }
    : undefined;
  let answer = '';
  const llm = em.checkStop()
    ? undefined
    : await em.llmNode({ id: 'llm', type: 'llm', title: 'LLM' }, prompt, async (delta) => {
        answer += delta;
        await sendMessage(em, message, delta, ['llm', 'text']);
      }, reasoning);
  message.answer = answer;
  if (!llm) {
    await finishRun(em, started, 'stopped', {}, 'Stopped by user.');
    await em.sink.finish();
    return;
  }
  if (kind === 'failing') return failRun(job, answer);
  if (kind === 'humanInput') return pauseForReview(job, answer);
  await answerAndFinish(job, em, answer);
}

function sendMessage(em: RunEmitter, message: Message, delta: string, selector: string[]): Promise<void> {
  return em.sink.send({ ...em.envelope('message'), task_id: em.task.id, id: message.id, answer: delta, from_variable_selector: selector });
}

/** The code node fails: workflow_finished `failed`, and nothing more on the pub/sub path; blocking, 400 "Run failed". */
async function failRun(job: ChatflowJob, answer: string): Promise<void> {
  const { em, started, message, payload } = job;
  const exec = await em.nodeStarted(FAILING_NODE);
  await em.nodeFinished(exec, { inputs: { text: answer }, status: 'failed', error: CHATFLOW_FAILURE });
  await finishRun(em, started, 'failed', {}, CHATFLOW_FAILURE);
  // The error frame ("Run failed: ...") is published after workflow_finished, where the 1.13 stream has closed.
  await em.sink.finish();
  Object.assign(message, { status: 'error', error: `Run failed: ${CHATFLOW_FAILURE}` });
  if (!payload.streaming) throw errors.invalidParam(`Run failed: ${CHATFLOW_FAILURE}`);
}

/** The Answer node, message_end, workflow_finished; the blocking body when the client waits for it. */
async function answerAndFinish(job: ChatflowJob, em: RunEmitter, answer: string): Promise<void> {
  const { started, conversation, message, payload, ctx } = job;
  const exec = await em.nodeStarted({ id: 'answer', type: 'answer', title: 'Answer' });
  const outputs = { answer, files: [] };
  await em.nodeFinished(exec, { outputs });
  const usage = em.runUsage(started);
  const metadata = { annotation_reply: null, retriever_resources: [], usage: usageBlock(usage, 'stream') };
  await em.sink.send({ ...em.envelope('message_end'), task_id: em.task.id, id: message.id, metadata, files: [] });
  await finishRun(em, started, 'succeeded', outputs, null);
  await em.sink.finish();
  message.answer = answer;
  completeRecords(conversation, message);
  if (!payload.streaming && em === job.em) {
    sendBlocking(ctx, messageBody(job, answer, { ...metadata, usage: usageBlock(usage, 'fixed') }));
  }
}

/**
 * The human-input node pauses the chat: human_input_required, workflow_paused (the stream's last frame). Blocking,
 * 1.14+ answers the paused body of CONSOLE §11.3; 1.13.2 the usual message body with the answer so far. On 1.14+
 * the form's answer resumes the run: the review is appended to the answer, then message_end, workflow_finished.
 */
async function pauseForReview(job: ChatflowJob, draft: string): Promise<void> {
  const { apps, app, endUser, em, started, message, payload, ctx } = job;
  const pause = await humanInputPause(em, apps, app, draft);
  await pauseRun(em, started, [HUMAN_NODE.id], [pause.reason]);
  await em.sink.finish();
  if (!payload.streaming) {
    const usage = usageBlock(em.runUsage(started), 'fixed');
    if (since114(apps.options.version)) sendBlocking(ctx, pausedChatBody(job, draft, [HUMAN_NODE.id], [pause.reason]));
    else {
      const metadata = { annotation_reply: null, retriever_resources: [], usage };
      sendBlocking(ctx, messageBody(job, draft, metadata));
    }
  }
  const form = pause.form;
  if (!form) return;
  awaitForm(apps, app, endUser, em, form, async (resumed, outcome) => {
    if (!(await resumeHumanNode(resumed, form, outcome, apps.options.version))) {
      await finishRun(resumed, started, 'failed', {}, 'Human input form timed out.');
      return;
    }
    const review = outcome.kind === 'submitted' ? `\n\nReview (${outcome.action}): ${String(outcome.inputs.comment ?? '')}` : '';
    for (const delta of splitDeltas(review)) await sendMessage(resumed, message, delta, ['answer', 'answer']);
    await answerAndFinish(job, resumed, draft + review);
  });
}

/** The blocking advanced-chat body: the message with its answer (CONTRACT §3.3). */
function messageBody(job: ChatflowJob, answer: string, metadata: Record<string, unknown>): Record<string, unknown> {
  const { em, message, conversation, created } = job;
  return { event: 'message', task_id: em.task.id, id: message.id, message_id: message.id, conversation_id: conversation.id, mode: 'advanced-chat', answer, metadata, created_at: created };
}

/** 1.14+ blocking advanced-chat that paused (CONSOLE §11.3). `metadata` is not described there: `{}` here. */
function pausedChatBody(job: ChatflowJob, answer: string, pausedNodes: string[], reasons: Record<string, unknown>[]): Record<string, unknown> {
  const { em, message, conversation, created } = job;
  const run = em.run;
  return {
    event: 'workflow_paused',
    task_id: em.task.id,
    id: message.id,
    message_id: message.id,
    conversation_id: conversation.id,
    mode: 'advanced-chat',
    answer,
    metadata: {},
    created_at: created,
    workflow_run_id: run.id,
    data: {
      id: message.id,
      mode: 'advanced-chat',
      conversation_id: conversation.id,
      message_id: message.id,
      workflow_run_id: run.id,
      answer,
      metadata: {},
      created_at: created,
      paused_nodes: pausedNodes,
      reasons,
      status: 'paused',
      elapsed_time: new PyFloat(run.elapsedTime),
      total_tokens: run.totalTokens,
      total_steps: run.totalSteps,
    },
  };
}
