// Minutes learning per day, with today's bar marked (by the browser's own calendar day).

import { barChart } from './charts.js';
import { card } from './dom.js';
import { localDay } from './format.js';

export default {
  id: 'days',
  render(data) {
    const today = localDay();
    const points = data.days.map((d) => ({ label: d.weekday, value: d.minutes_learning }));
    const now = data.days.findIndex((d) => d.day === today);
    return card('days', 'Minutes learning per day',
      barChart(points, { highlight: now >= 0 ? now : undefined }));
  },
};
