// A workflow or completion app's inputs as a language model tool takes them: the JSON schema of its form (from
// /parameters, CONTRACT.md §3.1), and the `inputs` a model sent checked against that form before anything goes to
// Dify (VS Code does not check a tool's input against its schema). File inputs cannot come through a tool.
import type { InputField } from '../protocol.js';
import { toDifyInputs, type InputValue } from './input-form.js';
import { checkRunInputs, isFileField, type RunInputProblem } from './workflow-inputs.js';
import { cutAtWord } from './text-cut.js';

export type JsonType = 'string' | 'number' | 'boolean';

export interface InputPropertySchema {
  type: JsonType;
  /** The field's label in Dify's form. */
  description: string;
  enum?: string[];
  maxLength?: number;
  default?: string | number | boolean;
}

/** The JSON schema of an app's `inputs`. */
export interface AppInputSchema {
  type: 'object';
  properties: Record<string, InputPropertySchema>;
  required: string[];
  additionalProperties: false;
}

const jsonType = (field: InputField): JsonType => (field.type === 'number' ? 'number' : field.type === 'checkbox' ? 'boolean' : 'string');

/** Required: Dify refuses the run without a value (a field with a default is filled by it). */
const needsValue = (field: InputField): boolean => field.required && field.default === undefined && field.type !== 'checkbox';

/** The schema of the fields a tool can fill (every field but files). */
export function appInputSchema(fields: InputField[]): AppInputSchema {
  const properties: Record<string, InputPropertySchema> = {};
  const required: string[] = [];
  for (const field of fields) {
    if (isFileField(field)) continue;
    const property: InputPropertySchema = { type: jsonType(field), description: field.label };
    if (field.options) property.enum = field.options;
    if (field.maxLength !== undefined) property.maxLength = field.maxLength;
    if (field.default !== undefined) property.default = field.default;
    properties[field.variable] = property;
    if (needsValue(field)) required.push(field.variable);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The file inputs an app requires: such an app cannot run as a tool. */
export function requiredFileInputs(fields: InputField[]): InputField[] {
  return fields.filter((f) => isFileField(f) && f.required);
}

export type ToolInputProblem =
  | { kind: 'not_an_object'; got: string }
  | { kind: 'unknown_field'; variable: string; known: string[] }
  | { kind: 'wrong_type'; variable: string; label: string; expected: JsonType; got: string }
  /** A file input: given (a tool cannot upload it) or required (the app cannot run as a tool). */
  | { kind: 'file_input'; variable: string; label: string }
  /** A value of the right type that Dify's checks refuse (required, too long, not a number, not an option). */
  | { kind: 'value'; check: RunInputProblem };

export type ToolInputCheck = { ok: true; inputs: Record<string, unknown> } | { ok: false; problems: ToolInputProblem[] };

/** What a JSON value is, in JSON's words: "an array", "an object", "a string"… */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The model's `inputs` checked against the form: types first, then Dify's own checks; `inputs` as Dify takes them. */
export function checkToolInputs(fields: InputField[], raw: unknown): ToolInputCheck {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problems: [{ kind: 'not_an_object', got: jsonKind(raw) }] };
  const given = raw as Record<string, unknown>;
  const problems: ToolInputProblem[] = [];
  const byName = new Map(fields.map((f) => [f.variable, f]));
  const known = fields.filter((f) => !isFileField(f)).map((f) => f.variable);
  for (const variable of Object.keys(given)) {
    if (!byName.has(variable)) problems.push({ kind: 'unknown_field', variable, known });
  }
  const values: Record<string, InputValue> = {};
  for (const field of fields) {
    const value = given[field.variable];
    if (isFileField(field)) {
      if (value !== undefined || field.required) problems.push({ kind: 'file_input', variable: field.variable, label: field.label });
      continue;
    }
    if (value === undefined || value === null) continue;
    const typed = asType(value, jsonType(field));
    if (typed === undefined) problems.push({ kind: 'wrong_type', variable: field.variable, label: field.label, expected: jsonType(field), got: jsonKind(value) });
    else values[field.variable] = typed;
  }
  if (problems.length) return { ok: false, problems };
  const checked = checkRunInputs(fields, values, {});
  return checked.length ? { ok: false, problems: checked.map((check) => ({ kind: 'value', check })) } : { ok: true, inputs: toDifyInputs(fields, values) };
}

/**
 * The value as the field's type takes it, or undefined when it cannot be: text fields take numbers and booleans as
 * their text (models write `"count": 3` for a text field), numbers take numeric text (checked later), checkboxes
 * take "true" and "false".
 */
function asType(value: unknown, type: JsonType): InputValue | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    case 'number':
      return typeof value === 'number' || typeof value === 'string' ? value : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
  }
}

/** Each input on one line, cut to `max` characters, for a confirmation a person reads at a glance. */
export function inputsPreview(inputs: Record<string, unknown>, max = 120): { name: string; value: string }[] {
  return Object.entries(inputs).map(([name, value]) => {
    const text = (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)).replace(/\s+/g, ' ').trim();
    const { text: shown, cut } = cutAtWord(text, max);
    return { name, value: cut ? `${shown}…` : shown };
  });
}
