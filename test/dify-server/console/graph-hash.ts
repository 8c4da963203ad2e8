// The draft's `unique_hash` (CONSOLE.md §7.2): sha256 of `json.dumps({"graph": graph}, sort_keys=True)` + "None".
// Python keeps `1.0` a float, so the JSON a client sends is read keeping which numbers were written as floats.
import { createHash } from 'node:crypto';
import { PyFloat, pyJson } from '../wire.js';

const FLOAT_MARK = '\u0000pyfloat:';

/**
 * `json.loads` of a request body: like JSON.parse, but a number written with a fraction or an exponent becomes a
 * PyFloat, so it is written back (and hashed) as Python would write it (`1.0`, not `1`). Throws on invalid JSON.
 */
export function parsePyJson(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (number && /[-\d]/.test(ch)) {
      out += number[1] || number[2] ? JSON.stringify(FLOAT_MARK + number[0]) : number[0];
      i += number[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(FLOAT_MARK) ? new PyFloat(Number(value.slice(FLOAT_MARK.length))) : value,
  );
}

/** The index just past the string literal starting at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** `sort_keys=True`: every object's keys sorted, at every depth. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object' || value instanceof PyFloat) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

export function graphHash(graph: Record<string, unknown>): string {
  return createHash('sha256')
    .update(pyJson(sortKeys({ graph })) + 'None')
    .digest('hex');
}

/** A stored value as plain JSON (PyFloat as its number), for YAML. */
export function plainJson(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(plainJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plainJson(v)]));
}
