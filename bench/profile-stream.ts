// Profiling helper, not part of `npm run bench`: runs one stream contender repeatedly against the stream server,
// so a CPU profile shows where its time goes. Open the .cpuprofile in Chrome DevTools or speedscope.
//   node --cpu-prof --cpu-prof-dir=bench/.data/profiles --import tsx bench/profile-stream.ts ours 6
//   (contenders: ours | official | transport)
import { expectMessage, numberField, startChild } from './child-process.js';
import { runOfficial, runOurs, runTransport, type Tally } from './stream-throughput.js';

const contenders: Record<string, (baseUrl: string) => Promise<Tally>> = { ours: runOurs, official: runOfficial, transport: runTransport };

async function main(): Promise<void> {
  const [name = 'ours', count = '6'] = process.argv.slice(2);
  const run = contenders[name];
  if (!run) throw new Error(`unknown contender "${name}" (ours, official, transport)`);
  const server = startChild('child-stream-server.ts', [String(50 * 1024 * 1024), String(16 * 1024)]);
  try {
    const baseUrl = `http://127.0.0.1:${numberField(expectMessage(await server.next(), 'ready'), 'port')}/v1`;
    for (let i = 0; i < Number(count); i++) {
      const tally = await run(baseUrl);
      console.log(`${name} run ${i + 1}: ${tally.ms.toFixed(0)} ms, ${tally.events} events`);
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
