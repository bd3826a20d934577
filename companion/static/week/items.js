// Everything the user learned from this week, and what was not counted as learning.

import { card, el, more } from './dom.js';
import { itemRow } from './item-row.js';

export default {
  id: 'items',
  render(data, page) {
    const section = card('items', `Everything you learned from (${data.items.total})`,
      el('ul', { class: 'items' },
        data.items.items.map((item) => itemRow(item, page, { section: 'items' }))),
      more(data.items, 'items'));
    if (data.not_learning.total) {
      section.append(el('details', { 'data-focus': 'items:not-learning-list' },
        el('summary', { text: `Not counted as learning (${data.not_learning.total})` }),
        el('ul', { class: 'items' }, data.not_learning.items.map((item) => itemRow(item, page, {
          section: 'items', learning: false,
        }))),
        more(data.not_learning, 'captures')));
    }
    return section;
  },
};
