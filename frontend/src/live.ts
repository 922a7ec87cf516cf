/**
 * Polls the live streams every two seconds while the dashboard is open and keeps their recent
 * history: the totals for the overview's chart and each stream's bitrate for its sparkline.
 */
import { api, type StreamView } from './api';

export const POLL_MS = 2000;
/** How much history the overview chart shows. */
export const HISTORY_SECONDS = 10 * 60;
/** How much each sparkline shows. */
export const SPARK_SECONDS = 2 * 60;

export interface Totals {
  /** unix seconds */
  t: number;
  streams: number;
  players: number;
  bitsIn: number;
  bitsOut: number;
}

export interface Snapshot {
  streams: StreamView[];
  totals: Totals;
  error: unknown;
}

export const streamId = (s: { app: string; name: string }) => `${s.app}/${s.name}`;

export function totalsOf(streams: StreamView[], t: number): Totals {
  let players = 0;
  let bitsIn = 0;
  let bitsOut = 0;
  let live = 0;
  for (const s of streams) {
    if (s.live) live++;
    players += s.players || 0;
    bitsIn += s.bitrateIn || 0;
    bitsOut += s.bitrateOut || 0;
  }
  return { t, streams: live, players, bitsIn, bitsOut };
}

/** Drops what is older than the window. */
export function trimHistory<T extends { t: number }>(points: T[], now: number, windowSeconds: number): T[] {
  const from = now - windowSeconds;
  let i = 0;
  while (i < points.length && points[i].t < from) i++;
  return i === 0 ? points : points.slice(i);
}

const STORAGE = 'sluice.traffic';

export class LiveMonitor {
  history: Totals[] = [];
  readonly spark = new Map<string, { t: number[]; v: number[] }>();
  latest: Snapshot | null = null;
  private listeners = new Set<(s: Snapshot) => void>();
  private timer: number | undefined;
  private inFlight = false;

  constructor(private readonly fetchStreams: () => Promise<StreamView[]> = () => api.streams()) {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE) ?? '[]') as Totals[];
      if (Array.isArray(saved)) this.history = trimHistory(saved.filter((p) => typeof p?.t === 'number'), Date.now() / 1000, HISTORY_SECONDS);
    } catch {
      this.history = [];
    }
  }

  /** Calls back with every poll (at once with the last one, if any); returns the unsubscribe. */
  subscribe(listener: (s: Snapshot) => void): () => void {
    this.listeners.add(listener);
    if (this.latest) listener(this.latest);
    this.start();
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer !== undefined) return;
    void this.poll();
    this.timer = window.setInterval(() => void this.poll(), POLL_MS);
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Polls now (after a kick, say) instead of waiting for the next tick. */
  refresh(): Promise<void> {
    return this.poll();
  }

  async poll(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const streams = await this.fetchStreams();
      this.record(streams, Date.now() / 1000);
    } catch (error) {
      this.latest = { streams: this.latest?.streams ?? [], totals: this.latest?.totals ?? totalsOf([], Date.now() / 1000), error };
      this.emit();
    } finally {
      this.inFlight = false;
    }
  }

  record(streams: StreamView[], t: number): void {
    const totals = totalsOf(streams, t);
    this.history = trimHistory([...this.history, totals], t, HISTORY_SECONDS);
    const seen = new Set<string>();
    for (const s of streams) {
      const id = streamId(s);
      seen.add(id);
      const series = this.spark.get(id) ?? { t: [], v: [] };
      series.t.push(t);
      series.v.push(s.bitrateIn || 0);
      while (series.t.length && series.t[0] < t - SPARK_SECONDS) {
        series.t.shift();
        series.v.shift();
      }
      this.spark.set(id, series);
    }
    for (const id of [...this.spark.keys()]) if (!seen.has(id)) this.spark.delete(id);
    try {
      sessionStorage.setItem(STORAGE, JSON.stringify(this.history));
    } catch {
      // private mode or full: the chart starts over on reload
    }
    this.latest = { streams, totals, error: null };
    this.emit();
  }

  private emit(): void {
    if (!this.latest) return;
    for (const l of this.listeners) l(this.latest);
  }
}

export const monitor = new LiveMonitor();
