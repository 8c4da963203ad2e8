// Python-side text formats the server needs: repr(), str(Decimal), datetime.isoformat(), pydantic errors.
import { createHash, randomUUID } from 'node:crypto';
import { errors } from './router.js';
import type { HttpError } from './router.js';

/** Python `repr()` of a JSON value (dict/list/str/int/float/bool/None). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyStrRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return pyStrRepr(String(value));
}

/** Python `str()`: strings as they are, everything else as repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

export function pyNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa, exp] = n.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return String(n);
}

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

export interface PydanticIssue {
  loc: string;
  msg: string;
  type: string;
  input: unknown;
}

/** pydantic-core shortens long input reprs: the first 25 and last 24 characters around "...". */
function truncatedRepr(value: unknown): string {
  const r = pyRepr(value);
  return r.length > 50 ? `${r.slice(0, 25)}...${r.slice(-24)}` : r;
}

/** str(ValidationError) as pydantic 2.12 prints it; Dify's ValueError handler turns it into 400 invalid_param. */
export function pydanticMessage(model: string, issues: PydanticIssue[]): string {
  const head = `${issues.length} validation error${issues.length === 1 ? '' : 's'} for ${model}`;
  const body = issues.map(
    (i) =>
      `${i.loc ? `${i.loc}\n` : ''}  ${i.msg} [type=${i.type}, input_value=${truncatedRepr(i.input)}, input_type=${pyTypeName(i.input)}]\n` +
      `    For further information visit https://errors.pydantic.dev/2.12/v/${i.type}`,
  );
  return [head, ...body].join('\n');
}

export function pydanticError(model: string, issues: PydanticIssue[]): HttpError {
  return errors.invalidParam(pydanticMessage(model, issues));
}

/**
 * Collects the issues of one pydantic model. Each helper returns the coerced value, or undefined after recording
 * an issue; `throwIfAny` raises them all together, as pydantic does.
 */
export class Validator {
  readonly issues: PydanticIssue[] = [];
  constructor(
    readonly model: string,
    readonly data: Record<string, unknown>,
  ) {}

  has(key: string): boolean {
    return this.data[key] !== undefined;
  }

  missing(key: string): void {
    this.issues.push({ loc: key, msg: 'Field required', type: 'missing', input: this.data });
  }

  issue(loc: string, msg: string, type: string, input: unknown): void {
    this.issues.push({ loc, msg, type, input });
  }

  /** A str field. `required` records "Field required" when absent; null is allowed when `nullable`. */
  str(key: string, opts: { required?: boolean; nullable?: boolean; def?: string } = {}): string | null | undefined {
    const v = this.data[key];
    if (v === undefined) {
      if (opts.required) this.missing(key);
      return opts.def;
    }
    if (v === null && opts.nullable) return null;
    if (typeof v !== 'string') {
      this.issue(key, 'Input should be a valid string', 'string_type', v);
      return undefined;
    }
    return v;
  }

  /** An int field from JSON or a query string, with bounds. */
  int(key: string, opts: { def: number; ge?: number; le?: number }): number {
    const v = this.data[key];
    if (v === undefined || v === null) return opts.def;
    let n: number;
    if (typeof v === 'number' && Number.isInteger(v)) n = v;
    else if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) n = Number(v);
    else {
      this.issue(key, 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing', v);
      return opts.def;
    }
    if (opts.ge !== undefined && n < opts.ge) {
      this.issue(key, `Input should be greater than or equal to ${opts.ge}`, 'greater_than_equal', v);
    } else if (opts.le !== undefined && n > opts.le) {
      this.issue(key, `Input should be less than or equal to ${opts.le}`, 'less_than_equal', v);
    }
    return n;
  }

  /** A required float field (pydantic lax mode: numbers, and strings that parse as one). */
  float(key: string): number | undefined {
    const v = this.data[key];
    if (v === undefined) {
      this.missing(key);
      return undefined;
    }
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    if (typeof v === 'string') this.issue(key, 'Input should be a valid number, unable to parse string as a number', 'float_parsing', v);
    else this.issue(key, 'Input should be a valid number', 'float_type', v);
    return undefined;
  }

  bool(key: string, def: boolean): boolean {
    const v = this.data[key];
    if (v === undefined) return def;
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (typeof v === 'string') {
      const s = v.toLowerCase();
      if (['true', '1', 'yes', 'on', 't', 'y'].includes(s)) return true;
      if (['false', '0', 'no', 'off', 'f', 'n'].includes(s)) return false;
    }
    this.issue(key, 'Input should be a valid boolean', 'bool_type', v);
    return def;
  }

  literal<T extends string>(key: string, options: readonly T[], def: T | null): T | null {
    const v = this.data[key];
    if (v === undefined || (v === null && def === null)) return def;
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    const quoted = options.map((o) => `'${o}'`);
    const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
    this.issue(key, `Input should be ${list}`, 'literal_error', v);
    return def;
  }

  dict(key: string, opts: { required?: boolean } = {}): Record<string, unknown> | undefined {
    const v = this.data[key];
    if (v === undefined) {
      if (opts.required) this.missing(key);
      return undefined;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.issue(key, 'Input should be a valid dictionary', 'dict_type', v);
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  /** A UUID-or-empty string field (Dify's UUIDStrOrEmpty / uuid_value validators). */
  uuidOrEmpty(key: string, label = key): string | null | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return v as null | undefined;
    if (typeof v !== 'string') {
      this.issue(key, 'Input should be a valid string', 'string_type', v);
      return undefined;
    }
    if (v.trim() === '') return '';
    if (!isUuid(v)) {
      this.issue(key, `Value error, ${label} must be a valid UUID`, 'value_error', v);
      return undefined;
    }
    return v;
  }

  throwIfAny(): void {
    if (this.issues.length) throw pydanticError(this.model, this.issues);
  }
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s.trim());
}

export const uuid = (): string => randomUUID();

/** A UUIDv4-shaped id derived from a seed (fixtures keep the same ids across runs). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `prefix` + 24 alphanumerics derived from a seed. */
export function stableKey(prefix: string, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(seed).digest();
  let key = '';
  for (let i = 0; i < 24; i++) key += alphabet[bytes[i]! % alphabet.length];
  return prefix + key;
}

/** Milliseconds that never repeat, so keyset pagination on timestamps has a total order. */
export class Clock {
  private last = 0;
  now(): number {
    let t = Date.now();
    if (t <= this.last) t = this.last + 0.001;
    this.last = t;
    return t;
  }
}

export const unix = (ms: number): number => Math.floor(ms / 1000);

/** Python `naive_datetime.isoformat()` (UTC, no offset; microseconds only when non-zero). */
export function isoFormat(ms: number): string {
  const d = new Date(Math.floor(ms));
  const base = d.toISOString().slice(0, 19);
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return micros ? `${base}.${String(micros).padStart(6, '0')}` : base;
}

/** A money amount in units of 1e-7 (Dify quantizes prices to 7 decimal places). */
export type Price = number;

/** `str(Decimal)`: scientific notation below 1e-6 (`"5E-7"`, `"0E-7"`), as in streamed usage. */
export function decimalStr(units: Price, places = 7): string {
  const digits = String(Math.abs(Math.round(units)));
  const sign = units < 0 ? '-' : '';
  const adjusted = digits.length - 1 - places;
  if (units === 0 || adjusted < -6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}E${adjusted}`;
  }
  return sign + fixed(digits, places);
}

/** Fixed-point notation (`format(d, "f")`), as in blocking JSON and node outputs. */
export function decimalFixed(units: Price, places = 7): string {
  const sign = units < 0 ? '-' : '';
  return sign + fixed(String(Math.abs(Math.round(units))), places);
}

function fixed(digits: string, places: number): string {
  const padded = digits.padStart(places + 1, '0');
  return `${padded.slice(0, -places)}.${padded.slice(-places)}`;
}
