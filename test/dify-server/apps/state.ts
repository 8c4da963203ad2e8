// In-memory state of the app Service API: end users, conversations, messages, files, workflow runs, tasks.
import { rmSync } from 'node:fs';
import { Clock, uuid } from '../pyfmt.js';
import type { AppMode, AppSpec } from './fixtures.js';
import type { RunLog } from './run-log.js';

export interface EndUser {
  id: string;
  appId: string;
  sessionId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Feedback {
  id: string;
  appId: string;
  conversationId: string;
  messageId: string;
  rating: 'like' | 'dislike';
  content: string | null;
  endUserId: string;
  createdAt: number;
  updatedAt: number;
}

export interface RetrieverResource {
  id: string;
  position: number;
  datasetId: string;
  datasetName: string;
  documentId: string;
  documentName: string;
  segmentId: string;
  score: number;
  hitCount: number;
  wordCount: number;
  segmentPosition: number;
  indexNodeHash: string;
  content: string;
  retrieverFrom: string;
}

export interface AgentThought {
  id: string;
  position: number;
  thought: string;
  tool: string;
  toolLabels: Record<string, unknown>;
  toolInput: string;
  observation: string;
  files: string[];
  createdAt: number;
}

export interface MessageFile {
  id: string;
  filename: string;
  type: string;
  url: string;
  mimeType: string;
  size: number;
  transferMethod: 'local_file' | 'remote_url' | 'tool_file';
  belongsTo: 'user' | 'assistant';
  uploadFileId: string | null;
  extension: string;
  remoteUrl: string;
}

export interface Message {
  id: string;
  appId: string;
  conversationId: string;
  endUserId: string;
  inputs: Record<string, unknown>;
  query: string;
  answer: string;
  createdAt: number;
  retrieverResources: RetrieverResource[];
  agentThoughts: AgentThought[];
  files: MessageFile[];
  status: 'normal' | 'error';
  error: string | null;
  suggested: string[];
}

export interface ConversationVariable {
  id: string;
  name: string;
  valueType: string;
  value: unknown;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface Conversation {
  id: string;
  appId: string;
  mode: AppMode;
  endUserId: string;
  name: string;
  inputs: Record<string, unknown>;
  introduction: string;
  createdAt: number;
  updatedAt: number;
  /** Oldest first. */
  messages: Message[];
  variables: ConversationVariable[];
  /** The query to generate a name from, when auto_generate_name was on. */
  firstQuery: string;
}

export interface UploadFile {
  id: string;
  name: string;
  size: number;
  extension: string;
  mimeType: string;
  createdBy: string;
  createdAt: number;
  sha256: string;
  /** Where the bytes are on disk. */
  path: string;
  /** Apps with a message that references this file (preview only works for those). */
  attachedTo: Set<string>;
}

export interface WorkflowRun {
  id: string;
  appId: string;
  workflowId: string;
  version: string;
  status: 'running' | 'succeeded' | 'failed' | 'stopped' | 'paused';
  /** The raw JSON text column (Python json.dumps). */
  inputs: string;
  outputs: Record<string, unknown> | null;
  error: string | null;
  totalSteps: number;
  totalTokens: number;
  createdAt: number;
  finishedAt: number | null;
  elapsedTime: number;
  endUserId: string;
  sessionId: string;
  logId: string | null;
  /** While paused: the nodes waiting and the pause reasons (workflow_paused.data). */
  pausedNodes?: string[];
  pauseReasons?: Record<string, unknown>[];
}

export interface Task {
  id: string;
  appId: string;
  mode: AppMode;
  endUserId: string;
  stopped: boolean;
}

/** A MessageAnnotation row created through the Service API (§3.11). */
export interface Annotation {
  id: string;
  appId: string;
  question: string;
  /** The answer (the `content` column). */
  content: string;
  hitCount: number;
  createdAt: number;
}

/** An annotation-reply enable/disable job, as Redis holds it under `{action}_app_annotation_job_{id}`. */
export interface AnnotationJob {
  id: string;
  appId: string;
  action: string;
  status: 'waiting' | 'processing' | 'completed' | 'error';
}

/** How a paused human-input form was answered. */
export type FormOutcome = { kind: 'submitted'; action: string; inputs: Record<string, unknown> } | { kind: 'timeout' };

/** A human-input form a paused run waits on (1.14+: answered through `/form/human_input/:token`). */
export interface HumanForm {
  token: string;
  id: string;
  appId: string;
  runId: string;
  nodeId: string;
  nodeTitle: string;
  /** The rendered form text (markdown with `{{#$output.x#}}` placeholders). */
  formContent: string;
  inputs: Record<string, unknown>[];
  actions: { id: string; title: string; button_style: string }[];
  resolvedDefaults: Record<string, string>;
  /** Epoch ms. */
  expiresAt: number;
  status: 'waiting' | 'submitted' | 'timeout';
  /** Resumes the paused run; set while it waits. */
  resume?: (outcome: FormOutcome) => void;
  timer?: NodeJS.Timeout;
}

export class AppState {
  readonly clock = new Clock();
  endUsers = new Map<string, EndUser>();
  conversations = new Map<string, Conversation>();
  messages = new Map<string, Message>();
  feedbacks: Feedback[] = [];
  files = new Map<string, UploadFile>();
  runs = new Map<string, WorkflowRun>();
  /** The replayable event log of each workflow / advanced-chat run, by run id. */
  runLogs = new Map<string, RunLog>();
  /** Human-input forms by token. */
  forms = new Map<string, HumanForm>();
  tasks = new Map<string, Task>();
  annotations = new Map<string, Annotation>();
  /** Keyed by `{action}_{job id}`. */
  annotationJobs = new Map<string, AnnotationJob>();
  /** In-flight generation requests per app id (the APP_MAX_ACTIVE_REQUESTS rate limit). */
  activeRequests = new Map<string, Set<object>>();

  constructor(readonly apps: AppSpec[]) {}

  reset(): void {
    for (const f of this.files.values()) rmSync(f.path, { force: true });
    this.endUsers.clear();
    this.conversations.clear();
    this.messages.clear();
    this.feedbacks = [];
    this.files.clear();
    this.runs.clear();
    this.runLogs.clear();
    for (const form of this.forms.values()) clearTimeout(form.timer);
    this.forms.clear();
    this.tasks.clear();
    this.annotations.clear();
    this.annotationJobs.clear();
    this.activeRequests.clear();
  }

  /** `create_or_update_end_user_for_user_id`: the end user for a session id, created on first use. */
  endUser(app: AppSpec, sessionId: string | undefined): EndUser {
    const session = sessionId || 'DEFAULT-USER';
    for (const u of this.endUsers.values()) {
      if (u.appId === app.id && u.sessionId === session) return u;
    }
    const now = this.clock.now();
    const user: EndUser = { id: uuid(), appId: app.id, sessionId: session, createdAt: now, updatedAt: now };
    this.endUsers.set(user.id, user);
    return user;
  }

  /** A conversation of this app and end user, or undefined. */
  conversation(app: AppSpec, endUser: EndUser, id: string): Conversation | undefined {
    const c = this.conversations.get(id.toLowerCase());
    return c && c.appId === app.id && c.endUserId === endUser.id ? c : undefined;
  }

  startTask(app: AppSpec, endUser: EndUser): Task {
    const task: Task = { id: uuid(), appId: app.id, mode: app.mode, endUserId: endUser.id, stopped: false };
    this.tasks.set(task.id, task);
    return task;
  }

  endTask(task: Task): void {
    this.tasks.delete(task.id);
  }
}
