// Host-side data for the webview tests: an app, a state, turns, shaped as the host sends them (protocol.ts).
import type { AppView, ChatState, ChatTurn, FileUploadRules } from '../../../src/protocol.js';

const MB = 1024 * 1024;

export function uploadRules(overrides: Partial<FileUploadRules> = {}): FileUploadRules {
  return {
    enabled: true,
    allowedFileTypes: ['image', 'document'],
    allowedExtensions: [],
    maxFiles: 3,
    sizeLimits: { image: 10 * MB, document: 15 * MB, audio: 50 * MB, video: 100 * MB, custom: 15 * MB },
    localUpload: true,
    remoteUrl: false,
    ...overrides,
  };
}

export function app(overrides: Partial<AppView> = {}): AppView {
  return {
    id: 'app-1',
    name: 'Support Bot',
    mode: 'chat',
    origin: 'https://dify.example',
    openingStatement: '',
    suggestedQuestions: [],
    suggestedAfterAnswer: false,
    inputForm: [],
    fileUpload: uploadRules({ enabled: false }),
    ...overrides,
  };
}

export function state(overrides: Partial<ChatState> = {}): ChatState {
  return {
    apps: [{ id: 'app-1', name: 'Support Bot', mode: 'chat' }],
    app: app(),
    loadingApp: false,
    turns: [],
    draft: { text: '', attachments: [] },
    inputs: {},
    inputFiles: {},
    inputsLocked: false,
    hasOlder: false,
    ...overrides,
  };
}

export function turn(overrides: Partial<ChatTurn> = {}): ChatTurn {
  return {
    id: 'turn-1',
    query: 'What is Dify?',
    attachments: [],
    answer: '',
    status: 'done',
    thoughts: [],
    files: [],
    citations: [],
    nodes: [],
    createdAt: 1_700_000_000,
    ...overrides,
  };
}

/** A long conversation: n done turns with short markdown answers. */
export function turns(n: number, prefix = 'turn'): ChatTurn[] {
  return Array.from({ length: n }, (_, i) =>
    turn({
      id: `${prefix}-${i + 1}`,
      query: `Question number ${i + 1}?`,
      answer: `Answer **${i + 1}**: a short paragraph of text.\n\n- one point\n- another point`,
      messageId: `msg-${i + 1}`,
      conversationId: 'conv-1',
    }),
  );
}
