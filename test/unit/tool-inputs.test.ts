// The workflow tool's inputs: the schema derived from an app's /parameters, and the model's `inputs` checked against
// the form before anything goes to Dify (VS Code does not check them against the tool's schema).
import assert from 'node:assert/strict';
import { inputFields } from '../../src/core/input-form.js';
import { appInputSchema, checkToolInputs, inputsPreview, jsonKind, requiredFileInputs } from '../../src/core/tool-inputs.js';
import type { AppParameters } from '../../src/dify/index.js';
import { buildApps, parametersOf } from '../dify-server/apps/fixtures.js';

const fieldsOf = (handle: string) =>
  inputFields((parametersOf(buildApps().find((a) => a.handle === handle)!) as unknown as AppParameters).user_input_form);

describe('tool inputs', () => {
  it('derives a JSON schema from the form: types, labels, options, lengths, defaults, and what is required', () => {
    assert.deepEqual(appInputSchema(fieldsOf('workflow')), {
      type: 'object',
      properties: {
        topic: { type: 'string', description: 'Topic', maxLength: 256 },
        count: { type: 'number', description: 'Count' },
      },
      required: ['topic'],
      additionalProperties: false,
    });
    const chat = appInputSchema(fieldsOf('chat'));
    assert.deepEqual(chat.properties.tone, { type: 'string', description: 'Tone', enum: ['friendly', 'formal', '简洁'], default: 'friendly' });
    assert.deepEqual(chat.required, ['name']);
    const form = inputFields([
      { checkbox: { variable: 'dry', label: 'Dry run', required: true } },
      { select: { variable: 'lang', label: 'Language', required: true, options: ['en', 'de'], default: 'en' } },
    ]);
    // A checkbox is never missing (false is a value), a default fills a required field.
    assert.deepEqual(appInputSchema(form), {
      type: 'object',
      properties: { dry: { type: 'boolean', description: 'Dry run' }, lang: { type: 'string', description: 'Language', enum: ['en', 'de'], default: 'en' } },
      required: [],
      additionalProperties: false,
    });
  });

  it('leaves file inputs out of the schema, and names the required ones (such an app cannot run as a tool)', () => {
    const fields = fieldsOf('workflowFile');
    assert.deepEqual(Object.keys(appInputSchema(fields).properties), ['instruction']);
    assert.deepEqual(requiredFileInputs(fields).map((f) => f.variable), ['doc']);
    assert.deepEqual(requiredFileInputs(fieldsOf('workflow')), []);
  });

  it('takes good inputs as Dify wants them: numbers as numbers, text as text', () => {
    const result = checkToolInputs(fieldsOf('workflow'), { topic: 'owls', count: '3' });
    assert.deepEqual(result, { ok: true, inputs: { topic: 'owls', count: 3 } });
    // A number given for a text field is its text; leaving out optional fields is fine; no inputs at all too.
    assert.deepEqual(checkToolInputs(fieldsOf('workflow'), { topic: 42 }), { ok: true, inputs: { topic: '42' } });
    assert.deepEqual(checkToolInputs(fieldsOf('workflowSlow'), undefined), { ok: true, inputs: {} });
    const form = inputFields([{ checkbox: { variable: 'dry', label: 'Dry run', required: false } }]);
    assert.deepEqual(checkToolInputs(form, { dry: 'true' }), { ok: true, inputs: { dry: true } });
  });

  it('names the field and what it expects for each bad input', () => {
    const fields = fieldsOf('workflow');
    const missing = checkToolInputs(fields, { count: 2 });
    assert.equal(missing.ok, false);
    assert.deepEqual(!missing.ok && missing.problems.map((p) => (p.kind === 'value' ? [p.check.problem.kind, p.check.problem.variable] : p.kind)), [['required', 'topic']]);

    const wrong = checkToolInputs(fields, { topic: { text: 'owls' }, count: true, colour: 'red' });
    assert.deepEqual(!wrong.ok && wrong.problems, [
      { kind: 'unknown_field', variable: 'colour', known: ['topic', 'count'] },
      { kind: 'wrong_type', variable: 'topic', label: 'Topic', expected: 'string', got: 'object' },
      { kind: 'wrong_type', variable: 'count', label: 'Count', expected: 'number', got: 'boolean' },
    ]);

    const values = checkToolInputs(fields, { topic: 'x'.repeat(257), count: 'many' });
    assert.deepEqual(
      !values.ok && values.problems.map((p) => p.kind === 'value' && [p.check.problem.kind, p.check.length]),
      [
        ['too_long', 257],
        ['not_a_number', 4],
      ],
    );
    const option = checkToolInputs(fieldsOf('chat'), { name: 'Ada', tone: 'rude' });
    assert.deepEqual(!option.ok && option.problems.map((p) => p.kind === 'value' && p.check.problem), [
      { variable: 'tone', label: 'Tone', kind: 'not_an_option', options: ['friendly', 'formal', '简洁'] },
    ]);
  });

  it('refuses inputs that are not an object, and any file input', () => {
    assert.deepEqual(checkToolInputs(fieldsOf('workflow'), ['owls']), { ok: false, problems: [{ kind: 'not_an_object', got: 'array' }] });
    assert.deepEqual(checkToolInputs(fieldsOf('workflow'), 'owls'), { ok: false, problems: [{ kind: 'not_an_object', got: 'string' }] });
    assert.deepEqual(checkToolInputs(fieldsOf('workflowFile'), { instruction: 'sum up' }), { ok: false, problems: [{ kind: 'file_input', variable: 'doc', label: 'Document' }] });
    assert.equal(jsonKind(null), 'null');
  });

  it('previews each input on one line, long values cut at a word', () => {
    const preview = inputsPreview({ topic: 'owls\nand   larks', text: `${'word '.repeat(40)}end`, count: 3, tags: ['a', 'b'] }, 50);
    assert.deepEqual(preview[0], { name: 'topic', value: 'owls and larks' });
    assert.equal(preview[1]!.name, 'text');
    assert.ok(preview[1]!.value.endsWith('word…'), preview[1]!.value);
    assert.ok(Array.from(preview[1]!.value).length <= 51);
    assert.deepEqual(preview.slice(2), [
      { name: 'count', value: '3' },
      { name: 'tags', value: '["a","b"]' },
    ]);
  });
});
