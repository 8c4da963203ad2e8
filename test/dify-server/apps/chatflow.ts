// advanced-chat (chatflow) runs on the 1.13 pub/sub path: leading ping, worker-side errors hang the stream, and a
// failed run ends at workflow_finished without its `error` frame (CONTRACT §4.1, §4.4, §5.1, §6.2, §6.3).
import type { RouteContext } from '../router.js';
import { HttpError, errors } from '../router.js';
import { unix, uuid } from '../pyfmt.js';
import type { ChatPayload } from './chat.js';
import { completeRecords, findConversation, initRecords, sendBlocking } from './chat.js';
import type { Apps, Sink } from './context.js';
import { BlockingSink, hangStream, openStream, usageBlock } from './context.js';
import { RunEmitter } from './engine.js';
import type { AppSpec } from './fixtures.js';
import { prepareFiles, prepareInputs } from './inputs.js';
import { fileDict, finishRun, newRun, resolveWorkflowId, startNode } from './runs.js';
import type { EndUser } from './state.js';

/** The code node of the failing chatflow and what it raises. */
const FAILING_NODE = { id: '1741234571003', type: 'code', title: 'Parse JSON 解析' };
export const CHATFLOW_FAILURE = 'JSONDecodeError: Expecting value: line 1 column 1 (char 0)';

/**
 * advanced-chat: ping, workflow_started, Start / LLM (message deltas) / Answer, message_end, workflow_finished.
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
  const run = newRun(apps, app, endUser, workflowId, startedInputs, runId);
  const created = unix(message.createdAt);
  const envelope = (event: string): Record<string, unknown> => ({ event, conversation_id: conversation.id, message_id: message.id, created_at: created });
  const sink: Sink = payload.streaming ? openStream(apps, ctx, true, () => envelope('error')) : new BlockingSink(apps.options.eventDelayMs);
  const em = new RunEmitter(sink, task, run, envelope);
  const started = Date.now();
  try {
    await em.emit('workflow_started', { id: run.id, workflow_id: workflowId, inputs: startedInputs, created_at: unix(run.createdAt), reason: 'initial' });
    const { 'sys.query': query, ...rest } = sys;
    const startIo = { ...prepared.inputs, 'sys.query': query, ...rest };
    await startNode(em, '1741234567001', startIo);
    let answer = '';
    const llm = await em.llmNode({ id: 'llm', type: 'llm', title: 'LLM' }, payload.query, async (delta) => {
      answer += delta;
      await em.sink.send({ ...envelope('message'), task_id: task.id, id: message.id, answer: delta, from_variable_selector: ['llm', 'text'] });
    });
    message.answer = answer;
    if (!llm) {
      await finishRun(em, endUser, started, 'stopped', {}, 'Stopped by user.');
      await sink.finish();
      return;
    }
    if (app.workflow!.kind === 'failing') {
      const exec = await em.nodeStarted(FAILING_NODE);
      await em.nodeFinished(exec, { inputs: { text: answer }, status: 'failed', error: CHATFLOW_FAILURE });
      await finishRun(em, endUser, started, 'failed', {}, CHATFLOW_FAILURE);
      // The error frame ("Run failed: ...") is published after workflow_finished, where the 1.13 stream has closed.
      await sink.finish();
      Object.assign(message, { status: 'error', error: `Run failed: ${CHATFLOW_FAILURE}` });
      if (!payload.streaming) throw errors.invalidParam(`Run failed: ${CHATFLOW_FAILURE}`);
      return;
    }
    const exec = await em.nodeStarted({ id: 'answer', type: 'answer', title: 'Answer' });
    const outputs = { answer, files: [] };
    await em.nodeFinished(exec, { outputs });
    const usage = em.runUsage(started);
    const metadata = { annotation_reply: null, retriever_resources: [], usage: usageBlock(usage, 'stream') };
    await sink.send({ ...envelope('message_end'), task_id: task.id, id: message.id, metadata, files: [] });
    await finishRun(em, endUser, started, 'succeeded', outputs, null);
    await sink.finish();
    completeRecords(conversation, message);
    if (!payload.streaming) {
      sendBlocking(ctx, {
        event: 'message',
        task_id: task.id,
        id: message.id,
        message_id: message.id,
        conversation_id: conversation.id,
        mode: 'advanced-chat',
        answer,
        metadata: { ...metadata, usage: usageBlock(usage, 'fixed') },
        created_at: created,
      });
    }
  } finally {
    apps.state.endTask(task);
  }
}
