// `npm run try`: the extension in a real VS Code (code-server) against the test Dify server, every test app and a
// knowledge key already added, for someone without a Dify account. Prints the URL to open; Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDifyServer } from '../dify-server/server.js';
import { startCodeServer } from './lib/code-server.js';

const ROOT = resolve(__dirname, '../..');
const HERE = join(ROOT, 'test/vscode');
const CODE_SERVER_DIR = process.env.DIFY_CODE_SERVER_DIR || join(ROOT, '.cache/code-server');

async function main(): Promise<void> {
  if (spawnSync('bash', [join(HERE, 'setup-code-server.sh'), CODE_SERVER_DIR], { stdio: 'inherit' }).status !== 0) {
    console.error('code-server could not be installed: see the message above (it needs apt-get, as root).');
    process.exit(1);
  }
  if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);

  const dify = await startDifyServer({ port: Number(process.env.DIFY_PORT ?? 5001), eventDelayMs: 40 });
  const dir = mkdtempSync(join(tmpdir(), 'dify-try-'));
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
          .map((a) => ({ kind: 'app', label: a.name, baseUrl: dify.baseUrl, key: a.key, mode: a.mode, appName: a.name, description: a.description, default: a.key === dify.keys.chat })),
        { kind: 'knowledge', label: 'Test Knowledge', baseUrl: dify.baseUrl, key: dify.keys.dataset },
      ],
    }),
  );
  const codeServer = await startCodeServer({
    bin: join(CODE_SERVER_DIR, 'node_modules/.bin/code-server'),
    userDataDir: join(dir, 'user-data'),
    extensionsDir: join(dir, 'extensions'),
    folder: workspace,
    settings: JSON.parse(readFileSync(join(HERE, 'user-settings.json'), 'utf8')) as Record<string, unknown>,
    env: { DIFY_DEV_SEED: seed },
    logFile: join(dir, 'code-server.log'),
  });

  console.log(`\nTest Dify server: ${dify.baseUrl} (npm run dify-server prints its keys)`);
  console.log('VS Code with Dify for VS Code and every test app added. Open in a browser:\n');
  console.log(`  ${codeServer.workbenchUrl({ folder: workspace, extensionDevelopmentPath: ROOT })}\n`);
  console.log('Ctrl-C stops code-server and the test Dify server.');

  const stop = async () => {
    await codeServer.stop().catch(() => {});
    await dify.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
