// Loads the extension bundle in plain Node with a stand-in `vscode` module and times require() and activate().
// Prints one JSON line. Run by bench/activation.ts in a fresh process each time (a cold load, as VS Code does).
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { performance } from 'node:perf_hooks';

const bundle = process.argv[2];

// Every vscode API is a no-op that returns another no-op, so activate() runs its real wiring code.
const noop = new Proxy(function () {}, {
  get: (_t, key) => (key === 'then' ? undefined : key === Symbol.iterator ? undefined : noop),
  apply: () => noop,
  construct: () => noop,
  set: () => true,
});
// The module object lists every name the real one exports (read from @types/vscode), each a no-op.
const require = Module.createRequire(import.meta.url);
const types = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
const names = new Set([...types.matchAll(/^\texport (?:class|namespace|enum|const|function|let) (\w+)/gm)].map((m) => m[1]));
const vscode = Object.fromEntries([...names].map((name) => [name, noop]));
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
};

const mementoOf = (values) => ({ get: (k, fallback) => (values.has(k) ? values.get(k) : fallback), update: async (k, v) => void values.set(k, v), keys: () => [...values.keys()] });
const secrets = new Map();
const context = {
  subscriptions: [],
  globalState: mementoOf(new Map()),
  workspaceState: mementoOf(new Map()),
  secrets: { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k), onDidChange: noop },
  extensionMode: 1,
};

const t0 = performance.now();
const extension = require(bundle);
const t1 = performance.now();
extension.activate(context);
const t2 = performance.now();
console.log(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, disposables: context.subscriptions.length }));
// Timers activate() rightly starts (the Runs view's minute redraw while "visible", which every stand-in view is) would
// keep this process alive: the figures are printed, so it ends here.
process.exit(0);
