// Counts in words. VS Code's l10n has no plural rules, so each noun has one string for 1 and one for every other
// number (languages without plurals, like Chinese, translate both alike). One function per noun, used everywhere.
import * as vscode from 'vscode';

export const documentCount = (n: number): string => (n === 1 ? vscode.l10n.t('1 document') : vscode.l10n.t('{0} documents', n));
export const wordCount = (n: number): string => (n === 1 ? vscode.l10n.t('1 word') : vscode.l10n.t('{0} words', n));
export const hitCount = (n: number): string => (n === 1 ? vscode.l10n.t('1 hit') : vscode.l10n.t('{0} hits', n));
export const datasetCount = (n: number): string => (n === 1 ? vscode.l10n.t('1 dataset') : vscode.l10n.t('{0} datasets', n));
export const tokenCount = (n: number): string => (n === 1 ? vscode.l10n.t('1 token') : vscode.l10n.t('{0} tokens', n));
export const eventCount = (n: number): string => (n === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', n));
export const proposalCount = (n: number): string => (n === 1 ? vscode.l10n.t('1 proposed change') : vscode.l10n.t('{0} proposed changes', n));
export const usedByApps = (n: number): string => (n === 1 ? vscode.l10n.t('used by 1 app') : vscode.l10n.t('used by {0} apps', n));
/** "3 of 5 files sent". */
export const filesSent = (done: number, total: number): string =>
  total === 1 ? vscode.l10n.t('{0} of 1 file sent', done) : vscode.l10n.t('{0} of {1} files sent', done, total);
