// After a run: no key the tests used may appear in any file VS Code wrote (logs, output channels, state). code-server
// keeps extension secrets on the browser side, so no file of its user data dir may hold one. Returns the files that
// hold a key, named by which key.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? files(path) : stat.isFile() && stat.size < 64 * 1024 * 1024 ? [path] : [];
  });
}

export function findKeys(dirs: string[], keys: Record<string, string>): string[] {
  const found: string[] = [];
  for (const path of dirs.flatMap(files)) {
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch {
      continue; // gone meanwhile (a lock file, a rotated log)
    }
    for (const [name, key] of Object.entries(keys)) if (content.includes(key)) found.push(`${path}: the ${name} key`);
  }
  return found;
}
