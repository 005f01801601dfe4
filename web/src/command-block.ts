// "The same request with curl": a command people can copy into a shell, with a Copy button.
import { h } from './element.js';

async function copyText(text: string): Promise<boolean> {
  try {
    // Only in a secure context (localhost counts); elsewhere fall back to a selection copy.
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through
  }
  const area = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

export class CommandBlock {
  readonly element: HTMLElement;
  private readonly code: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly status: HTMLElement;

  constructor(title: string, private command = '') {
    this.code = h('code');
    this.button = h('button', { type: 'button', class: 'copy' }, 'Copy');
    this.status = h('span', { class: 'copy-status', role: 'status' });
    this.button.setAttribute('aria-label', `Copy: ${title}`);
    this.button.addEventListener('click', () => void this.copy());
    this.element = h(
      'div',
      { class: 'command' },
      h('div', { class: 'command-head' }, h('span', { class: 'command-title' }, title), this.status, this.button),
      h('pre', { tabindex: 0, 'aria-label': title }, this.code),
    );
    this.set(command);
  }

  set(command: string): void {
    this.command = command;
    this.code.textContent = command;
    this.element.hidden = command === '';
  }

  private async copy(): Promise<void> {
    const ok = await copyText(this.command);
    this.status.textContent = ok ? 'Copied' : 'Select the text to copy it';
    window.setTimeout(() => (this.status.textContent = ''), 2000);
  }
}
