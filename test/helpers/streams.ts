// The wire-exact example streams of ../shared/dify-api/streams, and what a correct client must yield from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Copied byte for byte from shared/dify-api/streams (CONTRACT.md §8). */
export const STREAMS_DIR = join(__dirname, '..', 'fixtures', 'streams');

export function exampleStream(name: string): Buffer {
  return readFileSync(join(STREAMS_DIR, `${name}.sse`));
}

/** Every data frame of the file, parsed, in order (pings are not events). */
export function exampleEvents(name: string): Record<string, unknown>[] {
  return exampleStream(name)
    .toString('utf8')
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>);
}
