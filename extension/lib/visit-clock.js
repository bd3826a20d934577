/**
 * The visit clock: how a visit's engaged time reaches the outbox even when its page dies.
 *
 * A page never relies on a message sent while it unloads (browsers drop those). Each visit
 * holds a long-lived port to the service worker, named after the visit, and sends its
 * cumulative clock over it every engaged second and at every change of state (hidden, blurred,
 * idle). The worker keeps the latest clock of every open visit under the `clocks` key of
 * chrome.storage.local (small, and it survives both a worker restart and a browser quit) and
 * ends the visit into the outbox when it is over:
 *   - its port disconnects (link, typed address, back/forward into the cache, tab or window
 *     closed, the page's own end of a single-page view): ended now, with the seconds since the
 *     last clock counted only if the page was engaged then, and never more than MAX_UNSEEN_MS;
 *   - its tab is removed (the same, should the disconnect not arrive);
 *   - another visit starts in its tab, or the browser starts again (a port lost to a worker
 *     restart or a quit): ended at its last clock, nothing added.
 * An ended visit goes into the outbox before its clock is forgotten: should the worker (or
 * Firefox's event page) be stopped in between, or the write fail, the clock stays and the visit
 * ends again later (the outbox merges the two ends), so no end is lost.
 * Pure functions over the plain `clocks` object; store.js persists it, background/ uses it.
 *
 * clocks: {[visitId]: {capture, tabId, session, engagedNow, at}} where `capture` is the
 * visit's latest metadata without snapshot or transcript, `session` the browser session it
 * belongs to, `engagedNow` whether the page counted time when it sent it, `at` when the worker
 * received it (ms since epoch).
 */

/** Port names: this prefix, then the visit id. */
export const CLOCK_PORT_PREFIX = 'inflow-clock:';
/** The most time added for the gap between a page's last clock and its end. */
export const MAX_UNSEEN_MS = 2500;

/** The visit id a clock port is named after, or null for any other port. */
export function visitIdOfPort(name) {
  const text = String(name ?? '');
  if (!text.startsWith(CLOCK_PORT_PREFIX)) return null;
  return text.slice(CLOCK_PORT_PREFIX.length).toLowerCase() || null; // ids are kept lower-case
}

/**
 * Note a visit's clock. Returns {state, replaced}: `replaced` lists the ids of the other visits
 * of the same tab in this session (their page is gone: one tab shows one visit at a time); they
 * stay in `state` until they are ended (see `forgetVisits`).
 * `clock`: {capture (cleaned, with id), tabId, session, engagedNow, at}
 */
export function recordClock(clocks, clock) {
  const id = clock.capture.id;
  const replaced = Object.entries(clocks ?? {})
    .filter(([other, r]) => other !== id && r.tabId === clock.tabId && r.session === clock.session)
    .map(([other]) => other);
  const old = clocks?.[id];
  const engaged = Math.max(old?.capture.engaged_seconds ?? 0, clock.capture.engaged_seconds ?? 0);
  const record = {
    capture: { ...clock.capture, engaged_seconds: engaged },
    tabId: clock.tabId,
    session: clock.session,
    engagedNow: Boolean(clock.engagedNow),
    at: clock.at,
  };
  return { state: { ...clocks, [id]: record }, replaced };
}

/** The open visits `ends(record, id)` selects: {[id]: record}. */
export function selectVisits(clocks, ends) {
  return Object.fromEntries(Object.entries(clocks ?? {}).filter(([id, r]) => ends(r, id)));
}

/**
 * Forget the visits in `ended` ({[id]: record}, as `selectVisits` gave them) once their end is
 * in the outbox; a visit that got a newer clock since is kept. Returns `clocks` itself when
 * none is forgotten (then nothing need be written).
 */
export function forgetVisits(clocks, ended) {
  const unchanged = (now, then) => now.at === then.at
    && now.capture.engaged_seconds === then.capture.engaged_seconds;
  const gone = (id) => ended[id] && clocks[id] && unchanged(clocks[id], ended[id]);
  if (!Object.keys(clocks ?? {}).some(gone)) return clocks;
  return Object.fromEntries(Object.entries(clocks).filter(([id]) => !gone(id)));
}

/**
 * The capture a visit ends with. `endAt` (ms) is when it is known to have ended, or null when
 * only its last clock is known (then it ended then, and nothing is added).
 */
export function endedCapture(record, endAt = null) {
  const unseen = endAt == null || !record.engagedNow
    ? 0
    : Math.min(Math.max(endAt - record.at, 0), MAX_UNSEEN_MS);
  // Tenths rounded down, as the page's own clock does: never more than the visit had.
  const engagedMs = Math.round((record.capture.engaged_seconds ?? 0) * 1000) + Math.round(unseen);
  const engaged = Math.floor(engagedMs / 100) / 10;
  return {
    ...record.capture,
    engaged_seconds: engaged,
    ended_at: new Date(Math.max(endAt ?? record.at, record.at)).toISOString(),
  };
}
