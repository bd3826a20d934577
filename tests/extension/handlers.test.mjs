import test from 'node:test';
import assert from 'node:assert/strict';
import { installFakeChrome } from './helpers/fake-chrome.mjs';

const fake = installFakeChrome();
fake.chrome.idle = { queryState: async () => 'active' };
const store = await import('../../extension/lib/store.js');
const handlers = await import('../../extension/background/handlers.js');

const TOKEN = 'x'.repeat(43);
const sender = (over = {}) => ({ id: 'test', frameId: 0, url: 'https://docs.example.com/a', tab: { id: 7, incognito: false }, ...over });
const capture = { id: '11111111-1111-4111-8111-111111111111', url: 'https://docs.example.com/a', title: 'A', kind: 'page', started_at: '2025-01-01T10:00:00+00:00', engaged_seconds: 12 };

await store.updateSettings({ token: TOKEN, companionUrl: 'http://127.0.0.1:9' });

test('a page in a private window is told to stop, whatever the settings', async () => {
  const reply = await handlers.visitStart({ url: capture.url }, sender({ tab: { id: 7, incognito: true } }));
  assert.deepEqual([reply.capture, reply.stop, reply.reason], [false, true, 'incognito']);
  const update = await handlers.visitUpdate({ capture }, sender({ tab: { id: 7, incognito: true } }));
  assert.equal(update.ok, false);
  assert.deepEqual((await store.getOutbox()).entries, {});
});

test('messages from frames, other extensions or another origin are refused', async () => {
  assert.equal((await handlers.visitStart({ url: capture.url }, sender({ frameId: 3 }))).capture, false);
  assert.equal((await handlers.visitStart({ url: capture.url }, sender({ id: 'other' }))).capture, false);
  assert.equal((await handlers.visitUpdate({ capture }, sender({ url: 'https://evil.example/' }))).ok, false);
});

test('while paused nothing is accepted; once on, the visit is queued', async () => {
  await store.updateSettings({ captureMode: 'paused' });
  assert.equal((await handlers.visitStart({ url: capture.url }, sender())).reason, 'paused');
  assert.equal((await handlers.visitUpdate({ capture }, sender())).ok, false);
  await store.updateSettings({ captureMode: 'on' });
  const start = await handlers.visitStart({ url: capture.url }, sender());
  assert.equal(start.capture, true);
  assert.equal(start.config.snapshotSeconds, 10);
  assert.equal((await handlers.visitUpdate({ capture }, sender())).ok, true);
  assert.ok((await store.getOutbox()).entries[capture.id]);
});

test('a search in a tab is attached to the next visit in it', async () => {
  await handlers.visitStart({ url: 'https://www.bing.com/search?q=sqlite+wal' }, sender({ url: 'https://www.bing.com/search?q=sqlite+wal', tab: { id: 9 } }));
  const reply = await handlers.visitStart({ url: capture.url }, sender({ tab: { id: 10, openerTabId: 9 } }));
  assert.equal(reply.searchQuery, 'sqlite wal');
});

test('malformed captures are dropped, field values are bounded', () => {
  assert.equal(handlers.cleanCapture({ ...capture, id: 'nope' }), null);
  assert.equal(handlers.cleanCapture({ ...capture, url: 'javascript:alert(1)' }), null);
  const clean = handlers.cleanCapture({ ...capture, engaged_seconds: -5, scroll_depth: 7, kind: 'weird', password: 'x' });
  assert.deepEqual([clean.engaged_seconds, clean.scroll_depth, clean.kind, clean.password], [0, 1, 'page', undefined]);
});

test('a sub-frame\'s media report reaches only its tab\'s top frame, as numbers', async () => {
  const sent = [];
  fake.chrome.tabs = { ...(fake.chrome.tabs ?? {}), sendMessage: async (...args) => { sent.push(args); } };
  const report = { type: 'frame:media', playing: true, summary: { kind: 'video', media: { watched_seconds: 12.5, duration: 'x', ended: true, playback_rate: 1.5, url: 'https://secret.example/' } } };
  await handlers.frameMedia(report, sender({ frameId: 4 }));
  assert.deepEqual(sent, [[7, { type: 'frame:media', frameId: 4, playing: true, summary: { kind: 'video', media: { watched_seconds: 12.5, duration: null, ended: true, playback_rate: 1.5 } } }, { frameId: 0 }]]);
  await handlers.frameMedia(report, sender({ frameId: 0 })); // the top frame reports its own media itself
  await handlers.frameMedia(report, sender({ frameId: 4, id: 'another-extension' }));
  assert.equal(sent.length, 1);
  assert.equal(handlers.cleanFrameMedia({ summary: { kind: 'script', media: {} } }), null);
});
