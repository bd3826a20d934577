// The deepest dive of the week and its quick wins.

import { card, el, link, more } from './dom.js';
import { duration } from './format.js';

export default {
  id: 'highlights',
  render(data) {
    const d = data.deepest_dive;
    const wins = data.quick_wins;
    return card('highlights', 'Deepest dive',
      d
        ? el('p', {}, link(d.title, d.url),
          el('span', { class: 'muted', text: ` · ${duration(d.minutes)} on ${d.day}` }))
        : el('p', { class: 'muted', text: 'No learning this week yet.' }),
      el('h2', { text: `Quick wins (${wins.total})` }),
      wins.items.length
        ? el('ul', { class: 'items' }, wins.items.map((q) => el('li', {},
          el('span', { class: 'item-main' }, link(q.title, q.url),
            q.search_query ? el('span', { class: 'query', text: `you searched “${q.search_query}”` })
              : null))))
        : el('p', { class: 'muted', text: 'No just-in-time lookups this week.' }),
      more(wins, 'quick wins'));
  },
};
