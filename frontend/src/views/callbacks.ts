/** Callbacks: the configured hooks and the log of their recent calls (refreshed every five seconds). */
import { api, type Delivery, type HookView } from '../api';
import { h, replace } from '../dom';
import { formatDateTime, formatRelative } from '../format';
import { badge, emptyState, errorBanner, loading, pageHeader } from '../ui';

const OUTCOME: Record<string, 'ok' | 'warn' | 'bad' | 'muted' | 'info'> = {
  ok: 'ok',
  redirect: 'info',
  rejected: 'warn',
  timeout: 'bad',
  error: 'bad',
  invalid_reply: 'bad',
  dropped: 'muted',
};

export const outcomeKind = (outcome: string) => OUTCOME[outcome?.toLowerCase()] ?? 'muted';

const EXAMPLE = `sluice:
  webhooks:
    hooks:
      on-publish:
        url: https://auth.example.com/rtmp/publish
        failure-policy: DENY
      on-publish-done:
        url: https://auth.example.com/rtmp/done`;

function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n >= 1000 ? `${(n / 1000).toFixed(n % 1000 === 0 ? 0 : 1)} s` : `${n} ms`;
}

export function renderCallbacks(root: HTMLElement): () => void {
  let disposed = false;
  const hooksBox = h('div', null, loading());
  const logBox = h('div', null, loading());
  replace(root,
    pageHeader('Callbacks', 'Sluice asks your services before a client connects, publishes or plays, and tells them when things end.'),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Configured hooks')), hooksBox),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Recent calls'), h('span', { class: 'hint' }, 'newest first; refreshes every 5 s')), logBox));

  const renderHooks = (hooks: HookView[]) => {
    if (hooks.length === 0) {
      replace(hooksBox, emptyState('No callbacks configured',
        h('div', null,
          h('p', null, 'Add hooks to application.yml (next to the server) and restart Sluice. For example:'),
          h('pre', { class: 'code' }, EXAMPLE),
          h('p', null, 'Gates (on-connect, on-publish, on-play) allow or deny; notifications (on-publish-done, on-play-done, on-disconnect, on-record-done) are retried. See the README for the formats.'))));
      return;
    }
    replace(hooksBox, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Hook', 'Kind', 'URL', 'Format', 'Timeout', 'On failure', 'Signed'].map((t) => h('th', null, t)))),
      h('tbody', null, hooks.map((x) => h('tr', { 'data-hook': x.hook },
        h('td', { 'data-label': 'Hook' }, h('code', null, x.hook)),
        h('td', { 'data-label': 'Kind' }, x.gate ? badge('Gate', 'info') : badge('Notification', 'muted')),
        h('td', { 'data-label': 'URL', class: 'cell-url' }, x.url),
        h('td', { 'data-label': 'Format' }, x.format),
        h('td', { 'data-label': 'Timeout' }, ms(x.timeoutMs)),
        h('td', { 'data-label': 'On failure' }, x.gate ? (x.failurePolicy === 'ALLOW' ? 'allow' : 'deny') : `retry ${x.retries ?? 0}× from ${ms(x.backoffMs)}`),
        h('td', { 'data-label': 'Signed' }, x.signed ? 'yes' : 'no'))))));
  };

  const renderLog = (log: Delivery[], hooks: number) => {
    if (log.length === 0) {
      replace(logBox, emptyState('No calls yet', h('p', null, hooks > 0
        ? 'Calls show up here as clients connect, publish and play.'
        : 'Once hooks are configured, every call and its answer shows up here.')));
      return;
    }
    replace(logBox, h('table', { class: 'table table-compact' },
      h('thead', null, h('tr', null, ['Time', 'Hook', 'Event', 'Outcome', 'Status', 'Latency', 'Attempt', 'Error'].map((t) => h('th', null, t)))),
      h('tbody', null, log.map((d) => h('tr', { 'data-event': d.eventId },
        h('td', { 'data-label': 'Time', title: formatDateTime(d.time) }, formatRelative(d.time)),
        h('td', { 'data-label': 'Hook' }, h('code', null, d.hook)),
        h('td', { 'data-label': 'Event' }, d.event),
        h('td', { 'data-label': 'Outcome' }, badge(d.outcome, outcomeKind(d.outcome))),
        h('td', { 'data-label': 'Status', class: 'num' }, d.status === null ? '—' : String(d.status)),
        h('td', { 'data-label': 'Latency', class: 'num' }, ms(d.latencyMs)),
        h('td', { 'data-label': 'Attempt', class: 'num' }, String(d.attempt)),
        h('td', { 'data-label': 'Error', class: 'cell-error' }, d.error ?? ''))))));
  };

  let hookCount = 0;
  const load = async () => {
    try {
      const [hooks, log] = await Promise.all([api.webhooks(), api.deliveries(100)]);
      if (disposed) return;
      hookCount = hooks.length;
      renderHooks(hooks);
      renderLog(log, hookCount);
    } catch (e) {
      if (disposed) return;
      replace(hooksBox, errorBanner(e, () => void load()));
      replace(logBox);
    }
  };
  void load();
  const timer = window.setInterval(() => void load(), 5000);
  return () => {
    disposed = true;
    window.clearInterval(timer);
  };
}
