import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, type StreamView } from './api';
import { monitor } from './live';
import { renderStreams } from './views/streams';

// no canvas in happy-dom, no media either: the chart and the player are stand-ins here
vi.mock('./charts', () => ({
  sparkline: () => ({ el: document.createElement('div'), update: vi.fn(), destroy: vi.fn() }),
  trafficChart: () => ({ update: vi.fn(), destroy: vi.fn() }),
}));
vi.mock('./player-loader', () => ({
  loadPlayer: async () => (url: string) => {
    const el = document.createElement('div');
    el.className = 'player';
    el.dataset.url = url;
    return { el, video: document.createElement('video'), destroy: () => el.remove() };
  },
}));

const cam: StreamView = {
  app: 'live', name: 'cam', live: true, keyLabel: 'Studio', publisherSessionId: 7, videoCodec: 'H.264', audioCodec: 'AAC',
  width: 1280, height: 720, fps: 29.97, bitrateIn: 2_500_000, bitrateOut: 0, bytesIn: 1000, uptimeSeconds: 65,
  publishedAt: '2025-01-01T00:00:00Z', players: 1,
};

afterEach(() => {
  monitor.stop();
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

function mount() {
  const root = document.createElement('div');
  document.body.append(root);
  const stop = renderStreams(root, []);
  return { root, stop };
}

describe('the streams screen', () => {
  it('lists live streams with their media facts', async () => {
    vi.spyOn(api, 'streams').mockResolvedValue([cam]);
    const { root, stop } = mount();
    await monitor.refresh();
    const row = root.querySelector('tr[data-stream="live/cam"]')!;
    expect(row).not.toBeNull();
    const cell = (label: string) => row.querySelector(`td[data-label="${label}"]`)!.textContent;
    expect(cell('Stream')).toContain('LIVE');
    expect(cell('Key')).toBe('Studio');
    expect(cell('Codecs')).toBe('H.264 / AAC');
    expect(cell('Resolution')).toBe('1280×720');
    expect(cell('FPS')).toBe('29.97');
    expect(cell('Bitrate')).toBe('2.5 Mb/s');
    expect(cell('Uptime')).toBe('1:05');
    expect(cell('Players')).toBe('1');
    stop?.();
  });

  it('tells a newcomer what to do when nothing is live', async () => {
    vi.spyOn(api, 'streams').mockResolvedValue([]);
    const { root, stop } = mount();
    await monitor.refresh();
    expect(root.querySelector('.empty')!.textContent).toContain('No live streams');
    expect(root.querySelector('.empty a')!.getAttribute('href')).toBe('#/keys');
    stop?.();
  });

  it('opens a stream: preview of its HTTP-FLV, its players; kicks a player and the stream', async () => {
    vi.spyOn(api, 'streams').mockResolvedValue([cam]);
    vi.spyOn(api, 'stream').mockResolvedValue({
      stream: cam,
      publisher: { id: 7, address: '10.0.0.2', role: 'PUBLISHER', app: 'live', stream: 'cam', startedAt: null, bytesIn: 1, bytesOut: 0, bitrateIn: 1, bitrateOut: 0, encoder: 'obs-output', tcUrl: null },
      players: [{ id: 9, address: '10.0.0.3', role: 'PLAYER', app: 'live', stream: 'cam', startedAt: null, bytesIn: 0, bytesOut: 5000, bitrateIn: 0, bitrateOut: 800_000, encoder: null, tcUrl: null }],
    });
    vi.spyOn(api, 'recordings').mockResolvedValue({ items: [], page: 0, size: 1, totalItems: 0, totalPages: 0 });
    const kickSession = vi.spyOn(api, 'kickSession').mockResolvedValue(undefined);
    const kickStream = vi.spyOn(api, 'kickStream').mockResolvedValue({ stream: 'live/cam', publisherSessionId: 7, playersKicked: 0, bannedSeconds: 600, keyDisabled: false });
    const { root, stop } = mount();
    await monitor.refresh();
    root.querySelector<HTMLButtonElement>('tr[data-stream="live/cam"] [data-action=open]')!.click();
    const detail = () => root.querySelector('tr[data-detail="live/cam"]');
    await vi.waitFor(() => expect(detail()!.querySelector('.player')).not.toBeNull());
    expect((detail()!.querySelector('.player') as HTMLElement).dataset.url).toBe('/live/cam.flv');
    await vi.waitFor(() => expect(detail()!.querySelector('tr[data-session="9"]')).not.toBeNull());
    expect(detail()!.textContent).toContain('obs-output');
    expect(detail()!.querySelector('[data-action=record-start]')!.hasAttribute('hidden')).toBe(false);

    detail()!.querySelector<HTMLButtonElement>('tr[data-session="9"] [data-action=kick-player]')!.click();
    await vi.waitFor(() => expect(kickSession).toHaveBeenCalledWith(9));

    detail()!.querySelector<HTMLButtonElement>('[data-action=kick-ban]')!.click();
    const dialog = document.querySelector('dialog')!;
    expect((dialog.querySelector('select[name=banSeconds]') as HTMLSelectElement).value).toBe('600');
    (dialog.querySelector('input[name=players]') as HTMLInputElement).checked = true;
    dialog.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(kickStream).toHaveBeenCalledWith('live', 'cam', { players: true, banSeconds: 600, disableKey: false }));
    // the preview is closed with the kick, or it would keep waiting for the publisher
    await vi.waitFor(() => expect(detail()).toBeNull());
    stop?.();
  });

  it('shows a recording in progress and stops it', async () => {
    vi.spyOn(api, 'streams').mockResolvedValue([cam]);
    vi.spyOn(api, 'stream').mockResolvedValue({ stream: cam, publisher: null, players: [] });
    vi.spyOn(api, 'recordings').mockResolvedValue({ items: [{ id: '3', app: 'live', stream: 'cam', keyLabel: null, trigger: 'API', mode: 'ALL', status: 'RECORDING', reason: null,
      startedAt: new Date().toISOString(), endedAt: null, durationSeconds: 4, sizeBytes: 2048, segmentCount: 1, segments: [] }], page: 0, size: 1, totalItems: 1, totalPages: 1 });
    const stopRecording = vi.spyOn(api, 'stopRecording').mockResolvedValue({ id: '3', app: 'live', stream: 'cam', keyLabel: null, trigger: 'API', mode: 'ALL', status: 'COMPLETED', reason: null,
      startedAt: null, endedAt: null, durationSeconds: 5, sizeBytes: 4096, segmentCount: 1, segments: [] });
    const { root, stop } = mount();
    await monitor.refresh();
    root.querySelector<HTMLButtonElement>('[data-action=open]')!.click();
    const stopButton = () => root.querySelector<HTMLButtonElement>('[data-action=record-stop]')!;
    await vi.waitFor(() => expect(stopButton().hidden).toBe(false));
    expect(root.querySelector('.rec-state')!.textContent).toContain('REC');
    stopButton().click();
    await vi.waitFor(() => expect(stopRecording).toHaveBeenCalledWith('live', 'cam'));
    await vi.waitFor(() => expect(stopButton().hidden).toBe(true));
    stop?.();
  });
});
