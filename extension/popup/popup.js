/**
 * The popup: today's learning at a glance (GET /api/v1/today), the capture switch and
 * "don't capture this site". Every value from the companion is written with textContent.
 */

import * as store from '../lib/store.js';
import * as companion from '../lib/companion.js';
import { captureState, isPaired } from '../lib/settings.js';
import { outboxSummary } from '../lib/outbox.js';
import { isFirefox } from '../lib/policy.js';
import { isHttpUrl, siteOf, urlDecision } from '../lib/url-rules.js';

const $ = (id) => document.getElementById(id);
const HOUR_MS = 3600_000;

function el(tag, { text, className, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (text != null) node.textContent = text;
  if (className) node.className = className;
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function banner(kind, title, body = []) {
  const box = $('banner');
  box.className = `banner ${kind}`;
  box.replaceChildren(el('strong', { text: title }), ...body.map((part) => el('p', {}, part)));
  box.hidden = false;
}

/** A paragraph's children from strings and [code] pairs. */
function words(...parts) {
  return parts.map((p) => (Array.isArray(p) ? el('code', { text: p[0] }) : document.createTextNode(p)));
}

function minutes(seconds) {
  const m = Math.round((seconds ?? 0) / 60);
  return m < 1 ? '<1 min' : `${m} min`;
}

function renderCapture(settings) {
  const state = captureState(settings, Date.now());
  for (const input of document.querySelectorAll('input[name="mode"]')) input.checked = input.value === state.mode;
  $('mode-note').textContent = state.mode === 'paused-until'
    ? `Paused until ${new Date(state.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`
    : state.mode === 'paused' ? 'Nothing is captured until you switch it on.' : 'Pages you engage with are noted as you work.';
}

async function renderDenyButton(settings) {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  const button = $('deny-site');
  if (!tab?.url || !isHttpUrl(tab.url)) return;
  const site = siteOf(tab.url);
  button.hidden = false;
  const decision = urlDecision(tab.url, settings);
  if (!decision.allowed) {
    button.textContent = `${site} is not captured`;
    button.disabled = true;
    return;
  }
  button.textContent = `Don't capture ${site}`;
  button.onclick = async () => {
    await store.updateSettings((s) => ({ denyList: [...new Set([...s.denyList, site])] }));
    button.textContent = `${site} is not captured`;
    button.disabled = true;
    $('deny-note').textContent = 'To delete what was already captured from it, use "Forget a site" in Settings.';
  };
}

function renderToday(today, connection) {
  $('day').textContent = today.day ?? '';
  $('summary').hidden = false;
  const learned = today.minutes_learning ?? 0;
  $('minutes').textContent = learned > 0 && learned < 1 ? '<1' : String(Math.round(learned));
  const visitCount = today.captures_total ?? 0;
  $('counts').textContent = `${today.learning_total ?? 0} of ${visitCount} ${visitCount === 1 ? 'visit was' : 'visits were'} learning`;

  const items = today.items ?? [];
  $('items-section').hidden = items.length === 0;
  $('items').replaceChildren(...items.slice(0, 30).map((item) => {
    const tags = [];
    const l = item.learning ?? {};
    if (l.is_learning) tags.push(el('li', { text: 'learning', className: 'chip learning' }));
    // A course tagged form "course" and source "course" shows "course" once.
    const words = new Set(['form', 'source_kind', 'modality'].map((key) => l[key]).filter(Boolean));
    for (const word of words) tags.push(el('li', { text: word, className: 'chip' }));
    const concepts = (item.concepts ?? []).slice(0, 3).map((c) => c.text).filter(Boolean);
    const link = el('a', { text: item.title || item.url, attrs: { href: item.url, target: '_blank', rel: 'noreferrer', title: item.url } });
    const visits = item.visits > 1 ? `${item.visits} visits` : null;
    const meta = el('p', { className: 'meta', text: [minutes(item.seconds ?? item.engaged_seconds), visits, item.kind, concepts.join(', ')].filter(Boolean).join(' · ') });
    return el('li', {}, [link, meta, el('ul', { className: 'chips', attrs: { 'aria-label': 'tags' } }, tags)]);
  }));

  const concepts = today.top_concepts ?? [];
  $('concepts-section').hidden = concepts.length === 0;
  $('concepts').replaceChildren(...concepts.slice(0, 12).map((c) => el('li', { className: 'chip', text: c.count > 1 ? `${c.text} ×${c.count}` : c.text })));

  const questions = today.questions ?? [];
  $('questions-section').hidden = questions.length === 0;
  $('questions').replaceChildren(...questions.slice(0, 10).map((q) => el('li', { text: q.query })));

  const week = $('week');
  week.href = companion.weekUrl(connection);
  week.hidden = false;
  const search = $('search');
  search.href = companion.searchUrl(connection);
  search.hidden = false;
}

async function render() {
  const [settings, outbox] = await Promise.all([store.getSettings(), store.getOutbox()]);
  const waiting = outboxSummary(outbox).waiting;
  renderCapture(settings);
  renderDenyButton(settings).catch((err) => console.warn('inflow: tab lookup failed', err));

  if (!isPaired(settings)) {
    banner('warn', 'Not paired with the companion', [
      words('Run ', ['inflow pair'], ' in a terminal and open the address it prints; this browser pairs by itself.'),
      words('Or paste the token from ', ['inflow token'], ' in Settings.'),
    ]);
    return;
  }
  if (isFirefox() && !settings.consentAt) {
    const link = el('a', { text: 'Review what Inflow captures', attrs: { href: '../options/consent.html', target: '_blank' } });
    banner('warn', 'Capture is off until you agree', [[link]]);
  }
  const connection = { companionUrl: settings.companionUrl, token: settings.token };
  try {
    renderToday(await companion.today(connection), connection);
  } catch (err) {
    if (err.kind === 'network') {
      banner('bad', `Companion not running (${waiting} ${waiting === 1 ? 'capture' : 'captures'} waiting)`, [
        words('Start it with ', ['inflow serve'], '. Nothing is lost: waiting captures are sent when it is back.'),
      ]);
    } else if (err.status === 401 || err.status === 403) {
      banner('bad', 'The companion refused this browser', [words('Pair again: run ', ['inflow pair'], ' and open the address it prints.')]);
    } else {
      banner('bad', 'The companion could not answer', [[document.createTextNode(err.message)]]);
    }
  }
}

for (const input of document.querySelectorAll('input[name="mode"]')) {
  input.addEventListener('change', async () => {
    const mode = input.value;
    const next = await store.updateSettings({ captureMode: mode, pausedUntil: mode === 'paused-until' ? Date.now() + HOUR_MS : 0 });
    renderCapture(next);
  });
}

render().catch((err) => banner('bad', 'Something went wrong', [[document.createTextNode(String(err?.message ?? err))]]));
