import test from 'node:test';
import assert from 'node:assert/strict';
import { fakeFetch, installFakeChrome } from './helpers/fake-chrome.mjs';

const fake = installFakeChrome();
const store = await import('../../extension/lib/store.js');
const delivery = await import('../../extension/lib/delivery.js');
const { htmlKey } = await import('../../extension/lib/outbox.js');

const TOKEN = 't'.repeat(43);
let n = 0;
const capture = (over = {}) => {
  n += 1;
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, url: `https://docs.example.com/${n}`, title: `Page ${n}`, kind: 'page', engaged_seconds: 12, scroll_depth: 0.5, ...over };
};

async function reset() {
  await chrome.storage.local.remove(Object.keys(fake.chrome.storage.local.dump()));
  await store.updateSettings({ companionUrl: 'http://127.0.0.1:9999', token: TOKEN, retryBaseSeconds: 30, retryMaxSeconds: 900 });
}

function companionThatAccepts() {
  const received = new Map();
  const f = fakeFetch((url, init) => {
    if (url.endsWith('/api/v1/captures/batch')) {
      for (const c of init.json.captures) received.set(c.id, { ...(received.get(c.id) ?? {}), ...c });
      return { body: { results: init.json.captures.map((c) => ({ id: c.id, accepted: true, status: 'queued' })) } };
    }
    const m = url.match(/\/api\/v1\/captures\/(.+)$/);
    if (m && init.method === 'PATCH') {
      if (!received.has(m[1])) return { status: 404, body: { error: { code: 'not_found', message: 'no', status: 404 } } };
      received.set(m[1], { ...received.get(m[1]), ...init.json });
      return { body: {} };
    }
    return { status: 404, body: { error: { code: 'not_found', message: 'no', status: 404 } } };
  });
  return { received, calls: f.calls };
}

test('concurrent reports of many visits lose none of them', async () => {
  await reset();
  const captures = Array.from({ length: 60 }, () => capture());
  await Promise.all(captures.map((c) => delivery.addCapture(c)));
  const outbox = await store.getOutbox();
  assert.equal(Object.keys(outbox.entries).length, 60);
});

test('concurrent updates of one visit keep the highest totals', async () => {
  await reset();
  const c = capture();
  await Promise.all(Array.from({ length: 30 }, (_, i) => delivery.addCapture({ ...c, engaged_seconds: i })));
  const outbox = await store.getOutbox();
  assert.equal(outbox.entries[c.id].capture.engaged_seconds, 29);
});

test('every request carries the token, the client version and JSON', async () => {
  await reset();
  const { calls } = companionThatAccepts();
  await delivery.addCapture(capture(), '<html><body>hi</body></html>');
  const result = await delivery.flush();
  assert.equal(result.state, 'ok');
  assert.equal(result.sent, 1);
  assert.equal(calls[0].headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(calls[0].headers['X-Inflow-Client'], '0.1.0');
  assert.equal(calls[0].headers['Content-Type'], 'application/json');
  assert.equal(calls[0].body.captures[0].html, '<html><body>hi</body></html>');
  assert.equal((await store.getOutbox()).entries && Object.keys((await store.getOutbox()).entries).length, 0);
  assert.deepEqual(await chrome.storage.local.get(htmlKey(calls[0].body.captures[0].id)), {});
});

test('with the companion down captures stay, back off, and all arrive once it is up', async () => {
  await reset();
  let up = false;
  const received = new Map();
  fakeFetch((url, init) => {
    if (!up) throw new TypeError('Failed to fetch');
    for (const c of init.json.captures) received.set(c.id, (received.get(c.id) ?? 0) + 1);
    return { body: { results: init.json.captures.map((c) => ({ id: c.id, accepted: true, status: 'queued' })) } };
  });
  const captures = Array.from({ length: 120 }, () => capture());
  for (const c of captures) await delivery.addCapture(c);
  const down = await delivery.flush();
  assert.equal(down.state, 'offline');
  assert.equal(down.waiting, 120);
  const health = await store.getDelivery();
  assert.equal(health.failures, 1);
  assert.ok(health.nextAttemptAt > Date.now());
  assert.ok(fake.alarms.has(delivery.RETRY_ALARM));
  assert.equal((await delivery.flush()).state, 'backoff');
  up = true;
  const later = await delivery.flush({ force: true });
  assert.equal(later.state, 'ok');
  assert.equal(later.waiting, 0);
  assert.equal(received.size, 120);
  assert.ok([...received.values()].every((count) => count === 1));
});

test('503 and 429 keep captures for later; 422 sets one aside as rejected', async () => {
  await reset();
  const good = capture();
  const bad = capture({ url: 'https://docs.example.com/bad' });
  let mode = 503;
  fakeFetch((url, init) => {
    if (mode) return { status: mode, body: { error: { code: 'busy', message: 'busy', status: mode } } };
    return { body: { results: init.json.captures.map((c) => (c.id === bad.id
      ? { id: c.id, accepted: false, error: { code: 'invalid', message: 'url is not valid', status: 422 } }
      : { id: c.id, accepted: true, status: 'queued' })) } };
  });
  await delivery.addCapture(good);
  await delivery.addCapture(bad);
  assert.equal((await delivery.flush({ force: true })).waiting, 2);
  mode = 429;
  assert.equal((await delivery.flush({ force: true })).waiting, 2);
  mode = 0;
  const done = await delivery.flush({ force: true });
  assert.equal(done.waiting, 0);
  assert.equal(done.rejected, 1);
  const rejected = await store.getRejected();
  assert.equal(rejected[0].id, bad.id);
  assert.equal(rejected[0].error.status, 422);
});

test('a 401 keeps everything and says the pairing is broken', async () => {
  await reset();
  fakeFetch(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'bad token', status: 401 } } }));
  await delivery.addCapture(capture());
  const result = await delivery.flush({ force: true });
  assert.equal(result.state, 'unauthorized');
  assert.equal(result.waiting, 1);
  assert.equal((await store.getRejected()).length, 0);
});

test('later engagement of a delivered capture goes as a PATCH; a 404 resends it whole', async () => {
  await reset();
  const { received, calls } = companionThatAccepts();
  const c = capture();
  await delivery.addCapture(c);
  await delivery.flush();
  await delivery.addCapture({ ...c, engaged_seconds: 95 });
  await delivery.flush();
  assert.equal(calls.at(-1).method, 'PATCH');
  assert.equal(received.get(c.id).engaged_seconds, 95);
  received.clear();
  await delivery.addCapture({ ...c, engaged_seconds: 120 });
  await delivery.flush();
  assert.equal(received.get(c.id).engaged_seconds, 120);
  assert.equal(received.get(c.id).url, c.url);
  assert.equal(calls.at(-1).url.endsWith('/batch'), true);
});

test('a capture that keeps failing with a server error is set aside, the rest go through', async () => {
  await reset();
  const poison = capture({ title: 'poison' });
  const others = [capture(), capture()];
  fakeFetch((url, init) => {
    if (init.json.captures.some((c) => c.id === poison.id)) return { status: 500, body: { error: { code: 'internal', message: 'boom', status: 500 } } };
    return { body: { results: init.json.captures.map((c) => ({ id: c.id, accepted: true, status: 'queued' })) } };
  });
  await delivery.addCapture(poison);
  for (const c of others) await delivery.addCapture(c);
  for (let i = 0; i < 12; i += 1) await delivery.flush({ force: true });
  assert.equal(Object.keys((await store.getOutbox()).entries).length, 0);
  assert.equal((await store.getRejected())[0].id, poison.id);
});

test('nothing is sent before pairing', async () => {
  await reset();
  await store.updateSettings({ token: '' });
  const { calls } = companionThatAccepts();
  await delivery.addCapture(capture());
  assert.equal((await delivery.flush()).state, 'not-paired');
  assert.equal(calls.length, 0);
});
