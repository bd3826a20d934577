// Minutes learning per week over the previous weeks, and how this week compares.

import { barChart } from './charts.js';
import { card, el } from './dom.js';
import { duration } from './format.js';

function note(data) {
  const previous = data.trend.slice(0, -1).map((w) => w.minutes_learning);
  const average = previous.reduce((a, b) => a + b, 0) / Math.max(previous.length, 1);
  const now = data.totals.minutes_learning;
  if (average > 0 && average < 10) {
    if (now < average) return `Below your average of ${duration(average)} a week.`;
    return `Up from an average of ${duration(average)} a week over the previous `
      + `${previous.length} weeks.`;
  }
  if (average > 0) {
    const change = Math.round(((now - average) / average) * 100);
    return `${change >= 0 ? '+' : ''}${change}% against your average of ${duration(average)} `
      + `over the previous ${previous.length} weeks.`;
  }
  return 'No earlier weeks to compare with yet.';
}

export default {
  id: 'trend',
  render(data) {
    const points = data.trend.map((w) => ({ label: w.week.slice(5), value: w.minutes_learning }));
    return card('trend', 'Trend',
      barChart(points, { width: 1000, height: 170, highlight: points.length - 1 }),
      el('p', { class: 'small muted', text: note(data) }));
  },
};
