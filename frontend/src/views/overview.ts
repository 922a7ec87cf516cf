/** Overview: live streams, players, bandwidth in and out, and a chart of the last minutes. */
import { trafficChart, type TrafficChart } from '../charts';
import { h, replace } from '../dom';
import { formatBitrate, formatClock, formatCodecs, formatResolution } from '../format';
import { HISTORY_SECONDS, monitor, type Snapshot } from '../live';
import { badge, emptyState, errorBanner, pageHeader } from '../ui';

function stat(label: string, name: string): { el: HTMLElement; value: HTMLElement } {
  const value = h('div', { class: 'stat-value', 'data-stat': name }, '—');
  return { el: h('div', { class: 'card stat' }, h('div', { class: 'stat-label' }, label), value), value };
}

export function renderOverview(root: HTMLElement): () => void {
  const streams = stat('Live streams', 'streams');
  const players = stat('Players', 'players');
  const bwIn = stat('Bandwidth in', 'in');
  const bwOut = stat('Bandwidth out', 'out');
  const error = h('div');
  const chartBox = h('div', { class: 'chart', 'data-chart': 'traffic' });
  const liveList = h('div', { class: 'live-list' });
  const chartNote = h('p', { class: 'hint' });

  replace(root,
    pageHeader('Overview', 'What the server is doing right now; updates every two seconds.'),
    error,
    h('section', { class: 'stats' }, streams.el, players.el, bwIn.el, bwOut.el),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Bandwidth'), h('span', { class: 'hint' }, `last ${HISTORY_SECONDS / 60} minutes`)),
      chartBox, chartNote),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Live now'), h('a', { href: '#/streams', class: 'link' }, 'All streams →')),
      liveList));

  let chart: TrafficChart | null = null;
  // the chart measures its box: draw it once the screen is laid out
  const raf = requestAnimationFrame(() => {
    chart = trafficChart(chartBox);
    draw();
  });

  const draw = () => {
    if (!chart) return;
    const hist = monitor.history;
    chart.update(hist.map((p) => p.t), hist.map((p) => p.bitsIn), hist.map((p) => p.bitsOut));
    chartNote.textContent = hist.length < 3 ? 'The chart fills in while this page is open.' : '';
  };

  const update = (s: Snapshot) => {
    replace(error, s.error ? errorBanner(s.error, () => void monitor.refresh()) : null);
    streams.value.textContent = String(s.totals.streams);
    players.value.textContent = String(s.totals.players);
    bwIn.value.textContent = formatBitrate(s.totals.bitsIn);
    bwOut.value.textContent = formatBitrate(s.totals.bitsOut);
    draw();
    const live = s.streams.filter((x) => x.live);
    if (live.length === 0) {
      replace(liveList, emptyState('Nothing is live',
        h('p', null, 'Create a stream key, put its server URL and key into OBS (or run the ffmpeg command shown with it) and start streaming: the stream shows up here within seconds.'),
        h('a', { href: '#/keys', class: 'btn btn-primary' }, 'Create a stream key')));
      return;
    }
    replace(liveList, h('ul', { class: 'live-items' }, live.map((x) =>
      h('li', null,
        h('a', { href: `#/streams/${encodeURIComponent(x.app)}/${encodeURIComponent(x.name)}`, class: 'live-item' },
          badge('LIVE', 'live'),
          h('strong', null, `${x.app}/${x.name}`),
          h('span', { class: 'muted' }, x.keyLabel ?? ''),
          h('span', null, formatCodecs(x.videoCodec, x.audioCodec)),
          h('span', null, formatResolution(x.width, x.height)),
          h('span', null, formatBitrate(x.bitrateIn)),
          h('span', null, `${x.players} player${x.players === 1 ? '' : 's'}`),
          h('span', { class: 'muted' }, formatClock(x.uptimeSeconds)))))));
  };

  const unsubscribe = monitor.subscribe(update);
  return () => {
    cancelAnimationFrame(raf);
    unsubscribe();
    chart?.destroy();
  };
}
