import test from 'node:test';
import assert from 'node:assert/strict';
import { fakeFetch, installFakeChrome } from './helpers/fake-chrome.mjs';

installFakeChrome();
const companion = await import('../../extension/lib/companion.js');

test("today asks for the browser's own day", async () => {
  const { calls, impl } = fakeFetch(() => ({ body: { day: '2026-11-18', items: [] } }));
  const connection = { companionUrl: 'http://127.0.0.1:9999', token: 't'.repeat(43) };
  await companion.today(connection, { fetchImpl: impl });
  assert.equal(calls[0].url, `http://127.0.0.1:9999/api/v1/today?day=${globalThis.inflow.localDay(Date.now())}`);
  await companion.today(connection, { day: '2026-11-01', fetchImpl: impl });
  assert.equal(calls[1].url, 'http://127.0.0.1:9999/api/v1/today?day=2026-11-01');
});

test('the weekly and search pages carry the token in the fragment, never in the query', () => {
  const connection = { companionUrl: 'http://127.0.0.1:9999', token: 'a+b/c=' };
  assert.equal(companion.weekUrl(connection), 'http://127.0.0.1:9999/week#token=a%2Bb%2Fc%3D');
  assert.equal(companion.searchUrl(connection), 'http://127.0.0.1:9999/search#token=a%2Bb%2Fc%3D');
});
