// The extension's settings. All are application-scoped in package.json, so a workspace's .vscode/settings.json can
// never change where keys go or which certificates are trusted.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { DifyTimeouts, NetworkSettings } from '../dify/index.js';

const SECTION = 'dify';

/**
 * The end-user id Dify scopes conversations by. Generated once per install and written to the user settings,
 * where it is shown and can be changed (to share conversations across machines, use the same id).
 */
export async function endUserId(): Promise<string> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.get<string>('user')?.trim();
  if (current) return current;
  const generated = `vscode-${randomUUID()}`;
  await config.update('user', generated, vscode.ConfigurationTarget.Global);
  return generated;
}

/** VS Code's proxy settings plus the extension's extra CA file. */
export async function networkSettings(): Promise<NetworkSettings & { extraCaFile: string }> {
  const http = vscode.workspace.getConfiguration('http');
  const dify = vscode.workspace.getConfiguration(SECTION);
  const extraCaFile = dify.get<string>('network.extraCaFile')?.trim() ?? '';
  return {
    proxy: http.get<string>('proxy')?.trim() || undefined,
    strictSSL: http.get<boolean>('proxyStrictSSL') ?? true,
    noProxy: http.get<string[]>('noProxy') ?? [],
    env: process.env,
    extraCaPem: extraCaFile ? await readCaFile(extraCaFile) : undefined,
    extraCaFile,
  };
}

/** The stream watchdog's limits (`dify.network.streamStallSeconds`, `…streamHangSeconds`), in ms. */
export function streamTimeouts(): Pick<DifyTimeouts, 'streamIdleMs' | 'streamEventMs'> {
  const dify = vscode.workspace.getConfiguration(SECTION);
  const seconds = (key: string, fallback: number, min: number) => Math.max(min, dify.get<number>(key) ?? fallback) * 1000;
  return { streamIdleMs: seconds('network.streamStallSeconds', 30, 15), streamEventMs: seconds('network.streamHangSeconds', 120, 30) };
}

async function readCaFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(vscode.l10n.t('Cannot read the CA certificate file set in "dify.network.extraCaFile" ({0}): {1}', path, (e as Error).message));
  }
}

/** True when a change touches anything `networkSettings()` reads. */
export function affectsNetwork(e: vscode.ConfigurationChangeEvent): boolean {
  return ['http.proxy', 'http.proxyStrictSSL', 'http.noProxy', 'dify.network'].some((s) => e.affectsConfiguration(s));
}
