import test from 'node:test';
import assert from 'node:assert/strict';
import { fakeFetch, installFakeChrome } from './helpers/fake-chrome.mjs';

installFakeChrome();
const companion = await import('../../extension/lib/companion.js');

test('the local day is the calendar day of the browser time zone, not UTC', () => {
  const saved = process.env.TZ;
  try {
    process.env.TZ = 'Pacific/Kiritimati'; // UTC+14
    assert.equal(companion.localDay(new Date('2026-11-17T23:30:00Z')), '2026-11-18');
    process.env.TZ = 'America/Los_Angeles'; // UTC-8
    assert.equal(companion.localDay(new Date('2026-11-18T03:00:00Z')), '2026-11-17');
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test("today asks for the browser's own day", async () => {
  const { calls, impl } = fakeFetch(() => ({ body: { day: '2026-11-18', items: [] } }));
  const connection = { companionUrl: 'http://127.0.0.1:9999', token: 't'.repeat(43) };
  await companion.today(connection, { fetchImpl: impl });
  assert.equal(calls[0].url, `http://127.0.0.1:9999/api/v1/today?day=${companion.localDay()}`);
  await companion.today(connection, { day: '2026-11-01', fetchImpl: impl });
  assert.equal(calls[1].url, 'http://127.0.0.1:9999/api/v1/today?day=2026-11-01');
});

test('the weekly and search pages carry the token in the fragment, never in the query', () => {
  const connection = { companionUrl: 'http://127.0.0.1:9999', token: 'a+b/c=' };
  assert.equal(companion.weekUrl(connection), 'http://127.0.0.1:9999/week#token=a%2Bb%2Fc%3D');
  assert.equal(companion.searchUrl(connection), 'http://127.0.0.1:9999/search#token=a%2Bb%2Fc%3D');
});
