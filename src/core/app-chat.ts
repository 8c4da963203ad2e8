// The chat with one Dify app: its client, what /parameters says the view shows, the conversation (ChatSession), the
// form values and the files being attached. One per app, kept while the window lives, so switching apps and back
// finds each conversation as it was.
import { checkFile, fileInputRules, fileTypeOf, fileUploadRules, type FileProblem } from './file-rules.js';
import { inputFields } from './input-form.js';
import type { ChatSession} from './chat-session.js';
import type { DraftAttachment } from './chat-session-types.js';
import type { ConversationRename } from './conversation-list.js';
import type { AppProfile } from './profile-store.js';
import type { AppClient, AppParameters, FileSource } from '../dify/index.js';
import type { AppView, Attachment, ChatState } from '../protocol.js';

/**
 * A file in flight or refused: shown in the draft (or at its form field) until it is ready, when it moves into the
 * session's draft (or the field's files). Removed while it uploads, its upload is dropped when it finishes.
 */
interface PendingAttachment extends Attachment {
  status: 'uploading' | 'error';
  /** The form's file input it is for; none for the draft. */
  variable?: string;
}

export interface FileToAttach {
  name: string;
  size: number;
  source: FileSource;
}

export type AttachTarget = { kind: 'draft' } | { kind: 'input'; variable: string };

export class AppChat {
  readonly session: ChatSession;
  readonly view: AppView;
  inputs: Record<string, string | number | boolean> = {};
  private pending: PendingAttachment[] = [];
  private readonly inputFiles = new Map<string, DraftAttachment[]>();
  private nextAttachment = 1;

  constructor(
    readonly profile: AppProfile,
    readonly client: AppClient,
    session: (client: AppClient, options: { suggestAfterAnswer: boolean }) => ChatSession,
    parameters: AppParameters,
  ) {
    this.view = appView(profile, parameters);
    this.session = session(client, { suggestAfterAnswer: this.view.suggestedAfterAnswer });
  }

  /** Shows an existing conversation, with the form values it was started with (false: another one was opened meanwhile). */
  async openConversation(conversationId: string): Promise<boolean> {
    if (!(await this.session.openConversation(conversationId))) return false;
    const inputs: Record<string, string | number | boolean> = {};
    for (const [name, value] of Object.entries(this.session.conversationInputs ?? {})) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') inputs[name] = value;
    }
    this.inputs = inputs;
    return true;
  }

  /** Dify's name for a conversation, as last read: shown while that conversation is. */
  conversationName: { id: string; name: string } | undefined;

  /** The form's values went (or are going) with the conversation's first message: they can no longer change. */
  get inputsLocked(): boolean {
    return this.session.conversationId !== undefined || this.session.starting;
  }

  /**
   * Reads the shown conversation's name from Dify (among its most recently updated: the one just answered is first).
   * True when it changed.
   */
  async readConversationName(): Promise<boolean> {
    const id = this.session.conversationId;
    if (!id) return false;
    const page = await this.client.getConversations({ limit: 20, sort_by: '-updated_at' });
    const name = page.data.find((c) => c.id === id)?.name;
    if (!name || this.session.conversationId !== id || (this.conversationName?.id === id && this.conversationName.name === name)) return false;
    this.conversationName = { id, name };
    return true;
  }

  /** Renames the shown conversation in Dify (a name, or Dify's generated one); the name changes here once Dify agreed. */
  async renameConversation(rename: ConversationRename): Promise<void> {
    const id = this.session.conversationId;
    if (!id) return;
    const renamed = await this.client.renameConversation(id, rename);
    this.conversationName = { id, name: renamed.name };
  }

  /** The app is no longer chatted with: a streaming answer stops, and nothing more is told. */
  dispose(): void {
    this.session.dispose();
  }

  /** The window goes away: nothing more is told, and a streaming answer goes on in Dify (see ChatSession.detach). */
  detach(): void {
    this.session.detach();
  }

  get uploading(): boolean {
    return this.pending.some((a) => a.status === 'uploading');
  }

  state(): Omit<ChatState, 'apps' | 'loadingApp' | 'appError'> {
    const { session } = this;
    return {
      app: this.view,
      conversationId: session.conversationId,
      conversationName: this.conversationName && this.conversationName.id === session.conversationId ? this.conversationName.name : undefined,
      turns: session.turns,
      draft: this.draft(),
      inputs: this.inputs,
      inputFiles: this.inputFilesShown(),
      inputsLocked: this.inputsLocked,
      hasOlder: session.hasOlder,
    };
  }

  draft(): ChatState['draft'] {
    return { text: this.session.draft.text, attachments: [...this.session.draft.attachments.map(shown), ...this.pending.filter((p) => !p.variable).map(shownPending)] };
  }

  /** Each file input's files: ready, then uploading or refused. */
  private inputFilesShown(): ChatState['inputFiles'] {
    const files: ChatState['inputFiles'] = Object.fromEntries([...this.inputFiles].map(([variable, list]) => [variable, list.map(shown)]));
    for (const entry of this.pending) if (entry.variable) (files[entry.variable] ??= []).push(shownPending(entry));
    return files;
  }

  /** Dify's `inputs` file values: a file input is one file object, a file-list an array. */
  fileInputs(): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const field of this.view.inputForm ?? []) {
      const files = this.inputFiles.get(field.variable);
      if (!files?.length) continue;
      values[field.variable] = field.type === 'file' ? files[0]!.file : files.map((f) => f.file);
    }
    return values;
  }

  /** Required file inputs still empty. */
  missingFileInputs(): string[] {
    return (this.view.inputForm ?? [])
      .filter((f) => (f.type === 'file' || f.type === 'file-list') && f.required && !this.inputFiles.get(f.variable)?.length)
      .map((f) => f.variable);
  }

  /**
   * Checks and uploads one file; `onChange` is called when its state changes (uploading, ready, refused).
   * Returns the problem when the file was refused before upload.
   */
  async attach(file: FileToAttach, target: AttachTarget, onChange: () => void): Promise<FileProblem | undefined> {
    const rules = target.kind === 'draft' ? this.view.fileUpload : this.inputRules(target.variable);
    if (!rules) return { kind: 'disabled' };
    const variable = target.kind === 'input' ? target.variable : undefined;
    const inFlight = this.pending.filter((p) => p.status === 'uploading' && p.variable === variable).length;
    const attached = (variable === undefined ? this.session.draft.attachments.length : (this.inputFiles.get(variable)?.length ?? 0)) + inFlight;
    const problem = checkFile(rules, file, attached);
    if (problem) return problem;
    const fileType = fileTypeOf(file.name);
    const entry: PendingAttachment = { id: `file-${this.nextAttachment++}`, name: file.name, size: file.size, fileType, status: 'uploading', variable };
    this.pending.push(entry);
    onChange();
    try {
      const uploaded = await this.client.uploadFile(file.source);
      const ready: DraftAttachment = {
        id: entry.id,
        name: file.name,
        size: file.size,
        fileType,
        file: { type: fileType, transfer_method: 'local_file', upload_file_id: uploaded.id },
      };
      if (!this.pending.includes(entry)) return undefined; // removed while it uploaded
      this.pending = this.pending.filter((p) => p !== entry);
      if (variable === undefined) this.session.draft.attachments.push(ready);
      else this.addInputFile(variable, ready);
    } catch (error) {
      entry.status = 'error';
      entry.error = error instanceof Error ? error.message : String(error);
    }
    onChange();
    return undefined;
  }

  attachUrl(url: string): FileProblem | undefined {
    const rules = this.view.fileUpload;
    if (!rules?.enabled || !rules.remoteUrl) return { kind: 'disabled' };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { kind: 'not_a_url' };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'not_a_url' };
    const name = decodeURIComponent(parsed.pathname.split('/').pop() || url);
    const fileType = fileTypeOf(name);
    if (this.session.draft.attachments.length >= rules.maxFiles) return { kind: 'too_many', max: rules.maxFiles };
    if (!rules.allowedFileTypes.includes(fileType)) return { kind: 'type_not_allowed', allowed: rules.allowedFileTypes };
    this.session.draft.attachments.push({ id: `file-${this.nextAttachment++}`, name, size: 0, fileType, file: { type: fileType, transfer_method: 'remote_url', url } });
    return undefined;
  }

  removeAttachment(id: string): void {
    this.pending = this.pending.filter((a) => a.id !== id);
    this.session.draft.attachments = this.session.draft.attachments.filter((a) => a.id !== id);
    for (const [variable, files] of this.inputFiles) this.inputFiles.set(variable, files.filter((f) => f.id !== id));
  }

  private addInputFile(variable: string, file: DraftAttachment): void {
    const field = this.view.inputForm.find((f) => f.variable === variable);
    const files = field?.type === 'file' ? [] : (this.inputFiles.get(variable) ?? []);
    this.inputFiles.set(variable, [...files, file]);
  }

  private inputRules(variable: string): AppView['fileUpload'] | undefined {
    const field = this.view.inputForm.find((f) => f.variable === variable);
    if (!field || !this.view) return undefined;
    // A single file input replaces its file; a list holds up to its limit.
    return { ...fileInputRules(field, this.view.fileUpload.sizeLimits), maxFiles: field.type === 'file' ? Infinity : (field.maxFiles ?? 5) };
  }
}

const shown = ({ file, ...attachment }: DraftAttachment): Attachment => ({ ...attachment, status: 'ready', url: file.transfer_method === 'remote_url' ? file.url : undefined });
const shownPending = ({ variable: _variable, ...attachment }: PendingAttachment): Attachment => attachment;

function appView(profile: AppProfile, parameters: AppParameters): AppView {
  return {
    id: profile.id,
    name: profile.label,
    mode: profile.mode,
    openingStatement: parameters.opening_statement ?? '',
    suggestedQuestions: parameters.suggested_questions ?? [],
    suggestedAfterAnswer: parameters.suggested_questions_after_answer?.enabled === true,
    inputForm: inputFields(parameters.user_input_form ?? []),
    fileUpload: fileUploadRules(parameters),
    origin: new URL(profile.baseUrl).origin,
  };
}
