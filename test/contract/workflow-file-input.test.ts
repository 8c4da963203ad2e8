// A workflow with a document input against the test Dify server: the form from /parameters, the file checked by its
// rules, uploaded and mapped as Dify's strict check wants it (uploadFileInput, what prepare-run does), then run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputFields, toDifyInputs } from '../../src/core/input-form.js';
import { uploadFileInput, type LocalFile } from '../../src/core/workflow-file-input.js';
import { planInputs, selectionVariable, type EditorContext } from '../../src/core/workflow-inputs.js';
import { outputText } from '../../src/core/workflow-output.js';
import { runDifyApp } from '../../src/core/workflow-run.js';
import { AppClient, DifyApiError, type AppParameters, type InputFile } from '../../src/dify/index.js';
import type { InputField } from '../../src/protocol.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
let dir: string;
const USER = 'vscode-file-input';

before(async () => {
  server = await startDifyServer({});
  dir = mkdtempSync(join(tmpdir(), 'dify-file-input-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => server.reset());

function client(handle: keyof DifyTestServer['keys'] = 'workflowFile') {
  return new AppClient({ baseUrl: server.baseUrl, apiKey: server.keys[handle], user: USER, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
}

function localFile(name: string, content: string | Buffer): LocalFile {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, name, size: Buffer.byteLength(content) };
}

const editor = (file: LocalFile, selection: string): EditorContext => ({
  selection,
  fileName: file.name,
  filePath: file.name,
  languageId: 'markdown',
  fileText: selection,
  workspaceFolder: 'demo',
});

const uploads = () => server.requests.filter((r) => r.path === '/files/upload');

/** The app's form as the extension reads it, and the `doc` field. */
async function form(app: AppClient): Promise<{ fields: InputField[]; doc: InputField; parameters: AppParameters }> {
  const parameters = await app.getParameters();
  const fields = inputFields(parameters.user_input_form);
  const doc = fields.find((f) => f.variable === 'doc');
  assert.ok(doc, 'the form has the file input');
  return { fields, doc, parameters };
}

describe('workflow file input (test Dify server)', () => {
  it('/parameters describes the file input with its own types and upload methods', async () => {
    const { fields, doc, parameters } = await form(client());
    assert.deepEqual(
      fields.map((f) => [f.variable, f.type, f.required]),
      [
        ['doc', 'file', true],
        ['instruction', 'text-input', false],
      ],
    );
    assert.deepEqual(doc.allowedFileTypes, ['document']);
    assert.equal(doc.maxFiles, 1);
    const raw = parameters.user_input_form[0]?.file;
    assert.deepEqual(raw?.allowed_file_upload_methods, ['local_file', 'remote_url']);
  });

  it('a .md file is uploaded, mapped as a local document and the run names the file', async () => {
    const app = client();
    const { fields, doc, parameters } = await form(app);
    const file = localFile('notes 笔记.md', '# Notes\n\nShip it on Friday.\n');
    const plan = planInputs(fields, editor(file, 'Summarize'), { selectionVariable: selectionVariable(fields, undefined), mappings: {} });
    assert.deepEqual(plan.files.map((f) => f.variable), ['doc']);
    assert.deepEqual(plan.ask, []);
    const result = await uploadFileInput(app, doc, file, parameters.system_parameters);
    assert.ok('value' in result, 'no problem with a markdown file');
    const value = result.value as InputFile;
    assert.equal(value.type, 'document');
    assert.equal(value.transfer_method, 'local_file');
    assert.equal(uploads().length, 1);
    const inputs: Record<string, unknown> = { ...toDifyInputs(fields, plan.values), doc: value };
    const outcome = await runDifyApp(app, 'workflow', { inputs });
    assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.status === 'failed' ? String(outcome.error) : ''));
    assert.equal(outcome.progress.outputs?.file_name, 'notes 笔记.md');
    assert.match(outputText(outcome.progress.outputs?.text), /Summarize: notes 笔记\.md/);
    const sent = server.requests.find((r) => r.path === '/workflows/run');
    assert.deepEqual((sent?.json as { inputs: unknown }).inputs, { doc: value, instruction: 'Summarize' });
  });

  it('a file-list input gets the mapping in a list', async () => {
    const app = client();
    const { parameters } = await form(app);
    const list: InputField = { variable: 'docs', label: 'Docs', type: 'file-list', required: false, allowedFileTypes: ['document'], maxFiles: 5 };
    const result = await uploadFileInput(app, list, localFile('a.txt', 'alpha'), parameters.system_parameters);
    assert.ok('value' in result && Array.isArray(result.value) && result.value.length === 1);
  });

  it('a .png for the document-only input is refused before upload', async () => {
    const app = client();
    const { doc, parameters } = await form(app);
    const png = localFile('diagram.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const result = await uploadFileInput(app, doc, png, parameters.system_parameters);
    assert.deepEqual(result, { problem: { kind: 'type_not_allowed', allowed: ['document'] } });
    assert.equal(uploads().length, 0, 'nothing was sent');
    const empty = await uploadFileInput(app, doc, localFile('empty.md', ''), parameters.system_parameters);
    assert.deepEqual(empty, { problem: { kind: 'empty' } });
    assert.equal(uploads().length, 0);
  });

  it("a wrong declared type, a type the variable does not take, a missing file and a bad id get Dify's 400", async () => {
    const app = client();
    const uploaded = await app.uploadFile({ path: localFile('notes.md', 'hello').path, filename: 'notes.md' });
    const png = await app.uploadFile({ path: localFile('shot.png', Buffer.from([0x89, 0x50, 0x4e, 0x47])).path, filename: 'shot.png' });
    const refused = async (inputs: Record<string, unknown>): Promise<DifyApiError> => {
      const error = await app.runWorkflow({ inputs }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof DifyApiError, `refused: ${String(error)}`);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'invalid_param');
      return error;
    };
    const wrongType = await refused({ doc: { type: 'image', transfer_method: 'local_file', upload_file_id: uploaded.id } });
    assert.equal(wrongType.difyMessage, 'Detected file type does not match the specified type. Please verify the file.');
    const custom = await refused({ doc: { transfer_method: 'local_file', upload_file_id: uploaded.id } });
    assert.equal(custom.difyMessage, 'Detected file type does not match the specified type. Please verify the file.', 'local_file defaults to custom');
    const image = await refused({ doc: { type: 'image', transfer_method: 'local_file', upload_file_id: png.id } });
    assert.equal(image.difyMessage, 'File validation failed for file: shot.png');
    assert.equal((await refused({ instruction: 'x' })).difyMessage, 'doc is required in input form');
    assert.equal((await refused({ doc: 'notes.md' })).difyMessage, 'doc in input form must be a file');
    const unknown = await refused({ doc: { type: 'document', transfer_method: 'local_file', upload_file_id: '00000000-0000-4000-8000-000000000000' } });
    assert.equal(unknown.difyMessage, 'Invalid upload file');
    const ok = await app.runWorkflow({ inputs: { doc: { type: 'document', transfer_method: 'local_file', upload_file_id: uploaded.id } } });
    assert.equal(ok.data.status, 'succeeded');
    assert.equal(ok.data.outputs?.file_name, 'notes.md');
  });
});
