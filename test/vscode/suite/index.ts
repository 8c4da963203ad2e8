// The in-host test runner: VS Code's extension host loads this module (bundled to out/vscode-suite/index.js) through
// `extensionTestsPath` and calls `run()`, the contract of @vscode/test-electron and of code-server's workbench. It
// runs every `*.test.js` bundled next to it (one per test/vscode/suite/**/*.test.ts) with mocha, and rejects when a
// test fails; the workbench then reports exit code 1 to the orchestrator (window.codeAutomationExit).
import { readdirSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type MochaCtor from 'mocha';
import { runMocha } from '../lib/results.js';
import { testEnv } from './env.js';

export async function run(): Promise<void> {
  process.setSourceMapsEnabled(true); // caches the bundles' inline source maps as they load (findSourceMap)
  mapTestStackTraces();
  const env = testEnv();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- mocha stays external: the host's require finds it in node_modules
  const m = require('mocha') as typeof MochaCtor & { Mocha?: typeof MochaCtor };
  const Mocha = m.Mocha ?? m;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.DIFY_VSCODE_SUITE_TEST_TIMEOUT ?? 20_000),
    ...(env.grep ? { grep: env.grep } : {}),
  });
  const files = (readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(join(__dirname, f));
  if (files.length === 0) throw new Error(`no *.test.js next to ${__filename}: was the suite bundle built?`);

  const counts = await runMocha(mocha);
  writeFileSync(env.resultsFile, JSON.stringify(counts));
  if (counts.failures > 0) throw new Error(`${counts.failures} in-host test(s) failed`);
}

/**
 * Stack traces of the test bundles point at the .ts sources. The extension host has its own Error.prepareStackTrace,
 * which ignores source maps: wrap it, and map the frames of files in this folder (other errors go to it untouched).
 */
function mapTestStackTraces(): void {
  const previous = Error.prepareStackTrace;
  const root = join(__dirname, '../..');
  Error.prepareStackTrace = (error, frames) => {
    if (!frames.some((f) => f.getFileName()?.startsWith(__dirname))) {
      return previous ? previous(error, frames) : `${String(error)}\n${frames.map((f) => `    at ${String(f)}`).join('\n')}`;
    }
    const lines = frames.map((f) => {
      const file = f.getFileName();
      const line = f.getLineNumber();
      const column = f.getColumnNumber();
      if (file?.startsWith(__dirname) && line && column) {
        const entry = findSourceMap(file)?.findEntry(line - 1, column - 1);
        if (entry && 'originalSource' in entry && entry.originalSource) {
          const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
          const where = `${relative(root, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
          return `    at ${f.getFunctionName() ?? '<anonymous>'} (${where})`;
        }
      }
      return `    at ${String(f)}`;
    });
    // Node names coded errors "Name [CODE]" while their stack is captured; String() adds the code once more.
    return `${String(error).replace(/( \[[A-Z0-9_]+\])\1/, '$1')}\n${lines.join('\n')}`;
  };
}
