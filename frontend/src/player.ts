/** A video element playing HTTP-FLV (live or a recorded file) through mpegts.js, with its state shown over it. */
import mpegts from 'mpegts.js';
import { h } from './dom';

export interface PlayerHandle {
  el: HTMLElement;
  video: HTMLVideoElement;
  destroy(): void;
}

let logsQuiet = false;

function quietLogs() {
  if (logsQuiet) return;
  logsQuiet = true;
  mpegts.LoggingControl.applyConfig({ enableAll: false, enableError: true, enableWarn: true, enableInfo: false, enableDebug: false, enableVerbose: false });
}

/** Why a player stopped, in words. */
export function describePlayerError(type: string, detail: string, info: { code?: number; msg?: string } | undefined): string {
  if (detail === mpegts.ErrorDetails.NETWORK_STATUS_CODE_INVALID) {
    if (info?.code === 404) return 'Not available: the server has no HTTP-FLV stream here (404).';
    if (info?.code === 401 || info?.code === 403) return `Not allowed (${info.code}): sign in again.`;
    return `The server answered ${info?.code ?? 'an error'}.`;
  }
  if (detail === mpegts.ErrorDetails.NETWORK_TIMEOUT) return 'The stream did not answer in time.';
  if (detail === mpegts.ErrorDetails.NETWORK_EXCEPTION || detail === mpegts.ErrorDetails.NETWORK_UNRECOVERABLE_EARLY_EOF) {
    return 'The connection to the stream broke off.';
  }
  if (detail === mpegts.ErrorDetails.MEDIA_FORMAT_UNSUPPORTED || detail === mpegts.ErrorDetails.MEDIA_FORMAT_ERROR) {
    return 'The server sent something that is not an FLV stream.';
  }
  if (detail === mpegts.ErrorDetails.MEDIA_CODEC_UNSUPPORTED) return 'This browser cannot decode the stream\'s codec.';
  return `${type}: ${info?.msg ?? detail}`;
}

export interface PlayOptions {
  live: boolean;
  /** how to play it: FLV through mpegts.js (the default), or natively (MP4, WebM) */
  format?: 'flv' | 'native';
  /** what the overlay says while connecting */
  title?: string;
}

/**
 * Plays an FLV URL: live (low latency, chasing the live edge) or a file (seekable with Range).
 * Files the browser plays natively (format 'native': MP4, WebM) go straight to the video element.
 */
export function flvPlayer(url: string, options: PlayOptions): PlayerHandle {
  const video = h('video', { class: 'player-video', controls: true, muted: true, autoplay: true, playsInline: true, preload: 'auto' });
  video.muted = true; // lets the preview start without a click
  const state = h('div', { class: 'player-state' }, options.title ?? 'Connecting…');
  const el = h('div', { class: 'player', 'data-state': 'connecting' }, video, state);
  const setState = (name: string, text: string) => {
    el.dataset.state = name;
    state.textContent = text;
  };
  video.addEventListener('playing', () => setState('playing', ''));
  video.addEventListener('waiting', () => {
    if (el.dataset.state !== 'error') setState('buffering', 'Buffering…');
  });
  video.addEventListener('ended', () => {
    if (!options.live) setState('ended', 'End of recording');
  });

  const native = options.format === 'native' && !options.live;
  if (native) {
    video.addEventListener('error', () => setState('error', 'This browser cannot play this file: download it instead.'));
    video.src = url;
    void video.play()?.catch(() => undefined);
    return { el, video, destroy: () => { video.removeAttribute('src'); video.load(); el.remove(); } };
  }

  quietLogs();
  if (!mpegts.isSupported() || !mpegts.getFeatureList().mseLivePlayback && options.live) {
    setState('error', 'This browser cannot play HTTP-FLV (it lacks Media Source Extensions). Use ffplay or VLC.');
    return { el, video, destroy: () => el.remove() };
  }
  const player = mpegts.createPlayer(
    { type: 'flv', isLive: options.live, url },
    options.live
      ? { enableWorker: false, enableStashBuffer: false, stashInitialSize: 128 * 1024, liveBufferLatencyChasing: true, liveBufferLatencyMaxLatency: 3, liveBufferLatencyMinRemain: 0.5, autoCleanupSourceBuffer: true, lazyLoad: false }
      : { enableWorker: false, lazyLoad: true, seekType: 'range' },
  );
  player.on(mpegts.Events.ERROR, (type: string, detail: string, info?: { code?: number; msg?: string }) => {
    setState('error', describePlayerError(type, detail, info));
  });
  player.on(mpegts.Events.LOADING_COMPLETE, () => {
    if (options.live && el.dataset.state !== 'error') setState('ended', 'The stream ended.');
  });
  player.attachMediaElement(video);
  player.load();
  const started = player.play();
  if (started && typeof (started as Promise<void>).catch === 'function') {
    (started as Promise<void>).catch(() => setState('paused', 'Press play to start.'));
  }
  let destroyed = false;
  return {
    el,
    video,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        player.pause();
        player.unload();
        player.detachMediaElement();
        player.destroy();
      } catch {
        // already torn down
      }
      el.remove();
    },
  };
}
