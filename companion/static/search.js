// The search page: full-text over what was read, with filters, keyboard first. The box has the
// focus on load; Enter searches; ↓ and ↑ go through the results (↑ from the first, or Escape,
// goes back to the box); Enter opens the focused result. Filters live in the address
// (`/search?q=…&week=…`), so a search can be bookmarked or reloaded.
// Page text is only ever text: a snippet arrives as ranges `{text, hit}` and each hit becomes
// a <mark> built with DOM calls (dom.js), never markup.

import { searchCaptures, token } from './week/api.js';
import { el, link } from './week/dom.js';
import { say, sayError } from './week/status.js';

const PAGE_SIZE = 20;
const FIELDS = ['q', 'learning', 'site', 'week', 'concept'];
const $ = (id) => document.getElementById(id);
let shown = { filters: null, count: 0 };

/** The form's filters: `{q, learning, site, week, concept}` (empty ones are '' or false). */
function readForm() {
  return Object.fromEntries(FIELDS.map((name) => {
    const input = $(name);
    return [name, input.type === 'checkbox' ? input.checked : input.value.trim()];
  }));
}

function fillForm(params) {
  for (const name of FIELDS) {
    const input = $(name);
    if (input.type === 'checkbox') input.checked = params.get(name) === 'true';
    else input.value = params.get(name) ?? '';
  }
}

/** A snippet's ranges as text and <mark> nodes. */
function snippet(ranges) {
  return el('p', { class: 'snippet' },
    ranges.map((range) => (range.hit ? el('mark', { text: range.text }) : range.text)));
}

function result(item) {
  const day = el('time', { datetime: item.day, text: item.day });
  return el('li', { class: 'result' },
    el('h3', {}, link(item.title || item.url, item.url)),
    el('p', { class: 'meta' },
      el('span', { class: 'site', text: item.site }), ' · ', day, ' · ',
      el('a', { href: `/week/${item.week}`, class: 'week-link', text: item.week }),
      item.learning ? el('span', { class: 'badge', text: 'learning' }) : null),
    item.snippet.length ? snippet(item.snippet) : null);
}

function describe(page, filters) {
  const count = page.total_capped ? `${page.total.toLocaleString()}+` : page.total.toLocaleString();
  const noun = page.total === 1 ? 'capture' : 'captures';
  return filters.q ? `${count} ${noun} match “${filters.q}”` : `${count} ${noun}`;
}

async function run(filters, { append = false } = {}) {
  const offset = append ? shown.count : 0;
  say('Searching…');
  let page;
  try {
    page = await searchCaptures(filters, { limit: PAGE_SIZE, offset });
  } catch (error) {
    sayError(error.message);
    return;
  }
  say('');
  const items = page.items.map(result);
  if (append) $('results').append(...items);
  else $('results').replaceChildren(...items);
  shown = { filters, count: offset + page.items.length };
  $('summary').textContent = page.total ? describe(page, filters) : 'Nothing found.';
  $('more-line').hidden = shown.count >= page.total;
  document.body.dataset.searched = filters.q;
}

function search() {
  const filters = readForm();
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  history.replaceState(null, '', `/search${params.size ? `?${params}` : ''}`);
  run(filters);
}

function resultLinks() {
  return [...document.querySelectorAll('#results .result h3 a')];
}

/** ↓/↑ through the results, from the box or a result; Escape back to the box. */
function onKey(event) {
  const links = resultLinks();
  const at = links.indexOf(document.activeElement);
  const inBox = document.activeElement === $('q');
  if (event.key === 'ArrowDown' && (inBox || at >= 0) && links.length) {
    links[Math.min(at + 1, links.length - 1)].focus();
  } else if (event.key === 'ArrowUp' && at >= 0) {
    if (at === 0) $('q').focus();
    else links[at - 1].focus();
  } else if (event.key === 'Escape' && at >= 0) {
    $('q').focus();
  } else {
    return;
  }
  event.preventDefault();
}

function start() {
  if (!token) {
    document.querySelector('main').replaceChildren(el('section', { class: 'card message' },
      el('h2', { text: 'Open this page from Inflow' }),
      el('p', { text: 'Open the search from the Inflow extension’s popup, or from the weekly '
        + 'page: this page needs the companion’s token, which it brings.' })));
    return;
  }
  $('search').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  $('more').addEventListener('click', () => run(shown.filters, { append: true }));
  document.addEventListener('keydown', onKey);
  const params = new URLSearchParams(location.search);
  fillForm(params);
  $('q').focus();
  if (FIELDS.some((name) => params.get(name))) run(readForm());
  document.body.dataset.ready = 'true';
}

start();
