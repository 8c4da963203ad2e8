// What a mocha run reports back to the orchestrator (test/vscode/run.ts), from the in-host suites (a JSON file) and
// the UI phases: the counts, and one line per failed test so that the run's last lines name what failed (CI keeps
// only the tail of a long log).
import type Mocha from 'mocha';

export interface SuiteResults {
  passes: number;
  failures: number;
  pending: number;
  /** One line per failure: the test's full title and the start of its error. */
  failed: string[];
}

/** "<full title>: <the error's first two lines>" (assert's first line only says what kind of check failed). */
export function failureLine(fullTitle: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const start = message.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ');
  return `${fullTitle}: ${start.length > 300 ? `${start.slice(0, 300)}…` : start}`;
}

/** Runs `mocha` (the orchestrator's, or the extension host's own copy) and collects its results. */
export function runMocha(mocha: Mocha): Promise<SuiteResults> {
  return new Promise<SuiteResults>((resolve) => {
    const failed: string[] = [];
    const runner = mocha.run(() => {
      const s = runner.stats;
      resolve({ passes: s?.passes ?? 0, failures: s?.failures ?? 0, pending: s?.pending ?? 0, failed });
    });
    runner.on('fail', (test, err: unknown) => failed.push(failureLine(test.fullTitle(), err)));
  });
}
