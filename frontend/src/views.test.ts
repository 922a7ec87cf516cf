import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyView, KeyWithSecret, StreamView } from './api';
import { LiveMonitor, totalsOf, trimHistory } from './live';
import { outcomeKind } from './views/callbacks';
import { publishSettings, rtmpBase, serverUrlOf } from './views/keys';
import { statusKind } from './views/recordings';
import { setUpLogin } from './login';

const stream = (over: Partial<StreamView> = {}): StreamView => ({
  app: 'live', name: 'cam', live: true, keyLabel: 'Cam', publisherSessionId: 1, videoCodec: 'H.264', audioCodec: 'AAC',
  width: 320, height: 240, fps: 30, bitrateIn: 1000, bitrateOut: 500, bytesIn: 10, uptimeSeconds: 5, publishedAt: null, players: 2, ...over,
});

const key: KeyView = {
  id: 4, label: 'Studio', app: 'live', publicName: 'studio', secretPrefix: 'q3Zx…', enabled: true, state: 'ACTIVE',
  notBefore: null, notAfter: null, autoRecord: false, maxPublishers: 1, livePublishers: 0, previousSecretValidUntil: null,
  createdAt: '2025-01-01T00:00:00Z', updatedAt: null, lastUsedAt: null, lastUsedAddress: null,
};

describe('live monitor', () => {
  it('adds up live streams, players and bandwidth', () => {
    expect(totalsOf([stream(), stream({ name: 'b', live: false, players: 1, bitrateIn: 0, bitrateOut: 0 })], 5))
      .toEqual({ t: 5, streams: 1, players: 3, bitsIn: 1000, bitsOut: 500 });
  });

  it('keeps only the window', () => {
    expect(trimHistory([{ t: 1 }, { t: 50 }, { t: 100 }], 100, 60)).toEqual([{ t: 50 }, { t: 100 }]);
  });

  it('keeps each stream’s bitrate history and forgets streams that are gone', () => {
    const m = new LiveMonitor(async () => []);
    const seen: number[] = [];
    m.subscribe((s) => seen.push(s.totals.streams));
    m.stop();
    m.record([stream(), stream({ name: 'b' })], 1000);
    m.record([stream({ bitrateIn: 2000 })], 1002);
    expect(m.spark.get('live/cam')).toEqual({ t: [1000, 1002], v: [1000, 2000] });
    expect(m.spark.has('live/b')).toBe(false);
    expect(m.history.map((p) => p.streams)).toEqual([2, 1]);
    expect(seen.slice(-2)).toEqual([2, 1]);
  });

  it('reports a failed poll and keeps the last streams', async () => {
    const fetch = vi.fn().mockResolvedValueOnce([stream()]).mockRejectedValueOnce(new Error('down'));
    const m = new LiveMonitor(fetch);
    await m.poll();
    await m.poll();
    expect(m.latest!.error).toBeInstanceOf(Error);
    expect(m.latest!.streams).toHaveLength(1);
  });
});

describe('stream keys', () => {
  beforeEach(() => localStorage.clear());

  it('learns the RTMP base from a server URL', () => {
    expect(rtmpBase('rtmp://127.0.0.1:1936/live', 'live')).toBe('rtmp://127.0.0.1:1936');
    expect(rtmpBase('rtmp://h/live/eu', 'live/eu')).toBe('rtmp://h');
    expect(rtmpBase('rtmp://h/other', 'live')).toBeNull();
  });

  it('uses the API’s server URL, else the learned base, else guesses port 1935', () => {
    expect(serverUrlOf({ app: 'live', serverUrl: 'rtmp://x/live' }, 'rtmp://h:1', 'host')).toEqual({ url: 'rtmp://x/live', guessed: false });
    expect(serverUrlOf({ app: 'live' }, 'rtmp://h:1936', 'host')).toEqual({ url: 'rtmp://h:1936/live', guessed: false });
    expect(serverUrlOf({ app: 'live' }, null, 'host')).toEqual({ url: 'rtmp://host/live', guessed: true });
  });

  it('shows OBS settings and ffmpeg with the secret when it was just issued', () => {
    const issued: KeyWithSecret = { key, secret: 'SECRET', obs: { serverUrl: 'rtmp://h:1936/live', streamKey: 'SECRET' }, publishUrl: 'rtmp://h:1936/live/SECRET' };
    const el = publishSettings(key, issued);
    const text = (name: string) => el.querySelector(`[data-field="${name}"]`)?.textContent;
    expect(text('server-url')).toBe('rtmp://h:1936/live');
    expect(text('stream-key')).toBe('SECRET');
    expect(text('ffmpeg')).toContain('-f flv rtmp://h:1936/live/SECRET');
    expect(text('play-url')).toBe('rtmp://h:1936/live/studio');
  });

  it('without the secret says how to get one', () => {
    const el = publishSettings(key, undefined);
    expect(el.querySelector('[data-field="stream-key"]')).toBeNull();
    expect(el.textContent).toContain('Rotate the key');
    expect(el.querySelector('[data-field="ffmpeg"]')!.textContent).toContain('<stream key>');
  });
});

describe('badges', () => {
  it('recording states and delivery outcomes', () => {
    expect(statusKind('RECORDING')).toBe('live');
    expect(statusKind('complete')).toBe('ok');
    expect(statusKind('FAILED')).toBe('bad');
    expect(statusKind('whatever')).toBe('muted');
    expect(outcomeKind('ok')).toBe('ok');
    expect(outcomeKind('timeout')).toBe('bad');
    expect(outcomeKind('rejected')).toBe('warn');
  });
});

describe('sign-in page', () => {
  const page = () => {
    document.body.innerHTML = `
      <div id="login-message" hidden></div>
      <form id="login-form"><input name="username"><input name="password" type="password">
        <p id="login-error" hidden></p><button id="login-submit" type="submit">Sign in</button></form>`;
    const assign = vi.fn();
    return { assign, location: { search: '?expired&next=%2F%23%2Fkeys', assign } as unknown as Location };
  };

  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.replaceChildren();
  });

  it('says why the user is here, signs in and goes back', async () => {
    const { assign, location } = page();
    const r = new Response('', { status: 200 });
    Object.defineProperty(r, 'url', { value: 'http://h/' });
    const fetch = vi.fn().mockResolvedValue(r);
    vi.stubGlobal('fetch', fetch);
    setUpLogin(document, location);
    expect(document.getElementById('login-message')!.textContent).toBe('Your session ended: sign in again.');
    (document.querySelector('[name=username]') as HTMLInputElement).value = 'admin';
    (document.querySelector('[name=password]') as HTMLInputElement).value = 'pw';
    document.getElementById('login-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/#/keys'));
    expect(fetch.mock.calls[0][0]).toBe('/login');
  });

  it('shows a wrong password', async () => {
    const { assign, location } = page();
    const r = new Response('', { status: 200 });
    Object.defineProperty(r, 'url', { value: 'http://h/login.html?error' });
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(r));
    setUpLogin(document, location);
    (document.querySelector('[name=username]') as HTMLInputElement).value = 'admin';
    (document.querySelector('[name=password]') as HTMLInputElement).value = 'nope';
    document.getElementById('login-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    const error = document.getElementById('login-error')!;
    await vi.waitFor(() => expect(error.hidden).toBe(false));
    expect(error.textContent).toBe('Wrong user name or password.');
    expect(assign).not.toHaveBeenCalled();
  });
});
