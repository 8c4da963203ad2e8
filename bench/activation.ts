// Activation cost and bundle size: the production bundle, loaded cold in fresh processes (bench/activation-child.mjs).
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';

export interface ActivationResults {
  bundleBytes: number;
  runs: number;
  requireMsMedian: number;
  activateMsMedian: number;
  totalMsMedian: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function measureActivation(runs: number): ActivationResults {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'ignore' });
  const bundle = join(root, 'dist', 'extension.js');
  const samples = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, [join(import.meta.dirname, 'activation-child.mjs'), bundle], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1)!) as { requireMs: number; activateMs: number; disposables: number };
  });
  if (samples.some((s) => s.disposables === 0)) throw new Error('activate() registered nothing: the stand-in vscode module is wrong');
  return {
    bundleBytes: statSync(bundle).size,
    runs,
    requireMsMedian: median(samples.map((s) => s.requireMs)),
    activateMsMedian: median(samples.map((s) => s.activateMs)),
    totalMsMedian: median(samples.map((s) => s.requireMs + s.activateMs)),
  };
}

export function printActivation(r: ActivationResults): void {
  const kb = r.bundleBytes / 1024;
  console.log(`\nACTIVATION  production bundle dist/extension.js loaded cold in ${r.runs} fresh processes (median)`);
  console.log(`figure                      value  target`);
  console.log(`require() of the bundle  ${r.requireMsMedian.toFixed(1).padStart(7)} ms`);
  console.log(`activate()               ${r.activateMsMedian.toFixed(1).padStart(7)} ms  ≤ 20 ms  ${r.activateMsMedian <= 20 ? 'met' : 'MISSED'}`);
  console.log(`bundle size              ${kb.toFixed(1).padStart(7)} KB  ≤ 500 KB  ${kb <= 500 ? 'met' : 'MISSED'}`);
}
