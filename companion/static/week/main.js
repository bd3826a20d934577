// The weekly page: draws the week from the API (sections.js lists what it shows) and, after
// each action (a tag corrected, a page deleted, concepts merged), fetches the week again and
// redraws section by section: the reflection boxes are updated in place, never redrawn, and
// a redrawn section keeps the user's focus and unsent choices (focus.js, keep.js).

import { getMarkdown, getWeek, token } from './api.js';
import { el } from './dom.js';
import { focusPlan, restoreFocus } from './focus.js';
import { keep, restore } from './keep.js';
import { LAYOUT } from './sections.js';
import { say, sayError } from './status.js';

const pathWeek = location.pathname.match(/^\/week\/(\d{4}-W\d{2})\/?$/);
const showAll = new URLSearchParams(location.search).get('all') === '1';
const drawn = new Map(); // section id -> its element on the page

const page = {
  week: pathWeek ? pathWeek[1] : 'current',
  vocabulary: null,
  /** The page of another week (keeping "show all"). */
  weekLink: (name) => `/week/${name}${showAll ? '?all=1' : ''}`,
  /**
   * Run `request` (an action on the journal), then redraw the week and say `says`. Focus goes
   * back to `focus` keys, else to the control the action started from or its neighbours.
   */
  async act(request, { from, focus = [], says }) {
    const keys = [...focus, ...focusPlan(from)];
    try {
      await request();
      draw(await getWeek(page.week, { all: showAll }));
    } catch (error) {
      sayError(error.message);
      return;
    }
    restoreFocus(keys);
    if (says) say(says);
  },
};

function section(spec, data) {
  const old = drawn.get(spec.id);
  if (old && spec.update) {
    spec.update(old, data, page);
    return old;
  }
  const node = spec.render(data, page);
  if (old) {
    restore(node, keep(old));
    old.replaceWith(node);
  }
  drawn.set(spec.id, node);
  return node;
}

function draw(data) {
  page.vocabulary = data.vocabulary;
  if (drawn.size === 0) {
    document.getElementById('app').replaceChildren(...LAYOUT.map((entry) => (Array.isArray(entry)
      ? el('div', { class: 'grid' }, entry.map((spec) => section(spec, data)))
      : section(entry, data))));
  } else {
    LAYOUT.flat().forEach((spec) => section(spec, data));
  }
  document.title = `${data.week} · Your learning week · Inflow`;
  document.body.dataset.loaded = data.week;
}

async function downloadMarkdown(name) {
  const text = await getMarkdown(name);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
  const anchor = el('a', { href: url, download: `inflow-${name}.md` });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}

async function start() {
  const app = document.getElementById('app');
  if (!token) {
    say('');
    app.replaceChildren(el('section', { class: 'card message' },
      el('h2', { text: 'Open this page from Inflow' }),
      el('p', { text: 'This page reads your journal with the key the extension holds. Open it '
        + 'with “This week →” in the Inflow popup.' })));
    return;
  }
  let data;
  try {
    data = await getWeek(page.week, { all: showAll });
  } catch (error) {
    sayError(error.message);
    app.replaceChildren(el('p', { class: 'card error', text: error.message }));
    return;
  }
  page.week = data.week;
  document.getElementById('prev').href = page.weekLink(data.previous_week);
  document.getElementById('next').href = page.weekLink(data.next_week);
  document.getElementById('markdown').onclick = (event) => {
    event.preventDefault();
    downloadMarkdown(data.week).catch((error) => sayError(error.message));
  };
  draw(data);
  say('');
}

start();
