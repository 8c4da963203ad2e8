// Small DOM builders: every text goes in through textContent, every button gets an accessible name and a tooltip.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

export function icon(name: string, extra = ''): HTMLSpanElement {
  const span = el('span', `codicon codicon-${name}${extra ? ` ${extra}` : ''}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/** Sets the accessible name and the tooltip together. */
export function setLabel(element: HTMLElement, label: string): void {
  element.setAttribute('aria-label', label);
  element.title = label;
}

/** A <button type="button"> with an icon, an optional visible text, and a name for screen readers. */
export function iconButton(iconName: string | undefined, label: string, className: string, onClick: (event: MouseEvent) => void, text?: string): HTMLButtonElement {
  const button = el('button', className);
  button.type = 'button';
  if (iconName) button.append(icon(iconName));
  if (text !== undefined) button.append(el('span', 'button-text', text));
  setLabel(button, label);
  button.addEventListener('click', onClick);
  return button;
}

/** A text button whose visible words are its name. */
export function textButton(text: string, className: string, onClick: (event: MouseEvent) => void, iconName?: string): HTMLButtonElement {
  const button = el('button', className);
  button.type = 'button';
  if (iconName) button.append(icon(iconName));
  button.append(el('span', 'button-text', text));
  setLabel(button, text);
  button.addEventListener('click', onClick);
  return button;
}

/** Human file size in the view's words. */
export function formatSize(bytes: number, units: { b: string; kb: string; mb: string }, format: (template: string, ...args: unknown[]) => string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return format(units.b, bytes);
  if (bytes < 1024 * 1024) return format(units.kb, (bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0));
  return format(units.mb, (bytes / 1024 / 1024).toFixed(1));
}
