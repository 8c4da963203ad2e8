// The app's input form (`user_input_form`) before the first message, checked before sending like Dify checks it;
// once the conversation has started (from its first send on), a read-only summary of what it started with. The
// values belong to the host: each change goes there at once (a view collapsed right after typing is gone before a
// debounce would fire), so a view hidden, shown or reloaded shows exactly what will be sent.
import { charCount } from '../core/input-form.js';
import type { Attachment, ChatState, InputField } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, formatSize, icon, textButton } from './dom.js';
import { format } from './strings.js';

type FormValues = Record<string, string | number | boolean>;
type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface FieldView {
  field: InputField;
  control?: Control;
  error: HTMLElement;
  wrap: HTMLElement;
}

const isFileField = (field: InputField): boolean => field.type === 'file' || field.type === 'file-list';

export class InputForm {
  readonly element: HTMLElement;
  private appId: string | undefined;
  private fields: InputField[] = [];
  private values: FormValues = {};
  private readonly views = new Map<string, FieldView>();
  private files: Record<string, Attachment[]> = {};
  private signature = '';

  constructor(
    private readonly ctx: ViewContext,
    /** A value was typed or chosen (the opening statement shows the values as they are typed). */
    private readonly onChange: () => void = () => undefined,
  ) {
    this.element = el('div', 'input-form-host');
  }

  /** The values shown: the conversation's when it has started, otherwise what is typed (defaults where nothing is). */
  get shown(): FormValues {
    const values: FormValues = {};
    for (const field of this.fields) {
      const value = this.values[field.variable] ?? field.default;
      if (value !== undefined) values[field.variable] = value;
    }
    return values;
  }

  /** Rebuilds when the app, its form, the lock or the form's files changed; keeps what is typed otherwise. */
  render(state: ChatState): void {
    const app = state.app;
    const fields = app && Array.isArray(app.inputForm) ? app.inputForm.filter((f) => typeof f === 'object' && f !== null && typeof f.variable === 'string') : [];
    const files = typeof state.inputFiles === 'object' && state.inputFiles !== null ? state.inputFiles : {};
    const signature = JSON.stringify([app?.id, fields, state.inputsLocked, state.inputsLocked ? state.inputs : null, files]);
    if (signature === this.signature) return;
    const appChanged = app?.id !== this.appId;
    this.signature = signature;
    this.appId = app?.id;
    this.fields = fields;
    this.files = files;
    if (appChanged || state.inputsLocked) {
      this.values = { ...(typeof state.inputs === 'object' && state.inputs !== null ? state.inputs : {}) };
    }
    this.views.clear();
    if (!app || fields.length === 0) {
      this.element.replaceChildren();
      return;
    }
    this.element.replaceChildren(state.inputsLocked ? this.summary(state.inputs) : this.form());
  }

  /** The values to send (file fields are the host's: it has their uploads). */
  valuesToSend(): FormValues {
    const values: FormValues = {};
    for (const field of this.fields) {
      if (isFileField(field)) continue;
      const value = this.values[field.variable] ?? field.default;
      if (value !== undefined) values[field.variable] = field.type === 'checkbox' ? value === true || value === 'true' : value;
    }
    return values;
  }

  /** Checks the fields as Dify would; shows each problem at its field and focuses the first. True when all is well. */
  validate(): boolean {
    const { strings } = this.ctx;
    const errors: Record<string, string> = {};
    for (const field of this.fields) {
      const label = field.label || field.variable;
      if (isFileField(field)) {
        if (field.required && !(this.files[field.variable]?.length ?? 0)) errors[field.variable] = strings.fieldFileRequired;
        continue;
      }
      const value = this.values[field.variable] ?? field.default;
      const empty = value === undefined || (typeof value === 'string' && value.trim() === '');
      if (empty) {
        if (field.required && field.type !== 'checkbox') errors[field.variable] = format(strings.fieldRequired, label);
        continue;
      }
      if (field.type === 'number' && !Number.isFinite(Number(value))) errors[field.variable] = format(strings.fieldNotNumber, label);
      else if (field.maxLength !== undefined && charCount(String(value)) > field.maxLength) errors[field.variable] = format(strings.fieldTooLong, label, field.maxLength);
    }
    this.showErrors(errors);
    return Object.keys(errors).length === 0;
  }

  /** Problems next to their fields (from our checks or the host's); an empty record clears them. */
  showErrors(errors: Record<string, string>): void {
    let first: FieldView | undefined;
    for (const [variable, view] of this.views) {
      const message = Object.hasOwn(errors, variable) ? errors[variable] : undefined;
      view.error.textContent = message ?? '';
      view.error.hidden = !message;
      view.wrap.classList.toggle('invalid', !!message);
      view.control?.setAttribute('aria-invalid', String(!!message));
      if (message && !first) first = view;
    }
    if (first) {
      first.wrap.scrollIntoView({ block: 'nearest' });
      (first.control ?? first.wrap.querySelector('button'))?.focus();
    }
  }

  get hasFields(): boolean {
    return this.fields.length > 0;
  }

  private form(): HTMLElement {
    const { strings } = this.ctx;
    const section = el('section', 'input-form');
    const title = el('div', 'section-title', strings.inputsTitle);
    title.id = 'input-form-title';
    section.setAttribute('aria-labelledby', title.id);
    section.append(title);
    for (const field of this.fields) section.append(this.fieldView(field));
    return section;
  }

  private fieldView(field: InputField): HTMLElement {
    const { strings } = this.ctx;
    const id = `input-${field.variable.replace(/[^\w-]/g, '_')}`;
    const wrap = el('div', `field field-${field.type}`);
    wrap.dataset.variable = field.variable;
    const error = el('div', 'field-error');
    error.id = `${id}-error`;
    error.hidden = true;
    const label = el('label', 'field-label');
    label.append(el('span', '', field.label || field.variable));
    if (field.required) {
      const mark = el('span', 'field-required', '*');
      mark.title = strings.required;
      mark.setAttribute('aria-hidden', 'true');
      label.append(mark);
    }
    const view: FieldView = { field, error, wrap };
    if (isFileField(field)) {
      label.id = `${id}-label`;
      wrap.setAttribute('role', 'group');
      wrap.setAttribute('aria-labelledby', label.id);
      const button = textButton(format(strings.attachInputFile, field.label || field.variable), 'button secondary field-attach', () =>
        this.ctx.post({ type: 'attachInput', variable: field.variable }),
      'attach');
      button.setAttribute('aria-describedby', error.id);
      const attached = this.files[field.variable] ?? [];
      const list = el('ul', 'chips field-files');
      for (const file of attached) list.append(this.fileChip(file));
      if (attached.length === 0) list.append(el('li', 'field-files-empty', strings.noFileAttached));
      wrap.append(label, button, list, error);
      this.views.set(field.variable, view);
      return wrap;
    }
    const control = this.control(field);
    control.id = id;
    control.setAttribute('aria-describedby', error.id);
    if (field.required) control.setAttribute('aria-required', 'true');
    label.htmlFor = id;
    view.control = control;
    if (field.type === 'checkbox') {
      label.prepend(control);
      wrap.append(label, error);
    } else {
      wrap.append(label, control, error);
    }
    const update = () => {
      this.values[field.variable] = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
      this.ctx.post({ type: 'inputs', values: { ...this.values } });
      this.onChange();
      if (!error.hidden) {
        error.hidden = true;
        wrap.classList.remove('invalid');
        control.setAttribute('aria-invalid', 'false');
      }
    };
    control.addEventListener(field.type === 'select' || field.type === 'checkbox' ? 'change' : 'input', update);
    this.views.set(field.variable, view);
    return wrap;
  }

  private control(field: InputField): Control {
    const value = this.values[field.variable] ?? field.default;
    switch (field.type) {
      case 'paragraph': {
        const textarea = el('textarea', 'field-input');
        textarea.rows = 3;
        if (field.maxLength) textarea.maxLength = field.maxLength;
        textarea.value = value === undefined ? '' : String(value);
        return textarea;
      }
      case 'select': {
        const select = el('select', 'field-input');
        const placeholder = el('option', '', this.ctx.strings.selectPlaceholder);
        placeholder.value = '';
        select.append(placeholder);
        for (const option of field.options ?? []) {
          const item = el('option', '', option);
          item.value = option;
          select.append(item);
        }
        select.value = value === undefined ? '' : String(value);
        return select;
      }
      case 'number': {
        const input = el('input', 'field-input');
        input.type = 'number';
        input.value = value === undefined ? '' : String(value);
        return input;
      }
      case 'checkbox': {
        const input = el('input', 'field-checkbox');
        input.type = 'checkbox';
        input.checked = value === true || value === 'true';
        return input;
      }
      default: {
        const input = el('input', 'field-input');
        input.type = 'text';
        if (field.maxLength) input.maxLength = field.maxLength;
        input.value = value === undefined ? '' : String(value);
        return input;
      }
    }
  }

  private fileChip(file: Attachment): HTMLElement {
    const { strings } = this.ctx;
    const chip = el('li', `chip attachment attachment-${file.status}`);
    chip.append(icon(file.status === 'uploading' ? 'loading' : file.status === 'error' ? 'error' : 'file', file.status === 'uploading' ? 'codicon-modifier-spin' : ''));
    chip.append(el('span', 'chip-name', String(file.name ?? '')));
    const detail =
      file.status === 'uploading'
        ? strings.uploading
        : file.status === 'error'
          ? (file.error ?? '')
          : formatSize(file.size, { b: strings.sizeBytes, kb: strings.sizeKilobytes, mb: strings.sizeMegabytes }, format);
    if (detail) chip.append(el('span', `chip-detail${file.status === 'error' ? ' chip-error' : ''}`, detail));
    return chip;
  }

  /** What the conversation started with, read-only, behind a click. */
  private summary(inputs: ChatState['inputs']): HTMLElement {
    const { strings } = this.ctx;
    const details = el('details', 'inputs-summary');
    const key = `inputs:${this.appId ?? ''}`;
    details.open = this.ctx.viewState.isOpen(key);
    details.addEventListener('toggle', () => this.ctx.viewState.setOpen(key, details.open));
    const summary = el('summary', 'inputs-summary-title');
    summary.append(icon('list-flat'), el('span', '', strings.inputsSummary));
    details.append(summary);
    const list = el('dl', 'inputs-summary-list');
    for (const field of this.fields) {
      const value = isFileField(field)
        ? (this.files[field.variable] ?? []).map((f) => f.name).join(', ')
        : displayValue(inputs?.[field.variable] ?? field.default, field, strings);
      list.append(el('dt', '', field.label || field.variable), el('dd', '', value || strings.emptyValue));
    }
    details.append(list);
    return details;
  }
}

function displayValue(value: unknown, field: InputField, strings: ViewContext['strings']): string {
  if (field.type === 'checkbox') return value === true || value === 'true' ? strings.yes : strings.no;
  return value === undefined || value === null ? '' : String(value);
}
