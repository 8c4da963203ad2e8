// Two bundles: the extension host (Node, CommonJS, 'vscode' external) and the webview (browser).
// `--production` minifies; `--watch` rebuilds on change. Sourcemaps always (linked in dev, external in prod).
// `--vscode-tests` builds instead the in-host test suites (test/vscode/suite: index.ts + every *.test.ts, one
// bundle each) into out/vscode-suite/, what VS Code's extension host loads through `extensionTestsPath`.
// Every build also copies the codicon font and its CSS into dist/codicons/ and undici's llhttp parsers into dist/llhttp/
// (the .vsix ships dist/, not node_modules).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const vscodeTests = process.argv.includes('--vscode-tests');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? 'external' : 'linked',
  sourcesContent: !production,
  legalComments: production ? 'linked' : 'inline',
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

// undici in the extension bundle, trimmed to what the client runs (src/dify/undici.ts takes only its dispatchers):
// - its HTTP clients load undici's fetch body code (≈40 KB: WebIDL, FormData parser, data: URLs) only to encode a
//   FormData or Blob body; http.ts sends strings and streams (it encodes multipart itself), so that module is left out;
// - llhttp, its HTTP parser, is WebAssembly inlined as base64 in two builds (SIMD and a fallback, ≈70 KB each), loaded
//   on the first connection: they stay files of their own in dist/llhttp/, read then, and only the one that runs.
const LLHTTP = ['llhttp-wasm.js', 'llhttp_simd-wasm.js'];
/** @type {import('esbuild').Plugin} */
const undiciTrim = {
  name: 'undici-trim',
  setup(build) {
    build.onResolve({ filter: /\/web\/fetch\/body\.js$/ }, (args) =>
      /undici[\\/]lib[\\/]dispatcher/.test(args.importer) ? { path: 'undici-fetch-body', namespace: 'undici-trim' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'undici-trim' }, () => ({
      contents: "exports.extractBody = () => { throw new Error('FormData and Blob request bodies are not built into this bundle (esbuild.mjs)'); };",
      loader: 'js',
    }));
    build.onResolve({ filter: /\/llhttp\/llhttp(_simd)?-wasm\.js$/ }, (args) => ({ path: `./llhttp/${basename(args.path)}`, external: true }));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [undiciTrim],
    metafile: true,
  },
];
if (existsSync('src/webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (vscodeTests) {
  const dir = 'test/vscode/suite';
  const tests = readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f}`);
  builds.splice(0, builds.length, {
    entryPoints: [`${dir}/index.ts`, ...tests],
    outdir: 'out/vscode-suite',
    outbase: dir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // vscode: given by the extension host; mocha: found in node_modules at run time (its loader is not bundleable).
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  rmSync('out/vscode-suite', { recursive: true, force: true });
}

mkdirSync('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
mkdirSync('dist/llhttp', { recursive: true });
for (const file of LLHTTP) copyFileSync(`node_modules/undici/lib/llhttp/${file}`, `dist/llhttp/${file}`);

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  if (vscodeTests) console.log(`out/vscode-suite: ${builds[0].entryPoints.length - 1} suite file(s) + index.js`);
  if (production && results[0].metafile) {
    // The figure npm run bench checks: the bundle file alone (its source map and legal notes are not loaded).
    const kb = results[0].metafile.outputs['dist/extension.js'].bytes / 1024;
    console.log(`dist/extension.js: ${kb.toFixed(1)} KB (target ≤ 500 KB: ${kb <= 500 ? 'met' : 'missed'})`);
  }
}
