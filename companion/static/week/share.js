// The week's Share step: what sending the week to the user's Learning Record Store (xAPI) would
// send, one tick per learning visit, a Private toggle that keeps a visit from ever leaving,
// the statements themselves on request, and the one button that sends the ticked ones.
// Nothing leaves without that press. The section is drawn once; its list comes from
// /api/v1/xapi and is redrawn in place after its own actions and the page's (keep.js keeps
// the user's ticks and open preview, focus.js the focus). The page never asks for the LRS's
// credentials: `inflow xapi config` saves them on this machine.

import { getShareList, sendToLrs, setPrivate } from './api.js';
import { card, el, link } from './dom.js';
import { focusPlan, restoreFocus } from './focus.js';
import { duration, localDay } from './format.js';
import { keep, restore } from './keep.js';
import { say, sayError } from './status.js';

const INTRO = 'Send what you learned this week to your organisation’s learning record store '
  + '(LRS): each ticked visit goes as one xAPI statement with the page’s address and title, '
  + 'the day, the time you spent, its concepts and the search that led there. Nothing is sent '
  + 'until you press Send. Visits you mark private, pages that were not learning, the text of '
  + 'pages and your reflections never leave this machine.';

/** What to run when a part of the configuration is missing (the page never asks for it). */
const SETUP = {
  actor: {
    says: 'who the statements are about',
    run: 'inflow xapi config --name "Your Name" --mbox mailto:you@example.org',
  },
  endpoint: {
    says: 'where to send them',
    run: 'inflow xapi config --endpoint https://lrs.example.org/xapi/ --username KEY '
      + '--password-stdin',
  },
};

const tickKey = (id) => `share:tick:${id}`;

/** "3 sent, 1 already there, 1 failed: <reason>" from a send report. */
export function reportLine(report) {
  const already = report.already_there.length + report.skipped.length;
  const reasons = [...new Set(report.failed.map((f) => f.reason))].join('; ');
  return [`${report.sent.length} sent`, already && `${already} already there`,
    report.failed.length && `${report.failed.length} failed: ${reasons}`]
    .filter(Boolean).join(', ');
}

function sharedNote(item, endpoint) {
  if (item.private) return 'private: never sent';
  const here = item.shared.find((s) => s.endpoint === endpoint);
  if (here) return `shared ${localDay(new Date(here.sent_at))}`;
  const elsewhere = item.shared.at(-1);
  if (!elsewhere) return '';
  return `shared to ${elsewhere.endpoint} ${localDay(new Date(elsewhere.sent_at))}`;
}

function setup(config) {
  const missing = Object.keys(SETUP).filter((part) => !config[part]).map((part) => SETUP[part]);
  return el('div', { class: 'share-setup' },
    el('p', { text: `Before anything can be sent, say ${missing.map((m) => m.says).join(' and ')}`
      + ': run this in a terminal, then reload this page (the password is read there, never '
      + 'asked for here).' }),
    el('pre', {}, el('code', { text: missing.map((m) => m.run).join('\n') })));
}

let rowCount = 0;

class Share {
  constructor(week) {
    this.week = week;
    this.loads = 0;
    this.busy = false;
    this.list = null;
    this.body = el('div', { class: 'share-body' }, el('p', { class: 'muted', text: 'Loading…' }));
    this.node = card('share', 'Share', el('p', { class: 'lead', text: INTRO }), this.body);
    this.reload();
  }

  /** Fetch the list again and redraw it (a later reload wins); `keys` say where focus goes. */
  async reload({ keys, forget = [] } = {}) {
    const load = ++this.loads;
    const within = this.node.contains(document.activeElement) ? document.activeElement : null;
    const plan = keys ?? focusPlan(within);
    try {
      const list = await getShareList(this.week);
      if (load === this.loads) this.draw(list, plan, forget);
    } catch (error) {
      if (load !== this.loads) return;
      const failed = el('p', {
        class: 'error', text: `The share list could not be read: ${error.message}`,
      });
      this.body.replaceWith(failed);
      this.body = failed;
    }
  }

  /** Draw `list`, keeping the user's ticks (but for `forget`: the ids just sent) and focus. */
  draw(list, keys, forget) {
    const kept = keep(this.body);
    forget.forEach((id) => kept.values.delete(tickKey(id)));
    const body = this.build(list);
    restore(body, kept);
    body.querySelectorAll('input.tick:disabled').forEach((tick) => { tick.checked = false; });
    this.body.replaceWith(body);
    this.body = body;
    this.list = list;
    this.ticksChanged();
    restoreFocus(keys);
  }

  /** The list, the preview and the button (once the actor and the LRS are set). */
  build(list) {
    const ready = Boolean(list.config.actor && list.config.endpoint);
    const items = list.items.length
      ? el('ul', { class: 'items share-list' },
        list.items.map((item) => this.row(item, list, ready)))
      : el('p', { class: 'muted', text: 'Nothing tagged as learning this week: nothing to share.' });
    const body = el('div', { class: 'share-body', 'data-drawn': '' },
      ready ? null : setup(list.config), items);
    if (ready && list.items.length) {
      this.preview = el('pre', { class: 'statements' });
      this.button = el('button', {
        type: 'button', class: 'primary send', 'data-focus': 'share:send',
        onclick: () => this.send(),
      });
      body.append(
        el('details', { class: 'preview', 'data-focus': 'share:preview' },
          el('summary', { text: 'Show what would be sent' }), this.preview),
        el('p', { class: 'send-row' }, this.button));
    }
    return body;
  }

  row(item, list, ready) {
    const id = `share-${++rowCount}`;
    const tick = ready && el('input', {
      type: 'checkbox', id: `${id}-tick`, class: 'tick', 'data-id': item.capture_id,
      'data-focus': tickKey(item.capture_id), checked: !item.private && !item.shared_here,
      disabled: item.private, onchange: () => this.ticksChanged(),
    });
    const privacy = el('input', {
      type: 'checkbox', id: `${id}-private`, class: 'private', 'data-id': item.capture_id,
      'data-focus': `share:private:${item.capture_id}`, checked: item.private,
    });
    privacy.addEventListener('change', () => this.togglePrivate(item, privacy));
    const detail = [item.day, item.kind === 'page' ? null : item.kind, duration(item.minutes)]
      .filter(Boolean).join(' · ');
    const note = sharedNote(item, list.config.endpoint);
    return el('li', { 'data-id': item.capture_id, class: item.private ? 'is-private' : null },
      tick && el('span', { class: 'pick' }, tick,
        el('label', { for: tick.id, class: 'visually-hidden', text: `Send “${item.title}”` })),
      el('span', { class: 'item-main' }, link(item.title, item.url),
        el('span', { class: 'muted small', text: ` ${detail}` })),
      el('span', { class: 'item-tools' },
        note && el('span', { class: 'shared-note small', text: note }),
        el('label', { class: 'private-toggle', for: privacy.id }, privacy, ' Private',
          el('span', { class: 'visually-hidden', text: ` “${item.title}”` }))));
  }

  /** The capture ids ticked (never a private one). */
  ticked() {
    return [...this.body.querySelectorAll('input.tick:checked:not(:disabled)')]
      .map((tick) => tick.dataset.id);
  }

  /** Renew the button's count and the preview from the ticks. */
  ticksChanged() {
    if (!this.button || !this.body.contains(this.button)) return;
    const ids = new Set(this.ticked());
    this.button.textContent = `Send ${ids.size} to ${this.list.config.endpoint}`;
    this.button.setAttribute('aria-disabled', String(ids.size === 0));
    const statements = this.list.items.filter((i) => ids.has(i.capture_id)).map((i) => i.statement);
    this.preview.textContent = statements.length
      ? JSON.stringify(statements, null, 2) : 'Nothing is ticked: nothing would be sent.';
  }

  async send() {
    const ids = this.ticked();
    if (this.busy) return;
    if (!ids.length) {
      sayError('Tick what to send first.');
      return;
    }
    this.busy = true;
    const keys = focusPlan(this.button);
    say(`Sending ${ids.length} to ${this.list.config.endpoint}…`);
    try {
      const report = await sendToLrs(this.week, ids);
      await this.reload({ keys, forget: ids });
      (report.failed.length ? sayError : say)(reportLine(report));
    } catch (error) {
      sayError(error.message);
      await this.reload({ keys }); // what the LRS confirmed before the fault shows as shared
    } finally {
      this.busy = false;
    }
  }

  async togglePrivate(item, box) {
    const wanted = box.checked;
    const keys = focusPlan(box);
    try {
      await setPrivate(item.capture_id, wanted);
    } catch (error) {
      box.checked = !wanted;
      sayError(error.message);
      return;
    }
    await this.reload({ keys });
    say(wanted ? `“${item.title}” is private: it will never be sent.`
      : `“${item.title}” can be shared again.`);
  }
}

let share = null;

export default {
  id: 'share',
  render(data) {
    share = new Share(data.week);
    return share.node;
  },
  /** After any action on the page: the list again (a page no longer learning leaves it). */
  update() {
    share.reload();
  },
};
