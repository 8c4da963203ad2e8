// The graphs of the seeded workflow and chatflow apps, as the editor stores them (nodes, edges, viewport). The node
// ids and titles are those the Service API's runs emit, so a title changed in a published graph shows in the runs.
import type { AppMode, WorkflowKind } from '../apps/fixtures.js';

type NodeSpec = [id: string, type: string, title: string];

const WORKFLOW_START: NodeSpec = ['1741234568001', 'start', 'Start'];
const WORKFLOW_END: NodeSpec = ['1741234568003', 'end', 'End'];
const CHATFLOW_START: NodeSpec = ['1741234567001', 'start', 'Start'];

const WORKFLOW_NODES: Record<WorkflowKind, NodeSpec[]> = {
  summary: [['1741234568002', 'llm', 'Summarize']],
  answer: [['1741234568002', 'llm', 'Summarize']],
  failing: [['1741234570002', 'code', 'Divide 除法']],
  iteration: [
    ['1741234569002', 'iteration', 'Iterate items 遍历'],
    ['1741234569004', 'loop', 'Refine twice'],
  ],
  agent: [
    ['1741234573002', 'http-request', 'Fetch weather 天气'],
    ['1741234573003', 'agent', 'Agent 助手'],
  ],
  humanInput: [
    ['1741234568002', 'llm', 'Summarize'],
    ['1741234574003', 'human-input', 'Review 审核'],
  ],
  fileInput: [
    ['1741234571002', 'document-extractor', 'Read document'],
    ['1741234571003', 'llm', 'Follow instruction'],
  ],
  slow: [
    ['1741234575002', 'tool', 'Crawl sites 抓取'],
    ['1741234568002', 'llm', 'Summarize'],
  ],
  large: [['1741234576002', 'code', 'Build report']],
  iterations: [['1741234577002', 'iteration', 'Process items 逐项处理']],
};

function chain(specs: NodeSpec[]): Record<string, unknown> {
  const nodes = specs.map(([id, type, title], i) => ({
    id,
    type: 'custom',
    data: { type, title, desc: '', selected: false },
    position: { x: 80 + i * 300, y: 282 },
    positionAbsolute: { x: 80 + i * 300, y: 282 },
    width: 244,
    height: 90,
  }));
  const edges = specs.slice(1).map(([target, targetType], i) => {
    const [source, sourceType] = specs[i]!;
    return {
      id: `${source}-source-${target}-target`,
      type: 'custom',
      source,
      sourceHandle: 'source',
      target,
      targetHandle: 'target',
      data: { sourceType, targetType, isInIteration: false },
    };
  });
  return { nodes, edges, viewport: { x: 0, y: 0, zoom: 1 } };
}

/** The graph of a seeded app: Start, the kind's nodes, End (workflow) or an LLM and an Answer (chatflow). */
export function seedGraph(mode: AppMode, kind: WorkflowKind): Record<string, unknown> {
  if (mode === 'advanced-chat') {
    const middle: NodeSpec[] = kind === 'failing' ? [['1741234571003', 'code', 'Parse JSON 解析']] : [['llm', 'llm', 'LLM']];
    return chain([CHATFLOW_START, ...middle, ['answer', 'answer', 'Answer']]);
  }
  return chain([WORKFLOW_START, ...WORKFLOW_NODES[kind], WORKFLOW_END]);
}

/** The title of each node of a graph, by node id (what a published graph changes in the Service API's runs). */
export function nodeTitles(graph: Record<string, unknown>): Record<string, string> {
  const titles: Record<string, string> = {};
  const nodes = Array.isArray(graph.nodes) ? (graph.nodes as unknown[]) : [];
  for (const node of nodes) {
    if (node === null || typeof node !== 'object') continue;
    const { id, data } = node as { id?: unknown; data?: { title?: unknown } };
    if (typeof id === 'string' && typeof data?.title === 'string') titles[id] = data.title;
  }
  return titles;
}
