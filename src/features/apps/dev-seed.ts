// For people trying the extension against the test Dify server (npm run try) and for the real-VS-Code tests:
// when the extension runs from source (Development or Test mode) and DIFY_DEV_SEED names a JSON file, its apps and knowledge
// keys are added once, through the same store as the add-app flow (and again on `dify.dev.seedAgain`, for in-host suites
// that write the file after the window started). Never in an installed extension.
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

/** The command in-host suites run after writing the seed file: the window activated the extension before they ran. */
export const SEED_AGAIN_COMMAND = 'dify.dev.seedAgain';

/** From source only: run from the development path (Development), or with in-host suites beside it (Test). */
const seedFile = (context: vscode.ExtensionContext): string | undefined =>
  context.extensionMode !== vscode.ExtensionMode.Production ? process.env.DIFY_DEV_SEED || undefined : undefined;

/** From source with a seed file only: a command (not contributed, so in no menu) that adds its profiles again. */
export function registerSeedAgain(context: vscode.ExtensionContext, store: ProfileStore): vscode.Disposable[] {
  return seedFile(context) ? [vscode.commands.registerCommand(SEED_AGAIN_COMMAND, () => seedFromDevFile(context, store))] : [];
}

/** One seeding at a time: the one at activation and a suite's may overlap, and each adds only what is missing. */
let seeding: Promise<unknown> = Promise.resolve();

export function seedFromDevFile(context: vscode.ExtensionContext, store: ProfileStore): Promise<number> {
  const next = seeding.then(() => seedOnce(context, store));
  seeding = next.catch(() => undefined);
  return next;
}

async function seedOnce(context: vscode.ExtensionContext, store: ProfileStore): Promise<number> {
  const file = seedFile(context);
  if (!file) return 0;
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
