// What the chat keeps in global state by key: set, forget, and only the newest N where a bound is given.
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { KeyedMemory } from '../../src/platform/keyed-memory.js';

function memento(): vscode.Memento & { writes: number } {
  const values = new Map<string, unknown>();
  return {
    writes: 0,
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback) as T,
    async update(key: string, value: unknown) {
      this.writes++;
      values.set(key, JSON.parse(JSON.stringify(value)));
    },
  };
}

describe('keyed memory', () => {
  it('remembers, forgets, and writes only when something changed', async () => {
    const state = memento();
    const memory = new KeyedMemory<string>(state, 'k');
    await memory.set('app-1', 'c1');
    await memory.set('app-1', 'c1');
    assert.equal(state.writes, 1);
    assert.equal(memory.get('app-1'), 'c1');
    await memory.set('app-1', undefined);
    assert.equal(memory.get('app-1'), undefined);
  });

  it('with a bound, keeps the newest: a key written again counts as new', async () => {
    const state = memento();
    const memory = new KeyedMemory<number>(state, 'k', 3);
    for (const [i, key] of ['a', 'b', 'c', 'a', 'd'].entries()) await memory.set(key, i);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => memory.get(k)), [3, undefined, 2, 4]);
  });
});
