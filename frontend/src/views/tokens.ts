/** API tokens: create one (shown once), list them, revoke. */
import { api, type CreatedToken, type ScopeName, type TokenView } from '../api';
import { h, icon, ICONS, replace } from '../dom';
import { formatDateTime, formatRelative } from '../format';
import { badge, checkbox, clearErrors, copyField, dialog, emptyState, errorBanner, field, loading, pageHeader, showErrors, toast } from '../ui';

export const SCOPES: [ScopeName, string][] = [
  ['streams:read', 'See live streams and connections'],
  ['streams:kick', 'Kick streams and players, ban'],
  ['keys', 'Manage stream keys'],
  ['recordings', 'List, download and delete recordings'],
  ['admin', 'Everything, including tokens and callbacks'],
];

export function renderTokens(root: HTMLElement): () => void {
  let disposed = false;
  const created = h('div');
  const list = h('div');
  const form = h('form', { class: 'form', novalidate: true, 'data-form': 'create-token' },
    field('Name', h('input', { name: 'name', required: true, maxlength: '100', placeholder: 'CI deploy bot', autocomplete: 'off' }), 'Who or what uses it.'),
    h('fieldset', { class: 'field scopes', 'data-field': 'scopes' },
      h('legend', null, 'Scopes'),
      SCOPES.map(([scope, what]) => checkbox(`scope:${scope}`, h('code', null, scope), scope === 'streams:read', what)),
      h('p', { class: 'field-error', 'data-error-for': 'scopes', hidden: true })),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-action': 'create-token' }, icon(ICONS.plus), h('span', null, 'Create token'))));

  replace(root,
    pageHeader('API tokens', h('span', null, 'For scripts and integrations: send ', h('code', null, 'Authorization: Bearer slc_…'), ' with each request.')),
    created,
    h('div', { class: 'two-col' },
      h('section', { class: 'card' }, h('h2', null, 'New token'), form),
      h('section', { class: 'card' }, h('h2', null, 'Tokens'), list)));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const scopes = SCOPES.map(([s]) => s).filter((s) => (form.querySelector<HTMLInputElement>(`input[name="scope:${s}"]`))?.checked);
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    submit.disabled = true;
    try {
      const t = await api.createToken(name, scopes);
      form.reset();
      showCreated(t);
      await load();
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });

  const showCreated = (t: CreatedToken) => {
    replace(created, h('section', { class: 'card card-highlight', 'data-new-token': String(t.id) },
      h('div', { class: 'card-head' }, h('h2', null, `Token “${t.name}” created`), h('button', { type: 'button', class: 'btn btn-small', onclick: () => replace(created) }, 'Done')),
      h('p', { class: 'banner banner-warn' }, 'Copy the token now: it is stored hashed and never shown again.'),
      copyField('Token', t.token, { secret: true, name: 'token' }),
      copyField('Try it', `curl -H 'Authorization: Bearer ${t.token}' ${window.location.origin}/api/streams`, { multiline: true, name: 'curl' })));
  };

  const revoke = async (t: TokenView) => {
    const ok = await dialog({
      title: `Revoke “${t.name}”?`,
      body: h('p', null, 'Requests with this token are refused from now on. This cannot be undone.'),
      confirm: 'Revoke token',
      danger: true,
      onConfirm: () => api.revokeToken(t.id),
    });
    if (ok) {
      toast(`Token “${t.name}” revoked.`);
      await load();
    }
  };

  const load = async () => {
    if (!list.firstChild) replace(list, loading());
    let tokens: TokenView[];
    try {
      tokens = await api.tokens();
    } catch (e) {
      if (!disposed) replace(list, errorBanner(e, () => void load()));
      return;
    }
    if (disposed) return;
    if (tokens.length === 0) {
      replace(list, emptyState('No API tokens', h('p', null, 'Create one for each script or service that calls the API, with only the scopes it needs. You can revoke it any time.')));
      return;
    }
    replace(list, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Name', 'Scopes', 'Created', 'Last used', ''].map((t) => h('th', null, t)))),
      h('tbody', null, tokens.map((t) => h('tr', { 'data-token': String(t.id), class: t.revoked ? 'revoked' : '' },
        h('td', { 'data-label': 'Name' }, h('strong', null, t.name), h('div', { class: 'muted small' }, h('code', null, t.prefix))),
        h('td', { 'data-label': 'Scopes' }, h('div', { class: 'chips' }, t.scopes.map((s) => badge(s, 'info')))),
        h('td', { 'data-label': 'Created' }, formatDateTime(t.createdAt)),
        h('td', { 'data-label': 'Last used' }, formatRelative(t.lastUsedAt)),
        h('td', { class: 'cell-actions' }, t.revoked ? badge('Revoked', 'muted')
          : h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-action': 'revoke', onclick: () => revoke(t) }, 'Revoke')))))));
  };

  void load();
  return () => {
    disposed = true;
  };
}
