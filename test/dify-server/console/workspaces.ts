// The account and its workspaces (CONSOLE.md §4): profile, the list, switching (persistent, account-wide), current.
import type { Router } from '../router.js';
import { HttpError } from '../router.js';
import { Validator, unix } from '../pyfmt.js';
import type { Console } from './context.js';
import { requireLogin } from './session.js';
import type { Workspace } from './state.js';

/** `TenantInfoResponse` (also `new_tenant` of a switch) on a self-hosted instance without billing. */
function tenantInfo(w: Workspace): Record<string, unknown> {
  return {
    id: w.id,
    name: w.name,
    plan: 'sandbox',
    status: 'normal',
    created_at: unix(w.createdAt),
    role: w.role,
    in_trial: null,
    trial_end_reason: null,
    custom_config: null,
    trial_credits: 0,
    trial_credits_used: 0,
    next_credit_reset_date: null,
  };
}

export function registerWorkspaces(router: Router, c: Console): void {
  router.add('GET', '/account/profile', (ctx) => {
    const { account } = requireLogin(c, ctx);
    ctx.send(200, {
      avatar: null,
      id: account.id,
      name: account.name,
      email: account.email,
      is_password_set: true,
      interface_language: 'en-US',
      interface_theme: 'light',
      timezone: 'UTC',
      last_login_at: account.lastLoginAt,
      last_login_ip: account.lastLoginIp,
      created_at: unix(account.createdAt),
      avatar_url: null,
    });
  });

  router.add('GET', '/workspaces', (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    ctx.send(200, {
      workspaces: c.state.joined().map((w) => ({
        id: w.id,
        name: w.name,
        plan: 'sandbox',
        status: 'normal',
        created_at: unix(w.createdAt),
        last_opened_at: w.lastOpenedAt === null ? null : unix(w.lastOpenedAt),
        current: w.id === workspace.id,
      })),
    });
  });

  router.add('POST', '/workspaces/switch', async (ctx) => {
    requireLogin(c, ctx);
    const v = new Validator('SwitchWorkspacePayload', await ctx.json());
    const tenantId = v.str('tenant_id', { required: true });
    v.throwIfAny();
    const target = c.state.joined().find((w) => w.id === tenantId);
    if (!target) throw new HttpError(403, 'account_not_link_tenant', 'Account not link tenant');
    c.state.currentId = target.id;
    target.lastOpenedAt = c.state.nowMs();
    ctx.send(200, { result: 'success', new_tenant: tenantInfo(target) });
  });

  router.add('POST', '/workspaces/current', (ctx) => {
    const { workspace } = requireLogin(c, ctx);
    ctx.send(200, tenantInfo(workspace));
  });
}
