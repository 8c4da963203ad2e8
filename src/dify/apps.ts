// The app Service API (app key): one method per endpoint of CONTRACT.md §3.1–§3.12.
import { DifyUnexpectedResponseError, DifyWorkflowRunError } from './errors.js';
import { DifyHttp, enc, header, type CallOptions, type DifyClientOptions, type RequestOptions } from './http.js';
import { DifyEventStream } from './sse.js';
import { DEFAULT_FOLLOW, FollowedStream, type FollowOptions, type FollowSettings } from './follow-run.js';
import { audioPart, filePart, type FileSource } from './upload.js';
import type {
  Annotation,
  AppInfo,
  AppMeta,
  AppParameters,
  AppSite,
  ChatMessageRequest,
  ChatMessageResponse,
  PausedChatMessageResponse,
  CompletionMessageRequest,
  CompletionMessageResponse,
  EndUser,
  PagedWithTotal,
  ResultSuccess,
  UploadedFile,
  WorkflowLog,
  WorkflowLogQuery,
  WorkflowRunDetail,
  WorkflowRunRequest,
  WorkflowRunResponse,
} from './types.js';
import type { ChatStreamEvent, CompletionStreamEvent, WorkflowStreamEvent } from './events.js';
import type { AppFeedback, Conversation, ConversationSortBy, ConversationVariable, FeedbackRating, MessageItem, Paged } from './history-types.js';

export interface AppClientOptions extends DifyClientOptions {
  /** The end-user id Dify scopes conversations, messages and feedback by (CONTRACT.md §1.4). Keep it stable. */
  user: string;
  /** How a run whose stream broke is followed (follow-run.ts). */
  follow?: Partial<FollowSettings>;
}

export class AppClient {
  readonly http: DifyHttp;
  readonly user: string;
  /** How a run whose stream broke is followed (follow-run.ts). */
  readonly followSettings: FollowSettings;

  constructor(options: AppClientOptions) {
    if (!options.user?.trim()) throw new TypeError('A Dify end-user id (user) is required.');
    this.http = new DifyHttp(options);
    this.user = options.user;
    this.followSettings = { ...DEFAULT_FOLLOW, ...options.follow };
  }

  // ------------------------------------------------------------------------------------------ app info

  getInfo(options?: CallOptions): Promise<AppInfo> {
    return this.http.json('GET', '/info', options);
  }

  getParameters(options?: CallOptions): Promise<AppParameters> {
    return this.http.json('GET', '/parameters', options);
  }

  getMeta(options?: CallOptions): Promise<AppMeta> {
    return this.http.json('GET', '/meta', options);
  }

  getSite(options?: CallOptions): Promise<AppSite> {
    return this.http.json('GET', '/site', options);
  }

  // ------------------------------------------------------------------------------------------ generation

  /** Blocking chat (chat and advanced-chat; agent-chat apps only stream). */
  /** Blocking chat; a chatflow that pauses for a person answers the paused body (Dify ≥ 1.14) instead. */
  sendChatMessage(request: ChatMessageRequest, options?: CallOptions): Promise<ChatMessageResponse | PausedChatMessageResponse> {
    return this.http.json('POST', '/chat-messages', this.generation(request, 'blocking', options));
  }

  streamChatMessage(request: ChatMessageRequest, options?: CallOptions): Promise<DifyEventStream<ChatStreamEvent>> {
    return this.stream('/chat-messages', request, options, (taskId, o) => this.stopChatMessage(taskId, o));
  }

  /** streamChatMessage, followed to the end of the answer when the connection breaks (follow-run.ts). */
  async followChatMessage(request: ChatMessageRequest, options: FollowOptions = {}): Promise<FollowedStream<ChatStreamEvent>> {
    const stop = (taskId: string, o: CallOptions) => this.stopChatMessage(taskId, o);
    return new FollowedStream(this, 'chat', await this.stream('/chat-messages', request, options, stop), options, this.followSettings, stop);
  }

  sendCompletionMessage(request: CompletionMessageRequest, options?: CallOptions): Promise<CompletionMessageResponse> {
    return this.http.json('POST', '/completion-messages', this.generation(request, 'blocking', options));
  }

  streamCompletionMessage(
    request: CompletionMessageRequest,
    options?: CallOptions,
  ): Promise<DifyEventStream<CompletionStreamEvent>> {
    return this.stream('/completion-messages', request, options, (taskId, o) => this.stopCompletionMessage(taskId, o));
  }

  /** Blocking workflow run. A run that ends `failed` (HTTP 200) is thrown as DifyWorkflowRunError. */
  async runWorkflow(request: WorkflowRunRequest, options?: CallOptions): Promise<WorkflowRunResponse> {
    return this.checkWorkflowRun('/workflows/run', await this.http.json('POST', '/workflows/run', this.generation(request, 'blocking', options)));
  }

  streamWorkflow(request: WorkflowRunRequest, options?: CallOptions): Promise<DifyEventStream<WorkflowStreamEvent>> {
    return this.stream('/workflows/run', request, options, (taskId, o) => this.stopWorkflowTask(taskId, o));
  }

  /** streamWorkflow, followed to the end of the run when the connection breaks (follow-run.ts). */
  async followWorkflow(request: WorkflowRunRequest, options: FollowOptions = {}): Promise<FollowedStream<WorkflowStreamEvent>> {
    const stop = (taskId: string, o: CallOptions) => this.stopWorkflowTask(taskId, o);
    return new FollowedStream(this, 'workflow', await this.stream('/workflows/run', request, options, stop), options, this.followSettings, stop);
  }

  /**
   * Re-attaches to a workflow or chatflow run started by this user (Dify ≥ 1.14, CONSOLE.md §11.1): a finished run
   * gives its `workflow_finished`; a running one its events from now on, after a summary of its nodes when
   * `include_state_snapshot` is set. It closes at the first `workflow_paused` unless `continue_on_pause`.
   */
  streamWorkflowEvents(
    workflowRunId: string,
    query: { include_state_snapshot?: boolean; continue_on_pause?: boolean } = {},
    options?: CallOptions,
  ): Promise<DifyEventStream<WorkflowStreamEvent | ChatStreamEvent>> {
    return this.openStream('GET', `/workflow/${enc(workflowRunId)}/events`, { signal: options?.signal, query: { ...query, user: this.user } }, options, (taskId, o) =>
      this.stopWorkflowTask(taskId, o),
    );
  }

  /** Runs a specific published workflow version. */
  async runWorkflowById(workflowId: string, request: WorkflowRunRequest, options?: CallOptions): Promise<WorkflowRunResponse> {
    const path = `/workflows/${enc(workflowId)}/run`;
    return this.checkWorkflowRun(path, await this.http.json('POST', path, this.generation(request, 'blocking', options)));
  }

  streamWorkflowById(
    workflowId: string,
    request: WorkflowRunRequest,
    options?: CallOptions,
  ): Promise<DifyEventStream<WorkflowStreamEvent>> {
    return this.stream(`/workflows/${enc(workflowId)}/run`, request, options, (taskId, o) => this.stopWorkflowTask(taskId, o));
  }

  stopChatMessage(taskId: string, options?: CallOptions): Promise<ResultSuccess> {
    return this.http.json('POST', `/chat-messages/${enc(taskId)}/stop`, { ...options, json: { user: this.user } });
  }

  stopCompletionMessage(taskId: string, options?: CallOptions): Promise<ResultSuccess> {
    return this.http.json('POST', `/completion-messages/${enc(taskId)}/stop`, { ...options, json: { user: this.user } });
  }

  stopWorkflowTask(taskId: string, options?: CallOptions): Promise<ResultSuccess> {
    return this.http.json('POST', `/workflows/tasks/${enc(taskId)}/stop`, { ...options, json: { user: this.user } });
  }

  /**
   * Answers a human-input form (Dify ≥ 1.14, CONSOLE.md §11.2): the values of its fields and the chosen action. Dify
   * resumes the run in the background; follow it with streamWorkflowEvents. 412 `human_input_form_submitted` /
   * `human_input_form_expired` when someone answered it already or its time is up.
   */
  async submitHumanInputForm(formToken: string, answer: { inputs: Record<string, unknown>; action: string }, options?: CallOptions): Promise<void> {
    await this.http.json('POST', `/form/human_input/${enc(formToken)}`, { ...options, json: { ...answer, user: this.user } });
  }

  async getWorkflowRun(workflowRunId: string, options?: CallOptions): Promise<WorkflowRunDetail> {
    const run = await this.http.json<WorkflowRunDetail>('GET', `/workflows/run/${enc(workflowRunId)}`, options);
    // `inputs` is the raw JSON text column (CONTRACT.md §3.7).
    if (typeof run.inputs === 'string') {
      try {
        run.inputs = JSON.parse(run.inputs) as Record<string, unknown>;
      } catch {
        /* keep the string */
      }
    }
    return run;
  }

  getWorkflowLogs(query: WorkflowLogQuery = {}, options?: CallOptions): Promise<PagedWithTotal<WorkflowLog>> {
    return this.http.json('GET', '/workflows/logs', { ...options, query: { ...query } });
  }

  // ------------------------------------------------------------------------------------------ messages

  /** One page of history, oldest → newest. Pass `first_id` = the oldest message you have to walk backwards. */
  getMessages(
    query: { conversation_id: string; first_id?: string; limit?: number },
    options?: CallOptions,
  ): Promise<Paged<MessageItem>> {
    return this.http.json('GET', '/messages', { ...options, query: { ...query, user: this.user } });
  }

  /** `rating: null` removes this user's feedback. */
  sendMessageFeedback(
    messageId: string,
    feedback: { rating: FeedbackRating | null; content?: string },
    options?: CallOptions,
  ): Promise<ResultSuccess> {
    return this.http.json('POST', `/messages/${enc(messageId)}/feedbacks`, {
      ...options,
      json: { ...feedback, user: this.user },
    });
  }

  getAppFeedbacks(query: { page?: number; limit?: number } = {}, options?: CallOptions): Promise<{ data: AppFeedback[] }> {
    return this.http.json('GET', '/app/feedbacks', { ...options, query });
  }

  async getSuggestedQuestions(messageId: string, options?: CallOptions): Promise<string[]> {
    const result = await this.http.json<{ data: string[] }>('GET', `/messages/${enc(messageId)}/suggested`, {
      ...options,
      query: { user: this.user },
    });
    return result.data;
  }

  // ------------------------------------------------------------------------------------------ conversations

  /** Newest first by default. Pass `last_id` = the last conversation you have for the next page. */
  getConversations(
    query: { last_id?: string; limit?: number; sort_by?: ConversationSortBy } = {},
    options?: CallOptions,
  ): Promise<Paged<Conversation>> {
    return this.http.json('GET', '/conversations', { ...options, query: { ...query, user: this.user } });
  }

  renameConversation(
    conversationId: string,
    rename: { name: string } | { auto_generate: true },
    options?: CallOptions,
  ): Promise<Conversation> {
    return this.http.json('POST', `/conversations/${enc(conversationId)}/name`, {
      ...options,
      json: { ...rename, user: this.user },
    });
  }

  /** Dify reads `user` from a JSON body here, so a body is always sent. */
  async deleteConversation(conversationId: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', `/conversations/${enc(conversationId)}`, { ...options, json: { user: this.user } });
  }

  getConversationVariables(
    conversationId: string,
    query: { last_id?: string; limit?: number; variable_name?: string } = {},
    options?: CallOptions,
  ): Promise<Paged<ConversationVariable>> {
    return this.http.json('GET', `/conversations/${enc(conversationId)}/variables`, {
      ...options,
      query: { ...query, user: this.user },
    });
  }

  updateConversationVariable(
    conversationId: string,
    variableId: string,
    value: unknown,
    options?: CallOptions,
  ): Promise<ConversationVariable> {
    return this.http.json('PUT', `/conversations/${enc(conversationId)}/variables/${enc(variableId)}`, {
      ...options,
      json: { value, user: this.user },
    });
  }

  // ------------------------------------------------------------------------------------------ files and audio

  /** Streams the file (from disk or a Blob) as multipart; nothing is read whole into memory. */
  async uploadFile(source: FileSource, options?: CallOptions): Promise<UploadedFile> {
    const form = await filePart(source);
    form.append('user', this.user);
    return this.http.json('POST', '/files/upload', { ...options, form, timeoutMs: options?.timeoutMs ?? this.http.timeouts.generationMs });
  }

  /** The raw bytes of a file attached to a message of this app. The caller consumes `body`. */
  async previewFile(fileId: string, query: { as_attachment?: boolean } = {}, options?: CallOptions) {
    const response = await this.http.send('GET', `/files/${enc(fileId)}/preview`, {
      ...options,
      query: { ...query, user: this.user },
    });
    return { body: response.body, headers: response.headers };
  }

  async audioToText(source: FileSource, options?: CallOptions): Promise<{ text: string }> {
    const form = await audioPart(source);
    form.append('user', this.user);
    return this.http.json('POST', '/audio-to-text', { ...options, form });
  }

  /** MP3 bytes (`audio/mpeg`), streamed. `message_id` wins over `text`. */
  async textToAudio(request: { text?: string; message_id?: string; voice?: string }, options?: CallOptions) {
    const response = await this.http.send('POST', '/text-to-audio', {
      ...options,
      json: { ...request, user: this.user },
      accept: 'audio/mpeg',
    });
    return { body: response.body, headers: response.headers };
  }

  // ------------------------------------------------------------------------------------------ annotations, end users

  listAnnotations(
    query: { page?: number; limit?: number; keyword?: string } = {},
    options?: CallOptions,
  ): Promise<PagedWithTotal<Annotation>> {
    return this.http.json('GET', '/apps/annotations', { ...options, query });
  }

  createAnnotation(annotation: { question: string; answer: string }, options?: CallOptions): Promise<Annotation> {
    return this.http.json('POST', '/apps/annotations', { ...options, json: annotation });
  }

  updateAnnotation(id: string, annotation: { question: string; answer: string }, options?: CallOptions): Promise<Annotation> {
    return this.http.json('PUT', `/apps/annotations/${enc(id)}`, { ...options, json: annotation, idempotent: true });
  }

  async deleteAnnotation(id: string, options?: CallOptions): Promise<void> {
    await this.http.json('DELETE', `/apps/annotations/${enc(id)}`, options);
  }

  getEndUser(endUserId: string, options?: CallOptions): Promise<EndUser> {
    return this.http.json('GET', `/end-users/${enc(endUserId)}`, options);
  }

  // ------------------------------------------------------------------------------------------ internals

  private generation(
    request: object & { inputs?: Record<string, unknown> },
    responseMode: 'blocking' | 'streaming',
    options: CallOptions | undefined,
  ): RequestOptions {
    return {
      signal: options?.signal,
      timeoutMs: options?.timeoutMs ?? this.http.timeouts.generationMs,
      // `inputs` and `user` are required on every call (CONTRACT.md §6.6, §6.7).
      json: { ...request, inputs: request.inputs ?? {}, response_mode: responseMode, user: this.user },
    };
  }

  private stream<E extends { event: string }>(
    path: string,
    request: object & { inputs?: Record<string, unknown> },
    options: CallOptions | undefined,
    stopTask: (taskId: string, options: CallOptions) => Promise<unknown>,
  ): Promise<DifyEventStream<E>> {
    return this.openStream('POST', path, this.generation(request, 'streaming', options), options, stopTask);
  }

  private async openStream<E extends { event: string }>(
    method: 'GET' | 'POST',
    path: string,
    request: RequestOptions,
    options: CallOptions | undefined,
    stopTask: (taskId: string, options: CallOptions) => Promise<unknown>,
  ): Promise<DifyEventStream<E>> {
    const response = await this.http.send(method, path, {
      ...request,
      // Headers of a stream come quickly; the body is watched by the stream's own stall timers.
      timeoutMs: options?.timeoutMs ?? this.http.timeouts.requestMs,
      accept: 'text/event-stream',
    });
    const contentType = header(response.headers, 'content-type');
    if (!contentType.startsWith('text/event-stream')) {
      // A proxy's page or a server that ignored response_mode: not a stream we can read.
      const text = await this.http.readText(response, options?.signal, 64 * 1024);
      throw new DifyUnexpectedResponseError(response.status, contentType, text.slice(0, 200), response.endpoint, this.http.host);
    }
    return new DifyEventStream<E>(response, {
      timeouts: this.http.timeouts,
      signal: options?.signal,
      host: this.http.host,
      stopTask,
    });
  }

  private checkWorkflowRun(path: string, response: WorkflowRunResponse): WorkflowRunResponse {
    if (response?.data?.status === 'failed') {
      throw new DifyWorkflowRunError(response.data.error ?? '', `POST ${path}`, response.workflow_run_id, undefined, this.http.host);
    }
    return response;
  }
}
