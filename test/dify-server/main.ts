// `npm run dify-server [-- --port N] [--dify-version 1.15.0|1.13.2]`: the test Dify server for trying the extension
// by hand. PORT and DIFY_VERSION work as environment variables too.
import { startDifyServer } from './server.js';
import { DEFAULT_DIFY_VERSION, DIFY_VERSIONS, parseDifyVersion } from './version.js';
import type { DifyVersion } from './version.js';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function versionArg(): DifyVersion {
  const value = argValue('--dify-version') ?? process.env.DIFY_VERSION ?? DEFAULT_DIFY_VERSION;
  const version = parseDifyVersion(value);
  if (!version) {
    console.error(`Invalid Dify version: ${value} (one of ${DIFY_VERSIONS.join(', ')})`);
    process.exit(2);
  }
  return version;
}

function portArg(): number {
  const value = argValue('--port') ?? process.env.PORT ?? '5001';
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port: ${value}`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const server = await startDifyServer({ port: portArg(), eventDelayMs: 40, version: versionArg() });
  const lines = [
    `Dify test server (behaves like Dify ${server.version}) at ${server.baseUrl}`,
    '',
    'Apps:',
    ...server.apps.map((a) => `  ${a.name.padEnd(26)} ${a.mode.padEnd(14)} ${a.key}`),
    '',
    `Knowledge (dataset) key: ${server.keys.dataset}`,
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
