// The console's apps (CONSOLE.md §5, §7): the seeded Service API apps of the current workspace, two apps of the second
// workspace, and what the console adds to them (tags, drafts, published workflow versions).
import type { AppMode, AppSpec } from '../apps/fixtures.js';
import { TENANT_ID } from '../apps/fixtures.js';
import { stableUuid, uuid } from '../pyfmt.js';
import { OTHER_TENANT_ID } from './state.js';
import { seedGraph } from './seed-graphs.js';

export interface EnvVariable {
  id: string;
  name: string;
  value_type: string;
  value: unknown;
  description: string;
}

/** One stored workflow row: the draft (version `draft`) or a published version. */
export interface WorkflowRow {
  id: string;
  /** `draft`, or the publish time as `YYYY-MM-DD HH:MM:SS.ffffff`. */
  version: string;
  graph: Record<string, unknown>;
  features: Record<string, unknown>;
  environmentVariables: EnvVariable[];
  conversationVariables: EnvVariable[];
  markedName: string;
  markedComment: string;
  createdAt: number;
  updatedAt: number;
}

export interface AppTag {
  id: string;
  name: string;
  type: 'app';
}

export interface ConsoleApp {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  mode: AppMode;
  iconType: 'emoji' | 'image' | 'link';
  icon: string;
  iconBackground: string;
  useIconAsAnswerIcon: boolean;
  maxActiveRequests: number | null;
  createdAt: number;
  updatedAt: number;
  tags: AppTag[];
  /** Starred by the account (1.15). */
  starred: boolean;
  enableSite: boolean;
  /** The Service API app it is (the seeded apps), whose `apiEnabled`, keys and workflow the console shares. */
  spec?: AppSpec;
  /** `enable_api` of an app without a Service API twin. */
  apiEnabled: boolean;
  /** The app's model config (chat, completion, agent-chat), as DSL carries it. */
  modelConfig: Record<string, unknown> | null;
  draft: WorkflowRow | null;
  /** Published versions, newest first; the first is the one the Service API runs. */
  published: WorkflowRow[];
}

export const T0 = Date.UTC(2026, 0, 6, 8, 0, 0);
const DAY = 86400_000;

export function tagOf(name: string): AppTag {
  return { id: stableUuid(`dify-test:app-tag:${name}`), name, type: 'app' };
}

/** `str(datetime)` of a publish time: `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function versionName(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000`;
}

export function workflowRow(id: string, version: string, graph: Record<string, unknown>, at: number): WorkflowRow {
  return {
    id,
    version,
    graph,
    features: {},
    environmentVariables: [],
    conversationVariables: [],
    markedName: '',
    markedComment: '',
    createdAt: at,
    updatedAt: at,
  };
}

function seededApp(spec: AppSpec, i: number): ConsoleApp {
  const createdAt = T0 + i * 3600_000;
  const app: ConsoleApp = {
    id: spec.id,
    workspaceId: TENANT_ID,
    name: spec.name,
    description: spec.description,
    mode: spec.mode,
    iconType: 'emoji',
    icon: '🤖',
    iconBackground: '#FFEAD5',
    useIconAsAnswerIcon: false,
    maxActiveRequests: null,
    createdAt,
    // Edited in another order than created, so the two sort orders differ.
    updatedAt: createdAt + ((i * 7) % 5) * DAY,
    tags: spec.tags.map(tagOf),
    starred: false,
    enableSite: spec.hasSite,
    spec,
    apiEnabled: spec.apiEnabled,
    modelConfig: null,
    draft: null,
    published: [],
  };
  const wf = spec.workflow;
  if (wf) {
    const graph = seedGraph(spec.mode, wf.kind);
    app.draft = workflowRow(wf.draftId, 'draft', graph, app.updatedAt);
    app.published = [
      workflowRow(wf.id, versionName(createdAt + 1800_000), graph, createdAt + 1800_000),
      workflowRow(wf.previousId, versionName(createdAt + 600_000), graph, createdAt + 600_000),
    ];
  }
  return app;
}

function otherApp(handle: string, name: string, mode: AppMode, description: string, i: number): ConsoleApp {
  const createdAt = T0 + 30 * DAY + i * 3600_000;
  const id = stableUuid(`dify-test:app:${handle}`);
  const graph = mode === 'workflow' ? seedGraph(mode, 'summary') : null;
  return {
    id,
    workspaceId: OTHER_TENANT_ID,
    name,
    description,
    mode,
    iconType: 'emoji',
    icon: '📚',
    iconBackground: '#E0F2FE',
    useIconAsAnswerIcon: false,
    maxActiveRequests: null,
    createdAt,
    updatedAt: createdAt,
    tags: [],
    starred: false,
    enableSite: true,
    apiEnabled: true,
    modelConfig: null,
    draft: graph ? workflowRow(stableUuid(`dify-test:workflow-draft:${handle}`), 'draft', graph, createdAt) : null,
    published: [],
  };
}

/** Every app of every workspace. */
export function seedConsoleApps(specs: AppSpec[]): ConsoleApp[] {
  return [
    ...specs.map(seededApp),
    otherApp('research-notes', 'Research Notes 笔记', 'chat', 'A chat app of the second workspace.', 0),
    otherApp('paper-digest', 'Paper Digest', 'workflow', 'A workflow of the second workspace, never published.', 1),
  ];
}

/** An app created by `POST /apps` or an import: no Service API twin, no draft until one is synced or imported. */
export function newApp(
  workspaceId: string,
  at: number,
  fields: Pick<ConsoleApp, 'name' | 'description' | 'mode'> & Partial<Pick<ConsoleApp, 'iconType' | 'icon' | 'iconBackground' | 'useIconAsAnswerIcon'>>,
): ConsoleApp {
  return {
    id: uuid(),
    workspaceId,
    iconType: 'emoji',
    icon: '🤖',
    iconBackground: '#FFEAD5',
    useIconAsAnswerIcon: false,
    ...fields,
    maxActiveRequests: null,
    createdAt: at,
    updatedAt: at,
    tags: [],
    starred: false,
    enableSite: true,
    apiEnabled: true,
    modelConfig: null,
    draft: null,
    published: [],
  };
}
