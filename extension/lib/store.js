/**
 * The one owner of chrome.storage.
 *
 * Durable state lives in chrome.storage.local (`settings`, `outbox`, `outbox.html.<id>`,
 * `rejected`, `delivery`, `clocks`); short-lived state in chrome.storage.session (`idle`,
 * `searches`, `diagnostics`, `browserSession`). Every read-modify-write runs under one Web
 * Lock, shared by the service worker, the popup and the options page (same origin), so
 * concurrent updates never lose a change and no module keeps state in memory.
 */

import { withDefaults } from './settings.js';
import { emptyOutbox, normaliseOutbox } from './outbox.js';

const LOCK = 'inflow-storage';
const REJECTED_MAX = 200;

const local = () => chrome.storage.local;
const session = () => chrome.storage.session ?? chrome.storage.local;

/** Run `fn` while holding the storage lock; resolves to what `fn` returns. */
export function locked(fn) {
  return navigator.locks.request(LOCK, fn);
}

/** Read keys from local storage: {key: value}. */
export async function getLocal(keys) {
  return local().get(keys);
}

/** The effective settings (defaults overlaid with what is stored). */
export async function getSettings() {
  const { settings } = await local().get('settings');
  return withDefaults(settings);
}

/** Change some settings atomically: `patch` is an object or a function (settings → object). */
export async function updateSettings(patch) {
  return locked(async () => {
    const { settings } = await local().get('settings');
    const current = withDefaults(settings);
    const changes = typeof patch === 'function' ? await patch(current) : patch;
    const next = withDefaults({ ...current, ...changes });
    await local().set({ settings: next });
    return next;
  });
}

/** The outbox state (never null). */
export async function getOutbox() {
  const { outbox } = await local().get('outbox');
  return normaliseOutbox(outbox ?? emptyOutbox());
}

/**
 * Read-modify-write the outbox under the lock.
 * `fn(outbox)` returns {state, removeHtml?: [ids], setHtml?: {id: html}, rejected?: [records],
 * result?}; resolves to `result`.
 */
export async function updateOutbox(fn, { htmlKeyOf }) {
  return locked(async () => {
    const outbox = await getOutbox();
    const change = await fn(outbox);
    const writes = { outbox: change.state };
    for (const [id, html] of Object.entries(change.setHtml ?? {})) writes[htmlKeyOf(id)] = html;
    if (change.rejected?.length) {
      const { rejected = [] } = await local().get('rejected');
      writes.rejected = [...change.rejected, ...rejected].slice(0, REJECTED_MAX);
    }
    await local().set(writes);
    const removals = (change.removeHtml ?? []).filter((id) => !(id in (change.setHtml ?? {})));
    if (removals.length) await local().remove(removals.map(htmlKeyOf));
    return change.result;
  });
}

/** Stored HTML snapshots for the given capture ids: {id: html}. */
export async function getHtml(ids, { htmlKeyOf }) {
  if (!ids.length) return {};
  const stored = await local().get(ids.map(htmlKeyOf));
  const out = {};
  for (const id of ids) if (typeof stored[htmlKeyOf(id)] === 'string') out[id] = stored[htmlKeyOf(id)];
  return out;
}

/** Captures the companion refused (newest first). */
export async function getRejected() {
  const { rejected = [] } = await local().get('rejected');
  return rejected;
}

/** Forget rejected captures: all of them, or only the given ids. */
export async function clearRejected(ids = null) {
  return locked(async () => {
    if (!ids) return local().set({ rejected: [] });
    const { rejected = [] } = await local().get('rejected');
    return local().set({ rejected: rejected.filter((r) => !ids.includes(r.id)) });
  });
}

/** Delivery health: {failures, nextAttemptAt, lastError, lastOkAt, state}. */
export async function getDelivery() {
  const { delivery } = await local().get('delivery');
  return { failures: 0, nextAttemptAt: 0, lastError: null, lastOkAt: null, state: 'unknown', ...delivery };
}

/** Change delivery health atomically. */
export async function updateDelivery(patch) {
  return locked(async () => {
    const current = await getDelivery();
    const next = { ...current, ...(typeof patch === 'function' ? patch(current) : patch) };
    await local().set({ delivery: next });
    return next;
  });
}

/**
 * Read-modify-write the open visits' clocks (see visit-clock.js) under the lock.
 * `fn(clocks, session)` gets them and this browser session's id (made on first use: session
 * storage dies with the browser) and returns {state, result}; resolves to `result`.
 */
export async function updateClocks(fn) {
  return locked(async () => {
    const [{ clocks = {} }, stored] = await Promise.all([local().get('clocks'), session().get('browserSession')]);
    let browserSession = stored.browserSession;
    if (!browserSession) {
      browserSession = crypto.randomUUID();
      await session().set({ browserSession });
    }
    const change = await fn(clocks, browserSession);
    if (change.state !== clocks) await local().set({ clocks: change.state });
    return change.result;
  });
}

/** Read a short-lived value (lost when the browser closes). */
export async function getSession(key, fallback = null) {
  const stored = await session().get(key);
  return stored[key] ?? fallback;
}

/**
 * Read-modify-write a short-lived value under the lock; `fn(current)` returns the new value,
 * or `current` itself when nothing changed (then nothing is written).
 */
export async function updateSession(key, fn, fallback = null) {
  return locked(async () => {
    const stored = await session().get(key);
    const current = stored[key] ?? fallback;
    const next = await fn(current);
    if (next !== current) await session().set({ [key]: next });
    return next;
  });
}

/** Call `fn(changes)` when stored settings, outbox or delivery change (for popup/options). */
export function onStoredChange(fn) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local') fn(changes);
  });
}
