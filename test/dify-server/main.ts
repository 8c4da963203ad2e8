// `npm run dify-server [-- --port N] [--dify-version 1.15.0|1.13.2]`: the test Dify server (Service API, Knowledge API
// and Console API) for trying the extension by hand. DIFY_PORT and DIFY_VERSION work as environment variables too.
import { argValue, listenProblem, portArg } from './cli.js';
import { startDifyServer } from './server.js';
import { DEFAULT_DIFY_VERSION, DIFY_VERSIONS, parseDifyVersion } from './version.js';
import type { DifyVersion } from './version.js';

function versionArg(): DifyVersion {
  const value = argValue('--dify-version') ?? process.env.DIFY_VERSION ?? DEFAULT_DIFY_VERSION;
  const version = parseDifyVersion(value);
  if (!version) {
    console.error(`Invalid Dify version: ${value} (one of ${DIFY_VERSIONS.join(', ')})`);
    process.exit(2);
  }
  return version;
}

async function main(): Promise<void> {
  const port = portArg();
  const server = await startDifyServer({ port, eventDelayMs: 40, version: versionArg() }).catch((e: unknown) => {
    const problem = listenProblem(e, port, 'dify-server');
    if (!problem) throw e;
    console.error(problem);
    process.exit(1);
  });
  const lines = [
    `Dify test server (behaves like Dify ${server.version}) at ${server.baseUrl}`,
    '',
    'Apps:',
    ...server.apps.map((a) => `  ${a.name.padEnd(26)} ${a.mode.padEnd(14)} ${a.key}`),
    '',
    `Knowledge (dataset) key: ${server.keys.dataset}`,
    '',
    `Console API: ${server.console.url}`,
    `  login: ${server.console.email} / ${server.console.password} (POST /login takes it base64-encoded)`,
    '',
    'Try:',
    `  curl -N ${server.baseUrl}/chat-messages -H 'Authorization: Bearer ${server.keys.chat}' \\`,
    `    -H 'Content-Type: application/json' \\`,
    `    -d '{"inputs":{"name":"Ada"},"query":"Show me some code","user":"me","response_mode":"streaming"}'`,
    '',
    `Faults by hand: add -H 'X-Dify-Test-Fault: {"kind":"cut","afterEvents":3}'`,
    'Ctrl-C stops the server.',
  ];
  console.log(lines.join('\n'));

  let closing = false;
  const stop = (): void => {
    if (closing) process.exit(1);
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
