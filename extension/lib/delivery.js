/**
 * Reliable delivery: captures enter the durable outbox first, then go to the companion in
 * batches. Server errors, 429 and an absent companion leave them in place and set a backoff
 * (retried on a chrome.alarms alarm); other 4xx are set aside as rejected, shown in options.
 * No state is kept in memory: every step reads and writes through store.js.
 */

import * as store from './store.js';
import * as companion from './companion.js';
import {
  backoffMs, enqueue, htmlKey, nextBatch, settle, updateBody,
} from './outbox.js';
import { isPaired } from './settings.js';

export const RETRY_ALARM = 'inflow-retry';
const FLUSH_LOCK = 'inflow-flush';
/** One flush stops after this long; the alarm or the next capture picks up the rest. */
const FLUSH_BUDGET_MS = 25_000;
/** A capture failing with a server error this many times on its own is set aside. */
const MAX_SERVER_FAILURES = 6;
/** Requests larger than this are split. */
const MAX_BATCH_BYTES = 8_000_000;

const keys = { htmlKeyOf: htmlKey };

/**
 * Put a capture into the outbox. `html` (optional) is its new DOM snapshot.
 * Resolves to the number of captures waiting.
 */
export async function addCapture(capture, html = null) {
  const settings = await store.getSettings();
  const limits = {
    htmlBudgetBytes: settings.outboxHtmlBudgetBytes,
    maxEntries: settings.outboxMaxEntries,
  };
  const { html: _ignored, ...metadata } = capture;
  return store.updateOutbox((outbox) => {
    const htmlBytes = html ? html.length : 0;
    const { state, removeHtml } = enqueue(outbox, metadata, { htmlBytes, now: Date.now(), limits });
    const setHtml = html && state.entries[capture.id]?.htmlBytes ? { [capture.id]: html } : {};
    return { state, removeHtml, setHtml, result: Object.keys(state.entries).length };
  }, keys);
}

/**
 * Deliver what is due. Only one flush runs at a time (others wait for it, then find little to
 * do). `force` ignores the backoff (the user pressed "Send now", or the companion just paired).
 * Resolves to {sent, rejected, waiting, state} where state is 'ok' | 'offline' | 'unauthorized'
 * | 'not-paired' | 'backoff' | 'error'.
 */
export async function flush({ force = false } = {}) {
  return navigator.locks.request(FLUSH_LOCK, () => flushLocked(force));
}

async function flushLocked(force) {
  const started = Date.now();
  const totals = { sent: 0, rejected: 0 };
  const settings = await store.getSettings();
  if (!isPaired(settings)) return finish(totals, 'not-paired');
  const delivery = await store.getDelivery();
  if (!force && delivery.nextAttemptAt > Date.now()) return finish(totals, 'backoff');
  const connection = { companionUrl: settings.companionUrl, token: settings.token };

  while (Date.now() - started < FLUSH_BUDGET_MS) {
    const outbox = await store.getOutbox();
    const batch = nextBatch(outbox, { maxItems: settings.batchSize });
    if (!batch.creates.length && !batch.updates.length) break;
    let round;
    try {
      round = await deliverRound(connection, outbox, batch);
    } catch (err) {
      if (!(err instanceof companion.CompanionError)) throw err;
      return finish(totals, await recordFailure(err, batch, settings));
    }
    totals.sent += round.sent;
    totals.rejected += round.rejected;
    await store.updateDelivery({ failures: 0, nextAttemptAt: 0, lastError: null, lastOkAt: Date.now(), state: 'ok' });
  }
  return finish(totals, 'ok');
}

async function finish(totals, state) {
  const outbox = await store.getOutbox();
  return { ...totals, waiting: Object.keys(outbox.entries).length, state };
}

/** Send one batch of creates and some PATCHes; apply the outcome; raise on a retryable failure. */
async function deliverRound(connection, outbox, { creates, updates }) {
  const sent = {};
  for (const id of [...creates, ...updates]) {
    const e = outbox.entries[id];
    sent[id] = { rev: e.rev, htmlRev: e.htmlRev };
  }
  const outcomes = {};
  if (creates.length) Object.assign(outcomes, await sendCreates(connection, outbox, creates));
  for (const id of updates) {
    try {
      await companion.patchCapture(connection, id, updateBody(outbox.entries[id]));
      outcomes[id] = { kind: 'accepted' };
    } catch (err) {
      if (err instanceof companion.CompanionError && err.status === 404) {
        outcomes[id] = { kind: 'missing' };
      } else if (isRejection(err)) {
        outcomes[id] = { kind: 'rejected', error: err.toJSON() };
      } else {
        await applyOutcomes(sent, outcomes);
        throw err;
      }
    }
  }
  return applyOutcomes(sent, outcomes);
}

/** POST creates in one batch; on 413 split it in halves; a lone capture's 4xx rejects it. */
async function sendCreates(connection, outbox, ids) {
  const htmlById = await store.getHtml(ids, keys);
  const captures = ids.map((id) => {
    const capture = { ...outbox.entries[id].capture };
    if (htmlById[id]) capture.html = htmlById[id];
    return capture;
  });
  const bytes = captures.reduce((sum, c) => sum + (c.html?.length ?? 0) + 1000, 0);
  if (ids.length > 1 && bytes > MAX_BATCH_BYTES) return splitCreates(connection, outbox, ids);
  let reply;
  try {
    reply = await companion.sendBatch(connection, captures);
  } catch (err) {
    if (!(err instanceof companion.CompanionError) || err.retryable || err.status === 401 || err.status === 403) {
      throw err;
    }
    if (ids.length > 1) return splitCreates(connection, outbox, ids);
    return { [ids[0]]: { kind: 'rejected', error: err.toJSON() } };
  }
  const outcomes = {};
  for (const result of reply?.results ?? []) {
    if (!(result.id in outbox.entries) || !ids.includes(result.id)) continue;
    if (result.accepted) {
      outcomes[result.id] = { kind: 'accepted' };
    } else {
      const status = result.error?.status ?? 0;
      outcomes[result.id] = status === 429 || status >= 500
        ? { kind: 'failed' }
        : { kind: 'rejected', error: { kind: 'http', ...result.error } };
    }
  }
  return outcomes;
}

async function splitCreates(connection, outbox, ids) {
  const half = Math.ceil(ids.length / 2);
  return {
    ...(await sendCreates(connection, outbox, ids.slice(0, half))),
    ...(await sendCreates(connection, outbox, ids.slice(half))),
  };
}

function isRejection(err) {
  return err instanceof companion.CompanionError && err.kind === 'http' && !err.retryable
    && err.status !== 401 && err.status !== 403;
}

async function applyOutcomes(sent, outcomes) {
  let counts = { sent: 0, rejected: 0 };
  if (!Object.keys(outcomes).length) return counts;
  await store.updateOutbox((outbox) => {
    const { state, removeHtml, rejected } = settle(outbox, sent, outcomes, { now: Date.now() });
    counts = {
      sent: Object.values(outcomes).filter((o) => o.kind === 'accepted').length,
      rejected: rejected.length,
    };
    return { state, removeHtml, rejected };
  }, keys);
  return counts;
}

/** Count a failed round: back off, and set aside a lone capture that keeps failing. */
async function recordFailure(err, batch, settings) {
  if (err.status >= 500 && batch.creates.length) {
    const sent = {};
    const outcomes = {};
    const outbox = await store.getOutbox();
    for (const id of batch.creates) {
      const e = outbox.entries[id];
      sent[id] = { rev: e.rev, htmlRev: e.htmlRev };
      outcomes[id] = batch.creates.length === 1 && e.attempts + 1 >= MAX_SERVER_FAILURES
        ? { kind: 'rejected', error: err.toJSON() }
        : { kind: 'failed' };
    }
    await applyOutcomes(sent, outcomes);
  }
  const state = err.status === 401 || err.status === 403 ? 'unauthorized' : err.kind === 'network' ? 'offline' : 'error';
  const next = await store.updateDelivery((current) => {
    const failures = current.failures + 1;
    const wait = backoffMs(failures, { baseSeconds: settings.retryBaseSeconds, maxSeconds: settings.retryMaxSeconds });
    return { failures, nextAttemptAt: Date.now() + wait, lastError: err.toJSON(), state };
  });
  await chrome.alarms.create(RETRY_ALARM, { when: next.nextAttemptAt });
  return state;
}
