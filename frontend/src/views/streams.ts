/**
 * Streams: every live stream with its media facts and a bitrate sparkline; per stream a preview
 * (HTTP-FLV through mpegts.js), kick, kick with a ban, recording, and its players.
 */
import { api, ApiError, flvUrl, type Recording, type SessionView, type StreamDetail, type StreamView } from '../api';
import { sparkline, type Sparkline } from '../charts';
import { h, icon, ICONS, replace } from '../dom';
import { formatBitrate, formatBytes, formatClock, formatCodecs, formatDateTime, formatFps, formatRelative, formatResolution } from '../format';
import { monitor, POLL_MS, streamId, type Snapshot } from '../live';
import { loadPlayer, type PlayerHandle } from '../player-loader';
import { learnedBase, serverUrlOf } from './keys';
import { badge, checkbox, dialog, emptyState, errorBanner, errorText, errorToast, pageHeader, toast } from '../ui';

const BAN_CHOICES: [number, string][] = [
  [0, 'No ban'],
  [60, '1 minute'],
  [600, '10 minutes'],
  [3600, '1 hour'],
  [86400, '1 day'],
  [7 * 86400, '1 week'],
];

/** Asks how to kick (players too? ban? disable the key?) and kicks. */
export async function kickDialog(s: StreamView, withBan: boolean): Promise<boolean> {
  const ban = h('select', { name: 'banSeconds' }, BAN_CHOICES.map(([v, label]) => h('option', { value: String(v) }, label)));
  ban.value = withBan ? '600' : '0';
  const body = h('div', { class: 'stack' },
    h('p', null, 'The publisher is disconnected now. Without a ban its encoder may reconnect at once.'),
    h('label', { class: 'field' }, h('span', null, 'Refuse reconnects for'), ban),
    checkbox('players', `Also disconnect its ${s.players} player${s.players === 1 ? '' : 's'}`, false),
    s.keyLabel ? checkbox('disableKey', `Disable its stream key “${s.keyLabel}”`, false, 'It stays disabled until you enable it on Stream keys.') : null);
  return dialog({
    title: `Kick ${s.app}/${s.name}?`,
    body,
    confirm: withBan ? 'Kick and ban' : 'Kick',
    danger: true,
    onConfirm: async () => {
      const players = body.querySelector<HTMLInputElement>('input[name=players]')?.checked ?? false;
      const disableKey = body.querySelector<HTMLInputElement>('input[name=disableKey]')?.checked ?? false;
      const banSeconds = Number(ban.value) || undefined;
      const r = await api.kickStream(s.app, s.name, { players, banSeconds, disableKey });
      const parts = [`Kicked ${r.stream}`];
      if (r.playersKicked) parts.push(`${r.playersKicked} player${r.playersKicked === 1 ? '' : 's'} disconnected`);
      if (r.bannedSeconds) parts.push(`banned for ${BAN_CHOICES.find(([v]) => v === r.bannedSeconds)?.[1] ?? `${r.bannedSeconds} s`}`);
      if (r.keyDisabled) parts.push('key disabled');
      toast(parts.join(', ') + '.');
    },
  });
}

interface Row {
  stream: StreamView;
  tr: HTMLTableRowElement;
  cells: Record<string, HTMLElement>;
  spark: Sparkline;
  detail: Detail | null;
}

interface Detail {
  tr: HTMLTableRowElement;
  destroy(): void;
  update(s: StreamView): void;
}

export function renderStreams(root: HTMLElement, params: string[]): () => void {
  const wanted = params.length >= 2 ? `${params.slice(0, -1).join('/')}/${params[params.length - 1]}` : null;
  const error = h('div');
  const notice = h('div');
  const tbody = h('tbody');
  const table = h('table', { class: 'table streams-table' },
    h('thead', null, h('tr', null,
      ['Stream', 'Key', 'Codecs', 'Resolution', 'FPS', 'Bitrate', 'Uptime', 'Players', ''].map((t) => h('th', { scope: 'col' }, t)))),
    tbody);
  const tableBox = h('div', { class: 'card table-card' }, table);
  const empty = h('div');
  replace(root,
    pageHeader('Streams', 'Live streams on this server. Open one to preview it, see its players, kick it or record it.'),
    error, notice, empty, tableBox);

  const rows = new Map<string, Row>();
  let openedFromRoute = false;

  const cell = (label: string, cls = '') => h('td', { 'data-label': label, class: cls });

  const makeRow = (s: StreamView): Row => {
    const id = streamId(s);
    const spark = sparkline(96, 28);
    const cells: Record<string, HTMLElement> = {
      name: cell('Stream', 'cell-name'),
      key: cell('Key'),
      codecs: cell('Codecs'),
      resolution: cell('Resolution', 'num'),
      fps: cell('FPS', 'num'),
      bitrate: cell('Bitrate', 'cell-bitrate'),
      uptime: cell('Uptime', 'num'),
      players: cell('Players', 'num'),
      actions: cell('', 'cell-actions'),
    };
    const bitrateText = h('span', { class: 'bitrate-value' });
    cells.bitrate.append(h('div', { class: 'bitrate' }, spark.el, bitrateText));
    const toggle = h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'open', 'aria-expanded': 'false' }, icon(ICONS.play), h('span', null, 'Open'));
    cells.actions.append(toggle);
    const tr = h('tr', { 'data-stream': id }, Object.values(cells));
    const row: Row = { stream: s, tr, cells, spark, detail: null };
    toggle.addEventListener('click', () => {
      if (row.detail) {
        closeDetail(row);
        if (window.location.hash !== '#/streams') history.replaceState(null, '', '#/streams');
      } else {
        openDetail(row);
      }
    });
    return row;
  };

  const fill = (row: Row) => {
    const s = row.stream;
    const c = row.cells;
    replace(c.name, h('div', { class: 'name-line' }, s.live ? badge('LIVE', 'live') : badge('WAITING', 'warn'), h('strong', null, s.name)), h('div', { class: 'muted small' }, s.app));
    c.key.textContent = s.keyLabel ?? '—';
    c.codecs.textContent = formatCodecs(s.videoCodec, s.audioCodec);
    c.resolution.textContent = formatResolution(s.width, s.height);
    c.fps.textContent = formatFps(s.fps);
    (c.bitrate.querySelector('.bitrate-value') as HTMLElement).textContent = formatBitrate(s.bitrateIn);
    const series = monitor.spark.get(streamId(s));
    if (series) row.spark.update(series.t, series.v);
    c.uptime.textContent = s.live ? formatClock(s.uptimeSeconds) : '—';
    c.players.textContent = String(s.players);
    const toggle = c.actions.querySelector('button')!;
    toggle.setAttribute('aria-expanded', String(!!row.detail));
    replace(toggle, icon(row.detail ? ICONS.kick : ICONS.play), h('span', null, row.detail ? 'Close' : 'Open'));
    row.detail?.update(s);
  };

  const openDetail = (row: Row) => {
    row.detail = makeDetail(row.stream, () => void monitor.refresh(), () => {
      // the preview is a player too: close it, or it keeps waiting for the kicked publisher
      closeDetail(row);
      if (window.location.hash !== '#/streams') history.replaceState(null, '', '#/streams');
    });
    row.tr.after(row.detail.tr);
    row.tr.classList.add('open');
    fill(row);
    const id = streamId(row.stream);
    const hash = `#/streams/${id.split('/').map(encodeURIComponent).join('/')}`;
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
  };

  const closeDetail = (row: Row) => {
    row.detail?.destroy();
    row.detail = null;
    row.tr.classList.remove('open');
    fill(row);
  };

  const update = (snap: Snapshot) => {
    replace(error, snap.error ? errorBanner(snap.error, () => void monitor.refresh()) : null);
    if (snap.error && rows.size === 0 && snap.streams.length === 0) {
      tableBox.hidden = true;
      return;
    }
    const seen = new Set<string>();
    let previous: HTMLTableRowElement | null = null;
    for (const s of snap.streams) {
      const id = streamId(s);
      seen.add(id);
      let row = rows.get(id);
      if (!row) {
        row = makeRow(s);
        rows.set(id, row);
      }
      row.stream = s;
      fill(row);
      // keep the API's order; a row's detail travels with it
      const anchor: ChildNode | null = previous ? (previous.nextSibling as ChildNode | null) : tbody.firstChild;
      if (anchor !== row.tr) tbody.insertBefore(row.tr, anchor);
      if (row.detail && row.tr.nextSibling !== row.detail.tr) row.tr.after(row.detail.tr);
      previous = row.detail ? row.detail.tr : row.tr;
    }
    for (const [id, row] of rows) {
      if (seen.has(id)) continue;
      if (row.detail) {
        replace(notice, h('div', { class: 'banner banner-info', role: 'status' }, `${id} is no longer live.`));
        if (window.location.hash !== '#/streams') history.replaceState(null, '', '#/streams');
      }
      row.detail?.destroy();
      row.spark.destroy();
      row.tr.remove();
      rows.delete(id);
    }
    if (wanted && !openedFromRoute) {
      const row = rows.get(wanted);
      if (row) {
        openedFromRoute = true;
        if (!row.detail) openDetail(row);
      } else if (!snap.error) {
        openedFromRoute = true;
        replace(notice, h('div', { class: 'banner banner-info', role: 'status' }, `${wanted} is not live right now.`));
      }
    }
    tableBox.hidden = rows.size === 0;
    replace(empty, rows.size === 0 && !snap.error ? emptyState('No live streams',
      h('div', null,
        h('p', null, 'A stream appears here as soon as an encoder publishes to Sluice with a stream key.'),
        h('ol', { class: 'steps' },
          h('li', null, 'Create a stream key (and tick auto-record to keep a recording).'),
          h('li', null, 'In OBS: Settings → Stream → Service “Custom…”, paste the key’s Server URL and Stream Key, then Start Streaming.'),
          h('li', null, 'Or run the ffmpeg command shown with the key.'))),
      h('a', { href: '#/keys', class: 'btn btn-primary' }, 'Go to stream keys')) : null);
  };

  const unsubscribe = monitor.subscribe(update);
  return () => {
    unsubscribe();
    for (const row of rows.values()) {
      row.detail?.destroy();
      row.spark.destroy();
    }
  };
}

/** The panel under a stream's row: preview, actions, facts and players. */
function makeDetail(initial: StreamView, changed: () => void, kicked: () => void): Detail {
  let s = initial;
  let player: PlayerHandle | null = null;
  let timer: number | undefined;
  let disposed = false;
  const previewBox = h('div', { class: 'preview' });
  const facts = h('dl', { class: 'facts' });
  const playersBox = h('div', { class: 'players' });
  const recState = h('span', { class: 'rec-state muted small' });

  const startPreview = async () => {
    player?.destroy();
    player = null;
    const flvPlayer = await loadPlayer();
    if (disposed) return;
    player = flvPlayer(flvUrl(s.app, s.name), { live: true, title: 'Connecting to the preview…' });
    replace(previewBox, player.el,
      h('div', { class: 'preview-bar' },
        h('code', { class: 'small' }, flvUrl(s.app, s.name)),
        h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'reload-preview', onclick: () => void startPreview() }, icon(ICONS.refresh), h('span', null, 'Reconnect'))));
  };

  const startButton = h('button', { type: 'button', class: 'btn', 'data-action': 'record-start', onclick: () => recording(true) }, icon(ICONS.record), h('span', null, 'Start recording'));
  const stopButton = h('button', { type: 'button', class: 'btn', 'data-action': 'record-stop', hidden: true, onclick: () => recording(false) }, icon(ICONS.stop), h('span', null, 'Stop recording'));
  const showRecording = (r: Recording | null) => {
    startButton.hidden = !!r;
    stopButton.hidden = !r;
    replace(recState, r ? [badge('REC', 'live'), ` since ${formatRelative(r.startedAt)}${r.sizeBytes ? ` · ${formatBytes(r.sizeBytes)}` : ''}`] : null);
  };

  const recording = async (start: boolean) => {
    const button = start ? startButton : stopButton;
    button.disabled = true;
    try {
      if (start) {
        showRecording(await api.startRecording(s.app, s.name));
        toast(`Recording ${s.app}/${s.name}. It is listed under Recordings.`);
      } else {
        const done = await api.stopRecording(s.app, s.name);
        showRecording(null);
        toast(`Stopped recording ${s.app}/${s.name}: ${formatClock(done.durationSeconds)}, ${formatBytes(done.sizeBytes)}.`);
      }
    } catch (e) {
      errorToast(e);
      void refresh();
    } finally {
      button.disabled = false;
    }
  };

  const actions = h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn btn-danger', 'data-action': 'kick', onclick: async () => { if (await kickDialog(s, false)) { kicked(); changed(); } } }, icon(ICONS.kick), h('span', null, 'Kick')),
    h('button', { type: 'button', class: 'btn btn-danger-outline', 'data-action': 'kick-ban', onclick: async () => { if (await kickDialog(s, true)) { kicked(); changed(); } } }, h('span', null, 'Kick and ban…')),
    startButton, stopButton, recState);

  const renderPlayers = (players: SessionView[]) => {
    if (players.length === 0) {
      const server = serverUrlOf({ app: s.app }, learnedBase(), window.location.hostname).url;
      replace(playersBox, h('p', { class: 'muted' }, 'No RTMP players. Play it with ', h('code', null, `ffplay ${server}/${s.name}`), '.'));
      return;
    }
    replace(playersBox, h('table', { class: 'table table-compact' },
      h('thead', null, h('tr', null, ['Session', 'Address', 'Since', 'Sent', 'Bitrate', ''].map((t) => h('th', null, t)))),
      h('tbody', null, players.map((p) => h('tr', { 'data-session': String(p.id) },
        h('td', { 'data-label': 'Session' }, `#${p.id}`),
        h('td', { 'data-label': 'Address' }, p.address || '—'),
        h('td', { 'data-label': 'Since' }, formatRelative(p.startedAt)),
        h('td', { 'data-label': 'Sent', class: 'num' }, formatBytes(p.bytesOut)),
        h('td', { 'data-label': 'Bitrate', class: 'num' }, formatBitrate(p.bitrateOut)),
        h('td', { class: 'cell-actions' }, h('button', {
          type: 'button', class: 'btn btn-small btn-danger-outline', 'data-action': 'kick-player',
          onclick: async () => {
            try {
              await api.kickSession(p.id);
              toast(`Player #${p.id} disconnected.`);
              void refresh();
            } catch (e) {
              errorToast(e);
            }
          },
        }, 'Kick')))))));
  };

  const renderFacts = (d: StreamDetail | null) => {
    const pub = d?.publisher;
    const rows: [string, string][] = [
      ['Published', s.publishedAt ? `${formatDateTime(s.publishedAt)} (${formatRelative(s.publishedAt)})` : '—'],
      ['Received', formatBytes(s.bytesIn)],
      ['Bitrate out', formatBitrate(s.bitrateOut)],
      ['Publisher', pub ? `#${pub.id} from ${pub.address || '?'}` : '—'],
      ['Encoder', pub?.encoder || '—'],
    ];
    replace(facts, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
  };

  const refresh = async () => {
    try {
      const [d, rec] = await Promise.all([
        api.stream(s.app, s.name),
        api.recordings({ app: s.app, stream: s.name, status: 'RECORDING', size: 1 }).catch(() => null),
      ]);
      if (disposed) return;
      renderFacts(d);
      renderPlayers(d.players);
      if (rec) showRecording(rec.items[0] ?? null);
    } catch (e) {
      if (disposed) return;
      if (!(e instanceof ApiError && e.status === 404)) replace(playersBox, h('p', { class: 'form-error' }, errorText(e)));
    }
  };

  const td = h('td', { colspan: '9' },
    h('div', { class: 'detail' },
      h('div', { class: 'detail-main' }, previewBox),
      h('div', { class: 'detail-side' },
        actions,
        h('h3', null, 'Stream'), facts,
        h('h3', null, 'Players'), playersBox)));
  const tr = h('tr', { class: 'detail-row', 'data-detail': streamId(s) }, td);
  renderFacts(null);
  replace(playersBox, h('p', { class: 'muted' }, 'Loading players…'));
  replace(previewBox, h('div', { class: 'player' }, h('div', { class: 'player-state' }, 'Loading the player…')));
  void startPreview();
  void refresh();
  timer = window.setInterval(() => void refresh(), POLL_MS);
  return {
    tr,
    update(next) {
      s = next;
    },
    destroy() {
      disposed = true;
      window.clearInterval(timer);
      player?.destroy();
      player = null;
      tr.remove();
    },
  };
}
