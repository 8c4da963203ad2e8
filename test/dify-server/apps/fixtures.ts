// The seeded apps of the test Dify server, with their keys and feature configuration (CONTRACT §3.1).
import { stableKey, stableUuid } from '../pyfmt.js';
import type { DifyVersion } from '../version.js';
import { since115 } from '../version.js';

/** `agent` ("New Agent", the Dify Agent runtime) exists from 1.15.0 on. */
export type AppMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'completion' | 'workflow' | 'agent';

export type AppHandle =
  | 'chat'
  | 'chatTts'
  | 'agent'
  | 'advancedChat'
  | 'advancedChatFailing'
  | 'completion'
  | 'workflow'
  | 'workflowIteration'
  | 'workflowFailing'
  | 'workflowAgent'
  | 'workflowHumanInput'
  | 'workflowFile'
  | 'workflowSlow'
  | 'workflowLarge'
  | 'advancedChatHumanInput'
  | 'advancedChatIterations'
  | 'newAgent'
  | 'disabled'
  | 'noSite';

/** What tests get to know about an app. */
export interface AppFixture {
  key: string;
  id: string;
  name: string;
  mode: AppMode;
  description: string;
}

export interface InputVariable {
  type: 'text-input' | 'paragraph' | 'select' | 'number' | 'checkbox' | 'json_object' | 'file' | 'file-list';
  variable: string;
  label: string;
  required: boolean;
  max_length?: number;
  default?: unknown;
  options?: string[];
  /** file / file-list: the variable's own upload config (Dify's FileUploadConfig of the Start node variable). */
  allowed_file_types?: string[];
  allowed_file_extensions?: string[];
  allowed_file_upload_methods?: string[];
}

/** Which graph a workflow-based app runs. */
export type WorkflowKind =
  | 'answer'
  | 'summary'
  | 'iteration'
  | 'failing'
  | 'agent'
  | 'humanInput'
  | 'fileInput'
  | 'slow'
  | 'large'
  | 'iterations';

/** Keyword output moderation ("sensitive word avoidance"): an answer to a query with the keyword is replaced. */
export interface OutputModeration {
  keyword: string;
  presetResponse: string;
}

export interface AppSpec extends AppFixture {
  handle: AppHandle;
  tags: string[];
  authorName: string;
  apiEnabled: boolean;
  hasSite: boolean;
  openingStatement: string | null;
  suggestedQuestions: string[];
  suggestedAfterAnswer: boolean;
  speechToText: boolean;
  textToSpeech: Record<string, unknown>;
  retrieverResource: boolean;
  fileUpload: Record<string, unknown>;
  inputs: InputVariable[];
  /** `titles`: the node titles of a graph published through the console, which the runs then show. */
  workflow?: { id: string; previousId: string; draftId: string; kind: WorkflowKind; titles?: Record<string, string> };
  outputModeration?: OutputModeration;
}

export const TENANT_ID = stableUuid('dify-test:tenant');
export const SYSTEM_PARAMETERS = {
  image_file_size_limit: 10,
  video_file_size_limit: 100,
  audio_file_size_limit: 50,
  file_size_limit: 15,
  workflow_file_upload_limit: 10,
};

const IMAGE_UPLOAD = {
  image: { enabled: true, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] },
  enabled: true,
  allowed_file_types: ['image'],
  allowed_file_extensions: ['.JPG', '.JPEG', '.PNG', '.GIF', '.WEBP', '.SVG'],
  allowed_file_upload_methods: ['remote_url', 'local_file'],
  number_limits: 3,
};
const NO_UPLOAD = {
  image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] },
};
const WORKFLOW_UPLOAD = {
  enabled: true,
  allowed_file_types: ['document', 'image'],
  allowed_file_extensions: [],
  allowed_file_upload_methods: ['local_file', 'remote_url'],
  number_limits: 5,
};
const TTS_ON = { enabled: true, voice: 'alloy', language: 'en-US', autoPlay: 'disabled' };
const TTS_AUTOPLAY = { enabled: true, voice: 'alloy', language: 'en-US', autoPlay: 'enabled' };
export const MODERATION: OutputModeration = {
  keyword: 'moderate',
  presetResponse: 'Sorry, this answer was withheld by content moderation. 抱歉，该回答已被审核屏蔽。',
};
const TTS_OFF = { enabled: false };

export const CHAT_INPUTS: InputVariable[] = [
  { type: 'text-input', variable: 'name', label: 'Your name', required: true, max_length: 48, default: '' },
  { type: 'select', variable: 'tone', label: 'Tone', required: false, options: ['friendly', 'formal', '简洁'], default: 'friendly' },
  { type: 'paragraph', variable: 'context', label: 'Context', required: false, max_length: 2000, default: '' },
  { type: 'number', variable: 'max_items', label: 'Max items', required: false },
];

function spec(handle: AppHandle, mode: AppMode, name: string, description: string, rest: Partial<AppSpec>): AppSpec {
  const workflowBased = mode === 'workflow' || mode === 'advanced-chat';
  return {
    handle,
    key: stableKey('app-', `dify-test:app-key:${handle}`),
    id: stableUuid(`dify-test:app:${handle}`),
    name,
    mode,
    description,
    tags: [],
    authorName: 'Dify Tester',
    apiEnabled: true,
    hasSite: true,
    openingStatement: null,
    suggestedQuestions: [],
    suggestedAfterAnswer: false,
    speechToText: false,
    textToSpeech: TTS_OFF,
    retrieverResource: false,
    fileUpload: workflowBased ? WORKFLOW_UPLOAD : NO_UPLOAD,
    inputs: [],
    workflow: workflowBased
      ? {
          id: stableUuid(`dify-test:workflow:${handle}`),
          previousId: stableUuid(`dify-test:workflow-previous:${handle}`),
          draftId: stableUuid(`dify-test:workflow-draft:${handle}`),
          kind: mode === 'advanced-chat' ? 'answer' : 'summary',
        }
      : undefined,
    ...rest,
  };
}

/** The seeded apps; `newAgent` (mode `agent`) only from 1.15.0 on. */
export function buildApps(version: DifyVersion = '1.15.0'): AppSpec[] {
  const apps = [
    spec('chat', 'chat', 'Test Chat 测试助手', 'A basic chat app with every feature switched on.', {
      tags: ['test', '聊天'],
      openingStatement: 'Hello {{name}}! 你好，我是测试助手。',
      suggestedQuestions: ['What can you do?', '你能做什么？'],
      suggestedAfterAnswer: true,
      speechToText: true,
      textToSpeech: TTS_ON,
      retrieverResource: true,
      fileUpload: IMAGE_UPLOAD,
      inputs: CHAT_INPUTS,
      outputModeration: MODERATION,
    }),
    spec('chatTts', 'chat', 'Test Chat Autoplay', 'A chat app that reads its answers aloud (TTS autoPlay).', {
      textToSpeech: TTS_AUTOPLAY,
    }),
    spec('agent', 'agent-chat', 'Test Agent', 'A function-calling agent with an image tool and a clock tool.', {
      openingStatement: 'I can draw pictures and tell the time.',
    }),
    spec('advancedChat', 'advanced-chat', 'Test Chatflow', 'A chatflow: Start, LLM, Answer.', {
      inputs: [
        {
          type: 'select',
          variable: 'language',
          label: 'Language',
          required: false,
          options: ['English', '中文'],
          default: 'English',
        },
      ],
    }),
    spec('advancedChatFailing', 'advanced-chat', 'Test Failing Chatflow', 'A chatflow whose code node always fails.', {}),
    spec('completion', 'completion', 'Test Completion', 'A text generator.', {
      inputs: [{ type: 'text-input', variable: 'topic', label: 'Topic', required: true, max_length: 100, default: '' }],
      speechToText: false,
      textToSpeech: TTS_ON,
    }),
    spec('workflow', 'workflow', 'Test Workflow', 'A workflow: Start, LLM, End with a text output.', {
      inputs: [
        { type: 'text-input', variable: 'topic', label: 'Topic', required: true, max_length: 256, default: '' },
        { type: 'number', variable: 'count', label: 'Count', required: false },
      ],
    }),
    spec('workflowIteration', 'workflow', 'Test Iteration Workflow', 'Iterates over items and loops twice.', {
      inputs: [{ type: 'paragraph', variable: 'items', label: 'Items, one per line', required: false, default: 'a\nb\nc' }],
    }),
    spec('workflowFailing', 'workflow', 'Test Failing Workflow', 'A code node that always fails.', {
      inputs: [{ type: 'text-input', variable: 'topic', label: 'Topic', required: false, default: '' }],
    }),
    spec('workflowAgent', 'workflow', 'Test Agent Workflow', 'An HTTP request retried once, then an agent node.', {
      inputs: [{ type: 'text-input', variable: 'city', label: 'City', required: false, max_length: 64, default: 'Berlin' }],
    }),
    spec('workflowHumanInput', 'workflow', 'Test Review Workflow', 'Drafts a reply, then waits for a human review.', {
      inputs: [{ type: 'text-input', variable: 'topic', label: 'Topic', required: false, max_length: 256, default: '' }],
    }),
    spec('workflowFile', 'workflow', 'Test File Workflow', 'Reads an uploaded document, then follows the instruction.', {
      inputs: [
        {
          type: 'file',
          variable: 'doc',
          label: 'Document',
          required: true,
          allowed_file_types: ['document'],
          allowed_file_extensions: [],
          allowed_file_upload_methods: ['local_file', 'remote_url'],
        },
        { type: 'text-input', variable: 'instruction', label: 'Instruction', required: false, max_length: 256, default: '' },
      ],
    }),
    spec('workflowSlow', 'workflow', 'Test Slow Workflow', 'A crawler node that runs for minutes (only pings meanwhile).', {
      inputs: [{ type: 'text-input', variable: 'topic', label: 'Topic', required: false, max_length: 256, default: '' }],
    }),
    spec('workflowLarge', 'workflow', 'Test Large Output Workflow', 'A code node whose output is size_kb kilobytes of text.', {
      inputs: [{ type: 'number', variable: 'size_kb', label: 'Output size (KB)', required: false, default: 2048 }],
    }),
    spec('advancedChatHumanInput', 'advanced-chat', 'Test Review Chatflow', 'Drafts an answer, then waits for a human review.', {}),
    spec('advancedChatIterations', 'advanced-chat', 'Test Iterations Chatflow', 'Iterates N times over three inner nodes.', {
      inputs: [{ type: 'number', variable: 'iterations', label: 'Iterations', required: false, default: 1000 }],
    }),
    spec('newAgent', 'agent', 'Test New Agent', 'A Dify Agent runtime app (1.15): streams only.', {
      openingStatement: 'I am the new agent.',
    }),
    spec('disabled', 'chat', 'Test Disabled', 'An app whose API service is switched off.', { apiEnabled: false }),
    spec('noSite', 'chat', 'Test No Site', 'A chat app without a web site.', { hasSite: false }),
  ];
  const kinds: Partial<Record<AppHandle, WorkflowKind>> = {
    workflowIteration: 'iteration',
    workflowFailing: 'failing',
    advancedChatFailing: 'failing',
    workflowAgent: 'agent',
    workflowHumanInput: 'humanInput',
    workflowFile: 'fileInput',
    workflowSlow: 'slow',
    workflowLarge: 'large',
    advancedChatHumanInput: 'humanInput',
    advancedChatIterations: 'iterations',
  };
  for (const app of apps) if (app.workflow) app.workflow.kind = kinds[app.handle] ?? app.workflow.kind;
  return since115(version) ? apps : apps.filter((a) => a.mode !== 'agent');
}

export const DATASET_KEY = stableKey('dataset-', 'dify-test:dataset-key');

/** The `/parameters` response (§3.1). */
export function parametersOf(app: AppSpec): Record<string, unknown> {
  return {
    opening_statement: app.openingStatement,
    suggested_questions: app.suggestedQuestions,
    suggested_questions_after_answer: { enabled: app.suggestedAfterAnswer },
    speech_to_text: { enabled: app.speechToText },
    text_to_speech: app.textToSpeech,
    retriever_resource: { enabled: app.retrieverResource },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    user_input_form: app.inputs.map((v) => ({
      [v.type]: {
        variable: v.variable,
        label: v.label,
        type: v.type,
        required: v.required,
        max_length: v.max_length,
        default: v.default,
        options: v.options,
        ...(v.type === 'file' || v.type === 'file-list'
          ? {
              allowed_file_types: v.allowed_file_types ?? [],
              allowed_file_extensions: v.allowed_file_extensions ?? [],
              allowed_file_upload_methods: v.allowed_file_upload_methods ?? [],
            }
          : {}),
      },
    })),
    sensitive_word_avoidance: app.outputModeration
      ? {
          enabled: true,
          type: 'keywords',
          config: {
            keywords: app.outputModeration.keyword,
            inputs_config: { enabled: false, preset_response: '' },
            outputs_config: { enabled: true, preset_response: app.outputModeration.presetResponse },
          },
        }
      : { enabled: false, type: '', configs: [] },
    file_upload: app.fileUpload,
    system_parameters: SYSTEM_PARAMETERS,
  };
}

export function fileUploadEnabled(app: AppSpec): boolean {
  const image = app.fileUpload.image as { enabled?: boolean } | undefined;
  return app.fileUpload.enabled === true || image?.enabled === true;
}
