/** Small building blocks every screen shares: toasts, dialogs, copy fields, empty states, errors, forms. */
import { ApiError } from './api';
import { h, icon, ICONS, replace, type Child } from './dom';

// ---- toasts ---------------------------------------------------------------------------------------

export function toast(message: string, kind: 'ok' | 'error' | 'info' = 'ok', ms = 4000): void {
  let host = document.getElementById('toasts');
  if (!host) {
    host = h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(host);
  }
  const t = h('div', { class: `toast toast-${kind}` }, message);
  host.appendChild(t);
  setTimeout(() => t.remove(), kind === 'error' ? ms * 2 : ms);
}

/** The text to show for any failure: a problem's detail, or the error's message. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.detail;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function errorToast(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) return; // on the way to the sign-in page
  toast(errorText(e), 'error');
}

// ---- dialogs --------------------------------------------------------------------------------------

export interface DialogOptions {
  title: string;
  body?: Child;
  confirm?: string;
  cancel?: string;
  danger?: boolean;
  /** runs on confirm; a rejection keeps the dialog open and shows its error */
  onConfirm?: () => Promise<void> | void;
}

/** A modal dialog; resolves true when confirmed (after onConfirm succeeded), false when cancelled. */
export function dialog(options: DialogOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const confirmButton = h('button', { type: 'submit', class: options.danger ? 'btn btn-danger' : 'btn btn-primary', 'data-action': 'confirm' }, options.confirm ?? 'OK');
    const cancelButton = h('button', { type: 'button', class: 'btn', 'data-action': 'cancel' }, options.cancel ?? 'Cancel');
    const form = h('form', { method: 'dialog', class: 'dialog-form' },
      h('h2', null, options.title),
      options.body ? h('div', { class: 'dialog-body' }, options.body) : null,
      error,
      h('div', { class: 'dialog-actions' }, cancelButton, confirmButton));
    const el = h('dialog', { class: 'dialog', 'aria-label': options.title }, form);
    let settled = false;
    const close = (result: boolean) => {
      if (settled) return;
      settled = true;
      el.close();
      el.remove();
      resolve(result);
    };
    cancelButton.addEventListener('click', () => close(false));
    el.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(false);
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!options.onConfirm) return close(true);
      confirmButton.disabled = true;
      error.hidden = true;
      try {
        await options.onConfirm();
        close(true);
      } catch (err) {
        error.textContent = errorText(err);
        error.hidden = false;
        confirmButton.disabled = false;
      }
    });
    document.body.appendChild(el);
    if (typeof el.showModal === 'function') el.showModal();
    else el.setAttribute('open', '');
    confirmButton.focus();
  });
}

export const confirmDialog = (title: string, body: Child, confirm: string, danger = true) =>
  dialog({ title, body, confirm, danger });

// ---- copying --------------------------------------------------------------------------------------

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  // plain http on a LAN address is no secure context: the clipboard API is missing there
  const area = h('textarea', { class: 'offscreen', readonly: true }, text);
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function copyButton(text: () => string, label = 'Copy'): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'btn btn-small btn-copy', title: label, 'aria-label': label },
    icon(ICONS.copy), h('span', null, 'Copy'));
  button.addEventListener('click', async () => {
    const ok = await copyText(text());
    replace(button, icon(ok ? ICONS.check : ICONS.copy), h('span', null, ok ? 'Copied' : 'Select and copy'));
    setTimeout(() => replace(button, icon(ICONS.copy), h('span', null, 'Copy')), 1600);
  });
  return button;
}

/** A labelled, read-only value with a copy button: how secrets and URLs are shown. */
export function copyField(label: string, value: string, options: { secret?: boolean; multiline?: boolean; name?: string } = {}): HTMLElement {
  const code = h(options.multiline ? 'pre' : 'code', { class: options.secret ? 'copy-value secret' : 'copy-value', 'data-field': options.name ?? label }, value);
  return h('div', { class: 'copy-field' },
    h('span', { class: 'copy-label' }, label),
    h('div', { class: 'copy-row' }, code, copyButton(() => value, `Copy ${label}`)));
}

// ---- states ---------------------------------------------------------------------------------------

export function emptyState(title: string, body: Child, action?: Child): HTMLElement {
  return h('div', { class: 'empty' },
    h('div', { class: 'empty-art', 'aria-hidden': 'true' }),
    h('h3', null, title),
    h('div', { class: 'empty-body' }, body),
    action ? h('div', { class: 'empty-action' }, action) : null);
}

export function errorBanner(e: unknown, retry?: () => void): HTMLElement {
  const status = e instanceof ApiError && e.status ? ` (${e.status})` : '';
  return h('div', { class: 'banner banner-error', role: 'alert' },
    h('strong', null, `Something went wrong${status}`),
    h('span', null, errorText(e)),
    retry ? h('button', { type: 'button', class: 'btn btn-small', onclick: retry }, 'Try again') : null);
}

export function loading(text = 'Loading…'): HTMLElement {
  return h('div', { class: 'loading', 'aria-busy': 'true' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function badge(text: string, kind: 'ok' | 'warn' | 'bad' | 'muted' | 'live' | 'info' = 'muted'): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function pageHeader(title: string, subtitle?: Child, actions?: Child): HTMLElement {
  return h('header', { class: 'page-header' },
    h('div', null, h('h1', null, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
    actions ? h('div', { class: 'page-actions' }, actions) : null);
}

// ---- forms ----------------------------------------------------------------------------------------

export function field(label: string, input: HTMLElement, hint?: Child): HTMLElement {
  const name = input.getAttribute('name') ?? '';
  const id = input.id || `f-${name}-${Math.random().toString(36).slice(2, 8)}`;
  input.id = id;
  const error = h('p', { class: 'field-error', 'data-error-for': name, hidden: true });
  input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    error);
}

export function checkbox(name: string, label: Child, checked = false, hint?: Child): HTMLElement {
  return h('label', { class: 'check', 'data-field': name },
    h('input', { type: 'checkbox', name, checked }),
    h('span', null, label, hint ? h('small', { class: 'hint' }, hint) : null));
}

/** Clears a form's error messages. */
export function clearErrors(form: HTMLElement): void {
  form.querySelectorAll<HTMLElement>('.field-error').forEach((e) => {
    e.hidden = true;
    e.textContent = '';
  });
  form.querySelectorAll('.field.invalid').forEach((e) => e.classList.remove('invalid'));
  const top = form.querySelector<HTMLElement>('.form-error');
  if (top) {
    top.hidden = true;
    top.textContent = '';
  }
}

/**
 * Shows a failure on a form: each field error next to its field (by name), and the problem's detail
 * above the buttons. Field names the form does not have are left in the detail.
 */
export function showErrors(form: HTMLElement, e: unknown): void {
  clearErrors(form);
  if (e instanceof ApiError) {
    for (const [name, reason] of Object.entries(e.fieldErrors)) {
      const slot = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
      if (!slot) continue;
      slot.textContent = reason;
      slot.hidden = false;
      slot.closest('.field')?.classList.add('invalid');
    }
  }
  const top = form.querySelector<HTMLElement>('.form-error');
  if (top) {
    top.textContent = errorText(e);
    top.hidden = false;
  }
}
