/**
 * What the service worker does for each message and event. Every function reads what it needs
 * from storage and writes back through store.js; nothing is remembered between calls.
 */

import * as store from '../lib/store.js';
import * as companion from '../lib/companion.js';
import * as delivery from '../lib/delivery.js';
import { decideCapture, isFirefox, pairingOrigin } from '../lib/policy.js';
import { visitSearch } from '../lib/search.js';
import { isHttpUrl } from '../lib/url-rules.js';

export const FLUSH_ALARM = 'inflow-flush';
const IDLE_DETECTION_SECONDS = 60;
const DIAGNOSTICS_MAX = 50;

/** Create the periodic flush alarm unless it exists (alarms survive service-worker restarts). */
export async function ensureAlarms() {
  const existing = await chrome.alarms.get(FLUSH_ALARM);
  if (!existing) await chrome.alarms.create(FLUSH_ALARM, { periodInMinutes: 1 });
}

/** First install: Firefox asks for consent before anything is captured. */
export async function onInstalled(details) {
  await ensureAlarms();
  if (details?.reason === 'install' && isFirefox()) {
    const settings = await store.getSettings();
    if (!settings.consentAt) await chrome.tabs.create({ url: chrome.runtime.getURL('extension/options/consent.html') });
  }
}

/** An alarm fired: deliver what is due. */
export async function onAlarm(alarm) {
  if (alarm.name === FLUSH_ALARM || alarm.name === delivery.RETRY_ALARM) await delivery.flush();
}

/** The user went idle or came back: remember it and tell the open pages. */
export async function onIdleStateChanged(state) {
  await store.updateSession('idle', () => state, 'active');
  const tabs = await chrome.tabs.query({});
  await Promise.all(tabs.map((tab) => chrome.tabs.sendMessage(tab.id, { type: 'idle', state }).catch(() => null)));
}

/** A tab closed: forget its search. */
export async function onTabRemoved(tabId) {
  await store.updateSession('searches', (searches) => {
    const next = { ...searches };
    delete next[tabId];
    return next;
  }, {});
}

async function currentIdleState() {
  const known = await store.getSession('idle');
  if (known) return known;
  const state = await chrome.idle.queryState(IDLE_DETECTION_SECONDS);
  await store.updateSession('idle', () => state, 'active');
  return state;
}

/** True when `sender` is this extension's content script in a tab's top frame. */
export function fromOwnTopFrame(sender) {
  return sender?.id === chrome.runtime.id && sender.tab && sender.frameId === 0;
}

/** True when the two URLs share an origin (false for anything unparsable). */
export function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * A page starts a visit. Replies {capture, stop?, reason, config, idle, searchQuery,
 * isSearchPage}; `stop` tells the page to stop observing for good (incognito, not http).
 */
export async function visitStart(message, sender) {
  if (!fromOwnTopFrame(sender)) return { capture: false, stop: true, reason: 'not-top-frame' };
  const url = String(message.url ?? '');
  if (sender.tab.incognito) return { capture: false, stop: true, reason: 'incognito' };
  if (!isHttpUrl(url) || !sameOrigin(url, sender.url ?? url)) return { capture: false, stop: true, reason: 'not-http' };
  const now = Date.now();
  const settings = await store.getSettings();
  const decision = decideCapture(url, settings, { now, firefox: isFirefox() });
  if (!decision.allowed) return { capture: false, reason: decision.reason };

  let found = { search: null, query: null };
  await store.updateSession('searches', (searches) => {
    found = visitSearch({
      url,
      tabId: sender.tab.id,
      openerTabId: sender.tab.openerTabId,
      searches,
      now,
      windowMs: settings.searchAttachMinutes * 60_000,
    });
    return found.searches;
  }, {});
  const { search, query: searchQuery } = found;
  return {
    capture: true,
    reason: 'ok',
    config: {
      snapshotSeconds: settings.snapshotSeconds,
      minVisitSeconds: settings.minVisitSeconds,
      updateEverySeconds: settings.updateEverySeconds,
    },
    idle: await currentIdleState(),
    searchQuery,
    isSearchPage: Boolean(search),
    searchEngine: search?.engine ?? null,
  };
}

const finiteOrNull = (x) => (Number.isFinite(x) && x >= 0 ? x : null);

/** A sub-frame's media report, reduced to the numbers the top frame uses; null if unusable. */
export function cleanFrameMedia(raw) {
  const media = raw?.summary?.media;
  if (!media || typeof media !== 'object' || !['video', 'audio'].includes(raw.summary.kind)) return null;
  return {
    kind: raw.summary.kind,
    media: {
      watched_seconds: finiteOrNull(media.watched_seconds) ?? 0,
      duration: finiteOrNull(media.duration),
      ended: media.ended === true,
      playback_rate: finiteOrNull(media.playback_rate) ?? 1,
    },
  };
}

/**
 * Media played in a sub-frame (an embedded player): handed to the tab's top frame, whose visit
 * owns it. A sub-frame of an incognito tab never gets here (the extension does not run there).
 */
export async function frameMedia(message, sender) {
  if (sender?.id !== chrome.runtime.id || !sender.tab || !sender.frameId || sender.tab.incognito) return null;
  const forwarded = {
    type: 'frame:media',
    frameId: sender.frameId,
    summary: cleanFrameMedia(message),
    playing: message.playing === true,
  };
  await chrome.tabs.sendMessage(sender.tab.id, forwarded, { frameId: 0 }).catch(() => null);
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keep only well-formed fields of a capture a page reported; null if it is unusable. */
export function cleanCapture(raw) {
  if (!raw || typeof raw !== 'object' || !UUID.test(String(raw.id)) || !isHttpUrl(raw.url)) return null;
  const num = (v, max) => (Number.isFinite(v) ? Math.max(0, Math.min(v, max)) : 0);
  const capture = {
    id: String(raw.id).toLowerCase(),
    url: String(raw.url).slice(0, 4096),
    title: String(raw.title ?? '').slice(0, 1000),
    kind: ['page', 'video', 'audio'].includes(raw.kind) ? raw.kind : 'page',
    started_at: String(raw.started_at ?? new Date().toISOString()),
    ended_at: raw.ended_at ? String(raw.ended_at) : null,
    engaged_seconds: num(raw.engaged_seconds, 86_400),
    scroll_depth: num(raw.scroll_depth, 1),
    search_query: raw.search_query ? String(raw.search_query).slice(0, 500) : null,
  };
  if (typeof raw.search_engine === 'string') capture.search_engine = raw.search_engine.slice(0, 40);
  if (typeof raw.text === 'string' && raw.text) capture.text = raw.text;
  if (raw.media && typeof raw.media === 'object') capture.media = { ...raw.media };
  return capture;
}

/** A page reports a visit (cumulative totals, maybe a snapshot): into the outbox, then deliver. */
export async function visitUpdate(message, sender) {
  if (!fromOwnTopFrame(sender) || sender.tab.incognito) return { ok: false, reason: 'refused' };
  const capture = cleanCapture(message.capture);
  if (!capture || !sameOrigin(capture.url, sender.url ?? capture.url)) return { ok: false, reason: 'malformed' };
  const settings = await store.getSettings();
  const decision = decideCapture(capture.url, settings, { now: Date.now(), firefox: isFirefox() });
  if (!decision.allowed) return { ok: false, reason: decision.reason };
  const html = typeof message.html === 'string' && message.html ? message.html : null;
  const waiting = await delivery.addCapture(capture, html);
  await recordDiagnostics(capture.id, message.costs, html);
  delivery.flush().catch((err) => console.warn('inflow: flush failed', err));
  return { ok: true, waiting };
}

/** Keep the content script's own cost figures (for the measurements in the tests). */
async function recordDiagnostics(id, costs, html) {
  await store.updateSession('diagnostics', (d) => {
    const visits = { ...(d?.visits ?? {}) };
    const entry = { ...(visits[id] ?? {}), at: Date.now() };
    if (costs) {
      entry.initMs = Number(costs.initMs) || 0;
      entry.totalMs = Number(costs.totalMs) || 0;
    }
    if (html && !entry.snapshotQueuedAt) entry.snapshotQueuedAt = Date.now();
    visits[id] = entry;
    const recent = Object.entries(visits).sort((a, b) => b[1].at - a[1].at).slice(0, DIAGNOSTICS_MAX);
    return { visits: Object.fromEntries(recent) };
  }, {});
}

/**
 * The companion's /pair page hands over a one-time code: trade it for the token from this
 * extension's origin, store it with the page's origin as the companion URL.
 */
export async function pairFromPage(message, sender) {
  if (!fromOwnTopFrame(sender) || sender.tab.incognito) return { ok: false, error: 'refused' };
  const origin = pairingOrigin(sender.url ?? '');
  const code = String(message.code ?? '');
  if (!origin || !/^[\w-]{4,200}$/.test(code)) return { ok: false, error: 'not-a-pairing-page' };
  let reply;
  try {
    reply = await companion.pair(origin, code);
  } catch (err) {
    return { ok: false, error: err instanceof companion.CompanionError ? err.code : 'failed' };
  }
  if (typeof reply?.token !== 'string' || reply.token.length < 16) return { ok: false, error: 'bad-reply' };
  await store.updateSettings({
    companionUrl: origin,
    token: reply.token,
    pairedAt: Date.now(),
    companionVersion: typeof reply.companion_version === 'string' ? reply.companion_version : null,
  });
  await store.updateDelivery({ failures: 0, nextAttemptAt: 0, lastError: null, state: 'unknown' });
  delivery.flush({ force: true }).catch((err) => console.warn('inflow: flush failed', err));
  return { ok: true };
}

/** Options or popup ask to deliver now, ignoring the backoff. */
export async function flushNow() {
  return delivery.flush({ force: true });
}
