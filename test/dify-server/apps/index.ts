// The app Service API: every `/v1` route that takes an app key.
import type { Router } from '../router.js';
import { registerAnnotations } from './annotations.js';
import { registerChat } from './chat.js';
import type { Apps, AppsOptions } from './context.js';
import { registerConversations } from './conversations.js';
import { registerWorkflowEvents } from './events-stream.js';
import { registerFiles } from './files.js';
import { registerHumanInputForms } from './human-input.js';
import { buildApps } from './fixtures.js';
import { registerInfo } from './info.js';
import { AppState } from './state.js';
import { registerWorkflows } from './workflows.js';

export function createApps(options: AppsOptions): Apps {
  const specs = buildApps(options.version);
  return { options, state: new AppState(specs), byKey: new Map(specs.map((a) => [a.key, a])) };
}

export function registerApps(router: Router, apps: Apps): void {
  registerInfo(router, apps);
  registerChat(router, apps);
  registerConversations(router, apps);
  registerWorkflows(router, apps);
  registerWorkflowEvents(router, apps);
  registerHumanInputForms(router, apps);
  registerFiles(router, apps);
  registerAnnotations(router, apps);
}
