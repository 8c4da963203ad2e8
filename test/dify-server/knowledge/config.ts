// Request bodies of the document endpoints: KnowledgeConfig fields and process-rule validation.
import { errors } from '../router.js';
import { checkRetrievalModel } from './datasets.js';
import { isObject } from './state.js';
import { Checker } from './text.js';

const DOC_FORMS = ['text_model', 'qa_model', 'hierarchical_model'] as const;
const PROCESS_MODES = ['automatic', 'custom', 'hierarchical'];
const PRE_RULE_IDS = ['remove_stopwords', 'remove_extra_spaces', 'remove_urls_emails'];

export interface DocConfig {
  technique?: string;
  processRule?: { mode: string; rules: Record<string, unknown> };
  docForm?: string;
  docLanguage?: string;
  originalDocumentId?: string;
  hasProcessRuleKey: boolean;
}

/** DocumentService.process_rule_args_validate. */
function validateProcessRule(raw: unknown): { mode: string; rules: Record<string, unknown> } {
  if (!isObject(raw)) throw errors.invalidParam('Process rule is invalid');
  const mode = raw['mode'];
  if (!mode) throw errors.invalidParam('Process rule mode is required');
  if (typeof mode !== 'string' || !PROCESS_MODES.includes(mode)) throw errors.invalidParam('Process rule mode is invalid');
  if (mode === 'automatic') return { mode, rules: {} };
  const rules = raw['rules'];
  if (!rules) throw errors.invalidParam('Process rule rules is required');
  if (!isObject(rules)) throw errors.invalidParam('Process rule rules is invalid');
  const pre = rules['pre_processing_rules'];
  if (pre === undefined || pre === null) throw errors.invalidParam('Process rule pre_processing_rules is required');
  if (!Array.isArray(pre)) throw errors.invalidParam('Process rule pre_processing_rules is invalid');
  const unique = new Map<string, Record<string, unknown>>();
  for (const r of pre) {
    if (!isObject(r) || !('id' in r)) throw errors.invalidParam('Process rule pre_processing_rules id is required');
    if (typeof r['id'] !== 'string' || !PRE_RULE_IDS.includes(r['id'])) throw errors.invalidParam('Process rule pre_processing_rules id is invalid');
    if (!('enabled' in r)) throw errors.invalidParam('Process rule pre_processing_rules enabled is required');
    if (typeof r['enabled'] !== 'boolean') throw errors.invalidParam('Process rule pre_processing_rules enabled is invalid');
    unique.set(r['id'], { id: r['id'], enabled: r['enabled'] });
  }
  const seg = rules['segmentation'];
  if (seg === undefined || seg === null) throw errors.invalidParam('Process rule segmentation is required');
  if (!isObject(seg)) throw errors.invalidParam('Process rule segmentation is invalid');
  if (!('separator' in seg) || !seg['separator']) throw errors.invalidParam('Process rule segmentation separator is required');
  if (typeof seg['separator'] !== 'string') throw errors.invalidParam('Process rule segmentation separator is invalid');
  const fullDoc = mode === 'hierarchical' && rules['parent_mode'] === 'full-doc';
  if (!fullDoc) {
    if (!('max_tokens' in seg) || seg['max_tokens'] === null) throw errors.invalidParam('Process rule segmentation max_tokens is required');
    if (typeof seg['max_tokens'] !== 'number' || !Number.isInteger(seg['max_tokens'])) {
      throw errors.invalidParam('Process rule segmentation max_tokens is invalid');
    }
  }
  return { mode, rules: { ...rules, pre_processing_rules: [...unique.values()] } };
}

export function readConfig(body: Record<string, unknown>, model: string, extra?: (c: Checker) => void): DocConfig {
  const c = new Checker(body);
  extra?.(c);
  const technique = c.literal('indexing_technique', ['high_quality', 'economy'] as const, { nullable: true });
  const rawRule = body['process_rule'];
  if (rawRule !== undefined && rawRule !== null && !isObject(rawRule)) c.add(['process_rule'], 'model_type', 'Input should be a valid dictionary or instance of ProcessRule', rawRule);
  const docForm = c.literal('doc_form', DOC_FORMS, { nullable: true });
  const docLanguage = c.str('doc_language', { nullable: true });
  checkRetrievalModel(c, 'retrieval_model', body['retrieval_model']);
  c.str('embedding_model', { nullable: true });
  c.str('embedding_model_provider', { nullable: true });
  const original = c.str('original_document_id', { nullable: true });
  c.done(model);
  return {
    technique,
    processRule: isObject(rawRule) ? validateProcessRule(rawRule) : undefined,
    docForm,
    docLanguage,
    originalDocumentId: original,
    hasProcessRuleKey: 'process_rule' in body,
  };
}

