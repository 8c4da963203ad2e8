// The .vsix holds only what the extension needs at run time: bundles, media, strings, the DSL schema, README,
// CHANGELOG, LICENSE.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ALLOWED = [
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^dist\/(extension|webview)\.js(\.LEGAL\.txt)?$/,
  /^dist\/codicons\/codicon\.(css|ttf)$/,
  /^dist\/llhttp\/llhttp(_simd)?-wasm\.js$/,
  /^media\//,
  /^l10n\/bundle\.l10n\.[a-z-]+\.json$/,
  /^schemas\/dify-dsl\.schema\.json$/,
];

describe('packaging', () => {
  it('vsce would package only the bundles, media, strings and docs', function () {
    this.timeout(60_000);
    const root = join(__dirname, '..', '..');
    const out = execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], {
      cwd: root,
      encoding: 'utf8',
    });
    const files = out.split('\n').map((l) => l.trim()).filter(Boolean);
    assert.ok(files.includes('dist/extension.js'), 'the extension bundle is in');
    assert.ok(files.includes('l10n/bundle.l10n.zh-cn.json'), 'the zh-cn strings are in');
    assert.ok(files.includes('schemas/dify-dsl.schema.json'), 'the DSL schema the YAML extension reads (yamlValidation) is in');
    // The bundle requires undici's HTTP parser from there on the first connection (esbuild.mjs).
    for (const f of ['dist/llhttp/llhttp-wasm.js', 'dist/llhttp/llhttp_simd-wasm.js']) assert.ok(files.includes(f), `${f} is in`);
    for (const file of files) assert.ok(ALLOWED.some((re) => re.test(file)), `unexpected file in the .vsix: ${file}`);
  });
});
