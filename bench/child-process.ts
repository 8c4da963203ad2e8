// Bench children: TypeScript files run by a fresh Node (`--import tsx`), talking to the bench over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export interface BenchChild {
  process: ChildProcess;
  /** The next IPC message; rejects if the child exits first. */
  next(): Promise<unknown>;
  /** Ends the child (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** Extra Node flags, e.g. --expose-gc. */
  execArgv?: string[];
  env?: Record<string, string>;
}

export function startChild(file: string, args: string[] = [], options: ChildOptions = {}): BenchChild {
  const child = fork(join(import.meta.dirname, file), args, {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: unknown[] = [];
  const waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  let exited: Error | undefined;
  child.on('message', (message: unknown) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`bench child ${file} exited (${signal ?? code})`);
    for (const waiter of waiting.splice(0)) waiter.reject(exited);
  });
  return {
    process: child,
    next() {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      if (exited) return Promise.reject(exited);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = once(child, 'exit');
      child.kill('SIGTERM');
      await done;
    },
  };
}

/** Narrows an IPC message to an object with the expected `type`. */
export function expectMessage(message: unknown, type: string): Record<string, unknown> {
  if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== type) {
    throw new Error(`unexpected message from a bench child: ${JSON.stringify(message)} (wanted "${type}")`);
  }
  return message as Record<string, unknown>;
}

export function numberField(message: Record<string, unknown>, key: string): number {
  const value = message[key];
  if (typeof value !== 'number') throw new Error(`bench child message has no number "${key}"`);
  return value;
}

export function stringField(message: Record<string, unknown>, key: string): string {
  const value = message[key];
  if (typeof value !== 'string') throw new Error(`bench child message has no string "${key}"`);
  return value;
}

/** Sends to the parent over IPC (children only). */
export function sendToParent(message: Record<string, unknown>): void {
  if (!process.send) throw new Error('this file runs as a bench child (IPC), not on its own');
  process.send(message);
}
