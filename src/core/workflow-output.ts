// What a finished run gives back to the editor: one output variable of a workflow (chosen once per app when there
// are several) or a completion's answer, as text; and a lone fenced code block unwrapped so code replaces code.

/** How the result reaches the user. */
export type OutputMode = 'replace' | 'insertBelow' | 'diff' | 'newEditor' | 'copy' | 'chat';

export const OUTPUT_MODES: readonly OutputMode[] = ['replace', 'insertBelow', 'diff', 'newEditor', 'copy', 'chat'];

export const isOutputMode = (value: unknown): value is OutputMode => typeof value === 'string' && (OUTPUT_MODES as readonly string[]).includes(value);

/**
 * The output modes in the order the picker lists them: the current one first (Enter keeps it), else the diff, which
 * changes nothing until accepted, rather than replacing the selection outright.
 */
export function pickerOrder(modes: readonly OutputMode[], current: OutputMode | undefined): OutputMode[] {
  const first = current && modes.includes(current) ? current : modes.includes('diff') ? 'diff' : undefined;
  return first ? [first, ...modes.filter((m) => m !== first)] : [...modes];
}

/** Modes that write into the document the run started from. */
export const editsSource = (mode: OutputMode): boolean => mode === 'replace' || mode === 'insertBelow' || mode === 'diff';

export type OutputChoice =
  | { kind: 'variable'; variable: string }
  /** Several variables and none remembered: the user picks once. */
  | { kind: 'choose'; variables: string[] }
  | { kind: 'none' };

/** The output variable to use: the only one, or the remembered one if the workflow still has it. */
export function chooseOutput(outputs: Record<string, unknown> | null | undefined, remembered: string | undefined): OutputChoice {
  const variables = Object.keys(outputs ?? {});
  if (variables.length === 0) return { kind: 'none' };
  if (variables.length === 1) return { kind: 'variable', variable: variables[0]! };
  if (remembered && variables.includes(remembered)) return { kind: 'variable', variable: remembered };
  return { kind: 'choose', variables };
}

interface DifyFileDict {
  dify_model_identity: '__dify__file__';
  filename?: string;
  url?: string | null;
  remote_url?: string | null;
}

const isDifyFile = (value: unknown): value is DifyFileDict =>
  !!value && typeof value === 'object' && (value as { dify_model_identity?: unknown }).dify_model_identity === '__dify__file__';

/** An output value as text: strings as they are, lists of strings one per line, files by name and link, the rest as JSON. */
export function outputText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isDifyFile(value)) return fileLine(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join('\n');
  if (Array.isArray(value) && value.length > 0 && value.every(isDifyFile)) return value.map(fileLine).join('\n');
  return JSON.stringify(value, null, 2);
}

function fileLine(file: DifyFileDict): string {
  const url = file.url || file.remote_url;
  return url ? `[${file.filename ?? 'file'}](${url})` : (file.filename ?? 'file');
}

/** The text of one lone fenced code block (```lang … ```) and its language; undefined when the text is more than that. */
export function unwrapCodeFence(text: string): { code: string; language: string | undefined } | undefined {
  const match = /^\s*(`{3,}|~{3,})[ \t]*([\w#+.-]*)[^\n]*\n([\s\S]*?)\n?\1[ \t]*\s*$/.exec(text);
  if (!match) return undefined;
  const fence = match[1]!;
  const body = match[3]!;
  // Another fence of the same kind inside means several blocks, not one.
  if (body.split('\n').some((line) => line.trimStart().startsWith(fence))) return undefined;
  return { code: body, language: match[2] || undefined };
}

/** The text that goes into the source document: a lone code block's code, else the text as it is. */
export function textForEditor(text: string): string {
  return unwrapCodeFence(text)?.code ?? text;
}

/** A replaced block of whole lines stays whole lines: the output gets the original's final line break back. */
export function keepTrailingNewline(original: string, text: string): string {
  const eol = /\r\n$/.test(original) ? '\r\n' : /\n$/.test(original) ? '\n' : '';
  return eol && !/\n$/.test(text) ? text + eol : text;
}

/** Language ids VS Code knows for common fence names. */
const FENCE_LANGUAGES: Record<string, string> = {
  js: 'javascript',
  jsx: 'javascriptreact',
  ts: 'typescript',
  tsx: 'typescriptreact',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  rb: 'ruby',
  rs: 'rust',
  'c++': 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  kt: 'kotlin',
  golang: 'go',
  ps1: 'powershell',
};

/**
 * What a new editor shows and in which language: a lone code block as code in its language (or the source's), any
 * other text as Markdown.
 */
export function newEditorContent(text: string, sourceLanguage: string | undefined): { content: string; language: string } {
  const block = unwrapCodeFence(text);
  if (!block) return { content: text, language: 'markdown' };
  const fence = block.language?.toLowerCase();
  const language = fence ? (FENCE_LANGUAGES[fence] ?? fence) : (sourceLanguage ?? 'plaintext');
  return { content: block.code, language };
}
