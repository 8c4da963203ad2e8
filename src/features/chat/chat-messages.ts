// What the chat says about a form value or a file it cannot take, in the user's words.
import * as vscode from 'vscode';
import type { FileProblem } from '../../core/file-rules.js';
import type { InputProblem } from '../../core/input-form.js';

export function inputProblemText(problem: InputProblem): string {
  switch (problem.kind) {
    case 'required':
      return vscode.l10n.t('{0} is required.', problem.label);
    case 'too_long':
      return vscode.l10n.t('{0} can be at most {1} characters.', problem.label, problem.maxLength);
    case 'not_a_number':
      return vscode.l10n.t('{0} must be a number.', problem.label);
    case 'not_an_option':
      return vscode.l10n.t('{0} must be one of: {1}.', problem.label, problem.options.join(', '));
  }
}

export function fileProblemText(name: string, problem: FileProblem): string {
  switch (problem.kind) {
    case 'disabled':
      return vscode.l10n.t('This app does not accept files; turn on file upload in the app in Dify. ({0})', name);
    case 'too_many':
      return problem.max === 1
        ? vscode.l10n.t('{0} was not attached: this app takes one file per message.', name)
        : vscode.l10n.t('{0} was not attached: this app takes at most {1} files per message.', name, problem.max);
    case 'type_not_allowed':
      return vscode.l10n.t('{0} was not attached: this app accepts {1}.', name, problem.allowed.join(', '));
    case 'empty':
      return vscode.l10n.t('{0} was not attached: the file is empty.', name);
    case 'not_a_url':
      return vscode.l10n.t('"{0}" is not an http or https URL.', name);
    case 'too_large':
      return vscode.l10n.t('{0} was not attached: it is larger than the {1} MB Dify allows for this type.', name, Math.round(problem.limit / 1048576));
  }
}
