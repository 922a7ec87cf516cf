import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { h } from './dom';
import { copyField, dialog, emptyState, errorBanner, field, showErrors, clearErrors } from './ui';

afterEach(() => {
  document.body.replaceChildren();
});

describe('h()', () => {
  it('sets attributes, properties, listeners and children', () => {
    const click = vi.fn();
    const el = h('button', { class: 'btn', type: 'button', disabled: false, 'data-x': 'y', onclick: click }, 'Go', null, false, [' now', 1]);
    expect(el.className).toBe('btn');
    expect(el.getAttribute('data-x')).toBe('y');
    expect(el.disabled).toBe(false);
    expect(el.textContent).toBe('Go now1');
    el.click();
    expect(click).toHaveBeenCalledOnce();
  });
});

describe('forms', () => {
  const form = () => {
    const f = h('form', null,
      field('Label', h('input', { name: 'label' })),
      field('Public name', h('input', { name: 'publicName' })),
      h('p', { class: 'form-error', hidden: true }));
    document.body.append(f);
    return f;
  };

  it('puts each field error next to its field and the detail above the buttons', () => {
    const f = form();
    showErrors(f, new ApiError(400, {
      detail: 'Invalid request: label must not be blank; app is wrong.',
      errors: [{ field: 'label', reason: 'must not be blank' }, { field: 'app', reason: 'is wrong' }],
    }));
    const label = f.querySelector<HTMLElement>('[data-error-for="label"]')!;
    expect(label.hidden).toBe(false);
    expect(label.textContent).toBe('must not be blank');
    expect(label.closest('.field')!.classList.contains('invalid')).toBe(true);
    expect(f.querySelector<HTMLElement>('[data-error-for="publicName"]')!.hidden).toBe(true);
    const top = f.querySelector<HTMLElement>('.form-error')!;
    expect(top.hidden).toBe(false);
    expect(top.textContent).toBe('Invalid request: label must not be blank; app is wrong.');
    clearErrors(f);
    expect(label.hidden).toBe(true);
    expect(top.hidden).toBe(true);
  });

  it('shows a plain error too', () => {
    const f = form();
    showErrors(f, new Error('offline'));
    expect(f.querySelector('.form-error')!.textContent).toBe('offline');
  });
});

describe('dialogs', () => {
  it('resolves true after onConfirm succeeds, and keeps the dialog open with the error when it fails', async () => {
    let fail = true;
    const onConfirm = vi.fn(async () => {
      if (fail) throw new ApiError(409, { detail: 'Key is in use.' });
    });
    const result = dialog({ title: 'Delete?', body: 'Sure?', confirm: 'Delete', onConfirm });
    const el = document.querySelector('dialog')!;
    expect(el.textContent).toContain('Delete?');
    const form = el.querySelector('form')!;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(el.querySelector<HTMLElement>('.form-error')!.hidden).toBe(false));
    expect(el.querySelector('.form-error')!.textContent).toBe('Key is in use.');
    expect(document.querySelector('dialog')).not.toBeNull();
    fail = false;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await expect(result).resolves.toBe(true);
    expect(onConfirm).toHaveBeenCalledTimes(2);
    expect(document.querySelector('dialog')).toBeNull();
  });

  it('resolves false on cancel', async () => {
    const result = dialog({ title: 'Sure?' });
    document.querySelector<HTMLButtonElement>('[data-action=cancel]')!.click();
    await expect(result).resolves.toBe(false);
  });
});

describe('states', () => {
  it('copy fields show the value', () => {
    const el = copyField('Server URL', 'rtmp://h/live', { name: 'server-url' });
    expect(el.querySelector('[data-field="server-url"]')!.textContent).toBe('rtmp://h/live');
    expect(el.querySelector('button')!.getAttribute('aria-label')).toBe('Copy Server URL');
  });

  it('empty states and error banners say what to do', () => {
    expect(emptyState('No keys', 'Create one.').textContent).toContain('Create one.');
    const banner = errorBanner(new ApiError(503, { detail: 'Down for maintenance.' }), () => undefined);
    expect(banner.textContent).toContain('(503)');
    expect(banner.textContent).toContain('Down for maintenance.');
    expect(banner.querySelector('button')!.textContent).toBe('Try again');
  });
});
