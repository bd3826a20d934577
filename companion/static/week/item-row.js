// One page of the week in a list, with its tools: correct its tags, say it was not learning
// (or was), delete it. Every tool acts on all the page's visits and goes through `page.act`,
// which redraws the lists and keeps focus nearby.

import { correctTags, deleteItem } from './api.js';
import { el, link } from './dom.js';
import { duration } from './format.js';
import { facetsOf, labelOf } from './vocabulary.js';

let selectCount = 0;

function tagForm(item, page, key) {
  const form = el('span', { class: 'tag-form' });
  const selects = {};
  for (const [facet, words] of facetsOf(page.vocabulary)) {
    const id = `tag-${++selectCount}`;
    const choices = words.values.map((v) => el('option', {
      value: v.key, text: v.label, selected: item[facet] === v.key,
    }));
    if (!item[facet]) {
      choices.unshift(el('option', {
        value: '', text: labelOf(page.vocabulary, facet, 'unknown'), selected: true,
      }));
    }
    selects[facet] = el('select', { id, 'data-focus': key(`tag-${facet}`) }, choices);
    form.append(el('label', { class: 'tag-field', for: id }, el('span', { text: words.title })),
      selects[facet]);
  }
  const save = el('button', {
    type: 'button', text: 'Save tags', 'data-focus': key('tag-save'),
    onclick: () => {
      const tags = Object.fromEntries(Object.entries(selects)
        .filter(([, select]) => select.value).map(([facet, select]) => [facet, select.value]));
      page.act(() => correctTags(item, tags), {
        from: save, says: `Tags of “${item.title}” corrected.`,
      });
    },
  });
  form.append(save);
  return el('details', { class: 'tags', 'data-focus': key('tags') },
    el('summary', { text: 'tags' }), form);
}

/** A list row for `item` in section `section`; `learning` says which tools it offers. */
export function itemRow(item, page, { section, learning = true }) {
  const key = (action) => `${section}:${action}:${item.id}`;
  const tools = el('span', { class: 'item-tools' });
  if (learning) {
    const notLearning = el('button', {
      type: 'button', text: 'Not learning', class: 'not-learning', 'data-id': item.id,
      'data-focus': key('not-learning'),
      onclick: () => page.act(() => correctTags(item, { is_learning: false }), {
        from: notLearning, says: `“${item.title}” is no longer counted as learning.`,
      }),
    });
    tools.append(tagForm(item, page, key), notLearning);
  } else {
    const learned = el('button', {
      type: 'button', text: 'Mark as learning', class: 'mark-learning', 'data-id': item.id,
      'data-focus': key('mark-learning'),
      onclick: () => page.act(() => correctTags(item, { is_learning: true }), {
        from: learned, says: `“${item.title}” counts as learning again.`,
      }),
    });
    tools.append(learned);
  }
  const remove = el('button', {
    type: 'button', text: 'Delete', class: 'delete', 'data-id': item.id, 'data-focus': key('delete'),
    onclick: () => {
      const visits = item.capture_ids?.length ?? 1;
      const what = visits > 1 ? `its ${visits} visits` : 'this visit';
      if (!confirm(`Delete “${item.title}” (${what}) from your journal? This cannot be undone.`)) return;
      page.act(() => deleteItem(item), { from: remove, says: `Deleted “${item.title}”.` });
    },
  });
  tools.append(remove);
  const visits = item.visits > 1 ? `${item.visits} visits` : null;
  const detail = [item.kind === 'page' ? null : item.kind, duration(item.minutes), visits,
    item.day.slice(5)].filter(Boolean).join(' · ');
  return el('li', {},
    el('span', { class: 'item-main' }, link(item.title, item.url),
      el('span', { class: 'muted small', text: ` ${detail}` })),
    tools);
}
