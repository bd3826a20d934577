// The weekly page: reads the token from the URL fragment (the popup's link), keeps it in this
// tab's sessionStorage, removes it from the address bar, and draws the week from the API.
// Everything is built with DOM calls and textContent: no page data ever becomes markup.

const TOKEN_KEY = 'inflow.token';
const SVG = 'http://www.w3.org/2000/svg';
const FACET_TITLES = { modality: 'Modality', four_e: "The 4 E's", form: 'Form' };
const TAG_CHOICES = {
  form: ['just-in-time', 'micro', 'deep-dive', 'reference', 'course'],
  modality: ['reading', 'watching', 'listening', 'doing'],
  four_e: ['education', 'exposure', 'experience', 'environment'],
};
const FORM_COLORS = ['#2f6fdf', '#e0892b', '#1f8a5b', '#8e5bd8', '#d0465e'];

function takeToken() {
  const match = location.hash.match(/(?:^#|&)token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const token = takeToken();
const pathWeek = location.pathname.match(/^\/week\/(\d{4}-W\d{2})\/?$/);
const week = pathWeek ? pathWeek[1] : 'current';
const showAll = new URLSearchParams(location.search).get('all') === '1';

async function api(method, path, body) {
  const reply = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!reply.ok) {
    let message = `the companion answered ${reply.status}`;
    try {
      message = (await reply.json()).error.message;
    } catch { /* not the error shape: keep the status */ }
    throw new Error(message);
  }
  return reply.headers.get('content-type')?.includes('json') ? reply.json() : reply.text();
}

// ---- tiny DOM helpers ----------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function duration(minutes) {
  const whole = Math.round(minutes);
  if (whole < 1) return minutes > 0 ? '< 1 min' : '0 min';
  if (whole < 60) return `${whole} min`;
  const rest = whole % 60;
  return rest ? `${Math.floor(whole / 60)} h ${rest} min` : `${whole / 60} h`;
}

function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function link(title, url) {
  return el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: title });
}

function weekLink(name) {
  return `/week/${name}${showAll ? '?all=1' : ''}`;
}

// ---- charts (inline SVG) -------------------------------------------------------------------

function barChart(points, { width = 560, height = 150, highlight } = {}) {
  const top = 18;
  const bottom = 22;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = width / points.length;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' });
  chart.append(svg('line', {
    class: 'grid-line', x1: 0, x2: width, y1: height - bottom, y2: height - bottom,
  }));
  points.forEach((point, i) => {
    const h = ((height - top - bottom) * point.value) / max;
    const x = i * slot + slot * 0.18;
    const bar = svg('rect', {
      class: `bar${point.value ? '' : ' empty'}${highlight === i ? ' now' : ''}`,
      x, y: height - bottom - Math.max(h, 2), width: slot * 0.64, height: Math.max(h, 2), rx: 3,
    });
    bar.append(svg('title', {}, `${point.label}: ${duration(point.value)}`));
    chart.append(bar);
    if (point.value) {
      chart.append(svg('text', {
        class: 'value', x: x + slot * 0.32, y: height - bottom - h - 5, 'text-anchor': 'middle',
      }, Math.round(point.value)));
    }
    chart.append(svg('text', {
      x: x + slot * 0.32, y: height - 5, 'text-anchor': 'middle',
    }, point.label));
  });
  chart.setAttribute('aria-label', points.map((p) => `${p.label} ${duration(p.value)}`).join(', '));
  return chart;
}

function stackedBar(facet, values) {
  const width = 560;
  const total = values.reduce((sum, v) => sum + v.minutes, 0);
  const chart = svg('svg', { viewBox: `0 0 ${width} 22`, role: 'img', class: `facet-${facet}` });
  chart.setAttribute('aria-label', values.map((v) => `${v.key} ${duration(v.minutes)}`).join(', '));
  if (!total) {
    chart.append(svg('rect', { class: 'bar empty', x: 0, y: 0, width, height: 22, rx: 5 }));
    return chart;
  }
  let x = 0;
  values.forEach((value, i) => {
    if (!value.minutes) return;
    const w = (width * value.minutes) / total;
    const rect = svg('rect', { x, y: 0, width: Math.max(w - 1, 1), height: 22 });
    rect.setAttribute('fill', colorOf(facet, value.key, i));
    rect.append(svg('title', {}, `${value.key}: ${duration(value.minutes)}`));
    chart.append(rect);
    x += w;
  });
  return chart;
}

function colorOf(facet, key, index) {
  if (key === 'unknown') return '#a9b0bd';
  if (facet === 'form') return FORM_COLORS[index % FORM_COLORS.length];
  return getComputedStyle(document.documentElement).getPropertyValue(`--c-${key}`).trim()
    || FORM_COLORS[index % FORM_COLORS.length];
}

// ---- sections ------------------------------------------------------------------------------

function header(data) {
  const title = data.is_current ? 'Your learning this week' : `Your learning week ${data.week}`;
  return [
    el('h1', { text: title }),
    el('p', { class: 'sub', text: `${data.week} · ${data.start} to ${data.end}` }),
  ];
}

function stats(data) {
  const t = data.totals;
  const stat = (value, label) => el('div', { class: 'stat' }, el('b', { text: value }),
    el('span', { text: label }));
  return el('section', { class: 'stats', id: 'stats' },
    stat(duration(t.minutes_learning), 'learning'),
    stat(t.learning_items, `learning items (of ${t.captures} captured)`),
    stat(`${t.days_with_learning}/7`, 'days with learning'),
    data.is_current
      ? stat(plural(data.streak.current, 'day'), 'streak of days with learning')
      : stat(plural(data.streak.longest_in_week, 'day'), 'in a row, at best this week'));
}

function messageCard(message) {
  if (!message) return null;
  return el('section', { class: 'card message', id: 'message' },
    el('h2', { text: message.title }), el('p', { text: message.text }),
    el('p', { class: 'muted', text: message.suggestion }));
}

/** The user's calendar day (YYYY-MM-DD) in this browser's time zone, as captures are dated. */
function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function dayChart(data) {
  const today = localDay();
  const points = data.days.map((d) => ({ label: d.weekday, value: d.minutes_learning }));
  const now = data.days.findIndex((d) => d.day === today);
  return el('section', { class: 'card', id: 'days' }, el('h2', { text: 'Minutes learning per day' }),
    barChart(points, { highlight: now >= 0 ? now : undefined }));
}

function facets(data) {
  const card = el('section', { class: 'card', id: 'facets' }, el('h2', { text: 'How you learned' }));
  for (const facet of ['modality', 'four_e', 'form']) {
    const values = data[`by_${facet}`];
    const legend = el('div', { class: 'legend' });
    values.forEach((value, i) => {
      if (!value.items) return;
      const swatch = el('i');
      swatch.style.background = colorOf(facet, value.key, i);
      legend.append(el('span', {}, swatch, `${value.key} ${duration(value.minutes)}`));
    });
    card.append(el('div', { class: 'facet' }, el('h3', { text: FACET_TITLES[facet] }),
      stackedBar(facet, values), legend));
  }
  return card;
}

function trend(data) {
  const points = data.trend.map((w) => ({
    label: w.week.slice(5), value: w.minutes_learning,
  }));
  const previous = data.trend.slice(0, -1).map((w) => w.minutes_learning);
  const average = previous.reduce((a, b) => a + b, 0) / Math.max(previous.length, 1);
  const now = data.totals.minutes_learning;
  let note = 'No earlier weeks to compare with yet.';
  if (average > 0 && average < 10) {
    note = `Up from an average of ${duration(average)} a week over the previous `
      + `${previous.length} weeks.`;
    if (now < average) note = `Below your average of ${duration(average)} a week.`;
  } else if (average > 0) {
    const change = Math.round(((now - average) / average) * 100);
    note = `${change >= 0 ? '+' : ''}${change}% against your average of ${duration(average)} `
      + `over the previous ${previous.length} weeks.`;
  }
  return el('section', { class: 'card', id: 'trend' }, el('h2', { text: 'Trend' }),
    barChart(points, { width: 1000, height: 170, highlight: points.length - 1 }),
    el('p', { class: 'small muted', text: note }));
}

function conceptEditor(thread, concept, allConcepts, reload) {
  const box = el('div', { class: 'concept-edit' });
  const name = el('input', { type: 'text', value: concept.label, 'aria-label': 'New name' });
  const target = el('select', { 'aria-label': 'Merge into' },
    el('option', { value: '', text: 'merge into…' }),
    allConcepts.filter((c) => c.id !== concept.id)
      .map((c) => el('option', { value: c.id, text: c.label })));
  box.append(
    el('span', { text: `“${concept.label}”:` }), name,
    el('button', {
      text: 'Rename',
      onclick: () => act(() => api('PATCH', `/api/v1/concepts/${concept.id}`, { label: name.value }),
        reload),
    }),
    target,
    el('button', {
      text: 'Merge',
      onclick: () => target.value && act(() => api('POST', `/api/v1/concepts/${concept.id}/merge`,
        { into: Number(target.value) }), reload),
    }),
  );
  return box;
}

/** Apply the same tag change to every visit of an item's page. */
function correctAll(item, tags) {
  return Promise.all((item.capture_ids ?? [item.id])
    .map((id) => api('PUT', `/api/v1/captures/${id}/tags`, tags)));
}

function itemRow(item, reload, { learning = true } = {}) {
  const tools = el('span', { class: 'item-tools' });
  if (learning) {
    const form = el('span', { class: 'tag-form' });
    const selects = {};
    for (const [facet, choices] of Object.entries(TAG_CHOICES)) {
      selects[facet] = el('select', { 'aria-label': facet },
        choices.map((c) => el('option', { value: c, text: c, selected: item[facet] === c })));
      form.append(selects[facet]);
    }
    form.append(el('button', {
      text: 'Save',
      onclick: () => act(() => correctAll(item,
        Object.fromEntries(Object.entries(selects).map(([k, s]) => [k, s.value]))), reload),
    }));
    tools.append(
      el('details', { class: 'tags' }, el('summary', { text: 'tags' }), form),
      el('button', {
        text: 'Not learning', class: 'not-learning', 'data-id': item.id,
        onclick: () => act(() => correctAll(item, { is_learning: false }), reload),
      }),
    );
  } else {
    tools.append(el('button', {
      text: 'Mark as learning', 'data-id': item.id,
      onclick: () => act(() => correctAll(item, { is_learning: true }), reload),
    }));
  }
  tools.append(el('button', {
    text: 'Delete', class: 'delete', 'data-id': item.id,
    onclick: () => {
      const ids = item.capture_ids ?? [item.id];
      const what = ids.length > 1 ? `its ${ids.length} visits` : 'this visit';
      if (!confirm(`Delete “${item.title}” (${what}) from your journal? This cannot be undone.`)) return;
      act(() => Promise.all(ids.map((id) => api('DELETE', `/api/v1/captures/${id}`))), reload);
    },
  }));
  const visits = item.visits > 1 ? `${item.visits} visits` : null;
  const detail = [item.kind === 'page' ? null : item.kind, duration(item.minutes), visits,
    item.day.slice(5)].filter(Boolean).join(' · ');
  return el('li', {},
    el('span', { class: 'item-main' }, link(item.title, item.url),
      el('span', { class: 'muted small', text: ` ${detail}` })),
    tools);
}

function more(section, noun) {
  const hidden = section.total - section.items.length;
  if (hidden <= 0) return document.createDocumentFragment();
  return el('p', { class: 'more' }, `${hidden} more ${noun}. `,
    el('a', { href: `${location.pathname}?all=1`, text: 'Show all' }));
}

function threads(data, reload) {
  const card = el('section', { class: 'card', id: 'threads' },
    el('h2', { text: `Threads (${data.threads.total})` }));
  const all = data.threads.items.flatMap((t) => t.concepts);
  const unique = [...new Map(all.map((c) => [c.id, c])).values()];
  if (!data.threads.items.length) {
    card.append(el('p', {
      class: 'muted',
      text: 'No threads yet: a thread appears when two things you learned share a concept.',
    }));
  }
  for (const thread of data.threads.items) {
    const counts = [plural(thread.pages, 'page'), thread.videos && plural(thread.videos, 'video'),
      thread.audio && plural(thread.audio, 'podcast')].filter((c) => c && !c.startsWith('0 '));
    const status = thread.status === 'continued'
      ? el('span', { class: 'badge continued', text: `continued since ${thread.first_seen}` })
      : el('span', { class: 'badge', text: 'new this week' });
    const editorSlot = el('div');
    const chips = el('div', { class: 'chips' }, thread.concepts.map((concept) => el('button', {
      class: 'chip', text: `${concept.label} · ${concept.captures}`, 'aria-expanded': 'false',
      title: 'Rename or merge this concept',
      onclick: (event) => {
        const open = event.currentTarget.getAttribute('aria-expanded') === 'true';
        chips.querySelectorAll('.chip').forEach((c) => c.setAttribute('aria-expanded', 'false'));
        editorSlot.replaceChildren();
        if (!open) {
          event.currentTarget.setAttribute('aria-expanded', 'true');
          editorSlot.append(conceptEditor(thread, concept, unique, reload));
        }
      },
    })));
    const takeaways = thread.takeaways.map((t) => el('blockquote', {}, t.sentence, ' ',
      link('source', t.url)));
    card.append(el('article', { class: 'thread', 'data-thread': thread.id },
      el('div', { class: 'thread-head' }, el('h3', { text: thread.label }), status),
      el('p', {
        class: 'meta',
        text: `${counts.join(', ')} · ${duration(thread.minutes)} · ${thread.span}`,
      }),
      chips, editorSlot, takeaways,
      el('ul', { class: 'items' }, thread.captures.items.map((item) => itemRow(item, reload))),
      more(thread.captures, 'sources')));
  }
  card.append(more(data.threads, 'threads'));
  return card;
}

function questions(data) {
  const card = el('section', { class: 'card', id: 'questions' },
    el('h2', { text: `Questions you asked (${data.questions.total})` }));
  if (!data.questions.items.length) {
    card.append(el('p', { class: 'muted', text: 'No searches this week.' }));
  }
  for (const q of data.questions.items) {
    const answers = q.answered_by.length
      ? el('ul', { class: 'items' }, q.answered_by.map((a) => el('li', {},
        el('span', { class: 'item-main' }, link(a.title, a.url)),
        el('span', { class: 'muted small', text: duration(a.minutes) }))))
      : el('p', { class: 'muted small', text: 'Nothing you opened looked like the answer.' });
    card.append(el('div', { class: 'question' }, el('b', { text: `“${q.query}”` }), answers));
  }
  card.append(more(data.questions, 'questions'));
  return card;
}

function highlights(data) {
  const card = el('section', { class: 'card', id: 'highlights' }, el('h2', { text: 'Deepest dive' }));
  const d = data.deepest_dive;
  card.append(d
    ? el('p', {}, link(d.title, d.url), el('span', { class: 'muted', text: ` · ${duration(d.minutes)} on ${d.day}` }))
    : el('p', { class: 'muted', text: 'No learning this week yet.' }));
  card.append(el('h2', { text: `Quick wins (${data.quick_wins.total})` }));
  card.append(data.quick_wins.items.length
    ? el('ul', { class: 'items' }, data.quick_wins.items.map((q) => el('li', {},
      el('span', { class: 'item-main' }, link(q.title, q.url),
        q.search_query ? el('span', { class: 'query', text: `you searched “${q.search_query}”` })
          : null))))
    : el('p', { class: 'muted', text: 'No just-in-time lookups this week.' }));
  card.append(more(data.quick_wins, 'quick wins'));
  return card;
}

function items(data, reload) {
  const card = el('section', { class: 'card', id: 'items' },
    el('h2', { text: `Everything you learned from (${data.items.total})` }),
    el('ul', { class: 'items' }, data.items.items.map((item) => itemRow(item, reload))),
    more(data.items, 'items'));
  if (data.not_learning.total) {
    card.append(el('details', {},
      el('summary', { text: `Not counted as learning (${data.not_learning.total})` }),
      el('ul', { class: 'items' },
        data.not_learning.items.map((item) => itemRow(item, reload, { learning: false }))),
      more(data.not_learning, 'captures')));
  }
  return card;
}

function reflect(data, reload) {
  const saved = new Map(data.reflections.map((r) => [r.key || r.prompt, r]));
  const fields = data.prompts.map((prompt) => {
    const earlier = saved.get(prompt.key) || saved.get(prompt.text);
    const area = el('textarea', { 'data-key': prompt.key, 'data-prompt': prompt.text });
    area.value = earlier ? earlier.answer : '';
    return el('div', { class: 'prompt' }, el('label', { text: prompt.text }), area);
  });
  const shownKeys = new Set(data.prompts.map((p) => p.key));
  const orphans = data.reflections.filter((r) => !shownKeys.has(r.key)
    && !data.prompts.some((p) => p.text === r.prompt));
  for (const r of orphans) {
    const area = el('textarea', { 'data-key': r.key || '', 'data-prompt': r.prompt });
    area.value = r.answer;
    fields.push(el('div', { class: 'prompt' }, el('label', { text: r.prompt }), area));
  }
  const status = el('span', { class: 'saved', role: 'status' });
  const save = el('button', {
    class: 'primary', id: 'save-reflections', text: 'Save reflections',
    onclick: async () => {
      const answers = [...document.querySelectorAll('#reflect textarea')].map((area) => ({
        prompt: area.dataset.prompt, key: area.dataset.key || null, answer: area.value,
      }));
      try {
        await api('PUT', `/api/v1/weeks/${data.week}/reflections`, { answers });
        status.textContent = 'Saved.';
      } catch (error) {
        status.textContent = error.message;
      }
    },
  });
  const card = el('section', { class: 'card', id: 'reflect' }, el('h2', { text: 'Reflect' }),
    fields, save, status);
  if (data.past_reflections.length) {
    const past = el('div', { class: 'past' }, el('h2', { text: 'Earlier reflections' }));
    for (const pastWeek of data.past_reflections) {
      past.append(el('h3', {}, el('a', { href: weekLink(pastWeek.week), text: pastWeek.week })));
      for (const r of pastWeek.reflections) {
        past.append(el('p', {}, el('span', { class: 'muted', text: `${r.prompt} ` }), r.answer));
      }
    }
    card.append(past);
  }
  return card;
}

async function act(request, reload) {
  try {
    await request();
    await reload();
  } catch (error) {
    alertBox(error.message);
  }
}

function alertBox(text) {
  const status = el('p', { class: 'card error', role: 'alert', text });
  document.getElementById('app').prepend(status);
}

async function load() {
  const app = document.getElementById('app');
  if (!token) {
    app.replaceChildren(el('section', { class: 'card message' },
      el('h2', { text: 'Open this page from Inflow' }),
      el('p', { text: 'This page reads your journal with the key the extension holds. Open it '
        + 'with “This week →” in the Inflow popup.' })));
    return;
  }
  const query = showAll ? '?all=true' : '';
  let data;
  try {
    data = await api('GET', `/api/v1/weeks/${week}${query}`);
  } catch (error) {
    app.replaceChildren(el('p', { class: 'card error', role: 'alert', text: error.message }));
    return;
  }
  document.getElementById('prev').href = weekLink(data.previous_week);
  document.getElementById('next').href = weekLink(data.next_week);
  document.getElementById('markdown').onclick = (event) => {
    event.preventDefault();
    downloadMarkdown(data.week);
  };
  const reload = load;
  app.replaceChildren(
    ...header(data), stats(data), messageCard(data.message) || '',
    el('div', { class: 'grid' }, dayChart(data), facets(data)),
    threads(data, reload),
    el('div', { class: 'grid' }, questions(data), highlights(data)),
    trend(data),
    reflect(data, reload),
    items(data, reload),
  );
  document.title = `${data.week} · Your learning week · Inflow`;
  document.body.dataset.loaded = data.week;
}

async function downloadMarkdown(name) {
  const text = await api('GET', `/api/v1/weeks/${name}.md`);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
  const anchor = el('a', { href: url, download: `inflow-${name}.md` });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}

load();
