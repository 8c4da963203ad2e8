// `npm run test:electron`: the same in-host suites (test/vscode/suite) in desktop VS Code, through
// @vscode/test-electron's runTests. It DOWNLOADS VS Code (from Microsoft's update server, into .vscode-test/) on first
// use, so it is for developer machines with internet access; CI and offline machines use `npm run test:vscode`.
// Linux without a display: `xvfb-run -a npm run test:electron`.
// Options (after `--`): --grep <regexp>. Environment: DIFY_VSCODE_VERSION (default "stable"; e.g. "1.95.0", the
// oldest VS Code the manifest accepts, or "insiders").
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startDifyServer } from '../dify-server/server.js';
import { startControlServer } from './lib/control-server.js';
import { TEST_ENV_FILE, TEST_ENV_VAR, type TestEnv } from './lib/test-env.js';

const ROOT = resolve(__dirname, '../..');
const argv = process.argv.slice(2);
const grepIndex = argv.findIndex((a) => a === '--grep' || a === '-g');
const grep = grepIndex >= 0 ? argv[grepIndex + 1] : undefined;

async function main(): Promise<number> {
  for (const args of [['esbuild.mjs'], ['esbuild.mjs', '--vscode-tests']]) {
    if (spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).status !== 0) return 1;
  }
  const runDir = mkdtempSync(join(tmpdir(), 'dify-vscode-electron-'));
  const workspaceFolder = join(runDir, 'workspace');
  const artifactsDir = join(ROOT, 'test/vscode/.artifacts');
  mkdirSync(workspaceFolder);
  mkdirSync(artifactsDir, { recursive: true });
  const userDataDir = join(runDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), readFileSync(join(ROOT, 'test/vscode/user-settings.json')));

  const dify = await startDifyServer();
  const control = await startControlServer(dify);
  try {
    const envFile = join(runDir, TEST_ENV_FILE);
    const env: TestEnv = {
      baseUrl: dify.baseUrl,
      url: dify.url,
      keys: dify.keys,
      apps: dify.apps.map(({ key, id, name, mode }) => ({ key, id, name, mode })),
      controlUrl: control.url,
      workspaceFolder,
      artifactsDir,
      resultsFile: join(runDir, 'in-host-results.json'),
      seedFile: join(runDir, 'dev-seed.json'), // the in-host suites add their apps themselves
      ...(grep ? { grep } : {}),
    };
    writeFileSync(envFile, JSON.stringify(env, null, 2));
    const code = await runTests({
      version: process.env.DIFY_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'out/vscode-suite/index.js'),
      extensionTestsEnv: { [TEST_ENV_VAR]: envFile },
      launchArgs: [
        workspaceFolder,
        '--user-data-dir', userDataDir,
        '--extensions-dir', join(runDir, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
    return code;
  } catch (e) {
    console.error('test:electron failed:', e instanceof Error ? e.message : e);
    console.error('(it downloads VS Code on first use; offline, use `npm run test:vscode`)');
    return 1;
  } finally {
    await control.close();
    await dify.close();
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
