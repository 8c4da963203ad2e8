// Stream throughput on one recorded chat stream: our client, the official `dify-client` 2.3.2 plus the parse its
// users must add, the bare transport, the floor (JSON.parse of each pre-split data string, no I/O at all), and our
// framing and parse over the body in memory (what separates the floor from ours: decoding, then the network read).
import { Readable } from 'node:stream';
import { ChatClient } from 'dify-client';
import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { AppClient } from '../src/dify/index.js';
import { SseFrames } from '../src/dify/sse-frames.js';
import type { ChatStreamFixture } from './stream-fixture.js';

export interface Tally {
  ms: number;
  events: number;
  answerChars: number;
  /** Body chunks and bytes the consumer saw (where it can see them). */
  chunks?: number;
  bytes?: number;
}

export type Contender = 'ours' | 'official' | 'floor' | 'bytes' | 'transport';

export interface Sample {
  runs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  mbPerSec: number;
  eventsPerSec: number;
  avgChunkBytes?: number;
}

const API_KEY = 'app-bench0000000000000000';
const USER = 'bench-user';
const QUERY = 'Explain Dify in detail.';

/** What every consumer does per event: count it and take the text of `message` deltas. */
function tallyEvent(event: unknown, tally: Tally): void {
  tally.events++;
  if (typeof event !== 'object' || event === null) return;
  const { event: name, answer } = event as { event?: unknown; answer?: unknown };
  if (name === 'message' && typeof answer === 'string') tally.answerChars += answer.length;
}

/** (a) Ours: typed events from DifyEventStream. */
export async function runOurs(baseUrl: string): Promise<Tally> {
  const tally: Tally = { ms: 0, events: 0, answerChars: 0 };
  const started = performance.now();
  const client = new AppClient({ baseUrl, apiKey: API_KEY, user: USER });
  const stream = await client.streamChatMessage({ query: QUERY });
  for await (const event of stream) {
    tally.events++;
    if (event.event === 'message') tally.answerChars += event.answer.length;
  }
  tally.ms = performance.now() - started;
  return tally;
}

/**
 * (b) The official SDK hands back the raw axios Node stream (CONTRACT.md §7.1: no SSE parsing), so its users add a
 * parser: eventsource-parser, the version in node_modules, and JSON.parse of each data frame.
 */
export async function runOfficial(baseUrl: string): Promise<Tally> {
  const tally: Tally = { ms: 0, events: 0, answerChars: 0, chunks: 0 };
  const started = performance.now();
  const client = new ChatClient(API_KEY, baseUrl);
  const response: unknown = await client.createChatMessage({}, QUERY, USER, true);
  const data = typeof response === 'object' && response !== null ? (response as { data?: unknown }).data : undefined;
  if (!(data instanceof Readable)) throw new Error('dify-client did not return a Node stream in response.data');
  const parser = createParser({
    onEvent: (message) => {
      if (message.event === undefined) tallyEvent(JSON.parse(message.data) as unknown, tally);
    },
  });
  data.setEncoding('utf8'); // decodes across chunk boundaries; chunk.toString() would break split CJK characters
  for await (const chunk of data) {
    tally.chunks = (tally.chunks ?? 0) + 1;
    parser.feed(chunk as string);
  }
  tally.ms = performance.now() - started;
  return tally;
}

/** The transport alone: undici (which our client uses) reading the body, bytes counted, nothing parsed. */
export async function runTransport(baseUrl: string): Promise<Tally> {
  const tally: Tally = { ms: 0, events: 0, answerChars: 0, chunks: 0, bytes: 0 };
  const started = performance.now();
  const response = await request(`${baseUrl}/chat-messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: {}, query: QUERY, response_mode: 'streaming', user: USER }),
  });
  for await (const chunk of response.body) {
    tally.chunks = (tally.chunks ?? 0) + 1;
    tally.bytes = (tally.bytes ?? 0) + (chunk as Buffer).length;
  }
  tally.ms = performance.now() - started;
  return tally;
}

/** (c) The floor: JSON.parse of each data string, already split, in memory. */
export function runFloor(dataFrames: readonly string[]): Tally {
  const tally: Tally = { ms: 0, events: 0, answerChars: 0 };
  const started = performance.now();
  for (const data of dataFrames) tallyEvent(JSON.parse(data) as unknown, tally);
  tally.ms = performance.now() - started;
  return tally;
}

/**
 * (d) Ours without the network: the body in memory, in the server's write-sized slices, through our framing
 * (SseFrames: cut, decode each data line) and JSON.parse. The gap from (c) is decoding bytes to strings; the gap
 * to (a) is the HTTP body read and the async iteration.
 */
export function runBytes(body: Buffer, writeSize: number): Tally {
  const tally: Tally = { ms: 0, events: 0, answerChars: 0 };
  const started = performance.now();
  const frames = new SseFrames((data) => tallyEvent(JSON.parse(data) as unknown, tally));
  for (let at = 0; at < body.length; at += writeSize) frames.push(body.subarray(at, at + writeSize));
  frames.end();
  tally.ms = performance.now() - started;
  return tally;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function check(name: Contender, tally: Tally, fixture: ChatStreamFixture): void {
  if (name === 'transport') {
    if (tally.bytes !== fixture.body.length) throw new Error(`transport read ${tally.bytes} of ${fixture.body.length} bytes`);
    return;
  }
  if (tally.events !== fixture.events || tally.answerChars !== fixture.answerChars) {
    throw new Error(
      `${name} saw ${tally.events} events / ${tally.answerChars} answer chars; the stream has ${fixture.events} / ${fixture.answerChars}`,
    );
  }
}

export async function measureStreamThroughput(
  baseUrl: string,
  fixture: ChatStreamFixture,
  options: { warmups: number; runs: number; writeSize: number },
): Promise<Record<Contender, Sample>> {
  const contenders: Record<Contender, () => Promise<Tally>> = {
    ours: () => runOurs(baseUrl),
    official: () => runOfficial(baseUrl),
    floor: () => Promise.resolve(runFloor(fixture.dataFrames)),
    bytes: () => Promise.resolve(runBytes(fixture.body, options.writeSize)),
    transport: () => runTransport(baseUrl),
  };
  const names = Object.keys(contenders) as Contender[];
  const times: Record<Contender, number[]> = { ours: [], official: [], floor: [], bytes: [], transport: [] };
  const chunks: Record<Contender, number[]> = { ours: [], official: [], floor: [], bytes: [], transport: [] };
  // Interleaved rounds in a rotating order, so drift (other load, GC state) hits every contender alike.
  for (let round = 0; round < options.warmups + options.runs; round++) {
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const tally = await contenders[name]();
      check(name, tally, fixture);
      if (round < options.warmups) continue;
      times[name].push(tally.ms);
      if (tally.chunks !== undefined) chunks[name].push(tally.chunks);
    }
  }
  const result = {} as Record<Contender, Sample>;
  for (const name of names) {
    const ms = median(times[name]);
    result[name] = {
      runs: times[name].map((t) => Math.round(t * 10) / 10),
      medianMs: ms,
      minMs: Math.min(...times[name]),
      maxMs: Math.max(...times[name]),
      mbPerSec: fixture.body.length / 1e6 / (ms / 1000),
      eventsPerSec: fixture.events / (ms / 1000),
      avgChunkBytes: chunks[name].length ? fixture.body.length / median(chunks[name]) : undefined,
    };
  }
  return result;
}
