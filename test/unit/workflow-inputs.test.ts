// Inputs of a run on the selection: the selection's variable, editor-context mappings, what is asked, and the
// checks that name where a bad value came from.
import assert from 'node:assert/strict';
import { inputFields } from '../../src/core/input-form.js';
import { checkRunInputs, parseContextMappings, planInputs, selectionCandidates, selectionVariable, type EditorContext } from '../../src/core/workflow-inputs.js';
import type { AppParameters } from '../../src/dify/index.js';
import { buildApps, parametersOf } from '../dify-server/apps/fixtures.js';

const fieldsOf = (handle: string) =>
  inputFields((parametersOf(buildApps().find((a) => a.handle === handle)!) as unknown as AppParameters).user_input_form);

const context: EditorContext = {
  selection: 'const x = 1;',
  fileName: 'main.ts',
  filePath: 'src/main.ts',
  languageId: 'typescript',
  fileText: 'const x = 1;\nconsole.log(x);\n',
  workspaceFolder: 'demo',
};

describe('workflow inputs', () => {
  it('the selection goes to the first paragraph, else the first text input; a remembered choice wins while it exists', () => {
    const form = inputFields([
      { 'text-input': { variable: 'title', label: 'Title', required: false } },
      { number: { variable: 'n', label: 'N', required: false } },
      { paragraph: { variable: 'code', label: 'Code', required: true } },
      { paragraph: { variable: 'notes', label: 'Notes', required: false } },
    ]);
    assert.deepEqual(selectionCandidates(form).map((f) => f.variable), ['code', 'notes', 'title']);
    assert.equal(selectionVariable(form, undefined), 'code');
    assert.equal(selectionVariable(form, 'title'), 'title');
    assert.equal(selectionVariable(form, 'n'), 'code', 'a number cannot take the selection');
    assert.equal(selectionVariable(form, 'gone'), 'code');
    assert.equal(selectionVariable(inputFields([{ number: { variable: 'n', label: 'N', required: true } }]), undefined), undefined);
    assert.equal(selectionVariable(fieldsOf('workflow'), undefined), 'topic');
    assert.equal(selectionVariable(fieldsOf('workflowIteration'), undefined), 'items');
  });

  it('fills the selection and mapped editor context; asks only required fields nothing filled', () => {
    const form = inputFields([
      { paragraph: { variable: 'code', label: 'Code', required: true } },
      { select: { variable: 'lang', label: 'Language', required: true, options: ['typescript', 'python'] } },
      { 'text-input': { variable: 'file', label: 'File', required: false } },
      { 'text-input': { variable: 'reviewer', label: 'Reviewer', required: true } },
      { 'text-input': { variable: 'tone', label: 'Tone', required: true, default: 'calm' } },
      { number: { variable: 'count', label: 'Count', required: false } },
      { checkbox: { variable: 'strict', label: 'Strict', required: true } },
      { file: { variable: 'doc', label: 'Doc', required: false, allowed_file_types: ['document'] } },
    ]);
    const plan = planInputs(form, context, { selectionVariable: 'code', mappings: { lang: 'languageId', file: 'filePath', nothere: 'fileName' } });
    assert.deepEqual(plan.values, { code: 'const x = 1;', lang: 'typescript', file: 'src/main.ts' });
    assert.deepEqual(plan.origins, { code: 'selection', lang: 'context', file: 'context' });
    assert.deepEqual(plan.ask.map((f) => f.variable), ['reviewer']);
    assert.deepEqual(plan.files.map((f) => f.variable), ['doc']);
  });

  it('a select mapped to editor context keeps its default when the editor value is not an option', () => {
    const form = inputFields([{ select: { variable: 'lang', label: 'Language', required: false, options: ['python'], default: 'python' } }]);
    const plan = planInputs(form, context, { selectionVariable: undefined, mappings: { lang: 'languageId' } });
    assert.deepEqual(plan.values, { lang: 'python' });
  });

  it('the mapping setting keeps only known sources', () => {
    assert.deepEqual(parseContextMappings({ a: 'fileName', b: 'nope', c: 3, d: 'fileText' }), { a: 'fileName', d: 'fileText' });
    assert.deepEqual(parseContextMappings(['fileName']), {});
    assert.deepEqual(parseContextMappings(undefined), {});
  });

  it('a selection over max_length, an empty selection and a missing required value are each named with their origin', () => {
    const form = fieldsOf('workflow'); // topic: required, max 256
    const long = 'x'.repeat(300);
    const plan = planInputs(form, { ...context, selection: long }, { selectionVariable: 'topic', mappings: {} });
    const problems = checkRunInputs(form, plan.values, plan.origins);
    assert.deepEqual(
      problems.map((p) => [p.problem.kind, p.origin, p.length]),
      [['too_long', 'selection', 300]],
    );
    const empty = planInputs(form, { ...context, selection: '  \n' }, { selectionVariable: 'topic', mappings: {} });
    assert.deepEqual(checkRunInputs(form, empty.values, empty.origins).map((p) => [p.problem.kind, p.origin]), [['required', 'selection']]);
    assert.deepEqual(checkRunInputs(form, {}, {}).map((p) => [p.problem.kind, p.origin]), [['required', 'asked']]);
  });
});
