import test from 'node:test';
import assert from 'node:assert/strict';
import { parseSearch, visitSearch } from '../../extension/lib/search.js';

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

const WINDOW = 10 * 60_000;

/** Visit `steps` in order ([tabId, url, openerTabId?]) and return the query each one got. */
function visitAll(steps, { start = 1_000_000, stepMs = 1000 } = {}) {
  let searches = {};
  return steps.map(([tabId, url, openerTabId], i) => {
    const found = visitSearch({ url, tabId, openerTabId, searches, now: start + i * stepMs, windowMs: WINDOW });
    searches = found.searches;
    return found.query;
  });
}

test('a results page carries its query and the page opened from it in the same tab gets it', () => {
  assert.deepEqual(visitAll([
    [1, 'https://www.google.com/search?q=asyncio+event+loop'],
    [1, 'https://docs.python.org/3/library/asyncio-eventloop.html'],
  ]), ['asyncio event loop', 'asyncio event loop']);
});

test('clicking on from a result does not carry the query, going back to the results does', () => {
  assert.deepEqual(visitAll([
    [1, 'https://www.google.com/search?q=asyncio'],
    [1, 'https://docs.python.org/3/library/asyncio.html'],
    [1, 'https://docs.python.org/3/library/asyncio-task.html'],
    [1, 'https://www.google.com/search?q=asyncio'],
    [1, 'https://realpython.com/async-io-python/'],
  ]), ['asyncio', 'asyncio', null, 'asyncio', 'asyncio']);
});

test('each result opened in a new tab gets the query once', () => {
  assert.deepEqual(visitAll([
    [1, 'https://duckduckgo.com/?q=sqlite+wal'],
    [2, 'https://sqlite.org/wal.html', 1],
    [3, 'https://www.sqlite.org/pragma.html', 1],
    [2, 'https://sqlite.org/lang_transaction.html', 1],
    [4, 'https://example.org/', undefined],
  ]), ['sqlite wal', 'sqlite wal', 'sqlite wal', null, null]);
});

test("a redirect page on a web engine's own host neither gets nor closes the search", () => {
  assert.deepEqual(visitAll([
    [1, 'https://www.bing.com/search?q=css+grid'],
    [1, 'https://www.bing.com/ck/a?!&&p=abc&u=a1aHR0cHM6Ly9leGFtcGxlLm9yZw'],
    [1, 'https://css-tricks.com/snippets/css/complete-guide-grid/'],
  ]), ['css grid', null, 'css grid']);
});

test("a site search's results on the same site get the query, the next page does not", () => {
  assert.deepEqual(visitAll([
    [1, 'https://www.youtube.com/results?search_query=neural+networks'],
    [1, 'https://www.youtube.com/watch?v=aircAruvnKk'],
    [1, 'https://www.youtube.com/watch?v=IHZwWFHWa-w'],
  ]), ['neural networks', 'neural networks', null]);
});

test('an old search attaches to nothing', () => {
  assert.deepEqual(visitAll([
    [1, 'https://www.google.com/search?q=stale'],
    [1, 'https://example.org/later'],
  ], { stepMs: 11 * 60_000 }), ['stale', null]);
});
