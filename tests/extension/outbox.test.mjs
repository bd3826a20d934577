import test from 'node:test';
import assert from 'node:assert/strict';
import {
  backoffMs, emptyOutbox, enqueue, mergeCapture, nextBatch, outboxSummary, settle, updateBody,
} from '../../extension/lib/outbox.js';

const limits = { htmlBudgetBytes: 1000, maxEntries: 100 };
const cap = (id, over = {}) => ({ id, url: `https://e.com/${id}`, title: id, kind: 'page', engaged_seconds: 1, scroll_depth: 0.1, ...over });

test('engagement merges by max: a late report never lowers totals', () => {
  const merged = mergeCapture(cap('a', { engaged_seconds: 40, scroll_depth: 0.9, media: { watched_seconds: 30 } }), cap('a', { engaged_seconds: 12, scroll_depth: 0.3, media: { watched_seconds: 5, ended: false } }));
  assert.equal(merged.engaged_seconds, 40);
  assert.equal(merged.scroll_depth, 0.9);
  assert.equal(merged.media.watched_seconds, 30);
});

test('the first search query of a visit is kept and the transcript survives updates', () => {
  const merged = mergeCapture(cap('a', { search_query: 'q1', media: { transcript: 'words' } }), cap('a', { search_query: null, media: { watched_seconds: 3 } }));
  assert.equal(merged.search_query, 'q1');
  assert.equal(merged.media.transcript, 'words');
});

test('a new capture is created, a repeated report updates the same entry', () => {
  let { state } = enqueue(emptyOutbox(), cap('a'), { now: 1, limits });
  ({ state } = enqueue(state, cap('a', { engaged_seconds: 9 }), { now: 2, limits }));
  assert.equal(Object.keys(state.entries).length, 1);
  assert.equal(state.entries.a.mode, 'create');
  assert.equal(state.entries.a.capture.engaged_seconds, 9);
  assert.equal(state.entries.a.enqueuedAt, 1);
});

test('a report for a delivered capture becomes a PATCH with only engagement fields', () => {
  let { state } = enqueue(emptyOutbox(), cap('a'), { now: 1, limits });
  const sent = { a: { rev: state.entries.a.rev, htmlRev: 0 } };
  ({ state } = settle(state, sent, { a: { kind: 'accepted' } }, { now: 5 }));
  assert.deepEqual(state.entries, {});
  ({ state } = enqueue(state, cap('a', { engaged_seconds: 50, ended_at: '2025-01-01T10:00:00+00:00' }), { now: 6, limits }));
  assert.equal(state.entries.a.mode, 'update');
  assert.deepEqual(updateBody(state.entries.a), { kind: 'page', engaged_seconds: 50, scroll_depth: 0.1, ended_at: '2025-01-01T10:00:00+00:00' });
});

test('a delivered page whose video then fills the visit is PATCHed as a video', () => {
  let { state } = enqueue(emptyOutbox(), cap('a'), { now: 1, limits });
  const sent = { a: { rev: state.entries.a.rev, htmlRev: 0 } };
  ({ state } = settle(state, sent, { a: { kind: 'accepted' } }, { now: 5 }));
  ({ state } = enqueue(state, cap('a', { kind: 'video', engaged_seconds: 60, media: { watched_seconds: 55 } }), { now: 6, limits }));
  assert.equal(state.entries.a.mode, 'update');
  assert.equal(updateBody(state.entries.a).kind, 'video');
  assert.equal(updateBody(state.entries.a).media.watched_seconds, 55);
});

test('a change made while a delivery was in flight is not lost', () => {
  let { state } = enqueue(emptyOutbox(), cap('a'), { now: 1, htmlBytes: 100, limits });
  const sent = { a: { rev: state.entries.a.rev, htmlRev: state.entries.a.htmlRev } };
  ({ state } = enqueue(state, cap('a', { engaged_seconds: 30 }), { now: 2, limits }));
  const { state: after, removeHtml } = settle(state, sent, { a: { kind: 'accepted' } }, { now: 3 });
  assert.equal(after.entries.a.mode, 'update');
  assert.equal(after.entries.a.capture.engaged_seconds, 30);
  assert.deepEqual(removeHtml, ['a']);
});

test('a new snapshot arriving during delivery is still sent', () => {
  let { state } = enqueue(emptyOutbox(), cap('a'), { now: 1, htmlBytes: 100, limits });
  const sent = { a: { rev: state.entries.a.rev, htmlRev: state.entries.a.htmlRev } };
  ({ state } = enqueue(state, cap('a'), { now: 2, htmlBytes: 120, limits }));
  const { state: after, removeHtml } = settle(state, sent, { a: { kind: 'accepted' } }, { now: 3 });
  assert.equal(after.entries.a.mode, 'create');
  assert.equal(after.entries.a.htmlBytes, 120);
  assert.deepEqual(removeHtml, []);
});

test('rejected captures leave the outbox with their reason; server errors stay and count', () => {
  let { state } = enqueue(emptyOutbox(), cap('a'), { now: 1, limits });
  ({ state } = enqueue(state, cap('b'), { now: 2, limits }));
  const sent = { a: { rev: state.entries.a.rev, htmlRev: 0 }, b: { rev: state.entries.b.rev, htmlRev: 0 } };
  const error = { status: 422, code: 'invalid', message: 'bad url' };
  const out = settle(state, sent, { a: { kind: 'rejected', error }, b: { kind: 'failed' } }, { now: 3 });
  assert.deepEqual(Object.keys(out.state.entries), ['b']);
  assert.equal(out.state.entries.b.attempts, 1);
  assert.equal(out.rejected[0].id, 'a');
  assert.equal(out.rejected[0].error.status, 422);
});

test('a PATCH answered 404 turns into a full create', () => {
  let { state } = enqueue({ ...emptyOutbox(), recent: { a: 1 } }, cap('a'), { now: 2, limits });
  assert.equal(state.entries.a.mode, 'update');
  ({ state } = settle(state, { a: { rev: state.entries.a.rev, htmlRev: 0 } }, { a: { kind: 'missing' } }, { now: 3 }));
  assert.equal(state.entries.a.mode, 'create');
});

test('the oldest snapshots are dropped first above the budget, metadata kept', () => {
  let state = emptyOutbox();
  let removed = [];
  for (const [i, id] of ['a', 'b', 'c'].entries()) {
    const r = enqueue(state, cap(id), { now: i, htmlBytes: 400, limits });
    state = r.state;
    removed = removed.concat(r.removeHtml);
  }
  assert.deepEqual(removed, ['a']);
  assert.equal(Object.keys(state.entries).length, 3);
  assert.equal(state.entries.a.htmlBytes, 0);
  assert.equal(state.entries.a.capture.snapshot_dropped, true);
  assert.equal(outboxSummary(state).droppedSnapshots, 1);
  assert.equal(outboxSummary(state).htmlBytes, 800);
});

test('above the entry limit the oldest captures go, and are counted', () => {
  let state = emptyOutbox();
  for (let i = 0; i < 5; i += 1) ({ state } = enqueue(state, cap(`c${i}`), { now: i, limits: { maxEntries: 3 } }));
  assert.deepEqual(Object.keys(state.entries).sort(), ['c2', 'c3', 'c4']);
  assert.equal(state.droppedEntries, 2);
});

test('batches go oldest first, and a capture that keeps failing goes alone', () => {
  let state = emptyOutbox();
  for (let i = 0; i < 5; i += 1) ({ state } = enqueue(state, cap(`c${i}`), { now: 10 - i, limits }));
  assert.deepEqual(nextBatch(state, { maxItems: 3 }).creates, ['c4', 'c3', 'c2']);
  state.entries.c1.attempts = 3;
  assert.deepEqual(nextBatch(state, { maxItems: 3 }), { creates: ['c1'], updates: [] });
});

test('backoff doubles up to the cap', () => {
  const opts = { baseSeconds: 30, maxSeconds: 900 };
  const none = () => 0;
  assert.equal(backoffMs(0, opts, none), 0);
  assert.equal(backoffMs(1, opts, none), 30_000);
  assert.equal(backoffMs(3, opts, none), 120_000);
  assert.equal(backoffMs(20, opts, none), 900_000);
  assert.ok(backoffMs(1, opts, () => 1) <= 36_000);
});
