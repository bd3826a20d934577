// The companion's pages' one client of the companion (the weekly page, the search page): the token,
// and every fetch to the API.
// The token comes from the URL fragment (the popup's link), is kept in this tab's
// sessionStorage and removed from the address bar.

const TOKEN_KEY = 'inflow.token';

function takeToken() {
  const match = location.hash.match(/(?:^#|&)token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export const token = takeToken();

/**
 * One request to the companion; resolves to its JSON (or text), rejects with an Error holding
 * the companion's own message. `keepalive` lets a request outlive the page (pagehide).
 */
export async function api(method, path, body, { keepalive = false } = {}) {
  const reply = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    keepalive,
  });
  if (!reply.ok) {
    let message = `the companion answered ${reply.status}`;
    try {
      message = (await reply.json()).error.message;
    } catch { /* not the error shape: keep the status */ }
    throw new Error(message);
  }
  return reply.headers.get('content-type')?.includes('json') ? reply.json() : reply.text();
}

/** The week's summary (`current` or `2026-W48`). */
export const getWeek = (week, { all = false } = {}) => api('GET', `/api/v1/weeks/${week}${all ? '?all=true' : ''}`);

/** The week as Markdown text. */
export const getMarkdown = (week) => api('GET', `/api/v1/weeks/${week}.md`);

/** Save answers `[{prompt, key, answer}]`, or keep them as drafts (`draft`). */
export const putReflections = (week, answers, { draft = false, keepalive = false } = {}) => api(
  'PUT', `/api/v1/weeks/${week}/reflections`, { answers, draft }, { keepalive },
);

/** Apply the same tag change to every visit of an item's page. */
export function correctTags(item, tags) {
  return Promise.all((item.capture_ids ?? [item.id])
    .map((id) => api('PUT', `/api/v1/captures/${id}/tags`, tags)));
}

/** Delete every visit of an item's page. */
export function deleteItem(item) {
  return Promise.all((item.capture_ids ?? [item.id])
    .map((id) => api('DELETE', `/api/v1/captures/${id}`)));
}

export const renameConcept = (id, label) => api('PATCH', `/api/v1/concepts/${id}`, { label });
export const mergeConcept = (id, into) => api('POST', `/api/v1/concepts/${id}/merge`, { into });

/** The week's Share step: its learning captures, private or shared, with their statements. */
export const getShareList = (week) => api('GET', `/api/v1/xapi/weeks/${week}`);

/** Send the ticked captures' statements to the configured LRS; resolves to the send report. */
export const sendToLrs = (week, captureIds) => api(
  'POST', `/api/v1/xapi/weeks/${week}/send`, { capture_ids: captureIds },
);

/** Mark a capture private (it never leaves), or let it be shared again. */
export const setPrivate = (captureId, isPrivate) => api(
  isPrivate ? 'PUT' : 'DELETE', `/api/v1/xapi/private/${encodeURIComponent(captureId)}`,
);

/**
 * Search what was read (the search page): `{q, learning, site, week, concept}`, empty ones left
 * out; resolves to `{items: [{url, title, site, day, week, snippet: [{text, hit}]}], total, …}`.
 */
export function searchCaptures(filters, { limit = 20, offset = 0 } = {}) {
  const params = new URLSearchParams({ limit, offset });
  for (const [key, value] of Object.entries(filters)) {
    if (value) params.set(key, value === true ? 'true' : value);
  }
  return api('GET', `/api/v1/search?${params}`);
}
