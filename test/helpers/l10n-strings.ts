// Every string the extension passes to vscode.l10n.t, read from the sources (the message is always a literal).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CALL = /l10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

export function l10nStrings(srcDir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files(srcDir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(CALL)) {
      // The literal as JavaScript reads it: unescape \' \" \\ \n.
      const text = match[2]!.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
      found.set(text, file);
    }
  }
  return found;
}
