import test from 'node:test';
import assert from 'node:assert/strict';
import { parseSearch, searchForVisit } from '../../extension/lib/search.js';

test('queries are read from every supported engine', () => {
  const cases = [
    ['https://www.google.com/search?q=python+asyncio+gather&oq=x', 'google', 'python asyncio gather'],
    ['https://www.google.co.uk/search?q=sqlite%20wal', 'google', 'sqlite wal'],
    ['https://www.bing.com/search?q=rust+borrow+checker', 'bing', 'rust borrow checker'],
    ['https://duckduckgo.com/?q=css+grid+gap&t=h_', 'duckduckgo', 'css grid gap'],
    ['https://html.duckduckgo.com/html/?q=flexbox', 'duckduckgo', 'flexbox'],
    ['https://stackoverflow.com/search?q=%5Bpython%5D+decorator', 'stackoverflow', '[python] decorator'],
    ['https://github.com/search?q=fastapi+lifespan&type=code', 'github', 'fastapi lifespan'],
    ['https://www.youtube.com/results?search_query=spacy+tutorial', 'youtube', 'spacy tutorial'],
    ['https://developer.mozilla.org/en-US/search?q=fetch+abort', 'mdn', 'fetch abort'],
  ];
  for (const [url, engine, query] of cases) assert.deepEqual(parseSearch(url), { engine, query }, url);
});

test('pages that are not results pages have no query', () => {
  for (const url of [
    'https://www.google.com/maps?q=berlin',
    'https://www.google.com/search',
    'https://github.com/encode/httpx?q=1',
    'https://www.youtube.com/watch?v=abc',
    'https://example.com/search?q=x',
    'not a url',
  ]) assert.equal(parseSearch(url), null, url);
});

test('a fresh search attaches from the same tab first, then from the opener tab', () => {
  const now = 1_000_000;
  const searches = { 1: { query: 'own', at: now - 1000 }, 2: { query: 'opener', at: now - 1000 } };
  const windowMs = 600_000;
  assert.equal(searchForVisit({ tabId: 1, openerTabId: 2, searches, now, windowMs }), 'own');
  assert.equal(searchForVisit({ tabId: 3, openerTabId: 2, searches, now, windowMs }), 'opener');
  assert.equal(searchForVisit({ tabId: 3, openerTabId: undefined, searches, now, windowMs }), null);
});

test('an old search attaches to nothing', () => {
  const now = 10_000_000;
  const searches = { 1: { query: 'stale', at: now - 11 * 60_000 } };
  assert.equal(searchForVisit({ tabId: 1, searches, now, windowMs: 10 * 60_000 }), null);
});
