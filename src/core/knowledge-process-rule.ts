// How uploaded documents are cut into segments: Dify's automatic rule, or a custom separator / max tokens / overlap,
// with Dify's own defaults, remembered per dataset so the next upload offers the same choice.
import type { ProcessRule } from '../dify/index.js';
import type { KeyValueStore } from './profile-store.js';

export interface CustomRule {
  /** As typed in Dify's console: `\n` is a backslash and an n; Dify turns it into a line break. */
  separator: string;
  maxTokens: number;
  overlap: number;
  removeExtraSpaces: boolean;
  removeUrlsEmails: boolean;
}

export type ProcessRuleChoice = { mode: 'automatic' } | ({ mode: 'custom' } & CustomRule);

/** Dify console defaults for a custom rule. */
export const DEFAULT_CUSTOM_RULE: CustomRule = {
  separator: '\\n\\n',
  maxTokens: 500,
  overlap: 50,
  removeExtraSpaces: true,
  removeUrlsEmails: false,
};

/** INDEXING_MAX_SEGMENTATION_TOKENS_LENGTH, self-hosted default. */
export const MAX_SEGMENT_TOKENS = 4000;

export function toProcessRule(choice: ProcessRuleChoice): ProcessRule {
  if (choice.mode === 'automatic') return { mode: 'automatic' };
  return {
    mode: 'custom',
    rules: {
      pre_processing_rules: [
        { id: 'remove_extra_spaces', enabled: choice.removeExtraSpaces },
        { id: 'remove_urls_emails', enabled: choice.removeUrlsEmails },
      ],
      segmentation: { separator: choice.separator, max_tokens: choice.maxTokens, chunk_overlap: choice.overlap },
    },
  };
}

export type RuleProblem = 'separator_empty' | 'max_tokens_range' | 'overlap_range';

/** Why these numbers would be refused, before Dify is asked. */
export function checkCustomRule(rule: Pick<CustomRule, 'separator' | 'maxTokens' | 'overlap'>): RuleProblem | undefined {
  if (!rule.separator) return 'separator_empty';
  if (!Number.isInteger(rule.maxTokens) || rule.maxTokens < 50 || rule.maxTokens > MAX_SEGMENT_TOKENS) return 'max_tokens_range';
  if (!Number.isInteger(rule.overlap) || rule.overlap < 0 || rule.overlap >= rule.maxTokens) return 'overlap_range';
  return undefined;
}

const KEY = 'dify.knowledge.processRules';

/** The last choice per dataset (keyed by key profile and dataset id), in global state. */
export class ProcessRuleMemory {
  constructor(private readonly state: KeyValueStore) {}

  get(profileId: string, datasetId: string): ProcessRuleChoice | undefined {
    return this.state.get<Record<string, ProcessRuleChoice>>(KEY)?.[`${profileId}/${datasetId}`];
  }

  async set(profileId: string, datasetId: string, choice: ProcessRuleChoice): Promise<void> {
    const all = this.state.get<Record<string, ProcessRuleChoice>>(KEY) ?? {};
    await this.state.update(KEY, { ...all, [`${profileId}/${datasetId}`]: choice });
  }
}
