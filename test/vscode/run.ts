// `npm run test:vscode`: the extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, real Node extension
// host), offline, driven by Debian's Chromium through playwright-core.
//   1. installs code-server into .cache/code-server if needed (test/vscode/setup-code-server.sh; apt-get as root);
//   2. builds the extension (dist/) and the in-host suite bundles (out/vscode-suite/);
//   3. starts the test Dify server, writes dify-test-env.json ({ baseUrl, keys, controlUrl, ... }) for the suites;
//   4. starts code-server (fresh user-data and extensions dirs, quiet settings, a temp workspace folder);
//   5. runs (a) the in-host mocha suites (test/vscode/suite/**/*.test.ts) through extensionTestsPath, then
//      (b) the UI mocha files (test/vscode/ui/**/*.test.ts) that drive the workbench, then
//      (c) packages the .vsix (npm run package), installs it into a second, fresh code-server as a user would, and runs
//      the UI files of test/vscode/installed/ there (no development path: the installed extension alone), and
//      `npm run try` as a person starts it (last: it rebuilds dist/ for development, which the installed copy ignores);
//   6. stops everything (code-server's whole process group) and exits non-zero on any failure.
// Options (after `--`): --grep <regexp>, --host (in-host suites only), --ui (UI files only), --installed (the .vsix
// phase only; these three combine), --dev (unminified extension build), --keep (keep the temp dirs), --verbose
// (browser and extension-host console).
// Environment: DIFY_SKIP_VSCODE=1 skips the whole layer with a loud notice (not in CI); DIFY_CODE_SERVER_DIR,
// DIFY_VSCODE_ARTIFACTS (screenshots and logs dir), DIFY_CHROMIUM, DIFY_VSCODE_SUITE_TIMEOUT (s, default 600), DIFY_VSCODE_UI_TIMEOUT (ms per UI test, default 60000).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import type { Browser } from 'playwright-core';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { launchChromium } from './lib/browser.js';
import { findKeys } from './lib/key-scan.js';
import { startCodeServer } from './lib/code-server.js';
import type { CodeServer } from './lib/code-server.js';
import { startControlServer } from './lib/control-server.js';
import type { ControlServer } from './lib/control-server.js';
import { runInHostSuites } from './lib/in-host.js';
import { TEST_ENV_FILE, TEST_ENV_VAR, type TestEnv } from './lib/test-env.js';
import { EXTENSION_ID, setSession, type UiSession } from './ui/harness.js';

const ROOT = resolve(__dirname, '../..');
const HERE = join(ROOT, 'test/vscode');
const ARTIFACTS = process.env.DIFY_VSCODE_ARTIFACTS || join(HERE, '.artifacts');
const CODE_SERVER_DIR = process.env.DIFY_CODE_SERVER_DIR || join(ROOT, '.cache/code-server');

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const grepIndex = argv.findIndex((a) => a === '--grep' || a === '-g');
const grep = grepIndex >= 0 ? argv[grepIndex + 1] : argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
const phases = ['--host', '--ui', '--installed'].filter(flag);
const runHost = phases.length === 0 || flag('--host');
const runUi = phases.length === 0 || flag('--ui');
const runInstalled = phases.length === 0 || flag('--installed');
const verbose = flag('--verbose') || !!process.env.VERBOSE;

const t0 = Date.now();
const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (s: string): void => console.log(`[test:vscode ${elapsed()}] ${s}`);

function banner(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '!'.repeat(width);
  console.log(['', bar, ...lines.map((l) => `! ${l.padEnd(width - 4)} !`), bar, ''].join('\n'));
}

function skipRequested(): boolean {
  if (process.env.DIFY_SKIP_VSCODE !== '1') return false;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    banner(['DIFY_SKIP_VSCODE=1 is ignored in CI: the real-VS-Code tests always run there.']);
    return false;
  }
  banner([
    'DIFY_SKIP_VSCODE=1: the real-VS-Code tests (in-host suites + UI tests) were SKIPPED.',
    'Nothing here says the extension works in VS Code. CI runs them; so can you:',
    '  unset DIFY_SKIP_VSCODE && npm run test:vscode',
  ]);
  return true;
}

function setupCodeServer(): string {
  const r = spawnSync('bash', [join(HERE, 'setup-code-server.sh'), CODE_SERVER_DIR], { stdio: 'inherit' });
  if (r.status !== 0) {
    banner([
      `The real-VS-Code tests need code-server 4.100.3 and Chromium, and they could not be installed (exit ${r.status}).`,
      'On Debian/Ubuntu, as root (or with password-less sudo):  bash test/vscode/setup-code-server.sh',
      'Elsewhere: a Chromium (set DIFY_CHROMIUM to its path), ripgrep, Kerberos headers and pkg-config, then rerun.',
      'To run the other tests without them (not in CI): DIFY_SKIP_VSCODE=1 npm test',
    ]);
    process.exit(1);
  }
  return join(CODE_SERVER_DIR, 'node_modules/.bin/code-server');
}

function build(): void {
  const steps = [flag('--dev') ? ['esbuild.mjs'] : ['esbuild.mjs', '--production'], ['esbuild.mjs', '--vscode-tests']];
  for (const args of steps) {
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      console.error(`build failed: node ${args.join(' ')}`);
      process.exit(1);
    }
  }
}

/** Packages the .vsix as a release is packaged (npm run package) and installs it into a fresh extensions folder. */
function installVsix(bin: string, extensionsDir: string, userDataDir: string): string {
  const vsix = join(ROOT, 'dist/dify-vscode.vsix');
  for (const d of [extensionsDir, userDataDir]) mkdirSync(d, { recursive: true });
  const steps: [string, string[]][] = [
    ['npm', ['run', 'package', '--silent']],
    [bin, ['--config', '/dev/null', '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir]],
  ];
  for (const [command, args] of steps) {
    const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  }
  const installed = readdirSync(extensionsDir).find((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (!installed) throw new Error(`the .vsix was not installed into ${extensionsDir}`);
  return join(extensionsDir, installed);
}

function findFiles(dir: string, suffix: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

interface Counts {
  passes: number;
  failures: number;
  pending: number;
}

async function runUiFiles(files: string[], timeoutMs: number): Promise<Counts> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: timeoutMs, ...(grep ? { grep } : {}) });
  for (const f of files) mocha.addFile(f);
  return new Promise<Counts>((resolveRun) => {
    const runner = mocha.run(() => {
      const s = runner.stats;
      resolveRun({ passes: s?.passes ?? 0, failures: s?.failures ?? 0, pending: s?.pending ?? 0 });
    });
  });
}

async function main(): Promise<number> {
  if (skipRequested()) return 0;
  say('code-server');
  const bin = setupCodeServer();
  say('build');
  build();

  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const runDir = mkdtempSync(join(tmpdir(), 'dify-vscode-test-'));
  const workspaceFolder = join(runDir, 'workspace');
  mkdirSync(workspaceFolder);

  let dify: DifyTestServer | undefined;
  let control: ControlServer | undefined;
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  const counts: Counts = { passes: 0, failures: 0, pending: 0 };
  let failed = false;

  const cleanup = async (): Promise<void> => {
    setSession(undefined);
    await browser?.close().catch(() => {});
    await codeServer?.stop().catch(() => {});
    await control?.close().catch(() => {});
    await dify?.close().catch(() => {});
    if (failed) {
      // code-server's own logs (server, extension hosts) help with a failure: keep them with the screenshots.
      for (const [from, to] of [['user-data', 'code-server-logs'], ['installed/user-data', 'code-server-installed-logs']]) {
        const logs = join(runDir, from!, 'logs');
        if (existsSync(logs)) cpSync(logs, join(ARTIFACTS, to!), { recursive: true });
      }
    }
    if (flag('--keep')) say(`kept ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping code-server, the browser and the test Dify server`);
      failed = true;
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    dify = await startDifyServer();
    control = await startControlServer(dify);
    const envFile = join(runDir, TEST_ENV_FILE);
    const seedFile = join(runDir, 'dev-seed.json');
    writeFileSync(seedFile, JSON.stringify({ profiles: [] }));
    const env: TestEnv = {
      baseUrl: dify.baseUrl,
      url: dify.url,
      keys: dify.keys,
      apps: dify.apps.map(({ key, id, name, mode }) => ({ key, id, name, mode })),
      controlUrl: control.url,
      workspaceFolder,
      artifactsDir: ARTIFACTS,
      resultsFile: join(runDir, 'in-host-results.json'),
      seedFile,
      ...(grep ? { grep } : {}),
    };
    writeFileSync(envFile, JSON.stringify(env, null, 2));
    say(`test Dify server at ${dify.baseUrl}`);

    const settings = JSON.parse(readFileSync(join(HERE, 'user-settings.json'), 'utf8')) as Record<string, unknown>;
    codeServer = await startCodeServer({
      bin,
      userDataDir: join(runDir, 'user-data'),
      extensionsDir: join(runDir, 'extensions'),
      folder: workspaceFolder,
      settings,
      env: { [TEST_ENV_VAR]: envFile, DIFY_DEV_SEED: seedFile },
      logFile: join(ARTIFACTS, 'code-server.log'),
    });
    say(`code-server at ${codeServer.origin}`);
    browser = await launchChromium();

    if (runHost) {
      say('in-host suites (test/vscode/suite) in the extension host');
      const code = await runInHostSuites(browser, codeServer, {
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: join(ROOT, 'out/vscode-suite/index'),
        artifactsDir: ARTIFACTS,
        timeoutMs: Number(process.env.DIFY_VSCODE_SUITE_TIMEOUT ?? 600) * 1000,
        verbose,
      });
      const r = existsSync(env.resultsFile) ? (JSON.parse(readFileSync(env.resultsFile, 'utf8')) as Counts) : undefined;
      if (r) {
        counts.passes += r.passes;
        counts.failures += r.failures;
        counts.pending += r.pending;
      }
      if (code !== 0 || !r || r.failures > 0) {
        // No results file with exit code 0: the extension host went away before run() finished (a crash, or a lost
        // connection), and the workbench reports such an end as a success. Never count that as green.
        failed = true;
        if (!r || r.failures === 0) counts.failures += 1;
        say(`in-host suites: exit code ${code}` + (r ? '' : ', and run() never finished (extension host crashed or disconnected?)'));
      }
      dify.reset();
    }

    const uiSession = (codeServerOfRun: CodeServer, userDataDir: string, extensionPath: string, development: boolean): UiSession => ({
      browser: browser!,
      codeServer: codeServerOfRun,
      dify: dify!,
      env,
      ...(development ? { extensionDevelopmentPath: ROOT } : {}),
      extensionPath,
      userDataDir,
      timeoutMs: 30_000,
    });
    const runUiPhase = async (dir: string, s: UiSession): Promise<void> => {
      const files = findFiles(join(HERE, dir), '.test.ts');
      say(`UI tests: ${files.length} file(s) (test/vscode/${dir})`);
      setSession(s);
      const r = await runUiFiles(files, Number(process.env.DIFY_VSCODE_UI_TIMEOUT ?? 60_000));
      counts.passes += r.passes;
      counts.failures += r.failures;
      counts.pending += r.pending;
      if (r.failures > 0) failed = true;
      dify!.reset();
    };
    if (runUi) await runUiPhase('ui', uiSession(codeServer, join(runDir, 'user-data'), ROOT, true));

    if (runInstalled) {
      // A person's install: the packaged .vsix in a fresh code-server, nothing loaded from this folder.
      await codeServer.stop();
      const installedDir = join(runDir, 'installed');
      const userDataDir = join(installedDir, 'user-data');
      const extensionsDir = join(installedDir, 'extensions');
      say('packaging the .vsix and installing it into a fresh code-server');
      const extensionPath = installVsix(bin, extensionsDir, userDataDir);
      codeServer = await startCodeServer({
        bin,
        userDataDir,
        extensionsDir,
        folder: workspaceFolder,
        settings,
        // The seed of `npm run try` is offered too: an installed extension must ignore it.
        env: { [TEST_ENV_VAR]: envFile, DIFY_DEV_SEED: seedFile },
        logFile: join(ARTIFACTS, 'code-server-installed.log'),
      });
      await runUiPhase('installed', uiSession(codeServer, userDataDir, extensionPath, false));
    }

    // Every key and password used in the run: in no log, output channel or state file of VS Code (only in its secret store).
    // The console password too, as typed and as sent (base64): only the session Dify gives back is kept.
    const { password } = dify.console;
    const secrets = { ...dify.keys, 'console password': password, 'console password (base64)': Buffer.from(password).toString('base64') };
    const leaks = findKeys([join(runDir, 'user-data'), join(runDir, 'installed', 'user-data'), ARTIFACTS], secrets);
    say(leaks.length === 0 ? 'key scan: no key or password in any log or state file' : `key scan: KEYS FOUND\n  ${leaks.join('\n  ')}`);
    if (leaks.length > 0) {
      failed = true;
      counts.failures += 1;
    }
  } catch (e) {
    failed = true;
    counts.failures += 1;
    console.error('test:vscode could not run:', e);
  } finally {
    await cleanup();
  }

  if (failed) say(`artifacts (screenshots, logs): ${ARTIFACTS}`);
  say('done');
  console.log(`vscode: ${counts.passes} passed, ${counts.failures} failed` + (counts.pending ? `, ${counts.pending} skipped` : ''));
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
