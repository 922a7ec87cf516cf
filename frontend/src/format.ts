/** How numbers, times and media facts read on screen. Pure functions: see format.test.ts. */

const DASH = '—';

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

/** Bits per second: 0 b/s, 850 kb/s, 2.45 Mb/s, 1.2 Gb/s (SI, as encoders state bitrates). */
export function formatBitrate(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps) || bps < 0) return DASH;
  if (bps < 1000) return `${Math.round(bps)} b/s`;
  if (bps < 1e6) return `${trim(bps / 1e3, bps < 1e4 ? 1 : 0)} kb/s`;
  if (bps < 1e9) return `${trim(bps / 1e6, bps < 1e8 ? 2 : 1)} Mb/s`;
  return `${trim(bps / 1e9, 2)} Gb/s`;
}

/** Bytes: 512 B, 1.5 KiB, 12.3 MiB, 1.04 GiB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(n)} B`;
  return `${trim(n, n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[u]}`;
}

/** A length of time as a clock: 0:07, 4:05, 1:02:03, 2d 03:00:00. */
export function formatClock(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds) || totalSeconds < 0) return DASH;
  const s = Math.floor(totalSeconds);
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${pad(h)}:${pad(m)}:${pad(sec)}`;
  if (h > 0) return `${h}:${pad(m)}:${pad(sec)}`;
  return `${m}:${pad(sec)}`;
}

/** A length of time in words, two units at most: 45 s, 4 min 5 s, 1 h 2 min, 3 d 4 h. */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds) || totalSeconds < 0) return DASH;
  const s = Math.floor(totalSeconds);
  if (s < 60) return `${s} s`;
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

/** 1280×720, or a dash when unknown. */
export function formatResolution(width: number | null | undefined, height: number | null | undefined): string {
  return width && height && width > 0 && height > 0 ? `${width}×${height}` : DASH;
}

/** 30, 29.97, 59.94; a dash when unknown. */
export function formatFps(fps: number | null | undefined): string {
  if (!fps || !Number.isFinite(fps) || fps <= 0) return DASH;
  return trim(fps, 2);
}

const CODEC_NAMES: Record<string, string> = {
  AVC: 'H.264',
  H264: 'H.264',
  'H.264': 'H.264',
  HEVC: 'HEVC',
  H265: 'H.265',
  AV1: 'AV1',
  VP9: 'VP9',
  VP8: 'VP8',
  AAC: 'AAC',
  MP3: 'MP3',
  OPUS: 'Opus',
  SPEEX: 'Speex',
  NELLYMOSER: 'Nellymoser',
  PCM: 'PCM',
  G711A: 'G.711 A-law',
  G711U: 'G.711 µ-law',
  FLAC: 'FLAC',
  AC3: 'AC-3',
  EAC3: 'E-AC-3',
  SORENSON_H263: 'H.263',
  SCREEN_VIDEO: 'Screen video',
  VP6: 'VP6',
};

/** The engine's codec name as people know it (AVC → H.264). */
export function codecName(codec: string | null | undefined): string | null {
  if (!codec) return null;
  const key = codec.toUpperCase().replace(/[\s-]/g, '_');
  return CODEC_NAMES[key] ?? CODEC_NAMES[key.replace(/_/g, '')] ?? codec;
}

/** "H.264 / AAC", "H.264 (no audio)", or a dash. */
export function formatCodecs(video: string | null | undefined, audio: string | null | undefined): string {
  const v = codecName(video);
  const a = codecName(audio);
  if (v && a) return `${v} / ${a}`;
  if (v) return `${v} (no audio)`;
  if (a) return `${a} (audio only)`;
  return DASH;
}

/** A moment as the browser's locale writes it, e.g. 24 Nov 2025, 14:03:09. */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return DASH;
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** How long ago (or until): just now, 42 s ago, 5 min ago, 3 h ago, 2 d ago, in 10 min. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return DASH;
  const diff = Math.round((now - t) / 1000);
  const abs = Math.abs(diff);
  if (abs < 5) return 'just now';
  let text: string;
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)} min`;
  else if (abs < 86400) text = `${Math.floor(abs / 3600)} h`;
  else text = `${Math.floor(abs / 86400)} d`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** A datetime-local input's value (local time, no zone) as an ISO instant; null when empty. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An ISO instant as a datetime-local input's value, in local time to the minute. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A single-quoted shell word (for commands to copy). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\-./:=@%+,]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The ffmpeg command that publishes a file to a key's publish URL (server URL + '/' + secret). */
export function ffmpegCommand(publishUrl: string, input = 'input.mp4'): string {
  return `ffmpeg -re -i ${shellQuote(input)} -c:v libx264 -preset veryfast -tune zerolatency -g 60 -c:a aac -f flv ${shellQuote(publishUrl)}`;
}

/** The ffmpeg test pattern (no input file needed). */
export function ffmpegTestPatternCommand(publishUrl: string): string {
  return `ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440 -c:v libx264 -preset veryfast -tune zerolatency -g 60 -pix_fmt yuv420p -c:a aac -f flv ${shellQuote(publishUrl)}`;
}

/** Where players reach a stream: rtmp://host[:port]/app/name, from a key's server URL. */
export function playUrl(serverUrl: string, publicName: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/${publicName}`;
}
