// The week's learning threads: their concepts (rename, merge), takeaways and sources.

import { mergeConcept, renameConcept } from './api.js';
import { card, el, link, more } from './dom.js';
import { duration, plural } from './format.js';
import { itemRow } from './item-row.js';

let fieldCount = 0;

function conceptEditor(concept, allConcepts, page) {
  const nameId = `concept-name-${++fieldCount}`;
  const targetId = `concept-into-${fieldCount}`;
  const name = el('input', { type: 'text', id: nameId, value: concept.label });
  const target = el('select', { id: targetId },
    el('option', { value: '', text: 'choose a concept…' }),
    allConcepts.filter((c) => c.id !== concept.id)
      .map((c) => el('option', { value: c.id, text: c.label })));
  const rename = el('button', {
    type: 'button', text: 'Rename', 'data-focus': `threads:rename:${concept.id}`,
    onclick: () => page.act(() => renameConcept(concept.id, name.value), {
      from: rename, focus: [`threads:chip:${concept.id}`], says: `Renamed to “${name.value}”.`,
    }),
  });
  const merge = el('button', {
    type: 'button', text: 'Merge', 'data-focus': `threads:merge:${concept.id}`,
    onclick: () => {
      if (!target.value) return;
      const into = allConcepts.find((c) => c.id === Number(target.value));
      page.act(() => mergeConcept(concept.id, into.id), {
        from: merge, focus: [`threads:chip:${into.id}`],
        says: `Merged “${concept.label}” into “${into.label}”.`,
      });
    },
  });
  return el('div', { class: 'concept-edit' },
    el('span', { text: `“${concept.label}”:` }),
    el('label', { for: nameId, text: 'New name' }), name, rename,
    el('label', { for: targetId, text: 'Merge into' }), target, merge);
}

function thread(item, allConcepts, page) {
  const counts = [plural(item.pages, 'page'), item.videos && plural(item.videos, 'video'),
    item.audio && plural(item.audio, 'podcast')].filter((c) => c && !c.startsWith('0 '));
  const status = item.status === 'continued'
    ? el('span', { class: 'badge continued', text: `continued since ${item.first_seen}` })
    : el('span', { class: 'badge', text: 'new this week' });
  const editorSlot = el('div');
  const chips = el('div', { class: 'chips' }, item.concepts.map((concept) => el('button', {
    type: 'button', class: 'chip', text: `${concept.label} · ${concept.captures}`,
    'aria-expanded': 'false', title: 'Rename or merge this concept',
    'data-focus': `threads:chip:${concept.id}`,
    onclick: (event) => {
      const open = event.currentTarget.getAttribute('aria-expanded') === 'true';
      chips.querySelectorAll('.chip').forEach((c) => c.setAttribute('aria-expanded', 'false'));
      editorSlot.replaceChildren();
      if (!open) {
        event.currentTarget.setAttribute('aria-expanded', 'true');
        editorSlot.append(conceptEditor(concept, allConcepts, page));
      }
    },
  })));
  return el('article', { class: 'thread', 'data-thread': item.id },
    el('div', { class: 'thread-head' }, el('h3', { text: item.label }), status),
    el('p', { class: 'meta', text: `${counts.join(', ')} · ${duration(item.minutes)} · ${item.span}` }),
    chips, editorSlot,
    item.takeaways.map((t) => el('blockquote', {}, t.sentence, ' ', link('source', t.url))),
    el('ul', { class: 'items' },
      item.captures.items.map((capture) => itemRow(capture, page, { section: 'threads' }))),
    more(item.captures, 'sources'));
}

export default {
  id: 'threads',
  render(data, page) {
    const all = data.threads.items.flatMap((t) => t.concepts);
    const unique = [...new Map(all.map((c) => [c.id, c])).values()];
    return card('threads', `Threads (${data.threads.total})`,
      data.threads.items.length
        ? data.threads.items.map((t) => thread(t, unique, page))
        : el('p', {
          class: 'muted',
          text: 'No threads yet: a thread appears when two things you learned share a concept.',
        }),
      more(data.threads, 'threads'));
  },
};
