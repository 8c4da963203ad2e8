// `npm run try` as a person runs it: it prints a URL that opens VS Code with the extension and the test apps; Ctrl-C
// stops everything and leaves no temporary folder (its user data holds the test keys); a busy port gets one line
// that says how to pick another. It runs after the installed extension's tests: it rebuilds dist/ (a development
// build), which the installed copy does not use.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { eventually, session } from '../ui/harness.js';

const ROOT = resolve(__dirname, '../../..');

interface TryRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `npm run try` (its script, as npm does) with its temporary folders under `tmp`. */
function startTry(tmp: string, args: string[]): TryRun {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/vscode/try.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

describe('npm run try: open the URL it prints, Ctrl-C cleans up, a busy port says what to do', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'dify-try-test-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('the printed URL opens VS Code with the test apps; Ctrl-C stops it and removes its folder', async function () {
    this.timeout(180_000);
    const run = startTry(tmp, ['--port', '0']);
    try {
      const url = await eventually(async () => {
        const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(run.output());
        assert.ok(m, `no URL yet:\n${run.output()}`);
        return m[1]!;
      }, 150_000, 500);
      assert.equal(readdirSync(tmp).filter((f) => f.startsWith('dify-try-')).length, 1, 'its folder is there while it runs');
      const context = await session().browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        await page.goto(url);
        await page.locator('.part.activitybar a[aria-label^="Dify"]').first().click({ timeout: 60_000 });
        await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Test Chat 测试助手' }).first().waitFor({ timeout: 60_000 });
      } finally {
        await context.close();
      }
    } finally {
      run.child.kill('SIGINT');
    }
    assert.equal(await run.exited, 0, run.output());
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('dify-try-')), [], 'Ctrl-C removed its folder');
    const origin = /http:\/\/127\.0\.0\.1:\d+/.exec(run.output())![0];
    await assert.rejects(fetch(origin), 'the test Dify server is stopped');
  });

  it('a busy port: one line naming --port and DIFY_PORT, and no folder left', async function () {
    this.timeout(120_000);
    const busy = new URL(session().dify.baseUrl).port;
    const run = startTry(tmp, ['--port', busy]);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), new RegExp(`Port ${busy} is in use .*npm run try -- --port \\d+ +\\(or DIFY_PORT=\\d+\\)`));
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('dify-try-')), []);
  });
});
