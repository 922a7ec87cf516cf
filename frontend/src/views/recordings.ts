/** Recordings: recorded sessions with their segments; play in the browser, download, delete. */
import { api, ApiError, type Page, type Recording, type RecordingSegment } from '../api';
import { h, icon, ICONS, replace } from '../dom';
import { formatBytes, formatClock, formatDateTime, formatRelative } from '../format';
import { loadPlayer, type PlayerHandle } from '../player-loader';
import { badge, dialog, emptyState, errorBanner, errorText, loading, pageHeader, toast } from '../ui';

const TRIGGERS: Record<string, string> = { KEY: 'auto-record', CONFIG: 'recorded by configuration', API: 'started by hand' };

export function statusKind(status: string): 'live' | 'ok' | 'bad' | 'muted' | 'warn' {
  const s = status.toUpperCase();
  if (['RECORDING', 'ACTIVE', 'IN_PROGRESS', 'OPEN', 'LIVE', 'STARTED'].includes(s)) return 'live';
  if (['COMPLETE', 'COMPLETED', 'DONE', 'FINISHED', 'CLOSED', 'STOPPED', 'ENDED'].includes(s)) return 'ok';
  if (['FAILED', 'ERROR', 'ABORTED', 'BROKEN'].includes(s)) return 'bad';
  if (['INTERRUPTED', 'PARTIAL', 'TRUNCATED'].includes(s)) return 'warn';
  return 'muted';
}

const statusText = (status: string) => status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');

export function renderRecordings(root: HTMLElement): () => void {
  let disposed = false;
  let page = 0;
  const open = new Set<string>();
  const details = new Map<string, { tr: HTMLTableRowElement; player: PlayerHandle | null; destroy(): void }>();
  const body = h('div', null, loading());
  const pager = h('div', { class: 'pager' });
  replace(root,
    pageHeader('Recordings', 'Recorded publishes, in segment files. Play one here or download it.'),
    body, pager);

  const closeDetail = (id: string) => {
    details.get(id)?.destroy();
    details.delete(id);
    open.delete(id);
  };

  const segmentRow = (s: RecordingSegment, playerBox: HTMLElement, state: { player: PlayerHandle | null }) =>
    h('li', { class: 'segment', 'data-segment': s.id },
      h('div', null, h('strong', null, s.name), h('div', { class: 'muted small' },
        [s.durationSeconds !== null ? formatClock(s.durationSeconds) : null, s.sizeBytes !== null ? formatBytes(s.sizeBytes) : null, s.startedAt ? formatDateTime(s.startedAt) : null, s.complete ? null : 'still being written'].filter(Boolean).join(' · '))),
      h('div', { class: 'segment-actions' },
        h('button', {
          type: 'button', class: 'btn btn-small', 'data-action': 'play-segment', disabled: !s.complete,
          title: s.complete ? 'Play in the browser' : 'Playable when the file is finished',
          onclick: async () => {
            state.player?.destroy();
            state.player = null;
            const flvPlayer = await loadPlayer();
            const format = /\.(mp4|m4v|mov|webm)$/i.test(s.name) ? 'native' : 'flv';
            state.player = flvPlayer(s.downloadUrl, { live: false, format, title: `Loading ${s.name}…` });
            replace(playerBox, state.player.el);
          },
        }, icon(ICONS.play), h('span', null, 'Play')),
        s.complete
          ? h('a', { class: 'btn btn-small', href: s.downloadUrl, download: s.name, 'data-action': 'download-segment' }, icon(ICONS.download), h('span', null, 'Download'))
          : null));

  const makeDetail = (rec: Recording) => {
    const playerBox = h('div', { class: 'preview' });
    const segs = h('div', null, loading('Loading segments…'));
    const state = { player: null as PlayerHandle | null };
    const tr = h('tr', { class: 'detail-row', 'data-detail': rec.id },
      h('td', { colspan: '6' }, h('div', { class: 'detail' }, h('div', { class: 'detail-main' }, playerBox), h('div', { class: 'detail-side' }, h('h3', null, 'Segments'), segs))));
    replace(playerBox, h('div', { class: 'player player-idle' }, h('div', { class: 'player-state' }, 'Choose a segment to play')));
    api.recording(rec.id).then((full) => {
      const list = full.segments.length ? full.segments : rec.segments;
      replace(segs, list.length === 0
        ? h('p', { class: 'muted' }, 'No segment files yet.')
        : h('ul', { class: 'segments' }, list.map((s) => segmentRow(s, playerBox, state))));
    }).catch((e) => replace(segs, h('p', { class: 'form-error' }, errorText(e))));
    return {
      tr,
      get player() {
        return state.player;
      },
      destroy() {
        state.player?.destroy();
        tr.remove();
      },
    };
  };

  const remove = async (rec: Recording) => {
    const ok = await dialog({
      title: `Delete the recording of ${rec.app ? rec.app + '/' : ''}${rec.stream}?`,
      body: h('p', null, `${rec.segmentCount === 1 ? 'Its file' : `Its ${rec.segmentCount ?? ''} files`.replace('  ', ' ')}${rec.sizeBytes ? ` (${formatBytes(rec.sizeBytes)})` : ''} will be deleted from the disk. This cannot be undone.`),
      confirm: 'Delete recording',
      danger: true,
      onConfirm: () => api.deleteRecording(rec.id),
    });
    if (ok) {
      closeDetail(rec.id);
      toast('Recording deleted.');
      await load();
    }
  };

  const render = (result: Page<Recording>) => {
    if (result.items.length === 0) {
      replace(body, emptyState('No recordings yet',
        h('div', null,
          h('p', null, 'Turn on “Record every publish” on a stream key, or press “Start recording” on a live stream. Recordings show up here as soon as they start.')),
        h('a', { href: '#/keys', class: 'btn btn-primary' }, 'Go to stream keys')));
      replace(pager);
      return;
    }
    const tbody = h('tbody');
    for (const rec of result.items) {
      const isOpen = open.has(rec.id);
      const toggle = h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'open-recording', 'aria-expanded': String(isOpen) }, icon(isOpen ? ICONS.kick : ICONS.play), h('span', null, isOpen ? 'Close' : 'Open'));
      const tr = h('tr', { 'data-recording': rec.id, class: isOpen ? 'open' : '' },
        h('td', { 'data-label': 'Stream', class: 'cell-name' }, h('strong', null, rec.stream || '—'),
          h('div', { class: 'muted small' }, [rec.app, rec.keyLabel, rec.trigger ? TRIGGERS[rec.trigger] ?? rec.trigger.toLowerCase() : null].filter(Boolean).join(' · '))),
        h('td', { 'data-label': 'Started', title: formatDateTime(rec.startedAt) }, rec.startedAt ? `${formatDateTime(rec.startedAt)}` : '—', rec.startedAt ? h('div', { class: 'muted small' }, formatRelative(rec.startedAt)) : null),
        h('td', { 'data-label': 'Duration', class: 'num' }, formatClock(rec.durationSeconds)),
        h('td', { 'data-label': 'Size', class: 'num' }, formatBytes(rec.sizeBytes)),
        h('td', { 'data-label': 'Status', title: rec.reason ?? '' }, badge(statusText(rec.status), statusKind(rec.status)),
          rec.reason ? h('div', { class: 'muted small' }, rec.reason) : null),
        h('td', { class: 'cell-actions' }, toggle,
          h('button', {
            type: 'button', class: 'btn btn-small btn-danger-outline', 'data-action': 'delete-recording', onclick: () => remove(rec),
            disabled: statusKind(rec.status) === 'live', title: statusKind(rec.status) === 'live' ? 'Stop the recording first' : 'Delete the recording and its files',
          }, icon(ICONS.trash), h('span', null, 'Delete'))));
      toggle.addEventListener('click', () => {
        if (open.has(rec.id)) {
          closeDetail(rec.id);
        } else {
          open.add(rec.id);
        }
        render(result);
      });
      tbody.append(tr);
      if (isOpen) {
        let d = details.get(rec.id);
        if (!d) {
          d = makeDetail(rec);
          details.set(rec.id, d);
        }
        tbody.append(d.tr);
      }
    }
    for (const id of [...details.keys()]) if (!result.items.some((r) => r.id === id)) closeDetail(id);
    replace(body, h('div', { class: 'card table-card' }, h('table', { class: 'table recordings-table' },
      h('thead', null, h('tr', null, ['Stream', 'Started', 'Duration', 'Size', 'Status', ''].map((t) => h('th', null, t)))),
      tbody)));
    replace(pager, result.totalPages > 1 ? [
      h('button', { type: 'button', class: 'btn btn-small', disabled: page === 0, onclick: () => { page--; void load(); } }, '← Newer'),
      h('span', { class: 'muted' }, `Page ${page + 1} of ${result.totalPages} · ${result.totalItems} recordings`),
      h('button', { type: 'button', class: 'btn btn-small', disabled: page + 1 >= result.totalPages, onclick: () => { page++; void load(); } }, 'Older →'),
    ] : null);
  };

  let last: Page<Recording> | null = null;
  const load = async () => {
    try {
      const result = await api.recordings({ page, size: 20 });
      if (disposed) return;
      // a list redrawn under an open player would restart it: redraw only when something changed
      if (!last || JSON.stringify(last) !== JSON.stringify(result)) {
        last = result;
        render(result);
      }
    } catch (e) {
      if (disposed) return;
      last = null;
      if (e instanceof ApiError && e.status === 404) {
        replace(body, emptyState('Recordings are not available', h('p', null, 'This server has no recordings API yet.')));
      } else {
        replace(body, errorBanner(e, () => void load()));
      }
    }
  };
  void load();
  const timer = window.setInterval(() => void load(), 5000);
  return () => {
    disposed = true;
    window.clearInterval(timer);
    for (const id of [...details.keys()]) closeDetail(id);
  };
}
