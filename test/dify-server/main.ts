// `npm run dify-server [-- --port N]`: the test Dify server for trying the extension by hand.
import { startDifyServer } from './server.js';

function portArg(): number {
  const i = process.argv.indexOf('--port');
  const fromArg = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--port='))?.slice('--port='.length);
  const value = fromArg ?? process.env.PORT ?? '5001';
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port: ${value}`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const server = await startDifyServer({ port: portArg(), eventDelayMs: 40 });
  const lines = [
    `Dify test server (behaves like Dify 1.13.2) at ${server.baseUrl}`,
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
