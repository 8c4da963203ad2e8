// For people trying the extension against the test Dify server (npm run try) and for the real-VS-Code tests:
// when the extension runs from source (Development mode, or Test mode under in-host suites) and DIFY_DEV_SEED names
// a JSON file, its apps and knowledge keys are added once, through the same store as the add-app flow. Never in an
// installed extension. In-host suites, which start after activation, write the file and run `dify.dev.seed`
// (registered only then) to add theirs.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Profile, ProfileStore } from '../../core/profile-store.js';

interface SeedEntry {
  kind: 'app' | 'knowledge';
  label: string;
  baseUrl: string;
  key: string;
  mode?: string;
  appName?: string;
  description?: string;
  default?: boolean;
}

/** Seeds run one after another: two at once (activation's and `dify.dev.seed`) would both add the same entries. */
let seeding: Promise<unknown> = Promise.resolve();

export function seedFromDevFile(context: vscode.ExtensionContext, store: ProfileStore): Promise<number> {
  const next = seeding.then(
    () => seed(context, store),
    () => seed(context, store),
  );
  seeding = next;
  return next;
}

async function seed(context: vscode.ExtensionContext, store: ProfileStore): Promise<number> {
  const file = process.env.DIFY_DEV_SEED;
  if (context.extensionMode === vscode.ExtensionMode.Production || !file) return 0;
  const seed = JSON.parse(await readFile(file, 'utf8')) as { profiles: SeedEntry[] };
  let added = 0;
  for (const entry of seed.profiles) {
    if (store.all().some((p) => p.label === entry.label && p.baseUrl === entry.baseUrl)) continue;
    const base = { id: randomUUID(), label: entry.label, baseUrl: entry.baseUrl };
    const profile: Profile =
      entry.kind === 'app'
        ? { ...base, kind: 'app', mode: entry.mode ?? 'chat', appName: entry.appName ?? entry.label, description: entry.description ?? '' }
        : { ...base, kind: 'knowledge' };
    await store.add(profile, entry.key);
    if (entry.default) await store.setDefaultChatApp(profile.id);
    added++;
  }
  return added;
}

/** `dify.dev.seed`: adds what DIFY_DEV_SEED lists now (entries already there are skipped). Never in an installed extension. */
export function registerDevSeedCommand(context: vscode.ExtensionContext, store: ProfileStore): vscode.Disposable[] {
  if (context.extensionMode === vscode.ExtensionMode.Production || !process.env.DIFY_DEV_SEED) return [];
  return [vscode.commands.registerCommand('dify.dev.seed', () => seedFromDevFile(context, store))];
}
