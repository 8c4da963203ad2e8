// More workflow graphs (CONTRACT §4.3): a node that is retried once (node_retry) and an agent node with its logs
// (agent_log). The human-input node is in human-input.ts.
import { decimalFixed, unix, uuid } from '../pyfmt.js';
import { PyFloat, pyJson } from '../wire.js';
import { answerDeltas, tokenCount } from './answers.js';
import { prices } from './context.js';
import type { NodeDef, NodeExec, RunEmitter } from './engine.js';
import { elapsed } from './engine.js';

const HTTP_NODE: NodeDef = { id: '1741234573002', type: 'http-request', title: 'Fetch weather 天气' };
const AGENT_NODE: NodeDef = {
  id: '1741234573003',
  type: 'agent',
  title: 'Agent 助手',
  agentStrategy: {
    name: 'function_calling',
    icon: 'https://cloud.dify.ai/console/api/workspaces/current/plugin/icon?filename=agent.svg',
  },
};

/** The node_retry frame: node_finished's data plus `retry_index`, status `retry`, the same execution id (§4.3). */
export async function nodeRetry(
  em: RunEmitter,
  exec: NodeExec,
  retry: { inputs?: unknown; processData?: unknown; outputs?: unknown; error: string; retryIndex: number },
): Promise<void> {
  await em.emit('node_retry', {
    id: exec.id,
    node_id: exec.node.id,
    node_type: exec.node.type,
    title: exec.node.title,
    index: exec.index,
    predecessor_node_id: null,
    inputs: retry.inputs ?? null,
    inputs_truncated: false,
    process_data: retry.processData ?? null,
    process_data_truncated: false,
    outputs: retry.outputs ?? null,
    outputs_truncated: false,
    status: 'retry',
    error: retry.error,
    elapsed_time: new PyFloat(elapsed(exec.startedAt)),
    execution_metadata: null,
    created_at: unix(exec.startedAt),
    finished_at: em.now(),
    files: [],
    iteration_id: null,
    loop_id: null,
    retry_index: retry.retryIndex,
  });
}

interface AgentLog {
  id: string;
  label: string;
  parentId: string | null;
  status: 'start' | 'success' | 'error';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** The agent_log frame: `task_id, data` after the envelope, like text_chunk (§4.3). */
function agentLog(em: RunEmitter, exec: NodeExec, log: AgentLog): Promise<void> {
  return em.emitPlain('agent_log', agentLogDict(exec, log));
}

function agentLogDict(exec: NodeExec, log: AgentLog): Record<string, unknown> {
  return {
    node_execution_id: exec.id,
    id: log.id,
    label: log.label,
    parent_id: log.parentId,
    error: null,
    status: log.status,
    data: log.data,
    metadata: log.metadata,
    node_id: exec.node.id,
  };
}

/**
 * Start → an HTTP request that fails once with a 503 and succeeds on its retry → a function-calling agent that calls
 * a clock tool (agent_log rounds, thoughts and the tool call; its answer as text_chunk) → End.
 */
export async function agentGraph(em: RunEmitter, city: string): Promise<Record<string, unknown> | undefined> {
  const http = await em.nodeStarted(HTTP_NODE);
  const request = { method: 'get', url: `https://api.example.com/weather?city=${encodeURIComponent(city)}` };
  await nodeRetry(em, http, {
    inputs: {},
    processData: { request: `GET ${request.url} HTTP/1.1\r\nHost: api.example.com\r\n\r\n` },
    outputs: { status_code: 503, body: 'Service Unavailable', headers: {}, files: [] },
    error: 'HTTP request failed with status code 503: Service Unavailable',
    retryIndex: 1,
  });
  if (em.checkStop()) return undefined;
  const weather = pyJson({ city, temperature: 21, condition: 'sunny 晴' });
  await em.nodeFinished(http, {
    inputs: {},
    processData: { request: `GET ${request.url} HTTP/1.1\r\nHost: api.example.com\r\n\r\n` },
    outputs: { status_code: 200, body: weather, headers: { 'content-type': 'application/json' }, files: [] },
    metadata: null,
  });

  const agent = await em.nodeStarted(AGENT_NODE);
  const started = unix(Date.now());
  const round1: AgentLog = { id: uuid(), label: 'ROUND 1', parentId: null, status: 'start', data: {}, metadata: { started_at: started } };
  await agentLog(em, agent, round1);
  const thought1: AgentLog = {
    id: uuid(),
    label: 'gpt-4o-mini Thought',
    parentId: round1.id,
    status: 'success',
    data: { output: { llm_response: '', tool_calls: [{ id: 'call_1', name: 'current_time', arguments: '{}' }] } },
    metadata: { started_at: started, finished_at: started, elapsed_time: new PyFloat(0.412), provider: 'langgenius/openai/openai', total_tokens: 96 },
  };
  await agentLog(em, agent, thought1);
  const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
  const call: AgentLog = {
    id: uuid(),
    label: 'CALL current_time',
    parentId: round1.id,
    status: 'success',
    data: { output: { tool_call_id: 'call_1', tool_call_name: 'current_time', tool_call_input: {}, tool_response: now } },
    metadata: { started_at: started, finished_at: started, elapsed_time: new PyFloat(0.003), provider: 'time' },
  };
  await agentLog(em, agent, call);
  Object.assign(round1, { status: 'success', metadata: { ...round1.metadata, finished_at: started, elapsed_time: new PyFloat(0.421), total_tokens: 96 } });
  await agentLog(em, agent, round1);
  const round2: AgentLog = { id: uuid(), label: 'ROUND 2', parentId: null, status: 'start', data: {}, metadata: { started_at: started } };
  await agentLog(em, agent, round2);
  let text = '';
  for (const delta of answerDeltas(`${city}: ${weather} at ${now}`)) {
    if (em.checkStop()) return undefined;
    text += delta;
    await em.emitPlain('text_chunk', { text: delta, from_variable_selector: [AGENT_NODE.id, 'text'] });
  }
  const thought2: AgentLog = {
    id: uuid(),
    label: 'gpt-4o-mini Thought',
    parentId: round2.id,
    status: 'success',
    data: { output: { llm_response: text, tool_calls: [] } },
    metadata: { started_at: started, finished_at: unix(Date.now()), elapsed_time: new PyFloat(0.733), provider: 'langgenius/openai/openai', total_tokens: 140 },
  };
  await agentLog(em, agent, thought2);
  Object.assign(round2, { status: 'success', metadata: { ...round2.metadata, finished_at: unix(Date.now()), elapsed_time: new PyFloat(0.735), total_tokens: 140 } });
  await agentLog(em, agent, round2);
  const usage = { promptTokens: 180, completionTokens: 56 + tokenCount(text), latency: elapsed(agent.startedAt) };
  em.promptTokens += usage.promptTokens;
  em.completionTokens += usage.completionTokens;
  em.tokens += usage.promptTokens + usage.completionTokens;
  await em.nodeFinished(agent, {
    inputs: { query: city },
    outputs: { text, files: [], json: [{ data: [] }] },
    metadata: {
      total_tokens: usage.promptTokens + usage.completionTokens,
      total_price: decimalFixed(prices(usage).total),
      currency: 'USD',
      agent_log: [round1, thought1, call, round2, thought2].map((log) => agentLogDict(agent, log)),
    },
  });
  return { text, weather };
}
