// The Dify Console API's bodies the extension reads, named as Dify names them (CONSOLE.md, Dify 1.15.0). Only the
// fields used are typed; Dify sends more.

/** `GET /console/api/system-features`, the parts that decide how to sign in (§2.1). */
export interface SystemFeatures {
  enable_email_password_login: boolean;
  enable_email_code_login: boolean;
  enable_social_oauth_login: boolean;
  sso_enforced_for_signin: boolean;
}

/** What the extension learns about a console before asking for a password. */
export interface ConsoleInstance {
  /** The console's origin, e.g. `https://dify.example.com`. */
  origin: string;
  /** Dify's version from `X-Version`, when the answer had it. */
  version: string | undefined;
  /** `GET /setup` says `finished` (a fresh install answers every login with 401 not_setup). */
  setupFinished: boolean;
  /** Email and password sign-in is on. */
  passwordLogin: boolean;
  /** Only a browser sign-in is offered (SSO enforced, or social OAuth alone): no password path for a client. */
  browserOnly: boolean;
  /** How the password travels: base64 of its UTF-8 from Dify 1.11.2 on, as typed before (§2.2, §10). */
  passwordEncoding: 'base64' | 'plain';
}

/** `GET /console/api/workspaces` entries (§4). */
export interface ConsoleWorkspace {
  id: string;
  name: string;
  plan: string;
  status: string;
  created_at: number;
  current: boolean;
}

export interface AccountProfile {
  id: string;
  name: string;
  email: string;
}

/** The modes `GET /console/api/apps` filters by (§5.1); `agent` is Dify 1.15's new agent app. */
export type ConsoleAppMode = 'completion' | 'chat' | 'advanced-chat' | 'workflow' | 'agent-chat' | 'agent' | 'all';

/** `AppPartial` of the app list. */
export interface ConsoleApp {
  id: string;
  name: string;
  description: string;
  mode: string;
  icon_type: string | null;
  icon: string | null;
  icon_background: string | null;
  created_at: number;
  updated_at: number;
}

/** `AppDetailWithSite` (§5.2), the parts read. */
export interface ConsoleAppDetail extends ConsoleApp {
  enable_api: boolean;
  api_base_url: string;
}

export interface ConsolePage<T> {
  page: number;
  limit: number;
  total: number;
  has_more: boolean;
  data: T[];
}

/** A Service API key (`app-…`) or a Knowledge API key (`dataset-…`), returned in full (§5.5, §8.2). */
export interface ConsoleApiKey {
  id: string;
  type: 'app' | 'dataset';
  token: string;
  last_used_at: number | null;
  created_at: number;
}

/** `GET /console/api/datasets` entries (§8.1), the parts read. */
export interface ConsoleDataset {
  id: string;
  name: string;
  description: string | null;
  document_count: number;
  word_count: number;
  enable_api: boolean;
}

/** `status` of an `Import` (§6.2): 200 completed / completed-with-warnings, 202 pending, 400 failed. */
export type ImportStatus = 'completed' | 'completed-with-warnings' | 'pending' | 'failed';

/** `POST /console/api/apps/imports` body (`AppImportPayload`, §6.2). `app_id` overwrites that workflow app's draft. */
export interface AppImportPayload {
  mode: 'yaml-content' | 'yaml-url';
  yaml_content?: string;
  yaml_url?: string;
  app_id?: string;
  name?: string;
  description?: string;
}

/** `Import`, the answer of an import and of its confirm (§6.2, §6.3). */
export interface Import {
  id: string;
  status: ImportStatus;
  app_id: string | null;
  app_mode: string | null;
  current_dsl_version: string;
  imported_dsl_version: string;
  /** Why a `failed` import failed, in Dify's words ('' otherwise). */
  error: string;
}

/** A plugin the imported DSL needs that the workspace lacks (`check-dependencies`, §6.4). */
export interface LeakedDependency {
  type: 'github' | 'marketplace' | 'package';
  value: Record<string, unknown>;
  current_identifier: string | null;
}

/** A workflow's `{nodes, edges, viewport?}` as the web editor stores it. */
export interface WorkflowGraph {
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
  viewport?: Record<string, unknown>;
}

/** `WorkflowResponse` (§7.1): the draft, or a published version; the parts read. */
export interface WorkflowResponse {
  id: string;
  graph: WorkflowGraph;
  features: Record<string, unknown>;
  /** What the next draft sync must send back (§7.2); changes with the graph only. */
  hash: string;
  /** `draft`, or the published version's `YYYY-MM-DD HH:MM:SS.ffffff`. */
  version: string;
  marked_name: string;
  marked_comment: string;
  created_by: { id: string; name: string; email: string } | null;
  created_at: number;
  updated_at: number;
}

/** `POST /console/api/apps/{id}/workflows/publish` body (§7.3): a name of at most 20, a comment of at most 100. */
export interface PublishWorkflowPayload {
  marked_name?: string;
  marked_comment?: string;
}

/** `GET /console/api/apps/{id}/workflows` (§7.3): the draft first, then the published versions, newest first. */
export interface WorkflowPage {
  items: WorkflowResponse[];
  page: number;
  limit: number;
  has_more: boolean;
}
