/**
 * Stream keys: create, list, enable/disable, rotate, delete; each with its OBS settings and ffmpeg
 * command. The secret exists in the browser only in the answer to create or rotate.
 */
import { api, type KeyState, type KeyView, type KeyWithSecret, type Page } from '../api';
import { h, icon, ICONS, replace } from '../dom';
import { ffmpegCommand, ffmpegTestPatternCommand, formatDateTime, formatRelative, localInputToIso, playUrl } from '../format';
import { badge, checkbox, clearErrors, copyField, dialog, emptyState, errorBanner, errorToast, field, loading, pageHeader, showErrors, toast } from '../ui';

/** Secrets issued while this page is open (by key id): shown until the page is left for good. */
const issued = new Map<number, KeyWithSecret>();

const BASE_STORAGE = 'sluice.rtmpBase';

/** rtmp://host[:port] from a server URL rtmp://host[:port]/app. */
export function rtmpBase(serverUrl: string, app: string): string | null {
  const suffix = `/${app}`;
  return serverUrl.endsWith(suffix) ? serverUrl.slice(0, -suffix.length) : null;
}

/** A key's server URL: from the API when it says, else as learned from a create or rotate, else a guess. */
export function serverUrlOf(key: Pick<KeyView, 'app' | 'serverUrl'>, learnedBase: string | null, hostname: string): { url: string; guessed: boolean } {
  if (key.serverUrl) return { url: key.serverUrl, guessed: false };
  if (learnedBase) return { url: `${learnedBase}/${key.app}`, guessed: false };
  return { url: `rtmp://${hostname}/${key.app}`, guessed: true };
}

function learn(k: KeyWithSecret) {
  const base = rtmpBase(k.obs.serverUrl, k.key.app);
  if (base) {
    try {
      localStorage.setItem(BASE_STORAGE, base);
    } catch {
      // not kept: the next page guesses
    }
  }
}

/** rtmp://host[:port] as learned from the last key created or rotated in this browser. */
export function learnedBase(): string | null {
  try {
    return localStorage.getItem(BASE_STORAGE);
  } catch {
    return null;
  }
}

const STATE_BADGE: Record<KeyState, [string, 'ok' | 'muted' | 'warn' | 'bad']> = {
  ACTIVE: ['Active', 'ok'],
  DISABLED: ['Disabled', 'muted'],
  NOT_YET_VALID: ['Not yet valid', 'warn'],
  EXPIRED: ['Expired', 'bad'],
};

/** The OBS settings, the ffmpeg command and the play URL, for a key with or without its secret. */
export function publishSettings(key: KeyView, secret: KeyWithSecret | undefined): HTMLElement {
  const server = secret ? { url: secret.obs.serverUrl, guessed: false } : serverUrlOf(key, learnedBase(), window.location.hostname);
  const keyText = secret ? secret.secret : null;
  const publishUrl = secret ? secret.publishUrl : `${server.url}/<stream key>`;
  return h('div', { class: 'obs', 'data-key-settings': String(key.id) },
    h('h4', null, 'OBS: Settings → Stream → Service “Custom…”'),
    copyField('Server URL', server.url, { name: 'server-url' }),
    server.guessed ? h('p', { class: 'hint' }, 'Assumes the standard RTMP port 1935; create or rotate a key to see the exact URL.') : null,
    keyText
      ? copyField('Stream Key', keyText, { secret: true, name: 'stream-key' })
      : h('div', { class: 'copy-field' }, h('span', { class: 'copy-label' }, 'Stream Key'),
        h('p', { class: 'muted' }, `Shown only when the key is created or rotated (it starts with ${key.secretPrefix}). Lost it? Rotate the key for a new one.`)),
    h('h4', null, 'ffmpeg'),
    copyField('Publish a file', ffmpegCommand(publishUrl), { multiline: true, name: 'ffmpeg' }),
    keyText ? copyField('Publish a test pattern', ffmpegTestPatternCommand(publishUrl), { multiline: true, name: 'ffmpeg-test' }) : null,
    h('h4', null, 'Play'),
    copyField('Player URL', playUrl(server.url, key.publicName), { name: 'play-url' }));
}

export function renderKeys(root: HTMLElement): () => void {
  let disposed = false;
  let page = 0;
  let filter = '';
  const newSecret = h('div');
  const list = h('div', { class: 'key-list' });
  const pager = h('div', { class: 'pager' });
  const search = h('input', { type: 'search', name: 'q', placeholder: 'Filter by label', class: 'search', 'aria-label': 'Filter keys by label' });
  const form = createForm();
  const formCard = h('section', { class: 'card', id: 'create-key', hidden: true }, h('h2', null, 'New stream key'), form);
  const newButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'new-key', onclick: () => { formCard.hidden = false; (form.querySelector('input[name=label]') as HTMLInputElement).focus(); } }, icon(ICONS.plus), h('span', null, 'New stream key'));

  replace(root,
    pageHeader('Stream keys', 'An encoder publishes with a key’s secret; the stream goes by the key’s public name.', newButton),
    newSecret, formCard,
    h('div', { class: 'toolbar' }, search),
    list, pager);

  let searchTimer: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      filter = search.value.trim();
      page = 0;
      void load();
    }, 250);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    clearErrors(form);
    submit.disabled = true;
    try {
      const created = await api.createKey({
        label: String(data.get('label') ?? '').trim(),
        app: String(data.get('app') ?? '').trim() || undefined,
        publicName: String(data.get('publicName') ?? '').trim() || undefined,
        autoRecord: data.get('autoRecord') === 'on',
        notBefore: localInputToIso(String(data.get('notBefore') ?? '')),
        notAfter: localInputToIso(String(data.get('notAfter') ?? '')),
      });
      issued.set(created.key.id, created);
      learn(created);
      form.reset();
      formCard.hidden = true;
      showSecret(created, 'created');
      await load();
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });

  const showSecret = (k: KeyWithSecret, what: 'created' | 'rotated') => {
    replace(newSecret, h('section', { class: 'card card-highlight', 'data-new-secret': String(k.key.id) },
      h('div', { class: 'card-head' },
        h('h2', null, `Key “${k.key.label}” ${what}`),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => replace(newSecret) }, 'Done')),
      h('p', { class: 'banner banner-warn' }, 'Copy the stream key now: Sluice stores only its hash and will not show it again.'),
      publishSettings(k.key, k)));
    newSecret.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };

  const keyCard = (k: KeyView): HTMLElement => {
    const [stateText, stateKind] = STATE_BADGE[k.state] ?? [k.state, 'muted'];
    const settings = h('details', { class: 'key-settings', open: issued.has(k.id) },
      h('summary', null, 'Publishing settings (OBS, ffmpeg)'),
      publishSettings(k, issued.get(k.id)));
    const validity = k.notBefore || k.notAfter
      ? `${k.notBefore ? `from ${formatDateTime(k.notBefore)}` : ''}${k.notBefore && k.notAfter ? ' ' : ''}${k.notAfter ? `until ${formatDateTime(k.notAfter)}` : ''}`
      : 'always';
    return h('article', { class: 'card key', 'data-key': String(k.id), 'data-label': k.label },
      h('div', { class: 'key-head' },
        h('div', null,
          h('h3', null, k.label, ' ', badge(stateText, stateKind), k.livePublishers > 0 ? badge('LIVE', 'live') : null, k.autoRecord ? badge('Auto-record', 'info') : null),
          h('p', { class: 'muted' }, h('code', null, `${k.app}/${k.publicName}`), ` · secret ${k.secretPrefix}`)),
        h('div', { class: 'key-actions' },
          h('button', { type: 'button', class: 'btn btn-small', 'data-action': k.enabled ? 'disable' : 'enable', onclick: () => setEnabled(k, !k.enabled) }, k.enabled ? 'Disable' : 'Enable'),
          h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'rotate', onclick: () => rotate(k) }, icon(ICONS.refresh), h('span', null, 'Rotate')),
          h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-action': 'delete', onclick: () => remove(k) }, icon(ICONS.trash), h('span', null, 'Delete')))),
      h('dl', { class: 'facts facts-inline' },
        h('dt', null, 'Valid'), h('dd', null, validity),
        h('dt', null, 'Last used'), h('dd', null, k.lastUsedAt ? `${formatRelative(k.lastUsedAt)}${k.lastUsedAddress ? ` from ${k.lastUsedAddress}` : ''}` : 'never'),
        h('dt', null, 'Created'), h('dd', null, formatDateTime(k.createdAt)),
        k.previousSecretValidUntil ? [h('dt', null, 'Old secret'), h('dd', null, `works until ${formatDateTime(k.previousSecretValidUntil)}`)] : null),
      settings);
  };

  const setEnabled = async (k: KeyView, enabled: boolean) => {
    try {
      await api.setKeyEnabled(k.id, enabled);
      toast(enabled ? `Key “${k.label}” enabled.` : `Key “${k.label}” disabled${k.livePublishers ? ': its live publish ends within seconds' : ''}.`);
      await load();
    } catch (e) {
      errorToast(e);
    }
  };

  const rotate = async (k: KeyView) => {
    const grace = h('select', { name: 'grace' },
      [[0, 'No: it stops working now'], [300, 'for 5 minutes'], [3600, 'for 1 hour'], [86400, 'for 1 day'], [7 * 86400, 'for 1 week']]
        .map(([v, t]) => h('option', { value: String(v) }, String(t))));
    let rotated: KeyWithSecret | null = null;
    const ok = await dialog({
      title: `Rotate “${k.label}”?`,
      body: h('div', { class: 'stack' },
        h('p', null, 'The key gets a new secret. Encoders must be given the new one.'),
        h('label', { class: 'field' }, h('span', null, 'Keep the old secret working'), grace)),
      confirm: 'Rotate',
      danger: false,
      onConfirm: async () => {
        rotated = await api.rotateKey(k.id, Number(grace.value));
      },
    });
    if (ok && rotated) {
      const r = rotated as KeyWithSecret;
      issued.set(k.id, r);
      learn(r);
      showSecret(r, 'rotated');
      await load();
    }
  };

  const remove = async (k: KeyView) => {
    const ok = await dialog({
      title: `Delete “${k.label}”?`,
      body: h('p', null, `Encoders can no longer publish with it${k.livePublishers ? ', and its live publish ends within seconds' : ''}. This cannot be undone.`),
      confirm: 'Delete key',
      danger: true,
      onConfirm: () => api.deleteKey(k.id),
    });
    if (ok) {
      issued.delete(k.id);
      toast(`Key “${k.label}” deleted.`);
      await load();
    }
  };

  const load = async () => {
    if (!list.firstChild) replace(list, loading());
    let result: Page<KeyView>;
    try {
      result = await api.keys({ page, size: 50, label: filter || undefined });
    } catch (e) {
      if (!disposed) replace(list, errorBanner(e, () => void load()));
      return;
    }
    if (disposed) return;
    if (result.items.length === 0) {
      formCard.hidden = false;
      replace(list, filter
        ? emptyState('No matching keys', h('p', null, `No key’s label contains “${filter}”.`))
        : emptyState('No stream keys yet', h('div', null,
          h('p', null, 'A stream key lets an encoder (OBS, ffmpeg, GStreamer) publish. Fill in the form above: a label is enough.'),
          h('p', null, 'You get a server URL and a secret stream key to paste into OBS.'))));
      replace(pager);
      return;
    }
    replace(list, result.items.map(keyCard));
    replace(pager, result.totalPages > 1 ? [
      h('button', { type: 'button', class: 'btn btn-small', disabled: page === 0, onclick: () => { page--; void load(); } }, '← Newer'),
      h('span', { class: 'muted' }, `Page ${page + 1} of ${result.totalPages} · ${result.totalItems} keys`),
      h('button', { type: 'button', class: 'btn btn-small', disabled: page + 1 >= result.totalPages, onclick: () => { page++; void load(); } }, 'Older →'),
    ] : null);
  };

  void load();
  return () => {
    disposed = true;
    window.clearTimeout(searchTimer);
  };
}

function createForm(): HTMLFormElement {
  return h('form', { class: 'form grid-form', novalidate: true, 'data-form': 'create-key' },
    field('Label', h('input', { name: 'label', required: true, maxlength: '100', placeholder: 'Studio A camera', autocomplete: 'off' }), 'What the key is for; shown in the dashboard.'),
    field('Application', h('input', { name: 'app', value: 'live', maxlength: '200', autocomplete: 'off' }), 'The RTMP application: rtmp://server/live.'),
    field('Public name', h('input', { name: 'publicName', maxlength: '200', placeholder: 'made from the label', autocomplete: 'off' }), 'The stream’s name for players: live/<public name>.'),
    field('Valid from', h('input', { name: 'notBefore', type: 'datetime-local' }), 'Optional.'),
    field('Valid until', h('input', { name: 'notAfter', type: 'datetime-local' }), 'Optional: a live publish ends then.'),
    h('div', { class: 'field field-wide' }, checkbox('autoRecord', 'Record every publish with this key', false, 'Recordings appear under Recordings.')),
    h('p', { class: 'form-error field-wide', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions field-wide' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-action': 'create-key' }, 'Create key')));
}
