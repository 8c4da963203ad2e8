// An app's `user_input_form` (CONTRACT.md §3.1) as typed fields, and the checks Dify applies to `inputs` (§3.2), run
// before sending so the user fixes a field where it is instead of reading a 400.
import type { AppParameters, FileType, UserInputFieldBase } from '../dify/index.js';
import type { InputField, InputFieldType } from '../protocol.js';

const SHOWN_TYPES = new Set<InputFieldType>(['text-input', 'paragraph', 'select', 'number', 'checkbox', 'file', 'file-list']);

/** The fields a user fills in. `external_data_tool` and `json_object` variables are filled by Dify or left out. */
export function inputFields(form: AppParameters['user_input_form']): InputField[] {
  const fields: InputField[] = [];
  for (const item of form) {
    const [type, definition] = Object.entries(item)[0] ?? [];
    if (!type || !definition || !SHOWN_TYPES.has(type as InputFieldType)) continue;
    fields.push(toField(type as InputFieldType, definition));
  }
  return fields;
}

function toField(type: InputFieldType, d: UserInputFieldBase): InputField {
  const field: InputField = { variable: d.variable, label: d.label || d.variable, type, required: d.required === true };
  if (typeof d.max_length === 'number' && d.max_length > 0 && (type === 'text-input' || type === 'paragraph')) field.maxLength = d.max_length;
  if (type === 'select' && Array.isArray(d.options)) field.options = d.options.map(String);
  const fallback = d.default;
  if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean') {
    if (fallback !== '') field.default = fallback;
  }
  if (type === 'file' || type === 'file-list') {
    field.allowedFileTypes = (d.allowed_file_types ?? []) as FileType[];
    field.allowedFileExtensions = d.allowed_file_extensions ?? [];
    field.maxFiles = type === 'file' ? 1 : typeof d.max_length === 'number' && d.max_length > 0 ? d.max_length : 5;
  }
  return field;
}

export type InputValue = string | number | boolean;

export type InputProblem =
  | { variable: string; label: string; kind: 'required' }
  | { variable: string; label: string; kind: 'too_long'; maxLength: number }
  | { variable: string; label: string; kind: 'not_a_number' }
  | { variable: string; label: string; kind: 'not_an_option'; options: string[] };

/** A value's length as Dify counts it for max_length (Python's len: code points, so an emoji is one). */
export function charCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Problems with the values the user gave; file fields are checked by their upload (see file-rules.ts). */
export function checkInputs(fields: InputField[], values: Record<string, InputValue>): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const field of fields) {
    if (field.type === 'file' || field.type === 'file-list') continue;
    const { variable, label } = field;
    const value = values[variable] ?? field.default;
    const empty = value === undefined || (typeof value === 'string' && value.trim() === '');
    if (empty) {
      if (field.required && field.type !== 'checkbox') problems.push({ variable, label, kind: 'required' });
      continue;
    }
    if (field.type === 'number' && !Number.isFinite(Number(value))) problems.push({ variable, label, kind: 'not_a_number' });
    if (field.maxLength !== undefined && charCount(String(value)) > field.maxLength)
      problems.push({ variable, label, kind: 'too_long', maxLength: field.maxLength });
    if (field.type === 'select' && field.options && !field.options.includes(String(value)))
      problems.push({ variable, label, kind: 'not_an_option', options: field.options });
  }
  return problems;
}

/** `inputs` for Dify: every variable the form shows, typed as Dify expects (numbers as numbers, checkboxes as bools). */
export function toDifyInputs(fields: InputField[], values: Record<string, InputValue>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.variable] ?? field.default;
    if (value === undefined || field.type === 'file' || field.type === 'file-list') continue;
    if (field.type === 'number') {
      if (String(value).trim() !== '') inputs[field.variable] = Number(value);
    } else if (field.type === 'checkbox') {
      inputs[field.variable] = value === true || value === 'true';
    } else {
      inputs[field.variable] = String(value);
    }
  }
  return inputs;
}

/**
 * The opening statement as Dify's web app shows it: each `{{variable}}` replaced by the form's value for it, or by
 * `{{Label}}` while it has none; anything else in braces stays as written.
 */
export function fillOpeningStatement(statement: string, fields: InputField[], values: Record<string, InputValue | undefined>): string {
  return statement.replace(/\{\{([^{}]+)\}\}/g, (match, name: string) => {
    const value = values[name];
    if (value !== undefined && value !== '' && value !== false) return String(value);
    const field = fields.find((f) => f.variable === name);
    return field ? `{{${field.label || field.variable}}}` : match;
  });
}
