/**
 * Settings: their defaults and the pure rules that read them.
 *
 * Stored under the `settings` key of chrome.storage.local (see store.js); everything here is
 * pure so it can be unit-tested in Node.
 */

export const DEFAULT_COMPANION_URL = 'http://127.0.0.1:8765';

/** Defaults for every setting; a stored value overrides the default key by key. */
export const DEFAULT_SETTINGS = Object.freeze({
  companionUrl: DEFAULT_COMPANION_URL,
  token: '',
  pairedAt: null,
  companionVersion: null,
  /** 'on' | 'paused' (until turned on) | 'paused-until' (see pausedUntil, ms since epoch). */
  captureMode: 'on',
  pausedUntil: 0,
  /** User rules added to the shipped deny list (see url-rules.js for the rule syntax). */
  denyList: [],
  /** User rules that override the shipped deny list (never the user's own deny list). */
  allowList: [],
  /** Engaged seconds before the one DOM snapshot of a visit is taken. */
  snapshotSeconds: 10,
  /** Engaged seconds before a visit counts at all (shorter tab switches are not visits). */
  minVisitSeconds: 1,
  /** Engaged seconds between two engagement updates of the same visit. */
  updateEverySeconds: 30,
  /** A search attaches to pages opened from it within this many minutes. */
  searchAttachMinutes: 10,
  /** Delivery backoff after a failure: base * 2^(failures-1), capped. */
  retryBaseSeconds: 30,
  retryMaxSeconds: 900,
  /** Captures per batch request. */
  batchSize: 50,
  /** Outbox bounds: oldest HTML snapshots are dropped first, then oldest entries. */
  outboxHtmlBudgetBytes: 50_000_000,
  outboxMaxEntries: 10_000,
  /** Firefox only: when the user agreed on the first-run consent page (ms since epoch). */
  consentAt: null,
});

/** Keys a settings form may write, with the type each must have. */
const TYPES = {
  companionUrl: 'string', token: 'string', captureMode: 'string', pausedUntil: 'number',
  denyList: 'array', allowList: 'array', snapshotSeconds: 'number', minVisitSeconds: 'number',
  updateEverySeconds: 'number', searchAttachMinutes: 'number', retryBaseSeconds: 'number',
  retryMaxSeconds: 'number', batchSize: 'number', outboxHtmlBudgetBytes: 'number',
  outboxMaxEntries: 'number', consentAt: 'number', pairedAt: 'number', companionVersion: 'string',
};

/**
 * Return the effective settings: defaults overlaid with the stored values of the right type.
 * Unknown keys and values of the wrong type are ignored, so a bad write cannot break capture.
 */
export function withDefaults(stored) {
  const out = { ...DEFAULT_SETTINGS };
  if (!stored || typeof stored !== 'object') return out;
  for (const [key, type] of Object.entries(TYPES)) {
    const value = stored[key];
    if (value === undefined) continue;
    if (value === null && (key === 'consentAt' || key === 'pairedAt' || key === 'companionVersion')) {
      out[key] = null;
    } else if (type === 'array' ? Array.isArray(value) : typeof value === type) {
      if (type === 'number' && !Number.isFinite(value)) continue;
      out[key] = value;
    }
  }
  return out;
}

/** Normalise a companion base URL ("127.0.0.1:8765/" → "http://127.0.0.1:8765"); null if not loopback http. */
export function normaliseCompanionUrl(raw) {
  let text = String(raw ?? '').trim();
  if (!text) return null;
  if (!/^[a-z]+:\/\//i.test(text)) text = `http://${text}`;
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:') return null;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return null;
  return url.origin;
}

/** True when capture is switched on at `now` (ms since epoch). */
export function captureIsOn(settings, now) {
  if (settings.captureMode === 'paused') return false;
  if (settings.captureMode === 'paused-until') return now >= settings.pausedUntil;
  return true;
}

/** A person-readable capture state: {mode: 'on'|'paused'|'paused-until', until}. */
export function captureState(settings, now) {
  if (settings.captureMode === 'paused-until' && now < settings.pausedUntil) {
    return { mode: 'paused-until', until: settings.pausedUntil };
  }
  if (settings.captureMode === 'paused') return { mode: 'paused', until: null };
  return { mode: 'on', until: null };
}

/** True once the extension holds a token for a companion. */
export function isPaired(settings) {
  return Boolean(settings.token && settings.companionUrl);
}
