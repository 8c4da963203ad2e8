// A DSL file of the workspace: named after its app, headed by the app it pushes to (a comment Dify ignores), and read
// back for where a key or a parser's complaint is, so problems show at their line.
import assert from 'node:assert/strict';
import { load } from 'js-yaml';
import { dslFileName, keyLine, pluginName, readDslHeader, sameDsl, withDslHeader, withoutDslHeader, yamlErrorPosition } from '../../src/core/dsl-file.js';

const DSL = `app:
  description: ''
  icon: 🤖
  mode: workflow
  name: Test Workflow
dependencies: []
kind: app
version: 0.6.0
workflow:
  environment_variables:
  - description: ''
    name: token
    value: ''
    value_type: secret
  graph:
    edges:
    - id: a-b
      source: a
    nodes:
    - data:
        title: Start
        type: start
      id: a
  features: {}
`;

describe('DSL files', () => {
  it('are named after the app: a lower-case slug of any script, accents dropped, "app" when nothing is left', () => {
    assert.equal(dslFileName('Test Workflow'), 'test-workflow.yml');
    assert.equal(dslFileName('Test Chat 测试助手'), 'test-chat-测试助手.yml');
    assert.equal(dslFileName('  Café / Crème brûlée!  '), 'cafe-creme-brulee.yml');
    assert.equal(dslFileName('🤖 ✨'), 'app.yml');
    assert.equal(dslFileName('x'.repeat(80)), `${'x'.repeat(60)}.yml`);
  });

  it('carry their app in a comment header that Dify (a YAML parser) ignores; a new header replaces the old', () => {
    const target = { appId: '3c1f0000-0000-4000-8000-000000000001', origin: 'https://dify.example.com' };
    const headed = withDslHeader(DSL, target);
    assert.ok(headed.startsWith('# dify-app-id: 3c1f0000-0000-4000-8000-000000000001\n# dify-console: https://dify.example.com\napp:\n'));
    assert.deepEqual(load(headed), load(DSL));
    assert.deepEqual(readDslHeader(headed), target);
    assert.equal(readDslHeader(DSL), undefined);
    const moved = withDslHeader(headed, { ...target, origin: 'http://localhost:5001' });
    assert.equal(moved.match(/# dify-/g)!.length, 2);
    assert.deepEqual(readDslHeader(moved), { ...target, origin: 'http://localhost:5001' });
    assert.equal(withoutDslHeader(moved), DSL);
  });

  it("compare with Dify's export whatever the header and line endings, so a push without a record of the last sync asks only when they differ", () => {
    const target = { appId: 'a1', origin: 'https://dify.example.com' };
    const yaml = 'app:\n  name: Review\n  mode: workflow\nkind: app\nversion: 0.6.0\n';
    assert.ok(sameDsl(withDslHeader(yaml, target), yaml.replace(/\n/g, '\r\n') + '\n'));
    assert.ok(!sameDsl(withDslHeader(yaml, target), yaml.replace('Review', 'Review 2')));
  });

  it('find the line of a key path under its parents, or of the deepest parent there is', () => {
    const lines = DSL.split('\n');
    assert.equal(lines[keyLine(DSL, ['version'])], 'version: 0.6.0');
    assert.equal(lines[keyLine(DSL, ['app', 'mode'])], '  mode: workflow');
    assert.equal(lines[keyLine(DSL, ['workflow', 'graph', 'nodes'])], '    nodes:');
    assert.equal(lines[keyLine(DSL, ['workflow', 'environment_variables'])], '  environment_variables:');
    // `name` under app, not the environment variable's.
    assert.equal(keyLine(DSL, ['app', 'name']), 4);
    assert.equal(lines[keyLine(DSL, ['workflow', 'model_config'])], 'workflow:');
    assert.equal(keyLine(DSL, ['model_config']), 0);
    assert.equal(keyLine(withDslHeader(DSL, { appId: 'a', origin: 'o' }), ['kind']), keyLine(DSL, ['kind']) + 2, 'the header is skipped like any comment');
  });

  it("read the line a YAML parser's message names: PyYAML's last position (Dify), js-yaml's (line:column)", () => {
    const pyyaml =
      'Invalid YAML format: while parsing a block mapping\n  in "<unicode string>", line 1, column 1:\n    app:\n    ^\n' +
      'expected <block end>, but found \'<block mapping start>\'\n  in "<unicode string>", line 3, column 2:\n     mode: workflow\n     ^';
    assert.deepEqual(yamlErrorPosition(pyyaml), { line: 2, column: 1 });
    assert.deepEqual(yamlErrorPosition('Invalid YAML format: bad indentation of a mapping entry (3:6)\n\n 1 | app:'), { line: 2, column: 5 });
    assert.equal(yamlErrorPosition('Missing app data in YAML content'), undefined);
  });

  it('name the plugins an import lacks by the identifier the DSL gives, whatever the source', () => {
    assert.equal(pluginName({ type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/openai:0.0.1@abc' }, current_identifier: null }), 'langgenius/openai:0.0.1@abc');
    assert.equal(pluginName({ type: 'package', value: { plugin_unique_identifier: 'acme/tool:1.0.0@def' }, current_identifier: null }), 'acme/tool:1.0.0@def');
    assert.equal(pluginName({ type: 'github', value: { repo: 'acme/dify-plugin', version: '1.0.0' }, current_identifier: null }), 'acme/dify-plugin');
  });
});
