// The week's reflection prompts and the user's answers. What the user types is theirs: the
// boxes are built once and never redrawn (a redraw after an action only adds new prompts and
// renews their words), and their text is autosaved as a draft (AUTOSAVE_MS after typing
// stops, on leaving a box, and when the tab is hidden or closed), so a closed tab keeps it.
// A draft is kept beside the saved answer (`draft` in the journal) until "Save reflections".

import { putReflections } from './api.js';
import { card, el } from './dom.js';
import { clock } from './format.js';
import { say, sayError } from './status.js';

/** How long after the last keystroke a draft is autosaved. */
const AUTOSAVE_MS = 1000;

const identity = (key, prompt) => key || `words:${prompt}`;
const answers = (prompt) => (r) => (prompt.key && r.key === prompt.key) || r.prompt === prompt.text;

/** The boxes the week asks for: its prompts, then earlier answers and drafts to other prompts. */
function wanted(data) {
  const fields = data.prompts.map((p) => {
    const draft = data.drafts.find(answers(p));
    const saved = data.reflections.find(answers(p));
    return {
      id: identity(p.key, p.text), key: p.key, prompt: p.text, current: true,
      value: draft ? draft.text : saved?.answer ?? '', draft: Boolean(draft),
    };
  });
  const asked = (r) => data.prompts.some((p) => answers(p)(r));
  const orphans = new Map();
  for (const r of data.reflections.filter((r) => !asked(r))) {
    orphans.set(identity(r.key, r.prompt), { key: r.key, prompt: r.prompt, value: r.answer });
  }
  for (const d of data.drafts.filter((d) => !asked(d))) {
    orphans.set(identity(d.key, d.prompt), {
      key: d.key, prompt: d.prompt, value: d.text, draft: true,
    });
  }
  return [...fields, ...[...orphans].map(([id, f]) => ({ id, current: false, ...f }))];
}

function past(data, page) {
  if (!data.past_reflections.length) return el('div', { class: 'past' });
  return el('div', { class: 'past' }, el('h2', { text: 'Earlier reflections' }),
    data.past_reflections.map((w) => [
      el('h3', {}, el('a', { href: page.weekLink(w.week), text: w.week })),
      w.reflections.map((r) => el('p', {}, el('span', { class: 'muted', text: `${r.prompt} ` }),
        r.answer)),
    ]));
}

class Reflections {
  constructor(data, page) {
    this.week = data.week;
    this.boxes = new Map(); // identity -> {wrap, area, label}
    this.dirty = new Set();
    this.timer = null;
    this.count = 0;
    this.list = el('div', { class: 'prompts' });
    this.state = el('span', { class: 'saved', id: 'draft-state' });
    const save = el('button', {
      type: 'button', class: 'primary', id: 'save-reflections', text: 'Save reflections',
      onclick: () => this.save(),
    });
    this.past = past(data, page);
    this.node = card('reflect', 'Reflect', this.list, save, this.state, this.past);
    this.update(data, page);
    window.addEventListener('pagehide', () => this.flush({ keepalive: true }));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flush({ keepalive: true });
    });
  }

  box(field) {
    const id = `reflection-${++this.count}`;
    const label = el('label', { for: id, text: field.prompt });
    const area = el('textarea', {
      id, 'data-key': field.key || '', 'data-prompt': field.prompt,
      'data-focus': `reflect:answer:${field.id}`,
    });
    area.value = field.value;
    area.addEventListener('input', () => {
      this.dirty.add(field.id);
      this.state.textContent = 'Not saved yet.';
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), AUTOSAVE_MS);
    });
    area.addEventListener('blur', () => this.flush());
    const wrap = el('div', { class: 'prompt' }, label, area);
    if (field.draft) this.state.textContent = 'A draft you have not saved yet is back.';
    return { wrap, area, label };
  }

  /** Add the week's new prompts and renew the words of the others; never touch their text. */
  update(data, page) {
    const fields = wanted(data);
    const ids = new Set(fields.map((f) => f.id));
    for (const field of fields) {
      const known = this.boxes.get(field.id);
      if (!known) {
        const made = this.box(field);
        this.boxes.set(field.id, made);
        this.list.append(made.wrap);
      } else if (field.current && known.area.dataset.prompt !== field.prompt) {
        known.label.textContent = field.prompt;
        known.area.dataset.prompt = field.prompt;
      }
    }
    for (const [id, { wrap, area }] of this.boxes) {
      if (!ids.has(id) && !area.value.trim() && document.activeElement !== area) {
        wrap.remove();
        this.boxes.delete(id);
      }
    }
    const again = past(data, page);
    this.past.replaceWith(again);
    this.past = again;
  }

  answersOf(ids) {
    return ids.map((id) => this.boxes.get(id)).filter(Boolean).map(({ area }) => ({
      prompt: area.dataset.prompt, key: area.dataset.key || null, answer: area.value,
    }));
  }

  /** Autosave the boxes changed since the last save, as drafts. */
  async flush({ keepalive = false } = {}) {
    clearTimeout(this.timer);
    if (!this.dirty.size) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    try {
      await putReflections(this.week, this.answersOf(ids), { draft: true, keepalive });
      this.state.textContent = `Draft kept at ${clock()}, not saved yet.`;
    } catch (error) {
      ids.forEach((id) => this.dirty.add(id));
      this.state.textContent = `The draft could not be kept: ${error.message}`;
    }
  }

  /** Save every box as the week's answers (an empty box removes its answer). */
  async save() {
    clearTimeout(this.timer);
    this.dirty.clear();
    try {
      await putReflections(this.week, this.answersOf([...this.boxes.keys()]));
      this.state.textContent = `Saved at ${clock()}.`;
      say('Reflections saved.');
    } catch (error) {
      [...this.boxes.keys()].forEach((id) => this.dirty.add(id));
      this.state.textContent = 'Not saved.';
      sayError(error.message);
    }
  }
}

let reflections = null;

export default {
  id: 'reflect',
  render(data, page) {
    reflections = new Reflections(data, page);
    return reflections.node;
  },
  update(node, data, page) {
    reflections.update(data, page);
  },
};
