// The endpoints without login (CONSOLE.md §2.1, §6.1): ping, setup, init, system-features, version, app-dsl-version.
import type { RouteContext, Router } from '../router.js';
import { pydanticError, isoFormat } from '../pyfmt.js';
import { orjson } from '../wire.js';
import type { Console } from './context.js';

export const DSL_VERSION = '0.6.0';
const SETUP_AT = Date.UTC(2026, 0, 5, 9, 0, 0, 123);

/**
 * The fastopenapi routes (`/ping`, `/setup`, `/init`, `/version`) return pydantic models, written compactly as
 * CONSOLE.md shows them (`{"result":"pong"}`); their own error rendering was not read (§3.1).
 */
function sendModel(ctx: RouteContext, status: number, body: unknown): void {
  const text = orjson(body);
  ctx.record.status = status;
  ctx.res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  ctx.res.end(text);
}

/** `FeatureService.get_system_features()` on a self-hosted instance, keys in SystemFeatureModel order. */
function systemFeatures(c: Console): Record<string, unknown> {
  const { ssoOnly, passwordLoginDisabled } = c.state.options;
  return {
    enable_app_deploy: false,
    sso_enforced_for_signin: ssoOnly === true,
    sso_enforced_for_signin_protocol: ssoOnly ? 'oidc' : '',
    enable_marketplace: true,
    max_plugin_package_size: 52428800,
    enable_email_code_login: false,
    enable_email_password_login: !(ssoOnly || passwordLoginDisabled),
    enable_social_oauth_login: false,
    enable_collaboration_mode: false,
    is_allow_register: false,
    is_allow_create_workspace: false,
    is_email_setup: false,
    license: { status: 'none', expired_at: '', workspaces: { enabled: false, size: 0, limit: 0 } },
    branding: { enabled: false, application_title: '', login_page_logo: '', workspace_logo: '', favicon: '' },
    webapp_auth: {
      enabled: false,
      allow_sso: false,
      sso_config: { protocol: '' },
      allow_email_code_login: false,
      allow_email_password_login: false,
    },
    plugin_installation_permission: { plugin_installation_scope: 'all', restrict_to_marketplace_only: false },
    enable_change_email: true,
    plugin_manager: { enabled: false },
    enable_creators_platform: false,
    enable_trial_app: false,
    enable_explore_banner: false,
    enable_learn_app: false,
    rbac_enabled: false,
  };
}

export function registerSystem(router: Router, c: Console): void {
  const { options } = c.state;
  router.add('GET', '/ping', (ctx) => sendModel(ctx, 200, { result: 'pong' }));
  router.add('GET', '/setup', (ctx) =>
    sendModel(ctx, 200, options.notSetUp ? { step: 'not_started', setup_at: null } : { step: 'finished', setup_at: isoFormat(SETUP_AT) }),
  );
  router.add('GET', '/init', (ctx) => sendModel(ctx, 200, { status: options.notSetUp && options.initPassword ? 'not_started' : 'finished' }));
  router.add('GET', '/version', (ctx) => {
    const current = ctx.query.get('current_version');
    if (current === null) {
      throw pydanticError('VersionQuery', [{ loc: 'current_version', msg: 'Field required', type: 'missing', input: {} }]);
    }
    sendModel(ctx, 200, {
      version: c.version,
      release_date: '',
      release_notes: '',
      can_auto_update: false,
      features: { can_replace_logo: false, model_load_balancing_enabled: false },
    });
  });
  router.add('GET', '/system-features', (ctx) => ctx.send(200, systemFeatures(c)));
  router.add('GET', '/app-dsl-version', (ctx) => ctx.send(200, { app_dsl_version: DSL_VERSION }));
}
