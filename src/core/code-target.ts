// Where a code block from the chat goes when the user applies it with nothing selected: the definition in the file
// that the block redefines (found by name), never the whole file. Pure text logic; the editor layer adds what the
// language's symbol provider knows.

/** Declarations a code block starts with, across common languages: `def name`, `function name`, `class Name`, … */
const DECLARATION =
  /^\s*(?:export\s+)?(?:default\s+)?(?:public\s+|private\s+|protected\s+|static\s+|async\s+|abstract\s+|pub(?:\(\w+\))?\s+)*(?:def|function\*?|class|interface|type|enum|struct|trait|impl|fn|func|const|let|var)\s+([A-Za-z_$][\w$]*)/;
/** A method or function written as `name(...) {` (JavaScript class bodies, Java, C#, Go receivers aside). */
const METHOD = /^\s*(?:(?:public|private|protected|static|async|override|readonly)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::[^{=]+)?\{\s*$/;

/** The name the code block defines first (its first declaration line), if it defines one. */
export function declaredName(code: string): string | undefined {
  for (const line of code.split('\n')) {
    if (line.trim() === '' || /^\s*(?:#|\/\/|\/\*|\*|@)/.test(line)) continue;
    const name = DECLARATION.exec(line)?.[1] ?? METHOD.exec(line)?.[1];
    if (name && !['if', 'for', 'while', 'switch', 'catch', 'return'].includes(name)) return name;
    return undefined;
  }
  return undefined;
}

/**
 * The lines (0-based, end exclusive) of an indentation-delimited definition of `name` (`def name` / `class name`,
 * with its decorators) in `lines`: where no symbol provider answers, as for Python without its extension.
 */
export function indentedDefinition(lines: string[], name: string): { start: number; end: number } | undefined {
  const header = new RegExp(`^(\\s*)(?:async\\s+)?(?:def|class)\\s+${name.replace(/\$/g, '\\$')}\\b`);
  const at = lines.findIndex((line) => header.test(line));
  if (at < 0) return undefined;
  const indent = header.exec(lines[at]!)![1]!.length;
  let start = at;
  while (start > 0 && new RegExp(`^\\s{${indent}}@`).test(lines[start - 1]!) && lines[start - 1]!.search(/\S/) === indent) start--;
  let end = at + 1;
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (line.search(/\S/) <= indent) break;
    end = i + 1;
  }
  return { start, end };
}
