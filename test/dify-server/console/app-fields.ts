// How the console serializes an app (CONSOLE.md §5.1, §5.2): AppPartial for lists, AppDetailWithSite for one app.
import { parametersOf } from '../apps/fixtures.js';
import { ACCOUNT } from '../knowledge/store.js';
import { unix } from '../pyfmt.js';
import type { Console } from './context.js';
import type { ConsoleApp } from './store.js';

const MODEL = { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: { temperature: 0.7 } };

/** The app's full model config (chat, completion, agent-chat apps), null for workflow-based ones. */
export function modelConfig(app: ConsoleApp): Record<string, unknown> | null {
  if (app.mode === 'workflow' || app.mode === 'advanced-chat') return null;
  if (app.modelConfig) return app.modelConfig;
  const params = app.spec
    ? parametersOf(app.spec)
    : { opening_statement: null, suggested_questions: [], user_input_form: [], file_upload: null, sensitive_word_avoidance: { enabled: false } };
  return {
    opening_statement: params.opening_statement,
    suggested_questions: params.suggested_questions,
    suggested_questions_after_answer: params.suggested_questions_after_answer ?? { enabled: false },
    speech_to_text: params.speech_to_text ?? { enabled: false },
    text_to_speech: params.text_to_speech ?? { enabled: false },
    retriever_resource: params.retriever_resource ?? { enabled: false },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    sensitive_word_avoidance: params.sensitive_word_avoidance,
    external_data_tools: [],
    model: MODEL,
    user_input_form: params.user_input_form,
    dataset_query_variable: '',
    pre_prompt: 'You are a helpful assistant.',
    agent_mode: { enabled: app.mode === 'agent-chat', strategy: app.mode === 'agent-chat' ? 'function_call' : null, tools: [] },
    prompt_type: 'simple',
    chat_prompt_config: {},
    completion_prompt_config: {},
    dataset_configs: { retrieval_model: 'multiple' },
    file_upload: params.file_upload,
    created_by: ACCOUNT.id,
    created_at: unix(app.createdAt),
    updated_by: ACCOUNT.id,
    updated_at: unix(app.updatedAt),
  };
}

/** `{id, created_by, created_at, updated_by, updated_at}` of the published workflow the app runs, or null. */
function workflowPartial(app: ConsoleApp): Record<string, unknown> | null {
  const wf = app.published[0];
  if (!wf) return null;
  return { id: wf.id, created_by: ACCOUNT.id, created_at: unix(wf.createdAt), updated_by: ACCOUNT.id, updated_at: unix(wf.updatedAt) };
}

function iconUrl(app: ConsoleApp): string | null {
  return app.iconType === 'image' ? `https://upload.example.com/${app.icon}` : null;
}

export function enableApi(app: ConsoleApp): boolean {
  return app.spec ? app.spec.apiEnabled : app.apiEnabled;
}

/** AppPartial in key order; 1.13.2 lacks is_starred, maintainer, permission_keys, bound_agent_id and app_id. */
export function appPartial(c: Console, app: ConsoleApp): Record<string, unknown> {
  const config = modelConfig(app);
  const v115 = c.v113
    ? {}
    : { permission_keys: [], bound_agent_id: null, app_id: null, is_starred: app.starred, maintainer: null };
  return {
    id: app.id,
    name: app.name,
    max_active_requests: app.maxActiveRequests,
    description: app.description,
    mode: app.mode,
    icon_type: app.iconType,
    icon: app.icon,
    icon_background: app.iconBackground,
    model_config: config && {
      model: config.model,
      pre_prompt: config.pre_prompt,
      created_by: config.created_by,
      created_at: config.created_at,
      updated_by: config.updated_by,
      updated_at: config.updated_at,
    },
    workflow: workflowPartial(app),
    use_icon_as_answer_icon: app.useIconAsAnswerIcon,
    created_by: ACCOUNT.id,
    created_at: unix(app.createdAt),
    updated_by: ACCOUNT.id,
    updated_at: unix(app.updatedAt),
    tags: app.tags,
    access_mode: null,
    create_user_name: ACCOUNT.name,
    author_name: ACCOUNT.name,
    has_draft_trigger: false,
    ...v115,
    icon_url: iconUrl(app),
  };
}

/** AppDetailWithSite in key order (the 1.15-only keys as in AppPartial: inferred); `origin` is the request's host URL. */
export function appDetail(c: Console, app: ConsoleApp, origin: string): Record<string, unknown> {
  const site = app.enableSite
    ? {
        access_token: app.id.replace(/-/g, '').slice(0, 16),
        code: app.id.replace(/-/g, '').slice(0, 16),
        title: app.name,
        icon_type: app.iconType,
        icon: app.icon,
        icon_background: app.iconBackground,
        description: app.description,
        default_language: 'en-US',
        chat_color_theme: null,
        chat_color_theme_inverted: false,
        customize_domain: null,
        copyright: null,
        privacy_policy: null,
        custom_disclaimer: '',
        customize_token_strategy: 'not_allow',
        prompt_public: false,
        app_base_url: origin,
        show_workflow_steps: true,
        use_icon_as_answer_icon: app.useIconAsAnswerIcon,
        created_by: ACCOUNT.id,
        created_at: unix(app.createdAt),
        updated_by: ACCOUNT.id,
        updated_at: unix(app.updatedAt),
        icon_url: iconUrl(app),
      }
    : null;
  const partial = appPartial(c, app);
  return {
    id: app.id,
    name: app.name,
    description: app.description,
    mode: app.mode,
    icon: app.icon,
    icon_background: app.iconBackground,
    enable_site: app.enableSite,
    enable_api: enableApi(app),
    model_config: modelConfig(app),
    workflow: partial.workflow,
    tracing: null,
    use_icon_as_answer_icon: app.useIconAsAnswerIcon,
    created_by: ACCOUNT.id,
    created_at: unix(app.createdAt),
    updated_by: ACCOUNT.id,
    updated_at: unix(app.updatedAt),
    access_mode: null,
    tags: app.tags,
    ...(c.v113 ? {} : { permission_keys: [], maintainer: null }),
    icon_type: app.iconType,
    api_base_url: `${origin}/v1`,
    max_active_requests: app.maxActiveRequests,
    deleted_tools: [],
    site,
    ...(c.v113 ? {} : { bound_agent_id: null, app_id: null }),
    icon_url: iconUrl(app),
  };
}
