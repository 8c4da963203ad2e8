// What an import does once the DSL is read (CONSOLE.md §6.2): the version check, fetching a yaml_url, and
// `_create_or_update_app` (a new app, or a workflow app's draft replaced).
import { uuid } from '../pyfmt.js';
import type { AppMode } from '../apps/fixtures.js';
import type { Console } from './context.js';
import { parsePyJson } from './graph-hash.js';
import type { ConsoleApp, EnvVariable } from './store.js';
import { newApp, workflowRow } from './store.js';
import { DSL_VERSION } from './system.js';

export type ImportStatus = 'completed' | 'completed-with-warnings' | 'pending' | 'failed';

const PEP440 =
  /^\s*v?(?:\d+!)?(\d+(?:\.\d+)*)([-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?((?:-\d+)|(?:[-_.]?(?:post|rev|r)[-_.]?\d*))?([-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?\s*$/i;

/** `packaging.version.parse`, reduced to what the comparison needs: the release numbers and a pre/post rank. */
function parseVersion(text: string): { release: number[]; rank: number } | undefined {
  const m = PEP440.exec(text);
  if (!m) return undefined;
  const rank = m[3] ? 1 : m[2] ? -1 : m[4] ? -2 : 0;
  return { release: m[1]!.split('.').map(Number), rank };
}

function compare(a: { release: number[]; rank: number }, b: { release: number[]; rank: number }): number {
  for (let i = 0; i < Math.max(a.release.length, b.release.length); i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.rank - b.rank;
}

/** `_check_version_compatibility(imported, "0.6.0")`. */
export function checkVersion(imported: string): ImportStatus {
  const current = parseVersion(DSL_VERSION)!;
  const version = parseVersion(imported);
  if (!version) return 'failed';
  if (compare(version, current) > 0) return 'pending';
  if ((version.release[0] ?? 0) < current.release[0]!) return 'pending';
  if ((version.release[1] ?? 0) < current.release[1]!) return 'completed-with-warnings';
  return 'completed';
}

const MAX_BYTES = 10 * 1024 * 1024;

/** The yaml_url fetch (10 s timeout, 10 MB); its failures as the `error` texts (httpx's raise_for_status wording). */
export async function fetchYaml(raw: string): Promise<{ content: string; error?: undefined } | { error: string }> {
  let url = raw;
  if (/^https:\/\/github\.com\/.*\.ya?ml$/.test(url)) url = url.replace('https://github.com', 'https://raw.githubusercontent.com').replace('/blob/', '/');
  url = url.trim();
  try {
    const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) {
      const kind = res.status >= 500 ? 'Server error' : 'Client error';
      await res.body?.cancel();
      return {
        error:
          `Error fetching YAML from URL: ${kind} '${res.status} ${res.statusText}' for url '${url}'\n` +
          `For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/${res.status}`,
      };
    }
    const content = await res.text();
    if (content.length > MAX_BYTES) return { error: 'File size exceeds the limit of 10MB' };
    if (!content) return { error: 'Empty content from url' };
    return { content };
  } catch (e) {
    return { error: `Error fetching YAML from URL: ${(e as Error).message}` };
  }
}

const MODES: AppMode[] = ['chat', 'agent-chat', 'advanced-chat', 'completion', 'workflow', 'agent'];
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** DSL values, re-read so that floats stay floats in the stored graph (its hash follows Python's). */
function stored(value: unknown): Record<string, unknown> {
  return parsePyJson(JSON.stringify(value ?? {})) as Record<string, unknown>;
}

function dslVariables(raw: unknown): EnvVariable[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((v) => ({
    id: typeof v.id === 'string' ? v.id : uuid(),
    name: String(v.name ?? ''),
    value_type: String(v.value_type ?? 'string'),
    value: v.value ?? '',
    description: typeof v.description === 'string' ? v.description : '',
  }));
}

/**
 * `_create_or_update_app`: the checks first (they raise, and the import is `failed` with their text), then the app:
 * created in the workspace, or (app_id) its name, icon and draft replaced. Leaked plugin dependencies are kept for
 * check-dependencies (10 minutes).
 */
export function applyDsl(
  c: Console,
  workspaceId: string,
  dsl: Record<string, unknown>,
  target: ConsoleApp | undefined,
  overrides: Record<string, string | null>,
): ConsoleApp {
  const appData = isObject(dsl.app) ? dsl.app : {};
  if (appData.mode === undefined) throw new Error("'mode'");
  const mode = MODES.find((m) => m === appData.mode);
  if (!mode) throw new Error(`'${String(appData.mode)}' is not a valid AppMode`);
  const workflowBased = mode === 'workflow' || mode === 'advanced-chat';
  if (mode === 'agent') throw new Error('Invalid app mode');
  if (workflowBased && !isObject(dsl.workflow)) throw new Error('Missing workflow data for workflow/advanced chat app');
  if (!workflowBased && !isObject(dsl.model_config)) throw new Error('Missing model_config for chat/agent-chat/completion app');
  const iconTypeValue = overrides.icon_type || appData.icon_type;
  const iconType = iconTypeValue === 'emoji' || iconTypeValue === 'link' || iconTypeValue === 'image' ? iconTypeValue : 'emoji';
  const icon = overrides.icon || String(appData.icon ?? '');
  const now = c.state.nowMs();
  let app = target;
  if (app) {
    app.name = overrides.name || String(appData.name ?? app.name);
    app.description = overrides.description || String(appData.description ?? app.description);
    app.iconType = iconType;
    app.icon = icon;
    app.iconBackground = overrides.icon_background || String(appData.icon_background ?? app.iconBackground);
    app.updatedAt = now;
  } else {
    app = newApp(workspaceId, now, {
      name: overrides.name || String(appData.name ?? ''),
      description: overrides.description || String(appData.description ?? ''),
      mode,
      iconType,
      icon,
      iconBackground: overrides.icon_background || String(appData.icon_background ?? '#FFFFFF'),
      useIconAsAnswerIcon: appData.use_icon_as_answer_icon === true,
    });
    c.consoleApps.push(app);
  }
  const dependencies = Array.isArray(dsl.dependencies) ? dsl.dependencies.filter(isObject) : [];
  if (dependencies.length) {
    const items = dependencies.map((d) => ({ type: d.type ?? null, value: d.value ?? {}, current_identifier: d.current_identifier ?? null }));
    c.state.leakedDependencies.set(app.id, { items, expiresAt: now + 600_000 });
  }
  if (workflowBased) {
    const wf = dsl.workflow as Record<string, unknown>;
    const row = app.draft ?? workflowRow(uuid(), 'draft', {}, now);
    row.graph = stored(wf.graph);
    row.features = stored(wf.features);
    row.environmentVariables = dslVariables(wf.environment_variables);
    row.conversationVariables = dslVariables(wf.conversation_variables);
    row.updatedAt = now;
    app.draft = row;
  } else {
    app.modelConfig = { ...(dsl.model_config as Record<string, unknown>) };
  }
  return app;
}
