// Every message between the extension host and the chat webview, both ways, with the view types they carry.
// Both bundles import this file. Each side validates what it receives (`parseWebviewMessage`, `parseHostMessage`):
// a message of an unknown type or with a field of the wrong type is dropped, never trusted.
import type { ChatTurn, TurnError, TurnFile, TurnForm, TurnNode, TurnThought } from './core/chat-turn.js';
import type { FileType, RetrieverResource, Usage } from './dify/types.js';

export type { ChatTurn, TurnError, TurnFile, TurnForm, TurnNode, TurnThought, FileType, RetrieverResource, Usage };

/** What an error offers besides its words. */
export type ErrorAction = 'retry' | 'setKey' | 'editApp' | 'addApp' | 'showLog' | 'openSettings' | 'reload';

/** The button of each action, as a ChatStrings key: the chat view's error boxes and @dify's buttons say the same. */
export const ERROR_ACTION_LABELS: Record<ErrorAction, keyof ChatStrings> = {
  retry: 'actionRetry',
  setKey: 'actionSetKey',
  editApp: 'actionEditApp',
  addApp: 'actionAddApp',
  showLog: 'actionShowLog',
  openSettings: 'actionOpenSettings',
  reload: 'actionReload',
};

/** A configured chat app, as the view's app picker lists it. */
export interface AppChoice {
  id: string;
  name: string;
  mode: string;
}

export type InputFieldType = 'text-input' | 'paragraph' | 'select' | 'number' | 'checkbox' | 'file' | 'file-list';

/** One field of the app's `user_input_form`, normalised (core/input-form.ts). */
export interface InputField {
  variable: string;
  label: string;
  type: InputFieldType;
  required: boolean;
  maxLength?: number;
  options?: string[];
  default?: string | number | boolean;
  /** file / file-list */
  allowedFileTypes?: FileType[];
  allowedFileExtensions?: string[];
  maxFiles?: number;
}

/** What the app's `file_upload` feature allows for attachments to a message. */
export interface FileUploadRules {
  enabled: boolean;
  allowedFileTypes: FileType[];
  /** With 'custom' in allowedFileTypes: the extensions allowed, like ".log". */
  allowedExtensions: string[];
  maxFiles: number;
  /** Largest upload per file type, in bytes (system_parameters). */
  sizeLimits: Record<FileType, number>;
  localUpload: boolean;
  remoteUrl: boolean;
}

export interface AppView {
  id: string;
  name: string;
  mode: string;
  openingStatement: string;
  suggestedQuestions: string[];
  suggestedAfterAnswer: boolean;
  inputForm: InputField[];
  fileUpload: FileUploadRules;
  /** The origin of the app's Dify server (its signed file links may be loaded as images). */
  origin: string;
}

/** A file attached to the draft (or to a sent question). */
export interface Attachment {
  id: string;
  name: string;
  size: number;
  fileType: FileType;
  status: 'uploading' | 'ready' | 'error';
  error?: string;
  /** remote_url attachments */
  url?: string;
}

export interface DraftView {
  text: string;
  attachments: Attachment[];
}

export interface ChatState {
  apps: AppChoice[];
  app?: AppView;
  /** Loading the app's parameters failed. */
  appError?: TurnError;
  loadingApp: boolean;
  conversationId?: string;
  /** The conversation's name in Dify (generated after its first answer, or given by the user), once known. */
  conversationName?: string;
  turns: ChatTurn[];
  draft: DraftView;
  /** Values of the input form; fixed once the conversation has started (Dify keeps the first message's inputs). */
  inputs: Record<string, string | number | boolean>;
  /** Files given to the form's file / file-list fields: variable → files. */
  inputFiles: Record<string, Attachment[]>;
  inputsLocked: boolean;
  /** Older messages of this conversation wait on the server (post `loadOlder` to get them). */
  hasOlder: boolean;
}

export type HostMessage =
  /** The whole state: on `ready`, after switching app or conversation. */
  | { type: 'state'; state: ChatState }
  /** One turn changed (structure, status, citations, …): replace it, or add it when new. */
  | { type: 'turn'; turn: ChatTurn }
  /** Text streamed into a turn's answer (or, with `part`, its separate reasoning): append. */
  | { type: 'delta'; turnId: string; text: string; part?: 'reasoning' }
  /**
   * The host changed the draft: its attachments (progress, added, removed), and with `setText` its text (ask about
   * the selection); otherwise the text typed in the view stays as it is.
   */
  | { type: 'draft'; draft: DraftView; focus: boolean; setText: boolean }
  /** Input-form problems found by the host when sending: variable → message. */
  | { type: 'inputErrors'; errors: Record<string, string> }
  /** One step of a chatflow turn's run, added or replaced (by id); the rest of the turn is unchanged. */
  | { type: 'node'; turnId: string; node: TurnNode }
  /**
   * The host's decision on a request of the view (send, retry, loadOlder): done (for a send: its turn was posted
   * first), or refused, with the reason to show when there is one (problems with the form come as `inputErrors`).
   */
  | { type: 'reply'; requestId: number; ok: boolean; message?: string };

export type WebviewMessage =
  | { type: 'ready' }
  /** The question and the form's values as shown; answered with a `reply`. */
  | { type: 'send'; requestId: number; text: string; inputs: Record<string, string | number | boolean> }
  | { type: 'stop' }
  | { type: 'newChat' }
  /** The app's conversations, to open one (a quick pick). */
  | { type: 'history' }
  /** Rename the conversation shown (an input box with its name). */
  | { type: 'renameConversation' }
  | { type: 'retry'; requestId: number; turnId: string }
  /** The answer to a human-input form of a paused chatflow turn: the fields' values and the button pressed. */
  | { type: 'answerForm'; requestId: number; turnId: string; formId: string; action: string; inputs: Record<string, string> }
  /** The last question again, for another answer (after the old one: Dify keeps a conversation in one line). */
  | { type: 'askAgain'; requestId: number; turnId: string }
  | { type: 'chooseApp' }
  | { type: 'selectApp'; appId: string }
  | { type: 'draftText'; text: string }
  /** The form's values as the user left them (the host keeps them, so a hidden or reloaded view shows them again). */
  | { type: 'inputs'; values: Record<string, string | number | boolean> }
  | { type: 'feedback'; turnId: string; rating: 'like' | 'dislike' | null }
  | { type: 'copy'; text: string }
  | { type: 'insertCode'; code: string }
  | { type: 'applyCode'; code: string; language: string }
  | { type: 'openLink'; href: string }
  | { type: 'attach' }
  /** A file pasted or dropped, as bytes; answered with a `reply` (refused: why) once the host decided. */
  | { type: 'attachData'; requestId: number; name: string; mime: string; data: Uint8Array }
  | { type: 'removeAttachment'; id: string }
  | { type: 'action'; action: ErrorAction; turnId?: string }
  /** Open a cited segment of turn `turnId` in an editor. */
  | { type: 'openCitation'; turnId: string; segmentId: string }
  /** A file input of the form: pick and upload files for `variable`. */
  | { type: 'attachInput'; variable: string }
  /** Scrolled to the top of an opened conversation: fetch the page before it; answered with a `reply`. */
  | { type: 'loadOlder'; requestId: number };

/** The messages the host answers with a `reply`. */
export type WebviewRequest = Extract<WebviewMessage, { requestId: number }>;

/** A request as the view writes it: the request id is added where it is posted. */
export type RequestBody = WebviewRequest extends infer R ? (R extends WebviewRequest ? Omit<R, 'requestId'> : never) : never;

/** What the host decided about a request. */
export type Reply = Omit<Extract<HostMessage, { type: 'reply' }>, 'type' | 'requestId'>;

// ----------------------------------------------------------------------------------------------- validation

type Check = (value: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const optStr: Check = (v) => v === undefined || typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const obj: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const scalarRecord: Check = (v) =>
  obj(v) && Object.values(v as object).every((x) => ['string', 'number', 'boolean'].includes(typeof x));
const requestId: Check = (v) => Number.isSafeInteger(v);
const bytes: Check = (v) => v instanceof Uint8Array || v instanceof ArrayBuffer;

const ERROR_ACTIONS: ErrorAction[] = ['retry', 'setKey', 'editApp', 'addApp', 'showLog', 'openSettings', 'reload'];

/** Fields each message type must have, and their checks. Extra fields are dropped. */
const WEBVIEW_SHAPES: { [T in WebviewMessage['type']]: Record<Exclude<keyof Extract<WebviewMessage, { type: T }>, 'type'>, Check> } = {
  ready: {},
  send: { requestId, text: str, inputs: scalarRecord },
  stop: {},
  newChat: {},
  history: {},
  renameConversation: {},
  retry: { requestId, turnId: str },
  askAgain: { requestId, turnId: str },
  answerForm: { requestId, turnId: str, formId: str, action: str, inputs: (v) => obj(v) && Object.values(v as object).every(str) },
  chooseApp: {},
  selectApp: { appId: str },
  draftText: { text: str },
  inputs: { values: scalarRecord },
  feedback: { turnId: str, rating: oneOf('like', 'dislike', null) },
  copy: { text: str },
  insertCode: { code: str },
  applyCode: { code: str, language: str },
  openLink: { href: str },
  attach: {},
  attachData: { requestId, name: str, mime: str, data: bytes },
  removeAttachment: { id: str },
  action: { action: oneOf(...ERROR_ACTIONS), turnId: optStr },
  attachInput: { variable: str },
  openCitation: { turnId: str, segmentId: str },
  loadOlder: { requestId },
};

const HOST_SHAPES: { [T in HostMessage['type']]: Record<Exclude<keyof Extract<HostMessage, { type: T }>, 'type'>, Check> } = {
  state: { state: (v) => obj(v) && Array.isArray((v as ChatState).turns) && Array.isArray((v as ChatState).apps) && obj((v as ChatState).draft) },
  turn: { turn: (v) => obj(v) && str((v as ChatTurn).id) && str((v as ChatTurn).answer) },
  delta: { turnId: str, text: str, part: (v) => v === undefined || v === 'reasoning' },
  draft: { draft: (v) => obj(v) && str((v as DraftView).text) && Array.isArray((v as DraftView).attachments), focus: bool, setText: bool },
  inputErrors: { errors: (v) => obj(v) && Object.values(v as object).every(str) },
  node: { turnId: str, node: (v) => obj(v) && str((v as TurnNode).id) },
  reply: { requestId, ok: bool, message: optStr },
};

function parse<M extends { type: string }>(shapes: Record<string, Record<string, Check>>, raw: unknown): M | undefined {
  if (!obj(raw)) return undefined;
  const { type } = raw as { type?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) return undefined;
  const shape = shapes[type]!;
  const message: Record<string, unknown> = { type };
  for (const [key, check] of Object.entries(shape)) {
    const value = (raw as Record<string, unknown>)[key];
    if (!check(value)) return undefined;
    if (value !== undefined) message[key] = value;
  }
  return message as M;
}

/** A message from the webview, or undefined when it is not one this protocol knows. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  const message = parse<WebviewMessage>(WEBVIEW_SHAPES, raw);
  if (message?.type === 'attachData' && message.data instanceof ArrayBuffer) message.data = new Uint8Array(message.data);
  return message;
}

/** A message from the host, or undefined when it is not one this protocol knows. */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
  return parse<HostMessage>(HOST_SHAPES, raw);
}

/**
 * The words of the chat view. The host localises them (features/chat/chat-strings.ts, through vscode.l10n.t) and
 * hands them to the webview in its HTML, so the webview needs no l10n of its own.
 */
export interface ChatStrings {
  // header, welcome, app loading
  appPicker: string;
  chooseApp: string;
  noAppChosen: string;
  newChat: string;
  history: string;
  renameConversation: string;
  modeChat: string;
  modeAgent: string;
  modeChatflow: string;
  loadingApp: string;
  welcomeTitle: string;
  welcomeText: string;
  addApp: string;
  // what an error offers (ErrorAction)
  actionRetry: string;
  actionSetKey: string;
  actionEditApp: string;
  actionAddApp: string;
  actionShowLog: string;
  actionOpenSettings: string;
  actionReload: string;
  // opening statement and input form
  suggestedQuestions: string;
  inputsTitle: string;
  inputsSummary: string;
  required: string;
  fieldRequired: string;
  fieldTooLong: string;
  fieldNotNumber: string;
  fieldFileRequired: string;
  selectPlaceholder: string;
  attachInputFile: string;
  noFileAttached: string;
  yes: string;
  no: string;
  emptyValue: string;
  // turns
  conversation: string;
  question: string;
  loadingOlder: string;
  stopped: string;
  reconnecting: string;
  waitingForResult: string;
  replaced: string;
  thoughtTool: string;
  thoughtThinking: string;
  thoughtInput: string;
  thoughtObservation: string;
  nodeRunning: string;
  nodeSucceeded: string;
  nodeFailed: string;
  nodeStopped: string;
  nodeRound: string;
  nodeRoundOf: string;
  nodeRounds: string;
  workflowProcess: string;
  processOneStep: string;
  processSteps: string;
  seconds: string;
  files: string;
  openFile: string;
  citations: string;
  citationScore: string;
  citationUntitled: string;
  openCitation: string;
  like: string;
  dislike: string;
  usage: string;
  usageTokens: string;
  usageLatency: string;
  usagePrice: string;
  suggestionsAfterAnswer: string;
  // composer and attachments
  messageLabel: string;
  placeholder: string;
  composerKeys: string;
  send: string;
  stop: string;
  sendEmpty: string;
  sendWaitUploads: string;
  attach: string;
  attachments: string;
  removeAttachment: string;
  uploading: string;
  dropFiles: string;
  dismiss: string;
  fileDisabled: string;
  fileTooMany: string;
  fileOnlyOne: string;
  fileTypeNotAllowed: string;
  fileEmpty: string;
  fileTooLarge: string;
  sizeBytes: string;
  sizeKilobytes: string;
  sizeMegabytes: string;
  // code blocks and images in answers (the markdown renderer's labels)
  copy: string;
  copied: string;
  sendWhileStreaming: string;
  copyAnswer: string;
  editQuestion: string;
  editInputBusy: string;
  editLinear: string;
  askAgain: string;
  askAgainHint: string;
  insert: string;
  apply: string;
  loadImage: string;
  imageBlocked: string;
  imageBlockedLocal: string;
  imageBlockedQuery: string;
  image: string;
  formTitle: string;
  formUntil: string;
  formSending: string;
  formAnswered: string;
  formAnsweredByOthers: string;
  formExpired: string;
  formElsewhere: string;
  toolImage: string;
  thinking: string;
}
