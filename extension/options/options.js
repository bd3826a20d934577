/**
 * The options page: companion address and token, capture switch and snapshot threshold,
 * deny/allow lists, forgetting a site, and what waits in the outbox or was refused.
 */

import * as store from '../lib/store.js';
import * as companion from '../lib/companion.js';
import { captureState, isPaired, normaliseCompanionUrl } from '../lib/settings.js';
import { outboxSummary } from '../lib/outbox.js';
import { isFirefox } from '../lib/policy.js';
import { DEFAULT_DENY_SITES, parseRule, siteOf } from '../lib/url-rules.js';

const $ = (id) => document.getElementById(id);
const HOUR_MS = 3600_000;
const TABLE_ROWS = 100;

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function when(ms) {
  return ms ? new Date(ms).toLocaleString() : '';
}

function linesOf(textarea) {
  return textarea.value.split('\n').map((line) => line.trim()).filter((line) => parseRule(line));
}

function setStatus(kind, text) {
  const box = $('pairing-status');
  box.className = `banner ${kind}`;
  box.textContent = text;
}

async function checkConnection() {
  const settings = await store.getSettings();
  if (!isPaired(settings)) {
    setStatus('warn', 'Not paired: run "inflow pair" and open the address it prints, or paste the token above.');
    return;
  }
  setStatus('ok', 'Checking…');
  try {
    const status = await companion.status({ companionUrl: settings.companionUrl, token: settings.token });
    if (status.client_compatible === false) {
      setStatus('bad', `Connected to companion ${status.version}, but it needs extension ${status.min_client_version} or newer.`);
    } else {
      setStatus('ok', `Paired with companion ${status.version} at ${settings.companionUrl}. ${status.queue_depth ?? 0} captures being analysed.`);
    }
  } catch (err) {
    if (err.kind === 'network') setStatus('bad', `The companion at ${settings.companionUrl} is not running. Start it with "inflow serve".`);
    else if (err.status === 401) setStatus('bad', 'The companion refused the token. Pair again or paste the token from "inflow token".');
    else setStatus('bad', err.message);
  }
}

function renderCapture(settings) {
  const state = captureState(settings, Date.now());
  for (const input of document.querySelectorAll('input[name="mode"]')) input.checked = input.value === state.mode;
  $('mode-note').textContent = state.mode === 'paused-until'
    ? `Paused until ${new Date(state.until).toLocaleTimeString()}.`
    : state.mode === 'paused' ? 'Paused until you switch it on.' : 'On.';
}

async function renderSettings() {
  const settings = await store.getSettings();
  $('companion-url').value = settings.companionUrl;
  $('token').value = settings.token;
  $('snapshot-seconds').value = String(settings.snapshotSeconds);
  $('deny-list').value = settings.denyList.join('\n');
  $('allow-list').value = settings.allowList.join('\n');
  $('consent-banner').hidden = !(isFirefox() && !settings.consentAt);
  renderCapture(settings);
}

async function renderOutbox() {
  const [outbox, delivery, rejected] = await Promise.all([store.getOutbox(), store.getDelivery(), store.getRejected()]);
  const summary = outboxSummary(outbox);
  const dropped = [];
  if (summary.droppedSnapshots) dropped.push(`${summary.droppedSnapshots} page copies dropped to stay within the size limit`);
  if (summary.droppedEntries) dropped.push(`${summary.droppedEntries} oldest captures dropped`);
  $('outbox-summary').textContent = summary.waiting === 0
    ? 'Nothing is waiting: everything reached the companion.'
    : `${summary.waiting} captures waiting (${summary.snapshots} with a page copy, ${(summary.htmlBytes / 1e6).toFixed(1)} MB).`
      + (dropped.length ? ` ${dropped.join('; ')}.` : '');
  const parts = [];
  if (delivery.lastOkAt) parts.push(`Last delivery ${when(delivery.lastOkAt)}.`);
  if (delivery.lastError) parts.push(`Last problem: ${delivery.lastError.message}`);
  if (delivery.nextAttemptAt > Date.now()) parts.push(`Next try ${when(delivery.nextAttemptAt)}.`);
  $('delivery-state').textContent = parts.join(' ');

  const rows = Object.entries(outbox.entries)
    .sort((a, b) => a[1].enqueuedAt - b[1].enqueuedAt)
    .slice(0, TABLE_ROWS)
    .map(([, e]) => {
      const tr = document.createElement('tr');
      tr.append(
        cell(e.capture.title || e.capture.url, 'page'),
        cell(`${Math.round(e.capture.engaged_seconds ?? 0)} s`),
        cell(e.htmlBytes ? `${Math.ceil(e.htmlBytes / 1000)} kB` : '—'),
        cell(when(e.enqueuedAt)),
      );
      tr.firstChild.title = e.capture.url;
      return tr;
    });
  $('outbox-rows').replaceChildren(...rows);
  $('outbox-table').hidden = rows.length === 0;

  $('rejected-summary').textContent = rejected.length
    ? `${rejected.length} captures were refused and will not be retried.`
    : 'None.';
  $('rejected-rows').replaceChildren(...rejected.slice(0, TABLE_ROWS).map((r) => {
    const tr = document.createElement('tr');
    tr.append(cell(r.title || r.url, 'page'), cell(`${r.error?.status ?? ''} ${r.error?.message ?? r.error?.code ?? ''}`.trim()), cell(when(r.at)));
    tr.firstChild.title = r.url ?? '';
    return tr;
  }));
  $('rejected-table').hidden = rejected.length === 0;
  $('clear-rejected').hidden = rejected.length === 0;
}

$('show-token').addEventListener('click', () => {
  const input = $('token');
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  $('show-token').textContent = show ? 'Hide' : 'Show';
  $('show-token').setAttribute('aria-pressed', String(show));
});

$('connection-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const url = normaliseCompanionUrl($('companion-url').value);
  if (!url) {
    setStatus('bad', 'The companion address must be http://127.0.0.1:PORT or http://localhost:PORT.');
    return;
  }
  const token = $('token').value.trim();
  await store.updateSettings((s) => ({
    companionUrl: url,
    token,
    pairedAt: token && token !== s.token ? Date.now() : s.pairedAt,
  }));
  await store.updateDelivery({ failures: 0, nextAttemptAt: 0 });
  await renderSettings();
  await checkConnection();
  chrome.runtime.sendMessage({ type: 'flush' }).catch(() => null);
});

$('check').addEventListener('click', () => checkConnection());

for (const input of document.querySelectorAll('input[name="mode"]')) {
  input.addEventListener('change', async () => {
    const mode = input.value;
    renderCapture(await store.updateSettings({ captureMode: mode, pausedUntil: mode === 'paused-until' ? Date.now() + HOUR_MS : 0 }));
  });
}

$('threshold-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const seconds = Math.round(Number($('snapshot-seconds').value));
  if (Number.isFinite(seconds) && seconds >= 1) await store.updateSettings({ snapshotSeconds: seconds });
  await renderSettings();
});

$('lists-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  await store.updateSettings({ denyList: linesOf($('deny-list')), allowList: linesOf($('allow-list')) });
  await renderSettings();
  $('lists-note').textContent = 'Saved.';
});

$('forget-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const raw = $('forget-site').value.trim();
  const site = siteOf(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
  if (!site) return;
  await store.updateSettings((s) => ({ denyList: [...new Set([...s.denyList, site])] }));
  const settings = await store.getSettings();
  try {
    const reply = await companion.forgetSite({ companionUrl: settings.companionUrl, token: settings.token }, site, { deny: true });
    $('forget-note').textContent = `Forgot ${reply.deleted ?? 0} captures from ${site}; it will not be captured again.`;
  } catch (err) {
    $('forget-note').textContent = `${site} will not be captured again, but the companion could not delete its past data: ${err.message}`;
  }
  await renderSettings();
});

$('send-now').addEventListener('click', async () => {
  $('send-now').disabled = true;
  try {
    await chrome.runtime.sendMessage({ type: 'flush' });
  } finally {
    $('send-now').disabled = false;
    await renderOutbox();
  }
});

$('clear-rejected').addEventListener('click', async () => {
  await store.clearRejected();
  await renderOutbox();
});

$('default-deny').replaceChildren(...DEFAULT_DENY_SITES.map((site) => {
  const li = document.createElement('li');
  li.className = 'chip';
  li.textContent = site;
  return li;
}));

store.onStoredChange((changes) => {
  if ('outbox' in changes || 'delivery' in changes || 'rejected' in changes) renderOutbox();
});

await renderSettings();
await renderOutbox();
await checkConnection();
