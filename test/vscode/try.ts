// `npm run try [-- --port N]`: the extension in a real VS Code (code-server 4.100.3) against the test Dify server, every test
// app and a knowledge key already added, for someone without a Dify account. Prints the URL to open in a browser
// (no Chromium needed here); Ctrl-C stops everything and removes the temporary folder (its user data holds the
// test keys), every time: during start-up, twice in a row, or after an error.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listenProblem, portArg } from '../dify-server/cli.js';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { codeServerInstalls, startCodeServer } from './lib/code-server.js';
import type { CodeServer } from './lib/code-server.js';

const ROOT = resolve(__dirname, '../..');
const HERE = join(ROOT, 'test/vscode');
const CACHE = process.env.DIFY_VSCODE_CACHE || join(ROOT, '.cache');
// code-server 4.100.3 (VS Code 1.100), not the current 4.139.1: from 4.133 on, a development extension loads from the
// URL only under the smoke-test driver, which hides every notification toast, and a person's own browser cannot undo
// that as the tests do (lib/toasts.ts).
const INSTALL = codeServerInstalls(CACHE).oldest;

const dir = mkdtempSync(join(tmpdir(), 'dify-try-'));
let dify: DifyTestServer | undefined;
let codeServer: CodeServer | undefined;
let stopping = false;

// The last word on the way out, whatever the way: the folder goes (code-server's group is killed by its own exit hook).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function stop(code: number): Promise<never> {
  if (stopping) process.exit(code); // a second Ctrl-C: leave now; the exit hooks still remove the folder
  stopping = true;
  await codeServer?.stop().catch(() => {});
  await dify?.close().catch(() => {});
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

async function main(): Promise<void> {
  if (spawnSync('bash', [join(HERE, 'setup-code-server.sh'), '--no-browser', '--oldest', CACHE], { stdio: 'inherit' }).status !== 0) {
    console.error('code-server could not be installed: see the message above (it needs apt-get, as root).');
    return stop(1);
  }
  if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) return stop(1);

  const port = portArg();
  try {
    dify = await startDifyServer({ port, eventDelayMs: 40 });
  } catch (e) {
    console.error(listenProblem(e, port, 'try') ?? e);
    return stop(1);
  }
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'hello.py'), 'def greet(name):\n    return f"Hello, {name}!"\n');
  const seed = join(dir, 'seed.json');
  writeFileSync(
    seed,
    JSON.stringify({
      profiles: [
        ...dify.apps
          .filter((a) => a.name !== 'Test Disabled')
          .map((a) => ({ kind: 'app', label: a.name, baseUrl: dify!.baseUrl, key: a.key, mode: a.mode, appName: a.name, description: a.description, default: a.key === dify!.keys.chat })),
        { kind: 'knowledge', label: 'Test Knowledge', baseUrl: dify.baseUrl, key: dify.keys.dataset },
      ],
    }),
  );
  codeServer = await startCodeServer({
    install: INSTALL,
    userDataDir: join(dir, 'user-data'),
    extensionsDir: join(dir, 'extensions'),
    folder: workspace,
    settings: JSON.parse(readFileSync(join(HERE, 'user-settings.json'), 'utf8')) as Record<string, unknown>,
    env: { DIFY_DEV_SEED: seed },
    logFile: join(dir, 'code-server.log'),
  });
  if (stopping) return; // Ctrl-C came while code-server was starting

  console.log(`\nTest Dify server: ${dify.baseUrl} (npm run dify-server prints its keys)`);
  console.log('VS Code with Dify for VS Code and every test app added. Open in a browser:\n');
  console.log(`  ${codeServer.workbenchUrl({ folder: workspace, extensionDevelopmentPath: ROOT })}\n`);
  console.log('Ctrl-C stops code-server and the test Dify server.');
}

main().catch((e: unknown) => {
  console.error(e);
  void stop(1);
});
