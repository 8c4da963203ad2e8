// GET /info, /parameters, /meta, /site, /end-users/:id (CONTRACT §3.1, §3.12).
import type { Router } from '../router.js';
import { HttpError, errors } from '../router.js';
import { isoFormat } from '../pyfmt.js';
import type { Apps } from './context.js';
import { authApp } from './context.js';
import { TENANT_ID, parametersOf } from './fixtures.js';

const CONSOLE = 'https://cloud.dify.ai';
const FORBIDDEN_DEFAULT =
  "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.";

export function registerInfo(router: Router, apps: Apps): void {
  router.add('GET', '/info', (ctx) => {
    const app = authApp(apps, ctx);
    ctx.send(200, { name: app.name, description: app.description, tags: app.tags, mode: app.mode, author_name: app.authorName });
  });

  router.add('GET', '/parameters', (ctx) => {
    ctx.send(200, parametersOf(authApp(apps, ctx)));
  });

  router.add('GET', '/meta', (ctx) => {
    const app = authApp(apps, ctx);
    const icon = (provider: string): string =>
      `${CONSOLE}/console/api/workspaces/current/tool-provider/builtin/${provider}/icon`;
    ctx.send(200, {
      tool_icons: app.mode === 'agent-chat' ? { dalle3: icon('dalle'), current_time: { background: '#252525', content: '😁' } } : {},
    });
  });

  router.add('GET', '/site', (ctx) => {
    const app = authApp(apps, ctx);
    if (!app.hasSite) throw errors.forbidden(FORBIDDEN_DEFAULT);
    ctx.send(200, {
      title: app.name,
      chat_color_theme: '#1C64F2',
      chat_color_theme_inverted: false,
      icon_type: 'emoji',
      icon: '🤖',
      icon_background: '#FFEAD5',
      icon_url: null,
      description: app.description,
      copyright: 'Dify Test 测试',
      privacy_policy: 'https://example.com/privacy',
      custom_disclaimer: '',
      default_language: 'en-US',
      show_workflow_steps: true,
      use_icon_as_answer_icon: false,
    });
  });

  router.add('GET', '/end-users/:end_user_id<uuid>', (ctx) => {
    const app = authApp(apps, ctx);
    const user = apps.state.endUsers.get(ctx.params.end_user_id!.toLowerCase());
    if (!user || user.appId !== app.id) throw new HttpError(404, 'end_user_not_found', 'End user not found.');
    ctx.send(200, {
      id: user.id,
      tenant_id: TENANT_ID,
      app_id: user.appId,
      type: 'service_api',
      external_user_id: null,
      name: null,
      is_anonymous: user.sessionId === 'DEFAULT-USER',
      session_id: user.sessionId,
      created_at: isoFormat(user.createdAt),
      updated_at: isoFormat(user.updatedAt),
    });
  });
}
