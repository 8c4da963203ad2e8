// Asks how new documents are cut into segments: the dataset's last choice first (Enter keeps it), automatic, or a
// custom separator / max tokens / overlap starting from Dify's defaults.
import * as vscode from 'vscode';
import {
  checkCustomRule,
  DEFAULT_CUSTOM_RULE,
  MAX_SEGMENT_TOKENS,
  type CustomRule,
  type ProcessRuleChoice,
  type ProcessRuleMemory,
} from '../../core/knowledge-process-rule.js';

function describeRule(choice: ProcessRuleChoice): string {
  return choice.mode === 'automatic'
    ? vscode.l10n.t('Automatic')
    : vscode.l10n.t('Custom: separator "{0}", {1} tokens, overlap {2}', choice.separator, choice.maxTokens, choice.overlap);
}

interface RuleItem extends vscode.QuickPickItem {
  choice?: ProcessRuleChoice;
  custom?: boolean;
}

/** The chosen rule (remembered for the dataset), or undefined when the user cancelled. */
export async function pickProcessRule(memory: ProcessRuleMemory, profileId: string, datasetId: string, datasetName: string): Promise<ProcessRuleChoice | undefined> {
  const last = memory.get(profileId, datasetId);
  const items: RuleItem[] = [];
  if (last) items.push({ label: vscode.l10n.t('As last time'), description: describeRule(last), choice: last });
  items.push(
    { label: vscode.l10n.t('Automatic'), description: vscode.l10n.t("Dify's automatic segmentation and cleaning"), choice: { mode: 'automatic' } },
    { label: vscode.l10n.t('Custom…'), description: vscode.l10n.t('Separator, maximum tokens per segment, overlap'), custom: true },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Segmenting documents for "{0}"', datasetName),
    placeHolder: vscode.l10n.t('How should Dify cut the documents into segments?'),
  });
  if (!picked) return undefined;
  const choice = picked.choice ?? (await askCustom(last?.mode === 'custom' ? last : DEFAULT_CUSTOM_RULE));
  if (choice) await memory.set(profileId, datasetId, choice);
  return choice;
}

async function askCustom(start: CustomRule): Promise<ProcessRuleChoice | undefined> {
  const title = vscode.l10n.t('Custom segmentation');
  const separator = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Segment separator (\\n is a line break, \\n\\n a blank line)'),
    value: start.separator,
    validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter a separator.')),
  });
  if (separator === undefined) return undefined;
  const maxTokens = await askNumber(title, vscode.l10n.t('Maximum tokens per segment (50 to {0})', MAX_SEGMENT_TOKENS), start.maxTokens, (n) =>
    checkCustomRule({ separator, maxTokens: n, overlap: 0 }) ? vscode.l10n.t('Enter a whole number from 50 to {0}.', MAX_SEGMENT_TOKENS) : undefined,
  );
  if (maxTokens === undefined) return undefined;
  const overlap = await askNumber(title, vscode.l10n.t('Tokens of overlap between segments'), Math.min(start.overlap, maxTokens - 1), (n) =>
    checkCustomRule({ separator, maxTokens, overlap: n }) ? vscode.l10n.t('Enter a whole number from 0 to {0}.', maxTokens - 1) : undefined,
  );
  if (overlap === undefined) return undefined;
  return { mode: 'custom', separator, maxTokens, overlap, removeExtraSpaces: start.removeExtraSpaces, removeUrlsEmails: start.removeUrlsEmails };
}

async function askNumber(title: string, prompt: string, value: number, check: (n: number) => string | undefined): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (v) => (/^\s*\d+\s*$/.test(v) ? check(Number(v)) : check(NaN)),
  });
  return text === undefined ? undefined : Number(text);
}
