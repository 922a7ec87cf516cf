import { describe, expect, it } from 'vitest';
import {
  codecName,
  ffmpegCommand,
  formatBitrate,
  formatBytes,
  formatClock,
  formatCodecs,
  formatDuration,
  formatFps,
  formatRelative,
  formatResolution,
  isoToLocalInput,
  localInputToIso,
  playUrl,
  shellQuote,
} from './format';

describe('formatters', () => {
  it('bitrates', () => {
    expect(formatBitrate(0)).toBe('0 b/s');
    expect(formatBitrate(999)).toBe('999 b/s');
    expect(formatBitrate(1500)).toBe('1.5 kb/s');
    expect(formatBitrate(850_000)).toBe('850 kb/s');
    expect(formatBitrate(2_450_000)).toBe('2.45 Mb/s');
    expect(formatBitrate(6_000_000)).toBe('6 Mb/s');
    expect(formatBitrate(120_000_000)).toBe('120 Mb/s');
    expect(formatBitrate(1_200_000_000)).toBe('1.2 Gb/s');
    expect(formatBitrate(null)).toBe('—');
    expect(formatBitrate(-1)).toBe('—');
  });

  it('bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12.3 * 1024 * 1024)).toBe('12.3 MiB');
    expect(formatBytes(1024 ** 3)).toBe('1 GiB');
    expect(formatBytes(undefined)).toBe('—');
  });

  it('clocks and durations', () => {
    expect(formatClock(7)).toBe('0:07');
    expect(formatClock(245)).toBe('4:05');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(2 * 86400 + 3 * 3600)).toBe('2d 03:00:00');
    expect(formatClock(null)).toBe('—');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(245)).toBe('4 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3720)).toBe('1 h 2 min');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 5)).toBe('3 d 4 h');
  });

  it('media facts', () => {
    expect(formatResolution(1280, 720)).toBe('1280×720');
    expect(formatResolution(0, 0)).toBe('—');
    expect(formatFps(30)).toBe('30');
    expect(formatFps(29.97)).toBe('29.97');
    expect(formatFps(25.5)).toBe('25.5');
    expect(formatFps(0)).toBe('—');
    expect(formatCodecs('H.264', 'AAC')).toBe('H.264 / AAC');
    expect(formatCodecs('AVC', null)).toBe('H.264 (no audio)');
    expect(formatCodecs(null, 'Opus')).toBe('Opus (audio only)');
    expect(formatCodecs(null, null)).toBe('—');
    expect(codecName('HEVC')).toBe('HEVC');
    expect(codecName('something new')).toBe('something new');
  });

  it('relative times', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(formatRelative('2025-01-01T12:00:00Z', now)).toBe('just now');
    expect(formatRelative('2025-01-01T11:59:18Z', now)).toBe('42 s ago');
    expect(formatRelative('2025-01-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2025-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2024-12-30T12:00:00Z', now)).toBe('2 d ago');
    expect(formatRelative('2025-01-01T12:10:00Z', now)).toBe('in 10 min');
    expect(formatRelative(null, now)).toBe('never');
  });

  it('datetime-local inputs round-trip', () => {
    expect(localInputToIso('')).toBeNull();
    const iso = localInputToIso('2025-03-04T05:06')!;
    expect(isoToLocalInput(iso)).toBe('2025-03-04T05:06');
    expect(isoToLocalInput(null)).toBe('');
  });
});

describe('commands', () => {
  it('quotes shell words only when needed', () => {
    expect(shellQuote('rtmp://127.0.0.1:1935/live/q3Zx-_9')).toBe('rtmp://127.0.0.1:1935/live/q3Zx-_9');
    expect(shellQuote('my file.mp4')).toBe(`'my file.mp4'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });

  it('builds the ffmpeg command and the play URL', () => {
    expect(ffmpegCommand('rtmp://h:1936/live/SECRET')).toBe(
      'ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -g 60 -c:a aac -f flv rtmp://h:1936/live/SECRET');
    expect(ffmpegCommand('rtmp://h/live/<stream key>')).toContain(`'rtmp://h/live/<stream key>'`);
    expect(playUrl('rtmp://h/live/', 'cam')).toBe('rtmp://h/live/cam');
  });
});
