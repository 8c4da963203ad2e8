// The language model tools (agent mode, `#difyKnowledge`, `#difyWorkflow`) and the command that chooses what they
// may reach. One call wires them: registerLanguageModelTools(deps).
import * as vscode from 'vscode';
import type { ProfileStore } from '../../core/profile-store.js';
import type { RunHistory } from '../../core/workflow-history.js';
import type { DifyConnections } from '../apps/connections.js';
import type { ParametersCache } from '../workflows/parameters-cache.js';
import { KNOWLEDGE_TOOL, KnowledgeTool } from './knowledge-tool.js';
import { CHOOSE_TOOL_TARGETS, chooseToolTargets } from './tools-targets.js';
import { WORKFLOW_TOOL, WorkflowTool } from './workflow-tool.js';

export interface ToolDeps {
  store: ProfileStore;
  connections: DifyConnections;
  /** Shared with "Run Workflow": the same cached forms, the same Runs view. */
  parameters: ParametersCache;
  history: RunHistory;
}

export function registerLanguageModelTools(deps: ToolDeps): vscode.Disposable[] {
  const command = vscode.commands.registerCommand(CHOOSE_TOOL_TARGETS, () => chooseToolTargets(deps.store, deps.connections));
  // A fork of VS Code without the tools API still gets the rest of the extension.
  if (typeof vscode.lm?.registerTool !== 'function') return [command];
  return [
    command,
    vscode.lm.registerTool(KNOWLEDGE_TOOL, new KnowledgeTool(deps.store, deps.connections)),
    vscode.lm.registerTool(WORKFLOW_TOOL, new WorkflowTool(deps)),
  ];
}
