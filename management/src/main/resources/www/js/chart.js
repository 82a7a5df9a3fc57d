// A live time-series chart: uPlot (from the uPlot WebJar) over a rolling window of samples taken by polling,
// with a legend of our own that always shows the latest value of each series.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';

const COLORS = ['#2f6fdf', '#e0792b', '#2e9e5b', '#c0392b', '#8e44ad', '#7f8c8d'];

/** The columns of a chart with `count` series: times, then one column per series. */
export const emptyHistory = (count) => [[], ...Array.from({ length: count }, () => [])];

export class LiveChart {
  /**
   * @param container element to draw into
   * @param series [{label, unit}] in drawing order
   * @param format value -> text for the legend
   * @param integer whether values are counts (no fractional ticks on the y axis)
   * @param history columns kept by the caller across page visits (see emptyHistory), so the chart
   *        still shows the last minutes when the user comes back to the page
   * @param windowSeconds how much history stays on screen
   */
  constructor(container, id, series, format, integer, history, windowSeconds = 600) {
    this.series = series;
    this.format = format;
    this.windowSeconds = windowSeconds;
    this.data = history;
    this.plotBox = h('div', { class: 'chart-plot' });
    this.legend = h('ul', { class: 'chart-legend' });
    this.values = series.map((s, i) => {
      const value = h('span', { class: 'legend-value', dataset: { series: s.key } }, '–');
      this.legend.append(h('li', null,
        h('span', { class: 'swatch', style: `background:${COLORS[i % COLORS.length]}` }), h('span', { class: 'legend-label' }, s.label), value));
      return value;
    });
    this.root = h('div', { class: 'chart', id, dataset: { samples: '0' } }, this.plotBox, this.legend);
    container.append(this.root);
    this.plot = new uPlot({
      width: this.width(),
      height: 200,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // At least a minute of axis, so the first samples do not stretch over a degenerate range.
        x: { time: true, range: (u, min, max) => (max - min < 60 ? [max - 60, max] : [min, max]) },
        y: { range: (u, min, max) => [0, Math.max(integer ? 4 : 1, max * 1.15)] },
      },
      axes: [
        { stroke: '#667', grid: { stroke: '#eceef3' }, ticks: { stroke: '#eceef3' } },
        { stroke: '#667', grid: { stroke: '#eceef3' }, ticks: { stroke: '#eceef3' }, size: 60,
          incrs: integer ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8, 1e9] : undefined,
          values: (u, vals) => vals.map((v) => format(v, true)) },
      ],
      series: [{}, ...series.map((s, i) => ({
        label: s.label, stroke: COLORS[i % COLORS.length], width: 2,
        fill: COLORS[i % COLORS.length] + '14', points: { show: false },
      }))],
    }, this.data, this.plotBox);
    this.onResize = () => this.plot.setSize({ width: this.width(), height: 200 });
    this.showLatest();
    window.addEventListener('resize', this.onResize);
  }

  width() {
    return Math.max(300, (this.root ? this.root.clientWidth : 600) - 8);
  }

  /** Adds one sample taken at `seconds` (epoch seconds); values in series order, null for unknown. */
  push(seconds, values) {
    this.data[0].push(seconds);
    values.forEach((v, i) => this.data[i + 1].push(v === undefined ? null : v));
    const oldest = seconds - this.windowSeconds;
    while (this.data[0].length > 2 && this.data[0][0] < oldest) this.data.forEach((col) => col.shift());
    if (this.plot.width !== this.width()) this.onResize();
    this.plot.setData(this.data);
    this.showLatest();
  }

  showLatest() {
    const last = this.data[0].length - 1;
    this.values.forEach((el, i) => {
      const v = last >= 0 ? this.data[i + 1][last] : null;
      el.textContent = v === null || v === undefined ? '–' : this.format(v);
      el.dataset.value = v === null || v === undefined ? '' : String(v);
    });
    this.root.dataset.samples = String(this.data[0].length);
  }

  destroy() {
    window.removeEventListener('resize', this.onResize);
    this.plot.destroy();
  }
}
