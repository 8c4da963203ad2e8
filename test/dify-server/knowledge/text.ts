// Text helpers for the Knowledge API emulation: chunking, token estimates, keywords, retrieval scoring, and
// Python-flavoured error messages (pydantic ValidationError text, Python reprs).
import { createHash } from 'node:crypto';
import { HttpError } from '../router.js';

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
const CJK_G = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

/** A rough GPT-style token estimate: one token per CJK character, one per four other characters. */
export function estimateTokens(text: string): number {
  const cjk = (text.match(CJK_G) ?? []).length;
  const rest = text.length - cjk;
  return cjk + Math.ceil(rest / 4);
}

/** Python's len(): code points, not UTF-16 units. */
export function pyLen(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Dify's generate_text_hash: sha256 hex of the text. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface SplitRule {
  separator: string;
  maxTokens: number;
  removeExtraSpaces: boolean;
  removeUrlsEmails: boolean;
}

/** The separator as Dify reads it: the JSON may carry a literal backslash-n. */
export function unescapeSeparator(separator: string): string {
  return separator.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

export function cleanText(text: string, rule: Pick<SplitRule, 'removeExtraSpaces' | 'removeUrlsEmails'>): string {
  let out = text.replace(/\r\n?/g, '\n');
  if (rule.removeExtraSpaces) {
    out = out.replace(/\n{3,}/g, '\n\n').replace(/[\t\f\r\x20\u00a0\u3000]{2,}/g, ' ');
  }
  if (rule.removeUrlsEmails) {
    out = out.replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, '').replace(/https?:\/\/[^\s)]+/g, '');
  }
  return out;
}

/** Splits on the separator, then packs consecutive pieces into chunks of at most maxTokens (estimated). */
export function splitText(text: string, rule: SplitRule): string[] {
  const cleaned = cleanText(text, rule);
  const separator = unescapeSeparator(rule.separator) || '\n';
  const max = Math.max(rule.maxTokens, 1);
  const pieces = cleaned
    .split(separator)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .flatMap((p) => hardSplit(p, max));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const candidate = current ? `${current}${separator === '\n' ? '\n' : separator}${piece}` : piece;
    if (current && estimateTokens(candidate) > max) {
      chunks.push(current);
      current = piece;
    } else {
      current = candidate;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function hardSplit(piece: string, maxTokens: number): string[] {
  if (estimateTokens(piece) <= maxTokens) return [piece];
  const out: string[] = [];
  let current = '';
  for (const ch of piece) {
    if (estimateTokens(current + ch) > maxTokens) {
      out.push(current.trim());
      current = '';
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out.filter((s) => s.length > 0);
}

const STOPWORDS = new Set(
  ('the a an and or of to in on for is are was were be been it its this that with as by at from into not no but if then than so ' +
    'such can will just how do does did i me my you your we our what which who when where why')
    .split(' '),
);

/** A light English stemmer so that "rollbacks" and "deploying" meet "rollback" and "deploy". */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('es') && !word.endsWith('ses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Retrieval terms: lower-cased latin words and single CJK characters. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = m[0];
    if (CJK.test(word)) {
      let latin = '';
      for (const ch of word) {
        if (CJK.test(ch)) {
          if (latin) out.push(stem(latin));
          latin = '';
          out.push(ch);
        } else {
          latin += ch;
        }
      }
      if (latin) out.push(stem(latin));
    } else {
      out.push(stem(word));
    }
  }
  return out;
}

/** Up to ten keywords, as jieba's TF-IDF extraction would roughly yield: frequent words, CJK bigrams. */
export function extractKeywords(text: string): string[] {
  const counts = new Map<string, number>();
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = m[0];
    if (CJK.test(word)) {
      const chars = [...word].filter((c) => CJK.test(c));
      for (let i = 0; i + 1 < chars.length; i++) bump(chars[i]! + chars[i + 1]!);
    } else if (word.length >= 3 && !STOPWORDS.has(word) && !/^\d+$/.test(word)) {
      bump(word);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 10)
    .map(([k]) => k);
}

/** Token-overlap relevance in (0, 1]: share of distinct query terms present, lifted a little by frequency. */
export function score(query: string, content: string): number {
  const q = [...new Set(terms(query).filter((t) => !STOPWORDS.has(t)))];
  if (q.length === 0) return 0;
  const docTerms = terms(content);
  const freq = new Map<string, number>();
  for (const t of docTerms) freq.set(t, (freq.get(t) ?? 0) + 1);
  let hit = 0;
  let density = 0;
  for (const t of q) {
    const f = freq.get(t) ?? 0;
    if (f > 0) {
      hit++;
      density += Math.min(f / Math.max(docTerms.length, 1), 0.2) * 5;
    }
  }
  if (hit === 0) return 0;
  const coverage = hit / q.length;
  const raw = coverage * (0.75 + 0.25 * (density / hit));
  return Math.round(Math.min(raw, 1) * 1e6) / 1e6;
}

// ---------------------------------------------------------------------------------------------------------
// Python-flavoured messages

/** Python repr() of a JSON value. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') {
    const useDouble = value.includes("'") && !value.includes('"');
    const q = useDouble ? '"' : "'";
    const body = value
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(useDouble ? /(?!)/g : /'/g, "\\'");
    return q + body + q;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** pydantic-core truncates long input reprs in the middle. */
function truncatedRepr(value: unknown): string {
  const r = pyRepr(value);
  return r.length > 50 ? `${r.slice(0, 24)}...${r.slice(-24)}` : r;
}

export interface PydanticIssue {
  loc: (string | number)[];
  type: string;
  msg: string;
  /** The offending input; for `missing`, the enclosing object. */
  input: unknown;
}

/** A pydantic ValidationError as `str(e)` prints it, raised the way Dify's ValueError handler serialises it. */
export function validationError(model: string, issues: PydanticIssue[]): HttpError {
  const lines = [`${issues.length} validation error${issues.length === 1 ? '' : 's'} for ${model}`];
  for (const issue of issues) {
    if (issue.loc.length > 0) lines.push(issue.loc.join('.'));
    lines.push(`  ${issue.msg} [type=${issue.type}, input_value=${truncatedRepr(issue.input)}, input_type=${pyTypeName(issue.input)}]`);
    lines.push(`    For further information visit https://errors.pydantic.dev/2.12/v/${issue.type}`);
  }
  return new HttpError(400, 'invalid_param', lines.join('\n'));
}

/** A tiny field checker that collects pydantic-style issues. */
export class Checker {
  private readonly body: Record<string, unknown>;
  /** The request body was not an object: pydantic then reports only that (model_type). */
  private readonly notObject: { value: unknown } | undefined;

  constructor(
    body: unknown,
    private readonly prefix: (string | number)[] = [],
    readonly issues: PydanticIssue[] = [],
  ) {
    const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
    this.body = isObject ? (body as Record<string, unknown>) : {};
    this.notObject = isObject ? undefined : { value: body };
  }

  /** A checker for a nested object whose issues land in this one. */
  nested(key: string, value: Record<string, unknown>): Checker {
    return new Checker(value, [...this.prefix, key], this.issues);
  }

  add(loc: (string | number)[], type: string, msg: string, input: unknown): void {
    this.issues.push({ loc: [...this.prefix, ...loc], type, msg, input });
  }

  num(key: string, opts: { required?: boolean; nullable?: boolean } = {}): number | undefined {
    const v = this.body[key];
    if (v === undefined) {
      if (opts.required) this.add([key], 'missing', 'Field required', this.body);
      return undefined;
    }
    if (v === null && opts.nullable) return undefined;
    if (typeof v === 'number') return v;
    this.add([key], 'float_type', 'Input should be a valid number', v);
    return undefined;
  }

  str(key: string, opts: { required?: boolean; min?: number; max?: number; nullable?: boolean } = {}): string | undefined {
    const v = this.body[key];
    if (v === undefined) {
      if (opts.required) this.add([key], 'missing', 'Field required', this.body);
      return undefined;
    }
    if (v === null && opts.nullable) return undefined;
    if (typeof v !== 'string') {
      this.add([key], 'string_type', 'Input should be a valid string', v);
      return undefined;
    }
    const len = pyLen(v);
    if (opts.min !== undefined && len < opts.min) {
      this.add([key], 'string_too_short', `String should have at least ${opts.min} character${opts.min === 1 ? '' : 's'}`, v);
    } else if (opts.max !== undefined && len > opts.max) {
      this.add([key], 'string_too_long', `String should have at most ${opts.max} character${opts.max === 1 ? '' : 's'}`, v);
    }
    return v;
  }

  literal<T extends string>(key: string, allowed: readonly T[], opts: { required?: boolean; nullable?: boolean } = {}): T | undefined {
    const v = this.body[key];
    if (v === undefined) {
      if (opts.required) this.add([key], 'missing', 'Field required', this.body);
      return undefined;
    }
    if (v === null && opts.nullable) return undefined;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    const quoted = allowed.map((a) => `'${a}'`);
    const expected = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
    this.add([key], 'literal_error', `Input should be ${expected}`, v);
    return undefined;
  }

  bool(key: string, opts: { required?: boolean } = {}): boolean | undefined {
    const v = this.body[key];
    if (v === undefined) {
      if (opts.required) this.add([key], 'missing', 'Field required', this.body);
      return undefined;
    }
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    this.add([key], 'bool_parsing', 'Input should be a valid boolean', v);
    return undefined;
  }

  int(key: string, opts: { required?: boolean } = {}): number | undefined {
    const v = this.body[key];
    if (v === undefined) {
      if (opts.required) this.add([key], 'missing', 'Field required', this.body);
      return undefined;
    }
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    this.add([key], 'int_type', 'Input should be a valid integer', v);
    return undefined;
  }

  list(key: string, opts: { required?: boolean; nullable?: boolean } = {}): unknown[] | undefined {
    const v = this.body[key];
    if (v === undefined) {
      if (opts.required) this.add([key], 'missing', 'Field required', this.body);
      return undefined;
    }
    if (v === null && opts.nullable) return undefined;
    if (Array.isArray(v)) return v;
    this.add([key], 'list_type', 'Input should be a valid list', v);
    return undefined;
  }

  object(key: string, opts: { required?: boolean } = {}): Record<string, unknown> | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) {
      if (opts.required && v === undefined) this.add([key], 'missing', 'Field required', this.body);
      return undefined;
    }
    if (typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    this.add([key], 'dict_type', 'Input should be a valid dictionary', v);
    return undefined;
  }

  /** Throws the collected issues, if any. */
  done(model: string): void {
    if (this.notObject) {
      const msg = `Input should be a valid dictionary or instance of ${model}`;
      throw validationError(model, [{ loc: [], type: 'model_type', msg, input: this.notObject.value }]);
    }
    if (this.issues.length > 0) throw validationError(model, this.issues);
  }
}
