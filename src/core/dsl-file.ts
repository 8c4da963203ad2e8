// A Dify app's DSL as a file of the workspace: its name, the comment header naming the app it pushes to (so a clone of
// the repository still knows; Dify ignores YAML comments), where in the text a key is, and the line a YAML parser's
// message names (js-yaml's "(3:5)", PyYAML's "line 3, column 5"), and the plugins an import lacks by name.
import type { LeakedDependency } from '../dify/index.js';

/** The app a DSL file belongs to: its id on the console at `origin`. */
export interface DslTarget {
  appId: string;
  origin: string;
}

const APP_ID = '# dify-app-id:';
const CONSOLE = '# dify-console:';

/** `<app name slug>.yml`: lower case, letters and digits of any script kept, the rest as single dashes. */
export function dslFileName(appName: string): string {
  const slug = appName
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'app'}.yml`;
}

/** The DSL with the header naming its app first (an older header replaced). */
export function withDslHeader(yaml: string, target: DslTarget): string {
  return `${APP_ID} ${target.appId}\n${CONSOLE} ${target.origin}\n${withoutDslHeader(yaml)}`;
}

/** The DSL without the header's lines. */
export function withoutDslHeader(yaml: string): string {
  const lines = yaml.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]!.startsWith(APP_ID) || lines[i]!.startsWith(CONSOLE))) i++;
  return lines.slice(i).join('\n');
}

/** The same DSL, whatever the header and the line endings (Dify's export against a file of the workspace). */
export function sameDsl(a: string, b: string): boolean {
  const body = (yaml: string) => withoutDslHeader(yaml).replace(/\r\n/g, '\n').trim();
  return body(a) === body(b);
}

/** The app the header at the top of the file names, if it has one. */
export function readDslHeader(yaml: string): DslTarget | undefined {
  let appId: string | undefined;
  let origin: string | undefined;
  for (const line of yaml.split('\n', 10)) {
    if (line.startsWith(APP_ID)) appId = line.slice(APP_ID.length).trim();
    else if (line.startsWith(CONSOLE)) origin = line.slice(CONSOLE.length).trim();
    else if (!line.startsWith('#')) break;
  }
  return appId && origin ? { appId, origin } : undefined;
}

/** A position in a text: 0-based line and column. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * The position a YAML parser's message points at, 0-based: PyYAML's (Dify's) last `line N, column M` (the problem,
 * after the context it started in), or js-yaml's `(N:M)`; undefined when the message names no line.
 */
export function yamlErrorPosition(message: string): TextPosition | undefined {
  const python = [...message.matchAll(/line (\d+), column (\d+)/g)].at(-1);
  const js = /\((\d+):(\d+)\)/.exec(message);
  const found = python ?? js;
  if (!found) return undefined;
  return { line: Math.max(0, Number(found[1]) - 1), column: Math.max(0, Number(found[2]) - 1) };
}

/**
 * The line of the key at `path` in a block-style YAML mapping (`['app', 'mode']`: the `mode:` under `app:`), or the
 * line of the deepest parent found; 0 when not even the first key is there.
 */
export function keyLine(yaml: string, path: readonly string[]): number {
  const lines = yaml.split('\n');
  let found = 0;
  let from = 0;
  let parentIndent = -1;
  for (const key of path) {
    const at = findKey(lines, key, from, parentIndent);
    if (at === undefined) return found;
    found = at;
    from = at + 1;
    parentIndent = indentOf(lines[at]!);
  }
  return found;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first `key:` among the children of the mapping whose key is indented `parentIndent` (from line `from` on). */
function findKey(lines: string[], key: string, from: number, parentIndent: number): number | undefined {
  const re = new RegExp(`^(\\s*)(["']?)${escape(key)}\\2\\s*:(\\s|$)`);
  let childIndent: number | undefined;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const indent = indentOf(line);
    if (indent <= parentIndent) return undefined;
    childIndent ??= indent;
    if (indent === childIndent && re.test(line)) return i;
  }
  return undefined;
}

/** How a plugin an import lacks is named to the user: its unique identifier as the DSL gives it, else its repo. */
export function pluginName(dependency: LeakedDependency): string {
  const v = dependency.value;
  const named = [v.marketplace_plugin_unique_identifier, v.plugin_unique_identifier, v.github_plugin_unique_identifier, v.repo, dependency.current_identifier];
  const name = named.find((n): n is string => typeof n === 'string' && n !== '');
  return name ?? JSON.stringify(v);
}
