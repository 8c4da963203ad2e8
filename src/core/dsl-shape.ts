// The shape of a Dify app DSL (what POST /console/api/apps/imports reads, CONSOLE.md §6.2), checked before it is sent:
// the parts Dify fails an import on, said at the key, and the one it silently takes badly (an empty secret). As
// permissive as Dify elsewhere: unknown keys and node contents are Dify's business.

/** The app modes an import creates (Dify 1.15's `agent` apps have no DSL import: "Invalid app mode"). */
export const DSL_APP_MODES = ['workflow', 'advanced-chat', 'chat', 'agent-chat', 'completion'] as const;

export type DslProblem =
  | { kind: 'not-mapping'; path: string[] }
  | { kind: 'not-list'; path: string[] }
  | { kind: 'missing'; path: string[] }
  | { kind: 'version-not-string'; path: string[]; value: string }
  | { kind: 'unknown-mode'; path: string[]; value: string }
  | { kind: 'empty-secret'; path: string[]; value: string };

/** Whether Dify would refuse the import over it (`failed`), or take it with a loss (a warning before sending). */
export const isDslError = (problem: DslProblem): boolean => problem.kind !== 'empty-secret';

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with `dsl` (a parsed YAML document) as a Dify app DSL; empty when nothing is. */
export function checkDslShape(dsl: unknown): DslProblem[] {
  if (!isMapping(dsl)) return [{ kind: 'not-mapping', path: [] }];
  const problems: DslProblem[] = [];
  // A missing version counts as 0.1.0 (an import with warnings); a number fails: "Invalid version type".
  if (dsl.version !== undefined && dsl.version !== null && typeof dsl.version !== 'string') {
    problems.push({ kind: 'version-not-string', path: ['version'], value: String(dsl.version) });
  }
  const app = dsl.app;
  if (!isMapping(app)) {
    problems.push(app === undefined || app === null ? { kind: 'missing', path: ['app'] } : { kind: 'not-mapping', path: ['app'] });
    return problems;
  }
  if (app.mode === undefined || app.mode === null) problems.push({ kind: 'missing', path: ['app', 'mode'] });
  else if (!DSL_APP_MODES.some((m) => m === app.mode)) problems.push({ kind: 'unknown-mode', path: ['app', 'mode'], value: String(app.mode) });
  if (app.mode === 'workflow' || app.mode === 'advanced-chat') problems.push(...checkWorkflow(dsl.workflow));
  else if (typeof app.mode === 'string' && app.mode in MODEL_CONFIG_MODES && !isMapping(dsl.model_config)) {
    problems.push({ kind: dsl.model_config === undefined ? 'missing' : 'not-mapping', path: ['model_config'] });
  }
  if (dsl.dependencies !== undefined && dsl.dependencies !== null && !Array.isArray(dsl.dependencies)) problems.push({ kind: 'not-list', path: ['dependencies'] });
  return problems;
}

const MODEL_CONFIG_MODES = { chat: true, 'agent-chat': true, completion: true };

function checkWorkflow(workflow: unknown): DslProblem[] {
  if (!isMapping(workflow)) return [{ kind: workflow === undefined || workflow === null ? 'missing' : 'not-mapping', path: ['workflow'] }];
  const problems: DslProblem[] = [];
  const graph = workflow.graph;
  if (graph === undefined || graph === null) problems.push({ kind: 'missing', path: ['workflow', 'graph'] });
  else if (!isMapping(graph)) problems.push({ kind: 'not-mapping', path: ['workflow', 'graph'] });
  else {
    for (const key of ['nodes', 'edges']) {
      if (graph[key] !== undefined && !Array.isArray(graph[key])) problems.push({ kind: 'not-list', path: ['workflow', 'graph', key] });
    }
  }
  if (workflow.features !== undefined && workflow.features !== null && !isMapping(workflow.features)) problems.push({ kind: 'not-mapping', path: ['workflow', 'features'] });
  for (const key of ['environment_variables', 'conversation_variables']) {
    const list = workflow[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push({ kind: 'not-list', path: ['workflow', key] });
      continue;
    }
    if (key !== 'environment_variables') continue;
    for (const variable of list) {
      if (isMapping(variable) && variable.value_type === 'secret' && (variable.value === '' || variable.value === null || variable.value === undefined)) {
        problems.push({ kind: 'empty-secret', path: ['workflow', key], value: String(variable.name ?? '') });
      }
    }
  }
  return problems;
}
