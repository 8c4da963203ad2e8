// `npm run test:vscode`: the extension in a real VS Code (code-server, a real Node extension host), offline, driven by
// Debian's Chromium through playwright-core, on two VS Codes:
//   - the CURRENT one people run, code-server 4.139.1 = VS Code 1.139.1 (on Node 24 from npm): in-host suites, every
//     UI file, and the installed .vsix;
//   - the OLDEST one the extension supports (engines ^1.95), code-server 4.100.3 = VS Code 1.100.3 (on the system's
//     Node): in-host suites and a smoke subset of the UI files (UI_SMOKE_ON_OLDEST below).
// Steps:
//   1. installs both code-servers into .cache/ if needed (test/vscode/setup-code-server.sh; apt-get as root);
//   2. builds the extension (dist/) and the in-host suite bundles (out/vscode-suite/);
//   3. starts the test Dify server, writes dify-test-env.json ({ baseUrl, keys, controlUrl, ... }) for the suites;
//   4. per VS Code, starts code-server (fresh user-data and extensions dirs, quiet settings, a temp workspace folder)
//      and runs (a) the in-host mocha suites (test/vscode/suite/**/*.test.ts) through extensionTestsPath, then
//      (b) its UI mocha files (test/vscode/ui/**/*.test.ts) that drive the workbench; stops it;
//   5. packages the .vsix (npm run package), installs it into a fresh current code-server as a user would, and runs
//      the UI files of test/vscode/installed/ there (no development path: the installed extension alone, in VS Code as
//      shipped), and `npm run try` as a person starts it (on 4.100.3; last: it rebuilds dist/ for development, which
//      the installed copy ignores);
//   6. stops everything (code-server's whole process group) and exits non-zero on any failure.
// From 4.133 on, windows with a development extension need code-server's smoke-test driver, which hides toasts:
// lib/toasts.ts shows them again (see lib/code-server.ts).
// Options (after `--`): --grep <regexp>; --host (in-host suites only), --ui (UI files only), --installed (the .vsix
// phase only; these three combine); --current or --oldest (that VS Code only; the .vsix phase then runs on it);
// --file <name> (repeatable; only the UI/installed files whose name contains it, run on every selected VS Code, the
// smoke subset or not); --dev (unminified extension build), --keep (keep the temp dirs), --verbose (browser and
// extension-host console).
// Environment: DIFY_SKIP_VSCODE=1 skips the whole layer with a loud notice (not in CI); DIFY_VSCODE_CACHE (where the
// code-servers and Node 24 are installed, default .cache), DIFY_VSCODE_ARTIFACTS (screenshots and logs dir),
// DIFY_CHROMIUM, DIFY_VSCODE_SUITE_TIMEOUT (s, default 600), DIFY_VSCODE_UI_TIMEOUT (ms per UI test, default 60000).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import Mocha from 'mocha';
import type { Browser } from 'playwright-core';
import { startDifyServer } from '../dify-server/server.js';
import type { DifyTestServer } from '../dify-server/server.js';
import { launchChromium } from './lib/browser.js';
import { findKeys } from './lib/key-scan.js';
import { failureLine, runMocha, type SuiteResults } from './lib/results.js';
import { codeServerInstalls, describeInstall, installExtension, startCodeServer } from './lib/code-server.js';
import type { CodeServer, CodeServerInstall, VsCodeChannel } from './lib/code-server.js';
import { startControlServer } from './lib/control-server.js';
import type { ControlServer } from './lib/control-server.js';
import { runInHostSuites } from './lib/in-host.js';
import { TEST_ENV_FILE, TEST_ENV_VAR, type TestEnv } from './lib/test-env.js';
import { EXTENSION_ID, setSession, type UiSession } from './ui/harness.js';

/**
 * UI files (test/vscode/ui/<name>.test.ts) that also run on the oldest VS Code: a smoke subset (~2 min) proving that
 * the harness and the main flows still work on VS Code 1.100: adding an app (quick picks, input boxes, tree views),
 * chatting in the sidebar (webview view), and running a workflow (editors, notifications, status bar).
 */
const UI_SMOKE_ON_OLDEST = ['add-app', 'chat', 'workflows'];

/**
 * UI files that do not pass on the current VS Code yet, with why: they run on the oldest VS Code instead (never
 * skipped), until their reason is fixed.
 */
const UI_ONLY_ON_OLDEST: Record<string, string> = {};

const ROOT = resolve(__dirname, '../..');
const HERE = join(ROOT, 'test/vscode');
const ARTIFACTS = process.env.DIFY_VSCODE_ARTIFACTS || join(HERE, '.artifacts');
const CACHE = process.env.DIFY_VSCODE_CACHE || join(ROOT, '.cache');
const INSTALLS = codeServerInstalls(CACHE);

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const values = (name: string): string[] =>
  argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]!] : a.startsWith(`${name}=`) ? [a.slice(name.length + 1)] : []));
const grep = [...values('--grep'), ...values('-g')][0];
const fileFilters = values('--file');
const phases = ['--host', '--ui', '--installed'].filter(flag);
const runHost = phases.length === 0 || flag('--host');
const runUi = phases.length === 0 || flag('--ui');
const runInstalled = phases.length === 0 || flag('--installed');
const channels: VsCodeChannel[] = flag('--current') === flag('--oldest') ? ['current', 'oldest'] : flag('--oldest') ? ['oldest'] : ['current'];
/** The .vsix runs on the current VS Code, or on the oldest when only that one is selected. */
const installedChannel: VsCodeChannel = channels.includes('current') ? 'current' : 'oldest';
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

function setupCodeServers(): void {
  const only = channels.length === 1 ? [`--${channels[0]}`] : [];
  const r = spawnSync('bash', [join(HERE, 'setup-code-server.sh'), ...only, CACHE], { stdio: 'inherit' });
  if (r.status !== 0) {
    banner([
      `The real-VS-Code tests need ${channels.map((c) => describeInstall(INSTALLS[c])).join(' and ')} and Chromium,`,
      `and they could not be installed (exit ${r.status}).`,
      'On Debian/Ubuntu, as root (or with password-less sudo):  bash test/vscode/setup-code-server.sh',
      'Elsewhere: a Chromium (set DIFY_CHROMIUM to its path), ripgrep, Kerberos headers and pkg-config, then rerun.',
      'To run the other tests without them (not in CI): DIFY_SKIP_VSCODE=1 npm test',
    ]);
    process.exit(1);
  }
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
function installVsix(install: CodeServerInstall, extensionsDir: string, userDataDir: string): string {
  const vsix = join(ROOT, 'dist/dify-vscode.vsix');
  for (const d of [extensionsDir, userDataDir]) mkdirSync(d, { recursive: true });
  const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed (${r.status}):\n${r.stdout}${r.stderr}`);
  installExtension(install, vsix, extensionsDir, userDataDir);
  const installed = readdirSync(extensionsDir).find((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (!installed) throw new Error(`the .vsix was not installed into ${extensionsDir}`);
  return join(extensionsDir, installed);
}

const testName = (file: string): string => basename(file).replace(/\.test\.ts$/, '');

/** The mocha files of test/vscode/<dir>, narrowed by --file. */
function findFiles(dir: string): string[] {
  return (readdirSync(join(HERE, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(HERE, dir, f))
    .filter((f) => fileFilters.length === 0 || fileFilters.some((name) => testName(f).includes(name)));
}

/** The UI files to run on `channel`: see UI_SMOKE_ON_OLDEST and UI_ONLY_ON_OLDEST (--file: the named ones, anywhere). */
function uiFilesFor(channel: VsCodeChannel): string[] {
  const files = findFiles('ui');
  if (fileFilters.length > 0) return files;
  const onOldest = (f: string): boolean => UI_SMOKE_ON_OLDEST.includes(testName(f)) || testName(f) in UI_ONLY_ON_OLDEST;
  return files.filter((f) => (channel === 'oldest' ? onOldest(f) : !(testName(f) in UI_ONLY_ON_OLDEST)));
}

async function runMochaFiles(files: string[], timeoutMs: number): Promise<SuiteResults> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: timeoutMs, ...(grep ? { grep } : {}) });
  for (const f of files) mocha.addFile(f);
  const counts = await runMocha(mocha);
  // The same files may run again on the other VS Code: unload them (require cache) so that they register again.
  mocha.dispose();
  return counts;
}

async function main(): Promise<number> {
  if (skipRequested()) return 0;
  say(`code-server: ${channels.map((c) => describeInstall(INSTALLS[c])).join(', ')}`);
  setupCodeServers();
  say('build');
  build();

  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const runDir = mkdtempSync(join(tmpdir(), 'dify-vscode-test-'));
  const workspaceFolder = join(runDir, 'workspace');
  mkdirSync(workspaceFolder);
  // Each code-server gets its own user data and extensions folders: <runDir>/<oldest|current|installed>/.
  const userDataDirs: { dir: string; logsName: string }[] = [];

  let dify: DifyTestServer | undefined;
  let control: ControlServer | undefined;
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  const counts: SuiteResults = { passes: 0, failures: 0, pending: 0, failed: [] };
  const perVersion: string[] = [];
  let failed = false;
  const add = (what: string, r: SuiteResults): void => {
    counts.passes += r.passes;
    counts.failures += r.failures;
    counts.pending += r.pending;
    counts.failed.push(...r.failed.map((line) => `${what}: ${line}`));
    if (r.failures > 0) failed = true;
    perVersion.push(`${what}: ${r.passes} passed, ${r.failures} failed` + (r.pending ? `, ${r.pending} skipped` : ''));
  };

  const cleanup = async (): Promise<void> => {
    setSession(undefined);
    await browser?.close().catch(() => {});
    await codeServer?.stop().catch(() => {});
    await control?.close().catch(() => {});
    await dify?.close().catch(() => {});
    if (failed) {
      // code-server's own logs (server, extension hosts) help with a failure: keep them with the screenshots.
      for (const { dir, logsName } of userDataDirs) {
        if (existsSync(join(dir, 'logs'))) cpSync(join(dir, 'logs'), join(ARTIFACTS, logsName), { recursive: true });
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
    browser = await launchChromium();
    /** Starts `install` with user data in <runDir>/<name>; `extensionsDir`: an installed .vsix (no URL payload then). */
    const start = async (install: CodeServerInstall, name: string, extensionsDir?: string): Promise<{ server: CodeServer; userDataDir: string }> => {
      const userDataDir = join(runDir, name, 'user-data');
      userDataDirs.push({ dir: userDataDir, logsName: `code-server-${name}-logs` });
      const server = await startCodeServer({
        install,
        userDataDir,
        extensionsDir: extensionsDir ?? join(runDir, name, 'extensions'),
        folder: workspaceFolder,
        settings,
        // The seed of `npm run try` is offered to the installed extension too: it must ignore it.
        env: { [TEST_ENV_VAR]: envFile, DIFY_DEV_SEED: seedFile },
        logFile: join(ARTIFACTS, `code-server-${name}.log`),
        urlPayload: !extensionsDir,
      });
      say(`${describeInstall(install)} at ${server.origin}`);
      return { server, userDataDir };
    };
    const uiSession = (server: CodeServer, userDataDir: string, extensionPath: string, development: boolean): UiSession => ({
      browser: browser!,
      codeServer: server,
      dify: dify!,
      env,
      ...(development ? { extensionDevelopmentPath: ROOT } : {}),
      extensionPath,
      userDataDir,
      timeoutMs: 30_000,
    });
    const runUiPhase = async (what: string, files: string[], s: UiSession): Promise<void> => {
      say(`${what}: ${files.length} file(s): ${files.map(testName).join(', ')}`);
      setSession(s);
      add(what, await runMochaFiles(files, Number(process.env.DIFY_VSCODE_UI_TIMEOUT ?? 60_000)));
      dify!.reset();
    };

    for (const channel of channels) {
      const install = INSTALLS[channel];
      const label = `${describeInstall(install)}, ${channel}`;
      const uiFiles = runUi ? uiFilesFor(channel) : [];
      if (!runHost && uiFiles.length === 0) continue;
      const { server, userDataDir } = await start(install, channel);
      codeServer = server;

      if (runHost) {
        say(`in-host suites (test/vscode/suite) in the extension host of ${label}`);
        rmSync(env.resultsFile, { force: true });
        const code = await runInHostSuites(browser, server, {
          extensionDevelopmentPath: ROOT,
          extensionTestsPath: join(ROOT, 'out/vscode-suite/index'),
          artifactsDir: ARTIFACTS,
          screenshotName: `in-host-suites-${channel}`,
          timeoutMs: Number(process.env.DIFY_VSCODE_SUITE_TIMEOUT ?? 600) * 1000,
          verbose,
        });
        const r = existsSync(env.resultsFile) ? (JSON.parse(readFileSync(env.resultsFile, 'utf8')) as SuiteResults) : undefined;
        // No results file with exit code 0: the extension host went away before run() finished (a crash, or a lost
        // connection), and the workbench reports such an end as a success. Never count that as green.
        const broken = !r || (code !== 0 && r.failures === 0);
        add(`in-host suites on ${label}`, {
          passes: r?.passes ?? 0,
          failures: (r?.failures ?? 0) + (broken ? 1 : 0),
          pending: r?.pending ?? 0,
          failed: [...(r?.failed ?? []), ...(broken ? ['the extension host ended before run() finished'] : [])],
        });
        if (code !== 0 || !r) {
          say(`in-host suites on ${label}: exit code ${code}` + (r ? '' : ', and run() never finished (extension host crashed or disconnected?)'));
        }
        dify.reset();
      }
      if (uiFiles.length > 0) await runUiPhase(`UI tests on ${label}`, uiFiles, uiSession(server, userDataDir, ROOT, true));
      await server.stop();
      codeServer = undefined;
    }

    const installedFiles = runInstalled ? findFiles('installed') : [];
    if (installedFiles.length > 0) {
      // A person's install: the packaged .vsix in a fresh code-server, nothing loaded from this folder.
      const install = INSTALLS[installedChannel];
      say(`packaging the .vsix and installing it into a fresh ${describeInstall(install)}`);
      const extensionsDir = join(runDir, 'installed', 'extensions');
      const extensionPath = installVsix(install, extensionsDir, join(runDir, 'installed', 'user-data'));
      const { server, userDataDir } = await start(install, 'installed', extensionsDir);
      codeServer = server;
      await runUiPhase(`installed .vsix on ${describeInstall(install)}`, installedFiles, uiSession(server, userDataDir, extensionPath, false));
    }

    // Every key and password used in the run: in no log, output channel or state file of VS Code (only in its secret store).
    // The console password too, as typed and as sent (base64): only the session Dify gives back is kept.
    const { password } = dify.console;
    const secrets = { ...dify.keys, 'console password': password, 'console password (base64)': Buffer.from(password).toString('base64') };
    const leaks = findKeys([...userDataDirs.map((u) => u.dir), ARTIFACTS], secrets);
    say(leaks.length === 0 ? 'key scan: no key or password in any log or state file' : `key scan: KEYS FOUND\n  ${leaks.join('\n  ')}`);
    if (leaks.length > 0) {
      failed = true;
      counts.failures += 1;
      counts.failed.push(`key scan: ${leaks.length} key(s) or password(s) found in logs or state`);
    }
  } catch (e) {
    failed = true;
    counts.failures += 1;
    counts.failed.push(failureLine('test:vscode could not run', e));
    console.error('test:vscode could not run:', e);
  } finally {
    await cleanup();
  }

  if (failed) say(`artifacts (screenshots, logs): ${ARTIFACTS}`);
  say('done');
  for (const line of perVersion) console.log(`  ${line}`);
  if (counts.failed.length > 0) console.log(`failed:\n${counts.failed.map((l) => `  ${l}`).join('\n')}`);
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
