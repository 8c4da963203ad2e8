// VS Code's language model provider API (stable since 1.104), declared here as vscode.d.ts of 1.104+ declares it:
// the extension builds against @types/vscode 1.95 (its `engines.vscode`, which vsce checks the types against) and
// uses the API only where the running VS Code has it.
import * as vscode from 'vscode';

export interface LanguageModelChatCapabilities {
  readonly imageInput?: boolean;
  readonly toolCalling?: boolean | number;
}

export interface LanguageModelChatInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly version: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: LanguageModelChatCapabilities;
}

export interface PrepareLanguageModelChatModelOptions {
  /** The user is not to be asked anything (no sign-in, no prompt). */
  readonly silent: boolean;
}

/** The provider's view of a request message (`LanguageModelChatMessage` as VS Code hands it over). */
export interface LanguageModelChatRequestMessage {
  readonly role: vscode.LanguageModelChatMessageRole;
  /** Text, tool call, tool result and data parts; data parts (`LanguageModelDataPart`) are not in the 1.95 types. */
  readonly content: ReadonlyArray<vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart | vscode.LanguageModelToolCallPart | unknown>;
  readonly name: string | undefined;
}

export interface ProvideLanguageModelChatResponseOptions {
  readonly modelOptions?: { readonly [name: string]: unknown };
  readonly tools?: readonly vscode.LanguageModelChatTool[];
  readonly toolMode: vscode.LanguageModelChatToolMode;
}

export type LanguageModelResponsePart = vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart | vscode.LanguageModelToolCallPart;

export interface LanguageModelChatProvider<T extends LanguageModelChatInformation = LanguageModelChatInformation> {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(options: PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): vscode.ProviderResult<T[]>;
  provideLanguageModelChatResponse(
    model: T,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(model: T, text: string | LanguageModelChatRequestMessage, token: vscode.CancellationToken): Thenable<number>;
}

type RegisterProvider = (vendor: string, provider: LanguageModelChatProvider) => vscode.Disposable;

/** `vscode.lm.registerLanguageModelChatProvider` where the running VS Code has it (1.104+), else undefined. */
export function languageModelProviderApi(): RegisterProvider | undefined {
  const lm = vscode.lm as typeof vscode.lm & { registerLanguageModelChatProvider?: RegisterProvider };
  return typeof lm.registerLanguageModelChatProvider === 'function' ? lm.registerLanguageModelChatProvider.bind(vscode.lm) : undefined;
}
