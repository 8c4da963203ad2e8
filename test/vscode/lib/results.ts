// What a mocha run reports back to the orchestrator (test/vscode/run.ts), from the in-host suites (a JSON file) and
// the UI phases: the counts, and one line per failed test so that the run's last lines name what failed (CI keeps
// only the tail of a long log).

export interface SuiteResults {
  passes: number;
  failures: number;
  pending: number;
  /** One line per failure: the test's full title and the first line of its error. */
  failed: string[];
}

/** "<full title>: <first line of the error>", short enough for a summary. */
export function failureLine(fullTitle: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n').find((l) => l.trim() !== '') ?? '';
  return `${fullTitle}: ${first.length > 300 ? `${first.slice(0, 300)}…` : first}`;
}
