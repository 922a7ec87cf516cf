/** uPlot charts: the overview's traffic chart and the streams' bitrate sparklines. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBitrate } from './format';

const css = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export interface Sparkline {
  el: HTMLElement;
  update(times: number[], values: number[]): void;
  destroy(): void;
}

/** A tiny line without axes: a stream's bitrate over the last minutes. */
export function sparkline(width = 110, height = 30): Sparkline {
  const el = document.createElement('div');
  el.className = 'sparkline';
  const color = css('--accent', '#0f8b8d');
  const plot = new uPlot({
    width,
    height,
    pxAlign: false,
    cursor: { show: false },
    legend: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.15] } },
    axes: [{ show: false }, { show: false }],
    series: [{}, { stroke: color, width: 1.5, fill: color + '22', points: { show: false } }],
  }, [[], []], el);
  return {
    el,
    update(times, values) {
      plot.setData([times, values]);
    },
    destroy() {
      plot.destroy();
    },
  };
}

export interface TrafficChart {
  update(times: number[], bitsIn: number[], bitsOut: number[]): void;
  destroy(): void;
}

/** Bandwidth in and out over time, sized to its container. */
export function trafficChart(container: HTMLElement): TrafficChart {
  const inColor = css('--accent', '#0f8b8d');
  const outColor = css('--accent-2', '#e07a2f');
  const axisColor = css('--muted', '#6b7785');
  const gridColor = css('--grid', 'rgba(0,0,0,0.07)');
  const width = Math.max(280, container.clientWidth || 600);
  const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
  const plot = new uPlot({
    width,
    height: 240,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      // at least the last minute, so that an empty or young chart still has a sensible time axis
      x: { range: (_u, min, max) => {
        const end = max ?? Date.now() / 1000;
        return [Math.min(min ?? end, end - 60), end];
      } },
      y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, 1000) * 1.15] },
    },
    axes: [
      { ...axis },
      { ...axis, size: 80, values: (_u, splits) => splits.map((v) => formatBitrate(v)) },
    ],
    series: [
      {},
      { label: 'In (publishers)', stroke: inColor, width: 2, fill: inColor + '1f', value: (_u, v) => formatBitrate(v), points: { show: false } },
      { label: 'Out (players)', stroke: outColor, width: 2, value: (_u, v) => formatBitrate(v), points: { show: false } },
    ],
  }, [[], [], []], container);
  const resize = new ResizeObserver(() => {
    const w = container.clientWidth;
    if (w > 0 && Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height: 240 });
  });
  resize.observe(container);
  return {
    update(times, bitsIn, bitsOut) {
      if (times.length < 2) {
        // too little to range the time axis on: show the last minute, empty
        const end = times[0] ?? Date.now() / 1000;
        plot.setData([[end - 60, end], [null, bitsIn[0] ?? null], [null, bitsOut[0] ?? null]]);
        return;
      }
      plot.setData([times, bitsIn, bitsOut]);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
