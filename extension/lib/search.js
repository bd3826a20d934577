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

/**
 * The query to attach to a new visit in `tabId`, or null.
 * `searches` maps tab ids to the last search seen in that tab ({query, engine, at});
 * a search in the same tab wins over one in the tab that opened it; older than
 * `windowMs` counts for nothing.
 */
export function searchForVisit({ tabId, openerTabId, searches, now, windowMs }) {
  const fresh = (s) => s && typeof s.query === 'string' && now - s.at >= 0 && now - s.at <= windowMs;
  const own = searches?.[tabId];
  if (fresh(own)) return own.query;
  const opener = openerTabId == null ? null : searches?.[openerTabId];
  if (fresh(opener)) return opener.query;
  return null;
}
