/**
 * The outbox: captures waiting to reach the companion. Pure functions over a plain state
 * object; store.js persists it and delivery.js sends it.
 *
 * State (the `outbox` key):
 *   entries:   {[id]: Entry} — one per capture, holding the latest cumulative metadata
 *   recent:    {[id]: deliveredAt} — captures the companion already has (later changes PATCH)
 *   seq:       a counter giving each change a revision, so a change made while a delivery
 *              was in flight is never mistaken for delivered
 *   droppedSnapshots, droppedEntries: what the bounds threw away (shown to the user)
 * Entry:
 *   capture:   the capture without `html` (html lives under its own storage key, htmlKey(id))
 *   mode:      'create' (POST in a batch, with the snapshot if any) | 'update' (PATCH)
 *   rev:       revision of the last change; htmlRev: revision of the last snapshot (or 0)
 *   htmlBytes: size of the stored snapshot (0 if none)
 *   enqueuedAt, attempts (deliveries that failed with a server error)
 */

/** Engagement fields a PATCH carries. */
export const UPDATE_FIELDS = ['kind', 'engaged_seconds', 'scroll_depth', 'ended_at', 'media'];

/** Captures delivered this long ago are forgotten by `recent`. */
const RECENT_TTL_MS = 2 * 24 * 3600 * 1000;
const RECENT_MAX = 2000;

/** The storage key of a capture's HTML snapshot. */
export function htmlKey(id) {
  return `outbox.html.${id}`;
}

/** An empty outbox state. */
export function emptyOutbox() {
  return { entries: {}, recent: {}, seq: 0, droppedSnapshots: 0, droppedEntries: 0 };
}

/** A state with every field present (storage may hold an older or empty one). */
export function normaliseOutbox(state) {
  return { ...emptyOutbox(), ...(state && typeof state === 'object' ? state : {}) };
}

const later = (a, b) => (a == null ? b : b == null ? a : Date.parse(b) > Date.parse(a) ? b : a);
const maxOf = (a, b) => (typeof a !== 'number' ? b : typeof b !== 'number' ? a : Math.max(a, b));

/**
 * Merge a newer report of the same capture into an older one. Engagement is cumulative for the
 * visit, so numbers merge by max (a late or repeated message never lowers them).
 */
export function mergeCapture(old, incoming) {
  if (!old) return { ...incoming };
  const merged = { ...old, ...incoming };
  merged.engaged_seconds = maxOf(old.engaged_seconds, incoming.engaged_seconds);
  merged.scroll_depth = maxOf(old.scroll_depth, incoming.scroll_depth);
  merged.ended_at = later(old.ended_at, incoming.ended_at);
  merged.started_at = old.started_at ?? incoming.started_at;
  merged.search_query = old.search_query ?? incoming.search_query ?? null;
  merged.title = incoming.title || old.title;
  if (old.media || incoming.media) {
    const a = old.media ?? {};
    const b = incoming.media ?? {};
    merged.media = {
      ...a,
      ...b,
      watched_seconds: maxOf(a.watched_seconds, b.watched_seconds),
      duration: b.duration ?? a.duration,
      ended: Boolean(a.ended || b.ended),
    };
    if (!merged.media.transcript) delete merged.media.transcript;
    if (a.transcript || b.transcript) merged.media.transcript = b.transcript || a.transcript;
  }
  return merged;
}

/**
 * Put a capture report into the outbox.
 * `capture` has no `html`; `htmlBytes` > 0 means a new snapshot is being stored with it.
 * Returns {state, removeHtml: [ids whose stored snapshot must be deleted]}.
 */
export function enqueue(state, capture, { htmlBytes = 0, now, limits }) {
  const next = normaliseOutbox(structuredClone(state));
  const id = capture.id;
  const old = next.entries[id];
  next.seq += 1;
  const entry = old
    ? { ...old, capture: mergeCapture(old.capture, capture), rev: next.seq }
    : {
        capture: mergeCapture(null, capture),
        mode: next.recent[id] ? 'update' : 'create',
        rev: next.seq,
        htmlRev: 0,
        htmlBytes: 0,
        enqueuedAt: now,
        attempts: 0,
      };
  if (htmlBytes > 0) {
    entry.mode = 'create';
    entry.htmlRev = next.seq;
    entry.htmlBytes = htmlBytes;
  }
  next.entries[id] = entry;
  const removeHtml = enforceBounds(next, limits);
  return { state: next, removeHtml };
}

/** Drop oldest snapshots above the HTML budget, then oldest entries above the count limit. */
function enforceBounds(state, { htmlBudgetBytes = Infinity, maxEntries = Infinity } = {}) {
  const removeHtml = [];
  const byAge = Object.entries(state.entries).sort((a, b) => a[1].enqueuedAt - b[1].enqueuedAt);
  let htmlTotal = byAge.reduce((sum, [, e]) => sum + (e.htmlBytes || 0), 0);
  for (const [id, entry] of byAge) {
    if (htmlTotal <= htmlBudgetBytes) break;
    if (!entry.htmlBytes) continue;
    htmlTotal -= entry.htmlBytes;
    entry.htmlBytes = 0;
    entry.htmlRev = 0;
    entry.capture = { ...entry.capture, snapshot_dropped: true };
    state.droppedSnapshots += 1;
    removeHtml.push(id);
  }
  let count = byAge.length;
  for (const [id, entry] of byAge) {
    if (count <= maxEntries) break;
    if (entry.htmlBytes) removeHtml.push(id);
    delete state.entries[id];
    state.droppedEntries += 1;
    count -= 1;
  }
  return removeHtml;
}

/**
 * The next deliveries to attempt: {creates: [ids], updates: [ids]} in enqueue order.
 * An entry that failed with server errors `isolateAfter` times or more goes alone, so one bad
 * capture cannot hold back the others.
 */
export function nextBatch(state, { maxItems = 50, maxUpdates = 20, isolateAfter = 3 } = {}) {
  const ordered = Object.entries(normaliseOutbox(state).entries).sort(
    (a, b) => a[1].enqueuedAt - b[1].enqueuedAt,
  );
  const suspect = ordered.find(([, e]) => e.mode === 'create' && e.attempts >= isolateAfter);
  if (suspect) return { creates: [suspect[0]], updates: [] };
  const creates = [];
  const updates = [];
  for (const [id, entry] of ordered) {
    if (entry.mode === 'create' && creates.length < maxItems) creates.push(id);
    if (entry.mode === 'update' && updates.length < maxUpdates) updates.push(id);
  }
  return { creates, updates };
}

/** The body a PATCH carries for an entry. */
export function updateBody(entry) {
  const body = {};
  for (const key of UPDATE_FIELDS) if (entry.capture[key] != null) body[key] = entry.capture[key];
  return body;
}

/**
 * Apply the outcome of a delivery attempt.
 * `sent` maps id → {rev, htmlRev} as they were when the request left; `outcomes` maps id →
 *   {kind: 'accepted'} | {kind: 'rejected', error} | {kind: 'failed'} (server error, counted)
 *   | {kind: 'missing'} (PATCH 404: the companion does not know it, send it whole).
 * Returns {state, removeHtml, rejected: [records for the rejected list]}.
 */
export function settle(state, sent, outcomes, { now }) {
  const next = normaliseOutbox(structuredClone(state));
  const removeHtml = [];
  const rejected = [];
  for (const [id, outcome] of Object.entries(outcomes)) {
    const entry = next.entries[id];
    const was = sent[id];
    if (!entry || !was) continue;
    if (outcome.kind === 'accepted') {
      next.recent[id] = now;
      const snapshotDelivered = entry.htmlRev <= was.htmlRev;
      if (entry.rev === was.rev) {
        if (entry.htmlBytes) removeHtml.push(id);
        delete next.entries[id];
      } else {
        // Changed while the request was in flight: keep the newer state, as a PATCH unless a
        // newer snapshot still has to go.
        if (snapshotDelivered) {
          if (entry.htmlBytes) removeHtml.push(id);
          entry.htmlBytes = 0;
          entry.mode = 'update';
        }
        entry.attempts = 0;
      }
    } else if (outcome.kind === 'rejected') {
      rejected.push({
        id,
        url: entry.capture.url,
        title: entry.capture.title,
        error: outcome.error,
        at: now,
      });
      if (entry.htmlBytes) removeHtml.push(id);
      delete next.entries[id];
    } else if (outcome.kind === 'missing') {
      entry.mode = 'create';
      delete next.recent[id];
    } else if (outcome.kind === 'failed') {
      entry.attempts += 1;
    }
  }
  pruneRecent(next, now);
  return { state: next, removeHtml, rejected };
}

function pruneRecent(state, now) {
  const items = Object.entries(state.recent).filter(([, at]) => now - at < RECENT_TTL_MS);
  items.sort((a, b) => b[1] - a[1]);
  state.recent = Object.fromEntries(items.slice(0, RECENT_MAX));
}

/** Backoff after `failures` consecutive failed deliveries, in ms (with up to 20% jitter). */
export function backoffMs(failures, { baseSeconds, maxSeconds }, random = Math.random) {
  if (failures <= 0) return 0;
  const raw = Math.min(maxSeconds, baseSeconds * 2 ** (failures - 1)) * 1000;
  return Math.round(raw * (1 + 0.2 * random()));
}

/** Counts for the popup and options: waiting captures, snapshot bytes, what was dropped. */
export function outboxSummary(state) {
  const s = normaliseOutbox(state);
  const entries = Object.values(s.entries);
  return {
    waiting: entries.length,
    snapshots: entries.filter((e) => e.htmlBytes > 0).length,
    htmlBytes: entries.reduce((sum, e) => sum + (e.htmlBytes || 0), 0),
    oldest: entries.reduce((min, e) => Math.min(min, e.enqueuedAt), Infinity),
    droppedSnapshots: s.droppedSnapshots,
    droppedEntries: s.droppedEntries,
  };
}
