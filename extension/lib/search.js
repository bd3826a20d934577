/**
 * Search engines: read the query out of a results-page URL, and attach a recent search to the
 * pages opened from it. Pure functions, no browser APIs.
 */

/** [engine, host test, path test, query parameter] for each engine Inflow recognises. */
const ENGINES = [
  ['google', /(^|\.)google\.[a-z.]+$/, /^\/search$/, 'q'],
  ['bing', /(^|\.)bing\.com$/, /^\/search$/, 'q'],
  ['duckduckgo', /(^|\.)duckduckgo\.com$/, /^\/(html\/?)?$/, 'q'],
  ['stackoverflow', /(^|\.)stackoverflow\.com$/, /^\/search$/, 'q'],
  ['github', /^github\.com$/, /^\/search$/, 'q'],
  ['youtube', /(^|\.)youtube\.com$/, /^\/results$/, 'search_query'],
  ['mdn', /^developer\.mozilla\.org$/, /^\/([a-z]{2}(-[A-Za-z]{2})?\/)?search$/, 'q'],
];

/** The search a URL shows, {engine, query}, or null if it is not a results page. */
export function parseSearch(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(u.protocol)) return null;
  const host = u.hostname.toLowerCase();
  for (const [engine, hostRe, pathRe, param] of ENGINES) {
    if (!hostRe.test(host) || !pathRe.test(u.pathname)) continue;
    const query = (u.searchParams.get(param) ?? '').replace(/\s+/g, ' ').trim();
    if (query) return { engine, query: query.slice(0, 500) };
  }
  return null;
}

/** Engines whose results are other sites: a page on their own host is a redirect hop. */
const WEB_ENGINES = new Set(['google', 'bing', 'duckduckgo']);

function hostOf(url) {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * What a new visit to `url` in `tabId` makes of the searches seen so far.
 *
 * `searches` maps tab ids to {query, engine, host, at, open}. A results page becomes its
 * tab's open search and carries its own query. The next page in that tab was opened from the
 * search: it gets the query and closes the search, so pages reached by clicking on from a
 * result do not. The first page of a tab opened from a tab whose search is open gets the query
 * too (several results opened in new tabs each get it). A page on a web engine's own host
 * (Bing's and DuckDuckGo's redirect pages) neither gets nor closes it. A search older than
 * `windowMs` counts for nothing. Returns {search, query, searches} (`searches` is new when it
 * changed); pure, no browser APIs.
 */
export function visitSearch({ url, tabId, openerTabId, searches, now, windowMs }) {
  const all = searches ?? {};
  const search = parseSearch(url);
  if (search) {
    const entry = { ...search, host: hostOf(url), at: now, open: true };
    return { search, query: search.query, searches: { ...all, [tabId]: entry } };
  }
  const usable = (s) => s && s.open && typeof s.query === 'string' && now - s.at >= 0 && now - s.at <= windowMs;
  const nothing = { search: null, query: null, searches: all };
  /** `from` attaches its query to this visit, which closes it for `tabId`. */
  const attach = (from) => ({ search: null, query: from.query, searches: { ...all, [tabId]: { ...from, open: false } } });
  const own = all[tabId];
  if (own) {
    if (!usable(own) || (WEB_ENGINES.has(own.engine) && hostOf(url) === own.host)) return nothing;
    return attach(own);
  }
  const opener = openerTabId == null ? null : all[openerTabId];
  return usable(opener) ? attach(opener) : nothing;
}
