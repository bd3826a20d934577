// The week's title, its four numbers, and the kind message of an empty or light week.

import { el } from './dom.js';
import { duration, plural } from './format.js';

function stat(value, label) {
  return el('div', { class: 'stat' }, el('b', { text: value }), el('span', { text: label }));
}

function message(data) {
  const m = data.message;
  if (!m) return null;
  return el('section', { class: 'card message', id: 'message' },
    el('h2', { text: m.title }), el('p', { text: m.text }),
    el('p', { class: 'muted', text: m.suggestion }));
}

export default {
  id: 'summary',
  render(data) {
    const t = data.totals;
    const title = data.is_current ? 'Your learning this week' : `Your learning week ${data.week}`;
    return el('div', { id: 'summary' },
      el('h1', { text: title }),
      el('p', { class: 'sub', text: `${data.week} · ${data.start} to ${data.end}` }),
      el('section', { class: 'stats', id: 'stats' },
        stat(duration(t.minutes_learning), 'learning'),
        stat(t.learning_items, `learning items (of ${t.captures} captured)`),
        stat(`${t.days_with_learning}/7`, 'days with learning'),
        data.is_current
          ? stat(plural(data.streak.current, 'day'), 'streak of days with learning')
          : stat(plural(data.streak.longest_in_week, 'day'), 'in a row, at best this week')),
      message(data));
  },
};
