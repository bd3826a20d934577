/**
 * The one owner of fetch() to the companion.
 *
 * Every request carries the token, the client version (`X-Inflow-Client`) and, for writes,
 * a JSON content type. Failures are thrown as CompanionError:
 *
 *   CompanionError
 *   ├── kind 'network'  the companion is not running or did not answer in time
 *   └── kind 'http'     it answered with an error status; `status`, `code`, `message` from the
 *                       companion's `{"error": {"code", "message", "status"}}` body
 */

const TIMEOUT_MS = 20_000;

/** An error talking to the companion (see the module docstring for the kinds). */
export class CompanionError extends Error {
  constructor(kind, message, { status = 0, code = kind } = {}) {
    super(message);
    this.name = 'CompanionError';
    this.kind = kind;
    this.status = status;
    this.code = code;
  }

  /** True when trying again later may succeed (not running, 5xx, 429). */
  get retryable() {
    return this.kind === 'network' || this.status === 429 || this.status >= 500;
  }

  /** A plain object for storage and display. */
  toJSON() {
    return { kind: this.kind, status: this.status, code: this.code, message: this.message };
  }
}

/** The extension's version, sent with every request. */
export function clientVersion() {
  try {
    return chrome.runtime.getManifest().version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Send one request and return the parsed JSON reply.
 * `connection` is {companionUrl, token}; `body` (if any) is sent as JSON.
 * Raises CompanionError.
 */
export async function request(connection, method, path, { body, token = connection.token, fetchImpl = fetch } = {}) {
  const headers = { 'X-Inflow-Client': clientVersion(), Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetchImpl(`${connection.companionUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new CompanionError('network', `The companion did not answer (${err?.name ?? 'error'}).`);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new CompanionError('http', error.message || `The companion answered ${response.status}.`, {
      status: response.status,
      code: error.code || `http_${response.status}`,
    });
  }
  return data;
}

/** GET /api/v1/status: version, compatibility, queue depth. */
export function status(connection, opts) {
  return request(connection, 'GET', `/api/v1/status?client_version=${encodeURIComponent(clientVersion())}`, opts);
}

/** POST /api/v1/captures/batch: `{results: [{id, accepted, status} | {id, accepted: false, error}]}`. */
export function sendBatch(connection, captures, opts) {
  return request(connection, 'POST', '/api/v1/captures/batch', { ...opts, body: { captures } });
}

/** PATCH /api/v1/captures/{id} with cumulative engagement. */
export function patchCapture(connection, id, body, opts) {
  return request(connection, 'PATCH', `/api/v1/captures/${encodeURIComponent(id)}`, { ...opts, body });
}

/** The calendar day (YYYY-MM-DD) of `date` in this browser's time zone. */
export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * GET /api/v1/today for the browser's own calendar day (captures are filed under the day of
 * the offset the browser stamped them with, whatever the companion's time zone).
 */
export function today(connection, { day = localDay(), ...opts } = {}) {
  return request(connection, 'GET', `/api/v1/today?day=${day}`, opts);
}

/** POST /api/v1/forget {site, deny}: deletes what was captured from a site. */
export function forgetSite(connection, site, { deny = true, ...opts } = {}) {
  return request(connection, 'POST', '/api/v1/forget', { ...opts, body: { site, deny } });
}

/** POST /api/v1/pair {code}: trades a one-time code for the token. */
export function pair(companionUrl, code, opts) {
  return request({ companionUrl, token: '' }, 'POST', '/api/v1/pair', { ...opts, body: { code } });
}

/** The weekly page; the token travels in the fragment, which is never sent to a server. */
export function weekUrl(connection) {
  return pageUrl(connection, '/week');
}

/** The search page, carrying the token the same way. */
export function searchUrl(connection) {
  return pageUrl(connection, '/search');
}

function pageUrl(connection, path) {
  return `${connection.companionUrl}${path}#token=${encodeURIComponent(connection.token)}`;
}
