// The page's charts, as inline SVG: bars per day or week, and one stacked bar per facet.

import { svg } from './dom.js';
import { duration } from './format.js';

const FORM_COLORS = ['#2f6fdf', '#e0892b', '#1f8a5b', '#8e5bd8', '#d0465e'];
const UNKNOWN_COLOR = '#a9b0bd';

/** Bars for `[{label, value}]` (minutes); `highlight` marks one bar (today, this week). */
export function barChart(points, { width = 560, height = 150, highlight } = {}) {
  const top = 18;
  const bottom = 22;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = width / points.length;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' });
  chart.append(svg('line', {
    class: 'grid-line', x1: 0, x2: width, y1: height - bottom, y2: height - bottom,
  }));
  points.forEach((point, i) => {
    const h = ((height - top - bottom) * point.value) / max;
    const x = i * slot + slot * 0.18;
    const bar = svg('rect', {
      class: `bar${point.value ? '' : ' empty'}${highlight === i ? ' now' : ''}`,
      x, y: height - bottom - Math.max(h, 2), width: slot * 0.64, height: Math.max(h, 2), rx: 3,
    });
    bar.append(svg('title', {}, `${point.label}: ${duration(point.value)}`));
    chart.append(bar);
    if (point.value) {
      chart.append(svg('text', {
        class: 'value', x: x + slot * 0.32, y: height - bottom - h - 5, 'text-anchor': 'middle',
      }, Math.round(point.value)));
    }
    chart.append(svg('text', {
      x: x + slot * 0.32, y: height - 5, 'text-anchor': 'middle',
    }, point.label));
  });
  chart.setAttribute('aria-label', points.map((p) => `${p.label} ${duration(p.value)}`).join(', '));
  return chart;
}

/** The colour of one facet value (CSS `--c-<key>` where the page defines one). */
export function colorOf(facet, key, index) {
  if (key === 'unknown') return UNKNOWN_COLOR;
  if (facet === 'form') return FORM_COLORS[index % FORM_COLORS.length];
  return getComputedStyle(document.documentElement).getPropertyValue(`--c-${key}`).trim()
    || FORM_COLORS[index % FORM_COLORS.length];
}

/** One bar split by a facet's values `[{key, label, minutes}]`. */
export function stackedBar(facet, values) {
  const width = 560;
  const total = values.reduce((sum, v) => sum + v.minutes, 0);
  const chart = svg('svg', { viewBox: `0 0 ${width} 22`, role: 'img', class: `facet-${facet}` });
  chart.setAttribute('aria-label', values.map((v) => `${v.label} ${duration(v.minutes)}`).join(', '));
  if (!total) {
    chart.append(svg('rect', { class: 'bar empty', x: 0, y: 0, width, height: 22, rx: 5 }));
    return chart;
  }
  let x = 0;
  values.forEach((value, i) => {
    if (!value.minutes) return;
    const w = (width * value.minutes) / total;
    const rect = svg('rect', { x, y: 0, width: Math.max(w - 1, 1), height: 22 });
    rect.setAttribute('fill', colorOf(facet, value.key, i));
    rect.append(svg('title', {}, `${value.label}: ${duration(value.minutes)}`));
    chart.append(rect);
    x += w;
  });
  return chart;
}
