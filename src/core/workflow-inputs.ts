// The `inputs` of a workflow or completion run on code: the selection goes to one text variable of the app's form,
// other variables come from the editor (file name, language, …) where a mapping says so, and the rest is asked.
import type { InputField } from '../protocol.js';
import { charCount, checkInputs, type InputProblem, type InputValue } from './input-form.js';

/** What a mapping can put into a variable (setting `dify.workflows.contextInputs`). */
export type ContextSource = 'selection' | 'fileName' | 'filePath' | 'languageId' | 'fileText' | 'workspaceFolder';

export const CONTEXT_SOURCES: readonly ContextSource[] = ['selection', 'fileName', 'filePath', 'languageId', 'fileText', 'workspaceFolder'];

/** The editor (or Explorer file) a run starts from. */
export interface EditorContext {
  /** The selected text, or the whole file when nothing is selected. */
  selection: string;
  fileName: string;
  /** Relative to the workspace folder when there is one. */
  filePath: string;
  languageId: string;
  fileText: string;
  workspaceFolder: string;
}

export const isTextField = (field: InputField): boolean => field.type === 'paragraph' || field.type === 'text-input';
export const isFileField = (field: InputField): boolean => field.type === 'file' || field.type === 'file-list';

/** The variables the selection can go to: paragraphs first (they take code best), then text inputs. */
export function selectionCandidates(fields: InputField[]): InputField[] {
  return [...fields.filter((f) => f.type === 'paragraph'), ...fields.filter((f) => f.type === 'text-input')];
}

/** The remembered variable if the form still has it as text, else the first paragraph or text input. */
export function selectionVariable(fields: InputField[], remembered: string | undefined): string | undefined {
  const candidates = selectionCandidates(fields);
  return candidates.find((f) => f.variable === remembered)?.variable ?? candidates[0]?.variable;
}

/** Keeps the well-formed entries of the mapping setting: `{ "<variable>": "<source>" }`. */
export function parseContextMappings(raw: unknown): Record<string, ContextSource> {
  const out: Record<string, ContextSource> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [variable, source] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof source === 'string' && (CONTEXT_SOURCES as readonly string[]).includes(source)) out[variable] = source as ContextSource;
  }
  return out;
}

export type ValueOrigin = 'selection' | 'context';

export interface InputPlan {
  values: Record<string, InputValue>;
  /** Where each filled value came from (for the messages about it). */
  origins: Record<string, ValueOrigin>;
  /** Required fields nothing filled: ask the user, in form order. */
  ask: InputField[];
  /** file / file-list fields: filled by uploading the file the run is on. */
  files: InputField[];
}

/** Fills what the editor can fill; says what must be asked. Optional fields without a value keep Dify's default. */
export function planInputs(
  fields: InputField[],
  context: EditorContext,
  options: { selectionVariable: string | undefined; mappings: Record<string, ContextSource> },
): InputPlan {
  const plan: InputPlan = { values: {}, origins: {}, ask: [], files: [] };
  for (const field of fields) {
    if (isFileField(field)) {
      plan.files.push(field);
      continue;
    }
    const source = field.variable === options.selectionVariable ? 'selection' : options.mappings[field.variable];
    if (source) {
      plan.values[field.variable] = contextValue(field, context[source]);
      plan.origins[field.variable] = source === 'selection' ? 'selection' : 'context';
    } else if (field.required && field.default === undefined && field.type !== 'checkbox') {
      plan.ask.push(field);
    }
  }
  return plan;
}

/** A select takes the editor value only when it is one of its options (e.g. the language id); else its default. */
function contextValue(field: InputField, text: string): InputValue {
  if (field.type === 'select' && field.options && !field.options.includes(text) && field.default !== undefined) return field.default;
  return text;
}

export interface RunInputProblem {
  problem: InputProblem;
  origin: ValueOrigin | 'asked';
  /** The length of the value, for too_long. */
  length: number;
}

/** Dify's checks of the final values (input-form.ts), each with where the value came from. */
export function checkRunInputs(fields: InputField[], values: Record<string, InputValue>, origins: Record<string, ValueOrigin>): RunInputProblem[] {
  return checkInputs(fields, values).map((problem) => ({
    problem,
    origin: origins[problem.variable] ?? 'asked',
    length: charCount(String(values[problem.variable] ?? '')),
  }));
}
