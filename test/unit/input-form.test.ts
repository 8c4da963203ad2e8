// The app's input form as fields, and the checks of Dify's `inputs` validation run before sending.
import assert from 'node:assert/strict';
import { charCount, checkInputs, fillOpeningStatement, inputFields, toDifyInputs } from '../../src/core/input-form.js';
import type { AppParameters } from '../../src/dify/index.js';
import { buildApps, parametersOf } from '../dify-server/apps/fixtures.js';

const form = (handle: string) => (parametersOf(buildApps().find((a) => a.handle === handle)!) as unknown as AppParameters).user_input_form;

describe('input form', () => {
  it("reads the test chat app's form as Dify serves it: types, labels, required, max length, options, defaults", () => {
    const fields = inputFields(form('chat'));
    assert.deepEqual(
      fields.map((f) => [f.variable, f.type, f.required, f.maxLength, f.options, f.default]),
      [
        ['name', 'text-input', true, 48, undefined, undefined],
        ['tone', 'select', false, undefined, ['friendly', 'formal', '简洁'], 'friendly'],
        ['context', 'paragraph', false, 2000, undefined, undefined],
        ['max_items', 'number', false, undefined, undefined, undefined],
      ],
    );
  });

  it('keeps file fields with their limits and leaves out variables Dify fills itself', () => {
    const fields = inputFields([
      { file: { variable: 'doc', label: 'Doc', required: true, allowed_file_types: ['document'], allowed_file_extensions: [] } },
      { 'file-list': { variable: 'imgs', label: 'Images', required: false, max_length: 4, allowed_file_types: ['image'] } },
      { external_data_tool: { variable: 'weather', label: 'Weather', required: false } },
      { json_object: { variable: 'cfg', label: 'Config', required: false } },
    ]);
    assert.deepEqual(
      fields.map((f) => [f.variable, f.type, f.maxFiles, f.allowedFileTypes]),
      [
        ['doc', 'file', 1, ['document']],
        ['imgs', 'file-list', 4, ['image']],
      ],
    );
  });

  it('finds each problem Dify would reject, per field', () => {
    const fields = inputFields(form('chat'));
    assert.deepEqual(checkInputs(fields, {}).map((p) => [p.variable, p.kind]), [['name', 'required']]);
    assert.deepEqual(checkInputs(fields, { name: '   ' }).map((p) => p.kind), ['required']);
    const problems = checkInputs(fields, { name: 'x'.repeat(49), tone: 'rude', max_items: 'many' });
    assert.deepEqual(problems.map((p) => [p.variable, p.kind]), [
      ['name', 'too_long'],
      ['tone', 'not_an_option'],
      ['max_items', 'not_a_number'],
    ]);
    assert.deepEqual(checkInputs(fields, { name: '阿达', tone: '简洁', max_items: '3' }), []);
  });

  it('counts length as Dify does (code points): 48 emoji fit a max_length of 48, 49 do not', () => {
    const fields = inputFields(form('chat'));
    const name = fields.find((f) => f.variable === 'name')!;
    assert.equal(name.maxLength, 48);
    assert.equal(charCount('😀'.repeat(48)), 48);
    assert.deepEqual(checkInputs(fields, { name: '😀'.repeat(48) }), []);
    assert.deepEqual(checkInputs(fields, { name: '😀'.repeat(49) }).map((p) => p.kind), ['too_long']);
  });

  it('types the values as Dify expects: numbers as numbers, checkboxes as booleans, defaults filled in', () => {
    const fields = inputFields([
      ...form('chat'),
      { checkbox: { variable: 'ok', label: 'OK', required: false } },
    ]);
    assert.deepEqual(toDifyInputs(fields, { name: 'Ada', max_items: '3', ok: true }), { name: 'Ada', tone: 'friendly', max_items: 3, ok: true });
    assert.deepEqual(toDifyInputs(fields, { name: 'Ada', max_items: '' }), { name: 'Ada', tone: 'friendly' });
  });

  it("fills the opening statement's {{variables}} as Dify's web app does: the value, else {{Label}}, else as written", () => {
    const fields = inputFields(form('chat'));
    const statement = 'Hello {{name}}! {{ name }} {{max_items}} items, {{nope}}, {single}';
    assert.equal(fillOpeningStatement(statement, fields, {}), 'Hello {{Your name}}! {{ name }} {{Max items}} items, {{nope}}, {single}');
    assert.equal(fillOpeningStatement(statement, fields, { name: '王小明', max_items: 3 }), 'Hello 王小明! {{ name }} 3 items, {{nope}}, {single}');
  });
});
