// What the orchestrator (test/vscode/run.ts, run-electron.ts) hands to the in-host suites, as a JSON file.
// The suites run in VS Code's extension host, a process the orchestrator does not start itself (and a URL cannot
// carry environment variables to it), so this file is the channel. Its path is in DIFY_TEST_ENV, set on code-server
// (whose extension hosts inherit its environment) or passed as extensionTestsEnv (test-electron); the file also
// sits next to the workspace folder (`<workspace>/../dify-test-env.json`), where suite/env.ts looks otherwise.
import type { DifyTestKeys } from '../../dify-server/server.js';

export const TEST_ENV_VAR = 'DIFY_TEST_ENV';
export const TEST_ENV_FILE = 'dify-test-env.json';

export interface TestEnv {
  /** The test Dify server's API base URL (`http://127.0.0.1:PORT/v1`): what the extension is configured with. */
  baseUrl: string;
  /** The test Dify server's origin (`http://127.0.0.1:PORT`). */
  url: string;
  /** One key per seeded app (`chat`, `agent`, `chatflow`, `completion`, `workflow`, ...) plus `dataset`. */
  keys: DifyTestKeys;
  /** The seeded apps (name, mode, key, id). */
  apps: { key: string; id: string; name: string; mode: string }[];
  /** Loopback control endpoint for the test Dify server: POST /fault, POST /reset, GET /requests, GET /uploads. */
  controlUrl: string;
  /** The workspace folder the window opened. */
  workspaceFolder: string;
  /** Where tests may write screenshots, logs and other files worth keeping after a failure. */
  artifactsDir: string;
  /** Where the in-host runner writes its counts (`{ passes, failures, pending }`). */
  resultsFile: string;
  /**
   * DIFY_DEV_SEED of code-server: apps and keys the extension adds when a window activates it (Development mode).
   * Empty unless a UI describe block seeds it (useWorkbench({ seed })).
   */
  seedFile: string;
  /** mocha `grep` for the in-host suites (from `npm run test:vscode -- --grep X`), if any. */
  grep?: string;
}
