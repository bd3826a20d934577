import test from 'node:test';
import assert from 'node:assert/strict';
import { installFakeChrome } from './helpers/fake-chrome.mjs';
import {
  CLOCK_PORT_PREFIX, MAX_UNSEEN_MS, endedCapture, forgetVisits, recordClock, selectVisits, visitIdOfPort,
} from '../../extension/lib/visit-clock.js';

const fake = installFakeChrome();
await import('../../extension/content/engagement.js'); // the page's clock (a classic script)
const store = await import('../../extension/lib/store.js');
const visitClock = await import('../../extension/background/visit-clock.js');
// Paired with a companion that is not running: ended visits wait in the outbox.
await store.updateSettings({ token: 'x'.repeat(43), companionUrl: 'http://127.0.0.1:9' });

const ID = 'abcdef22-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';
const capture = (id = ID, engaged = 5) => ({
  id, url: 'https://docs.example.com/wal', title: 'WAL', kind: 'page', started_at: '2025-01-01T10:00:00+00:00', engaged_seconds: engaged, scroll_depth: 0.4,
});
const clock = (over = {}) => ({ capture: capture(), tabId: 7, session: 's1', engagedNow: true, at: 10_000, ...over });
const sender = { id: 'test', frameId: 0, url: 'https://docs.example.com/wal', tab: { id: 7, incognito: false } };

test('a clock port is named after its visit; other ports are not clocks', () => {
  assert.equal(visitIdOfPort(`${CLOCK_PORT_PREFIX}${ID}`), ID);
  assert.equal(visitIdOfPort(`${CLOCK_PORT_PREFIX}${ID.toUpperCase()}`), ID);
  assert.equal(visitIdOfPort('something-else'), null);
  assert.equal(visitIdOfPort(CLOCK_PORT_PREFIX), null);
});

test('a visit ended while engaged gets the unseen seconds since its last clock, capped', () => {
  const { state } = recordClock({}, clock());
  assert.equal(endedCapture(state[ID], 10_800).engaged_seconds, 5.8);
  assert.equal(endedCapture(state[ID], 10_000 + 60_000).engaged_seconds, 5 + MAX_UNSEEN_MS / 1000);
  assert.equal(endedCapture(state[ID], 10_800).ended_at, new Date(10_800).toISOString());
});

test('engaged time is kept in tenths rounded down, never up', () => {
  const { state } = recordClock({}, clock({ capture: capture(ID, 6.1) }));
  assert.equal(endedCapture(state[ID], 10_080).engaged_seconds, 6.1);
  assert.equal(endedCapture(state[ID], 10_099).engaged_seconds, 6.1);
  assert.equal(endedCapture(state[ID], 10_100).engaged_seconds, 6.2);
  const { EngagementClock } = globalThis.inflow;
  const on = { visible: true, focused: true, idle: false, playing: false };
  const page = new EngagementClock({ now: 0, state: on });
  page.tick(1000, on);
  page.tick(2960, on);
  assert.equal(page.seconds, 2.9);
});

test('a visit that was hidden, blurred or idle at its last clock gets nothing added', () => {
  const { state } = recordClock({}, clock({ engagedNow: false }));
  assert.equal(endedCapture(state[ID], 12_000).engaged_seconds, 5);
});

test('a visit whose end is unknown ends at its last clock with nothing added', () => {
  const { state } = recordClock({}, clock());
  const ended = endedCapture(state[ID], null);
  assert.deepEqual([ended.engaged_seconds, ended.ended_at], [5, new Date(10_000).toISOString()]);
});

test('a late or repeated clock never lowers the engaged time', () => {
  let { state } = recordClock({}, clock({ capture: capture(ID, 9) }));
  ({ state } = recordClock(state, clock({ capture: capture(ID, 4), at: 11_000 })));
  assert.equal(state[ID].capture.engaged_seconds, 9);
  assert.equal(state[ID].at, 11_000);
});

test('a new visit in a tab names the one it replaced; other tabs and sessions are kept', () => {
  let { state } = recordClock({}, clock());
  ({ state } = recordClock(state, clock({ capture: capture(OTHER), tabId: 8 })));
  let replaced;
  ({ state, replaced } = recordClock(state, clock({ capture: capture('44444444-4444-4444-8444-444444444444'), at: 20_000 })));
  assert.deepEqual(replaced, [ID]);
  assert.ok(state[ID] && state[OTHER]); // kept until its end is in the outbox
  ({ replaced } = recordClock(state, clock({ capture: capture(ID), session: 's2' })));
  assert.deepEqual(replaced, []);
});

test('forgetting keeps a visit that got a newer clock, and the same object when none goes', () => {
  let { state } = recordClock({}, clock());
  ({ state } = recordClock(state, clock({ capture: capture(OTHER), tabId: 8 })));
  const ended = selectVisits(state, () => true);
  assert.equal(forgetVisits(state, {}), state);
  assert.deepEqual(forgetVisits(state, ended), {});
  const later = recordClock(state, clock({ capture: capture(OTHER), tabId: 8, at: 11_000 })).state;
  assert.deepEqual(Object.keys(forgetVisits(later, ended)), [OTHER]);
  const sameMs = recordClock(state, clock({ capture: capture(OTHER, 6), tabId: 8 })).state;
  assert.deepEqual(Object.keys(forgetVisits(sameMs, ended)), [OTHER]);
});

const openClocks = async () => (await chrome.storage.local.get('clocks')).clocks ?? {};

test('the worker keeps a clock, then ends the visit into the outbox when its port closes', async () => {
  await visitClock.clockMessage({ type: 'clock', capture: capture(ID, 6), engaged_now: true }, sender, ID, 50_000);
  assert.equal((await openClocks())[ID].capture.engaged_seconds, 6);
  assert.equal((await store.getOutbox()).entries[ID], undefined); // a clock alone sends nothing
  await visitClock.visitEnded(ID, 50_400);
  assert.deepEqual(await openClocks(), {});
  const entry = (await store.getOutbox()).entries[ID];
  assert.equal(entry.capture.engaged_seconds, 6.4);
  assert.equal(entry.capture.ended_at, new Date(50_400).toISOString());
});

test('a visit still waiting in the outbox with its snapshot ends with its full time', async () => {
  const id = '55555555-5555-4555-8555-555555555555';
  const html = '<html><body>page</body></html>';
  const { addCapture } = await import('../../extension/lib/delivery.js');
  await addCapture({ ...capture(id, 2), ended_at: null }, html);
  await visitClock.clockMessage({ type: 'clock', capture: capture(id, 7), engaged_now: false }, sender, id, 60_000);
  await visitClock.visitEnded(id, 61_000);
  const entry = (await store.getOutbox()).entries[id];
  assert.equal(entry.mode, 'create');
  assert.ok(entry.htmlBytes > 0); // the snapshot still goes with it
  assert.equal(entry.capture.engaged_seconds, 7);
  assert.ok(entry.capture.ended_at);
});

test('the first clock of a new visit in a tab ends the visit it replaced, at its last clock', async () => {
  const [old, next] = ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'];
  await visitClock.clockMessage({ type: 'clock', capture: capture(old, 5), engaged_now: true }, sender, old, 64_000);
  await visitClock.clockMessage({ type: 'clock', capture: capture(next, 1), engaged_now: true }, sender, next, 66_000);
  assert.deepEqual(Object.keys(await openClocks()), [next]);
  const entry = (await store.getOutbox()).entries[old];
  assert.deepEqual([entry.capture.engaged_seconds, entry.capture.ended_at], [5, new Date(64_000).toISOString()]);
  await visitClock.visitEnded(next, 66_000);
});

test('clocks from another visit id, a frame or a private window are ignored', async () => {
  await visitClock.clockMessage({ type: 'clock', capture: capture(ID) }, sender, OTHER, 1);
  await visitClock.clockMessage({ type: 'clock', capture: capture(ID) }, { ...sender, frameId: 2 }, ID, 1);
  await visitClock.clockMessage({ type: 'clock', capture: capture(ID) }, { ...sender, tab: { id: 7, incognito: true } }, ID, 1);
  await visitClock.clockMessage({ type: 'clock', capture: capture(ID) }, { ...sender, url: 'https://evil.example/' }, ID, 1);
  assert.deepEqual(await openClocks(), {});
});

test('a closed tab ends its visit; a restarted browser ends the visits of the last session', async () => {
  const id = '66666666-6666-4666-8666-666666666666';
  await visitClock.clockMessage({ type: 'clock', capture: capture(id, 3), engaged_now: true }, sender, id, 70_000);
  await visitClock.tabClosed(7, 70_500);
  assert.equal((await store.getOutbox()).entries[id].capture.engaged_seconds, 3.5);

  const left = '77777777-7777-4777-8777-777777777777';
  await visitClock.clockMessage({ type: 'clock', capture: capture(left, 8), engaged_now: true }, sender, left, 80_000);
  await visitClock.endLeftoverVisits(); // the same session: nothing ends
  assert.ok((await openClocks())[left]);
  await fake.chrome.storage.session.remove('browserSession'); // the browser quit and started again
  await visitClock.endLeftoverVisits();
  assert.deepEqual(await openClocks(), {});
  const entry = (await store.getOutbox()).entries[left];
  assert.deepEqual([entry.capture.engaged_seconds, entry.capture.ended_at], [8, new Date(80_000).toISOString()]);
});

test('a visit ending while capture is paused is not recorded', async () => {
  const id = '88888888-8888-4888-8888-888888888888';
  await visitClock.clockMessage({ type: 'clock', capture: capture(id, 3), engaged_now: true }, sender, id, 90_000);
  await store.updateSettings({ captureMode: 'paused' });
  await visitClock.visitEnded(id, 90_500);
  await store.updateSettings({ captureMode: 'on' });
  assert.equal((await store.getOutbox()).entries[id], undefined);
});

test('a visit whose end could not be written keeps its clock and ends later: never lost', async () => {
  const id = '99999999-9999-4999-8999-999999999999';
  await visitClock.clockMessage({ type: 'clock', capture: capture(id, 4), engaged_now: true }, sender, id, 100_000);
  const { local } = fake.chrome.storage;
  const { set } = local;
  local.set = async (items) => {
    if ('outbox' in items) throw new Error('the background page was stopped here');
    return set(items);
  };
  try {
    await assert.rejects(visitClock.visitEnded(id, 100_500));
  } finally {
    local.set = set;
  }
  assert.equal((await openClocks())[id].capture.engaged_seconds, 4);
  await fake.chrome.storage.session.remove('browserSession'); // the next start of the browser
  await visitClock.endLeftoverVisits();
  assert.deepEqual(await openClocks(), {});
  const entry = (await store.getOutbox()).entries[id];
  assert.deepEqual([entry.capture.engaged_seconds, entry.capture.ended_at], [4, new Date(100_000).toISOString()]);
});
