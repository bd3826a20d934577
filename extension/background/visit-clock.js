/**
 * The service worker's side of the visit clock (the design is in lib/visit-clock.js): clocks
 * arriving on a visit's port, and the ways a visit ends. Every function reads and writes
 * through store.js; nothing is remembered between calls.
 */

import * as store from '../lib/store.js';
import * as delivery from '../lib/delivery.js';
import { decideCapture, isFirefox } from '../lib/policy.js';
import { endedCapture, forgetVisits, recordClock, selectVisits } from '../lib/visit-clock.js';
import { cleanCapture, fromOwnTopFrame, sameOrigin } from './handlers.js';

/**
 * A clock arrived on the port of visit `visitId` at `at` (ms): keep it. Visits of the same tab
 * that never said goodbye end at their last clock.
 */
export async function clockMessage(message, sender, visitId, at) {
  if (message?.type !== 'clock' || !fromOwnTopFrame(sender) || sender.tab.incognito) return;
  const capture = cleanCapture(message.capture);
  if (!capture || capture.id !== visitId) return;
  if (!sameOrigin(capture.url, sender.url ?? capture.url)) return;
  delete capture.text;
  capture.ended_at = null;
  if (capture.media) delete capture.media.transcript;
  // The lock is asked for before anything else is awaited: a port's clocks and its end keep
  // their order.
  const replaced = await store.updateClocks((clocks, session) => {
    const clock = { capture, tabId: sender.tab.id, session, engagedNow: message.engaged_now === true, at };
    const { state, replaced: ids } = recordClock(clocks, clock);
    return { state, result: ids };
  });
  if (replaced.length) await endVisits((_, id) => replaced.includes(id), null);
}

/** Visit `visitId`'s port closed at `at` (ms): the page is gone or moved on; the visit ends. */
export async function visitEnded(visitId, at) {
  await endVisits((_, id) => id === visitId, at);
}

/** Tab `tabId` closed at `at` (ms): its visit ends (should its port's end not have come). */
export async function tabClosed(tabId, at) {
  await endVisits((record, _, session) => record.tabId === tabId && record.session === session, at);
}

/** The browser started again: visits of an earlier session end at their last clock. */
export async function endLeftoverVisits() {
  await endVisits((record, _, session) => record.session !== session, null);
}

/**
 * End the visits `ends(record, id, session)` selects, at `endAt` (ms, or null: unknown): into
 * the outbox first, then their clocks are forgotten (lib/visit-clock.js says why), then deliver.
 */
async function endVisits(ends, endAt) {
  const ended = await store.updateClocks((clocks, session) => ({
    state: clocks,
    result: selectVisits(clocks, (record, id) => ends(record, id, session)),
  }));
  const records = Object.values(ended);
  if (!records.length) return;
  const queued = await queueEnded(records.map((record) => endedCapture(record, endAt)));
  await store.updateClocks((clocks) => ({ state: forgetVisits(clocks, ended) }));
  if (queued) await delivery.flush();
}

/** Ended visits into the outbox, unless capture was paused or denied since; true if any. */
async function queueEnded(captures) {
  const settings = await store.getSettings();
  const now = Date.now();
  const allowed = captures.filter((c) => decideCapture(c.url, settings, { now, firefox: isFirefox() }).allowed);
  for (const capture of allowed) await delivery.addCapture(capture);
  return allowed.length > 0;
}
