// The Console API of the test Dify server (CONSOLE.md), mounted at /console/api beside the Service API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Apps } from '../apps/context.js';
import type { KnowledgeState } from '../knowledge/state.js';
import { Router } from '../router.js';
import type { DifyVersion } from '../version.js';
import type { Console } from './context.js';
import { registerAppEdits } from './app-edits.js';
import { registerApps } from './apps.js';
import { registerDatasets } from './datasets.js';
import { registerDraftRun } from './draft-run.js';
import { registerDsl } from './dsl.js';
import { KeyStore } from './keys.js';
import { registerLogin } from './login.js';
import { CONSOLE_EMAIL, CONSOLE_PASSWORD, ConsoleState } from './state.js';
import type { ConsoleOptions, LegacyConsoleVersion } from './state.js';
import { seedConsoleApps } from './store.js';
import { registerSystem } from './system.js';
import { registerWorkflows } from './workflows.js';
import { registerWorkspaces } from './workspaces.js';

export type { ConsoleOptions, LegacyConsoleVersion } from './state.js';

/** What a test gets to know and do about the console. */
export interface ConsoleHandle {
  /** `<origin>/console/api`. */
  url: string;
  /** The seeded account's login. */
  email: string;
  password: string;
  /** The X-Version the console answers with. */
  version: string;
  /** The seeded account's id (`user_id` of its access tokens, `sub` of its csrf tokens). */
  accountId: string;
  /**
   * The account's workspaces as seeded, the current one first: it holds the Service API's apps (`server.apps`, same
   * ids) and the Knowledge API's datasets; the second holds `apps` of its own (no Service API twin, no datasets).
   */
  workspaces: { id: string; name: string; role: string; apps: { id: string; name: string; mode: string }[] }[];
  /** Moves the server's clock forward (token expiry, refresh-token TTL, the login lock-out, import expiry). */
  advanceClock(seconds: number): void;
  /** Moves the clock past the access and csrf tokens' lifetime (refresh tokens live on). */
  expireTokens(): void;
  /** Sets the seeded account's status (`banned`: login 400 account_banned, its tokens 401). */
  setAccountStatus(status: 'active' | 'pending' | 'uninitialized' | 'banned'): void;
  /** The account's role in its current workspace (default owner; `normal` cannot edit, `editor` cannot delete keys). */
  setWorkspaceRole(role: 'owner' | 'admin' | 'editor' | 'normal' | 'dataset_operator'): void;
  /** Removes the account from (or puts it back into) every workspace. */
  setWorkspaceMember(member: boolean): void;
}

/**
 * flask-cors on the console blueprint (`supports_credentials=True`, origins from CONSOLE_CORS_ALLOW_ORIGINS, `*` by
 * default): a request naming an Origin gets it echoed with credentials allowed (inferred from flask-cors's rules).
 */
function consoleCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Vary', 'Origin');
}

export interface ConsoleSetup {
  version: DifyVersion;
  legacyVersion?: LegacyConsoleVersion;
  options: ConsoleOptions;
  apps: Apps;
  knowledge: KnowledgeState;
  origin: () => string;
}

export class ConsoleApi {
  readonly router = new Router({ prefix: '/console/api', cors: consoleCors });
  readonly c: Console;
  /** What the console can change of the Service API apps, as seeded (PUT, api-enable, a publish). */
  private readonly seeded: Map<string, { name: string; description: string; apiEnabled: boolean; workflow?: { id: string; previousId: string } }>;

  constructor(setup: ConsoleSetup) {
    this.seeded = new Map(
      setup.apps.state.apps.map(({ id, name, description, apiEnabled, workflow }) => [
        id,
        { name, description, apiEnabled, workflow: workflow && { id: workflow.id, previousId: workflow.previousId } },
      ]),
    );
    const state = new ConsoleState(setup.options);
    this.c = {
      state,
      consoleApps: seedConsoleApps(setup.apps.state.apps),
      keys: new KeyStore(setup.apps, setup.knowledge.keys),
      apps: setup.apps,
      knowledge: setup.knowledge,
      version: setup.legacyVersion ?? setup.version,
      plainPassword: setup.legacyVersion !== undefined,
      v113: setup.version === '1.13.2',
      origin: setup.origin,
    };
    registerSystem(this.router, this.c);
    registerLogin(this.router, this.c);
    registerWorkspaces(this.router, this.c);
    registerApps(this.router, this.c);
    registerAppEdits(this.router, this.c);
    registerDatasets(this.router, this.c);
    registerWorkflows(this.router, this.c);
    registerDraftRun(this.router, this.c);
    registerDsl(this.router, this.c);
  }

  handle(): ConsoleHandle {
    const { state } = this.c;
    return {
      url: `${this.c.origin()}/console/api`,
      email: CONSOLE_EMAIL,
      password: CONSOLE_PASSWORD,
      version: this.c.version,
      accountId: state.account.id,
      workspaces: state.joined().map((w) => ({
        id: w.id,
        name: w.name,
        role: w.role,
        apps: this.c.consoleApps.filter((a) => a.workspaceId === w.id).map(({ id, name, mode }) => ({ id, name, mode })),
      })),
      advanceClock: (seconds) => state.advance(seconds),
      expireTokens: () => state.advance(state.accessSeconds + 1),
      setAccountStatus: (status) => (state.account.status = status),
      setWorkspaceRole: (role) => {
        const current = state.current();
        if (current) current.role = role;
      },
      setWorkspaceMember: (member) => (state.inNoWorkspace = !member),
    };
  }

  /** Back to the seed: the session, the apps and their drafts, the keys (the /v1 and Knowledge API ones too). */
  reset(): void {
    this.c.state.reset();
    for (const spec of this.c.apps.state.apps) {
      const seeded = this.seeded.get(spec.id)!;
      Object.assign(spec, { name: seeded.name, description: seeded.description, apiEnabled: seeded.apiEnabled });
      if (spec.workflow && seeded.workflow) spec.workflow = { ...spec.workflow, ...seeded.workflow, titles: undefined };
    }
    this.c.consoleApps = seedConsoleApps(this.c.apps.state.apps);
    this.c.keys.reset();
  }
}
