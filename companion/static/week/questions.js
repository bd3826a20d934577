// The searches of the week and what answered them.

import { card, el, link, more } from './dom.js';
import { duration } from './format.js';

function question(q) {
  const answers = q.answered_by.length
    ? el('ul', { class: 'items' }, q.answered_by.map((a) => el('li', {},
      el('span', { class: 'item-main' }, link(a.title, a.url)),
      el('span', { class: 'muted small', text: duration(a.minutes) }))))
    : el('p', { class: 'muted small', text: 'Nothing you opened looked like the answer.' });
  return el('div', { class: 'question' }, el('b', { text: `“${q.query}”` }), answers);
}

export default {
  id: 'questions',
  render(data) {
    return card('questions', `Questions you asked (${data.questions.total})`,
      data.questions.items.length
        ? data.questions.items.map(question)
        : el('p', { class: 'muted', text: 'No searches this week.' }),
      more(data.questions, 'questions'));
  },
};
