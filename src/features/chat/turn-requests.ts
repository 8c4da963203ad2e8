// The view's requests about turns (send, retry, a human-input form's answer, Ask Again), each checked against the
// chat as it is now: started (the answer then streams on in the session) or refused with the reason the view shows.
// `undefined`: started; a string: refused with that reason; `false`: refused, the reasons shown at the form's fields.
import * as vscode from 'vscode';
import type { AppChat } from '../../core/app-chat.js';
import { checkInputs, toDifyInputs } from '../../core/input-form.js';
import { inputProblemText } from './chat-messages.js';

export type FormValues = Record<string, string | number | boolean>;

export type Decision = string | false | undefined;

export interface TurnRequestHost {
  /** The chat that takes requests: none while its app loads. */
  ready(): AppChat | undefined;
  /** The form's values while the conversation has not started (kept by the host across reloads). */
  setInputs(chat: AppChat, values: FormValues): void;
  /** Problems at the form's fields (none: clears them). */
  showInputErrors(errors: Record<string, string>): void;
}

export class TurnRequests {
  constructor(private readonly host: TurnRequestHost) {}

  /** Sends what the view shows: the text and the form's values. */
  send(text: string, values: FormValues): Decision {
    const chat = this.host.ready();
    if (!chat) return vscode.l10n.t('The app is still loading; send again in a moment.');
    if (chat.session.isRunning) return streamingRefusal();
    chat.session.draft.text = text;
    if (!chat.inputsLocked) this.host.setInputs(chat, values);
    const problems = checkInputs(chat.view.inputForm, chat.inputs);
    const missingFiles = chat.missingFileInputs();
    if (problems.length || missingFiles.length) {
      const errors: Record<string, string> = Object.fromEntries(problems.map((p) => [p.variable, inputProblemText(p)]));
      for (const variable of missingFiles) errors[variable] = vscode.l10n.t('Required: attach a file.');
      this.host.showInputErrors(errors);
      return false;
    }
    if (text.trim() === '') return vscode.l10n.t('Type a message to send');
    if (chat.uploading) return vscode.l10n.t('Wait until the attachments have uploaded');
    const attachments = chat.session.draft.attachments;
    this.host.showInputErrors({});
    // The turn is posted as the send starts; the answer streams on after the reply.
    void chat.session.send({ query: text, inputs: difyInputs(chat), attachments });
    return undefined;
  }

  /** The failed turn's question again, with its files; the form's values are today's unless the conversation began. */
  retry(turnId: string): Decision {
    const chat = this.host.ready();
    if (!chat) return vscode.l10n.t('The app is still loading; retry in a moment.');
    if (chat.session.isRunning) return streamingRefusal();
    if (!chat.session.turns.some((t) => t.id === turnId && t.status === 'error')) return vscode.l10n.t('That question is no longer in this conversation.');
    void chat.session.retry(turnId, { inputs: difyInputs(chat) });
    return undefined;
  }

  /** A human-input form's answer; the resumed run streams into the same turn. */
  answerForm(turnId: string, formId: string, answer: { inputs: Record<string, string>; action: string }): Decision {
    const chat = this.host.ready();
    if (!chat) return vscode.l10n.t('The app is still loading; retry in a moment.');
    if (chat.session.isRunning) return streamingRefusal();
    const turn = chat.session.turns.at(-1);
    const form = turn?.id === turnId ? turn.forms?.find((f) => f.id === formId) : undefined;
    if (!form || form.state !== 'open' || turn?.status !== 'paused') return vscode.l10n.t('This form can no longer be answered here.');
    if (!form.actions.some((a) => a.id === answer.action)) return vscode.l10n.t('This form has no such button.');
    void chat.session.answerForm(turnId, formId, answer);
    return undefined;
  }

  /** The last question once more, for another answer. */
  askAgain(turnId: string): Decision {
    const chat = this.host.ready();
    if (!chat) return vscode.l10n.t('The app is still loading; retry in a moment.');
    switch (chat.session.askAgainRefusal(turnId)) {
      case 'running':
        return streamingRefusal();
      case 'not-last':
        return vscode.l10n.t('Only the last answer can be asked for again.');
      case 'files':
        return vscode.l10n.t("This question's files are not known here any more: ask it again with its files.");
    }
    void chat.session.askAgain(turnId, { inputs: difyInputs(chat) });
    return undefined;
  }
}

/** The inputs Dify gets: the form's values as Dify types them, and the form's uploaded files. */
function difyInputs(chat: AppChat): Record<string, unknown> {
  return { ...toDifyInputs(chat.view.inputForm, chat.inputs), ...chat.fileInputs() };
}

function streamingRefusal(): string {
  return vscode.l10n.t('An answer is still streaming: stop it or wait for it to finish.');
}
