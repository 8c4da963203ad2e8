// agent-chat streams (CONTRACT §4.3, §4.4): agent_thought upserts, a tool round, agent_message deltas.
import { uuid } from '../pyfmt.js';
import { pyJson } from '../wire.js';
import { answerDeltas, tokenCount } from './answers.js';
import type { RunResult } from './chat.js';
import type { Apps, Sink } from './context.js';
import { elapsedSince, signedUrl, usageBlock } from './context.js';
import { endFileDict } from './inputs.js';
import type { AgentThought, Message, MessageFile, Task } from './state.js';

const DALLE_LABELS = { dalle3: { zh_Hans: 'DALL-E 3 绘画', en_US: 'DALL-E 3', pt_BR: 'DALL-E 3', ja_JP: 'DALL-E 3' } };
const CLOCK_LABELS = { current_time: { zh_Hans: '获取当前时间', en_US: 'Current Time', pt_BR: 'Current Time', ja_JP: 'Current Time' } };

/** agent-chat: thought upserts, a tool round (with a message_file for the image tool), then the final answer. */
export async function produceAgent(apps: Apps, sink: Sink, task: Task, message: Message, envelope: (e: string) => Record<string, unknown>): Promise<RunResult> {
  const started = Date.now();
  const draw = /draw|image|picture|画/i.test(message.query);
  const tool = draw ? 'dalle3' : 'current_time';
  const labels = draw ? DALLE_LABELS : CLOCK_LABELS;
  const toolInput = draw ? pyJson({ dalle3: { prompt: message.query } }) : pyJson({ current_time: {} });
  const observation = draw
    ? 'image has been created and sent to user already, you do not need to create it, just tell the user to check it now.'
    : pyJson({ current_time: new Date().toISOString().replace('T', ' ').slice(0, 19) });
  const thought = (t: AgentThought): Promise<void> =>
    sink.send({
      ...envelope('agent_thought'),
      task_id: task.id,
      id: t.id,
      position: t.position,
      thought: t.thought,
      observation: t.observation,
      tool: t.tool,
      tool_labels: t.toolLabels,
      tool_input: t.toolInput,
      message_files: t.files,
    });
  const now = apps.state.clock.now();
  const round1: AgentThought = { id: uuid(), position: 1, thought: '', tool: '', toolLabels: {}, toolInput: '', observation: '', files: [], createdAt: now };
  message.agentThoughts.push(round1);
  await thought(round1);
  Object.assign(round1, { tool, toolLabels: labels, toolInput });
  await thought(round1);
  if (draw && !task.stopped) {
    const toolFileId = uuid();
    const file: MessageFile = {
      id: uuid(),
      filename: `${toolFileId}.png`,
      type: 'image',
      url: signedUrl(apps, `/files/tools/${toolFileId}.png`),
      mimeType: 'application/octet-stream',
      size: 0,
      transferMethod: 'tool_file',
      belongsTo: 'assistant',
      uploadFileId: toolFileId,
      extension: '.png',
      remoteUrl: '',
    };
    message.files.push(file);
    await sink.send({ ...envelope('message_file'), task_id: task.id, id: file.id, type: 'image', belongs_to: 'assistant', url: file.url });
    round1.files = [file.id];
  }
  round1.observation = observation;
  await thought(round1);
  const round2: AgentThought = { id: uuid(), position: 2, thought: '', tool: '', toolLabels: {}, toolInput: '', observation: '', files: [], createdAt: apps.state.clock.now() };
  message.agentThoughts.push(round2);
  await thought(round2);
  let answer = '';
  for (const delta of answerDeltas(message.query)) {
    if (task.stopped) break;
    answer += delta;
    await sink.send({ ...envelope('agent_message'), task_id: task.id, id: message.id, answer: delta });
  }
  round2.thought = answer;
  await thought(round2);
  message.answer = answer;
  const usage = { promptTokens: 212 + tokenCount(message.query), completionTokens: tokenCount(answer) + 17, latency: elapsedSince(started) };
  await sink.send({
    ...envelope('message_end'),
    task_id: task.id,
    id: message.id,
    metadata: { annotation_reply: null, retriever_resources: [], usage: usageBlock(usage, 'stream') },
    files: message.files.length ? message.files.map(endFileDict) : null,
  });
  await sink.finish();
  return { answer, usage };
}

