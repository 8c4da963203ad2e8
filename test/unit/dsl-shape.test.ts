// The DSL shape check before a push: what Dify would fail the import over (a number for `version`, no app or mode, an
// unknown mode, a workflow app without its graph), and what it would take with a loss (a secret without its value).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { checkDslShape, DSL_APP_MODES, isDslError, type DslProblem } from '../../src/core/dsl-shape.js';

const WORKFLOW = `version: 0.6.0
kind: app
app:
  name: Test Workflow
  mode: workflow
workflow:
  graph:
    nodes: []
    edges: []
  features: {}
  environment_variables: []
  conversation_variables: []
dependencies: []
`;

const check = (yaml: string): DslProblem[] => checkDslShape(load(yaml));

describe('DSL shape', () => {
  it("a DSL as Dify exports it has no problem; a chat app's needs its model_config", () => {
    assert.deepEqual(check(WORKFLOW), []);
    assert.deepEqual(check('version: 0.6.0\napp:\n  mode: chat\nmodel_config: {}\n'), []);
    assert.deepEqual(check('version: 0.6.0\napp:\n  mode: completion\n'), [{ kind: 'missing', path: ['model_config'] }]);
  });

  it('`version: 0.6` is a number in YAML, which Dify fails: said before sending', () => {
    assert.deepEqual(check(WORKFLOW.replace('version: 0.6.0', 'version: 0.6')), [{ kind: 'version-not-string', path: ['version'], value: '0.6' }]);
    assert.deepEqual(check(WORKFLOW.replace('version: 0.6.0', "version: '0.6'")), [], "quoted it is a string (Dify's own check decides the rest)");
    assert.deepEqual(check(WORKFLOW.replace('version: 0.6.0\n', '')), [], 'missing is read as 0.1.0 by Dify');
  });

  it('the app and its mode are required, and the mode must be one Dify imports', () => {
    assert.deepEqual(check('version: 0.6.0\nkind: app\n'), [{ kind: 'missing', path: ['app'] }]);
    assert.deepEqual(check('app: Test\n'), [{ kind: 'not-mapping', path: ['app'] }]);
    assert.deepEqual(check(WORKFLOW.replace('  mode: workflow\n', '')), [{ kind: 'missing', path: ['app', 'mode'] }]);
    assert.deepEqual(check(WORKFLOW.replace('mode: workflow', 'mode: pipeline')), [{ kind: 'unknown-mode', path: ['app', 'mode'], value: 'pipeline' }]);
    assert.deepEqual(check(WORKFLOW.replace('mode: workflow', 'mode: agent')), [{ kind: 'unknown-mode', path: ['app', 'mode'], value: 'agent' }]);
    assert.deepEqual(checkDslShape(load('- a list\n')), [{ kind: 'not-mapping', path: [] }]);
  });

  it('a workflow app needs its workflow with a graph; lists must be lists', () => {
    assert.deepEqual(check('version: 0.6.0\napp:\n  mode: advanced-chat\n'), [{ kind: 'missing', path: ['workflow'] }]);
    assert.deepEqual(check(WORKFLOW.replace(/ {2}graph:\n {4}nodes: \[\]\n {4}edges: \[\]\n/, '')), [{ kind: 'missing', path: ['workflow', 'graph'] }]);
    assert.deepEqual(check(WORKFLOW.replace('nodes: []', 'nodes: {}')), [{ kind: 'not-list', path: ['workflow', 'graph', 'nodes'] }]);
    assert.deepEqual(check(WORKFLOW.replace('conversation_variables: []', 'conversation_variables: x')), [{ kind: 'not-list', path: ['workflow', 'conversation_variables'] }]);
    assert.deepEqual(check(WORKFLOW.replace('dependencies: []', 'dependencies: {}')), [{ kind: 'not-list', path: ['dependencies'] }]);
  });

  it('a secret exported without its value is a warning (pushing empties it in Dify), not an error', () => {
    const problems = check(WORKFLOW.replace('environment_variables: []', "environment_variables:\n  - {name: token, value_type: secret, value: ''}\n  - {name: plain, value_type: string, value: ''}"));
    assert.deepEqual(problems, [{ kind: 'empty-secret', path: ['workflow', 'environment_variables'], value: 'token' }]);
    assert.equal(isDslError(problems[0]!), false);
    assert.equal(isDslError({ kind: 'missing', path: ['app'] }), true);
  });

  it("the editor's JSON schema (yamlValidation, for dify/*.yml) asks the same: required app and mode, these modes, a string version", () => {
    const root = join(__dirname, '..', '..');
    type Schema = { required: string[]; properties: { version: { type: string }; app: { required: string[]; properties: { mode: { enum: string[] } } } } };
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { yamlValidation: { fileMatch: string; url: string }[] } };
    const contributed = manifest.contributes.yamlValidation;
    assert.deepEqual(contributed.map((v) => v.fileMatch), ['**/dify/*.yml', '**/dify/*.yaml']);
    const schema = JSON.parse(readFileSync(join(root, contributed[0]!.url), 'utf8')) as Schema;
    assert.deepEqual(schema.required, ['app']);
    assert.deepEqual(schema.properties.app.required, ['mode']);
    assert.deepEqual(schema.properties.app.properties.mode.enum, [...DSL_APP_MODES]);
    assert.equal(schema.properties.version.type, 'string');
  });
});
