/**
 * Which URLs may be captured: the scheme rule, the shipped deny list and the user's lists.
 *
 * A rule (shipped or the user's) is one of:
 *   - a site, `example.com`: that host and all its subdomains (`*.example.com` means the same);
 *   - a site and path, `example.com/account`: those hosts, paths starting with `/account`;
 *   - a URL prefix, `https://example.com/private/`: URLs starting with it.
 * The user's allow list overrides the shipped defaults; the user's deny list always wins.
 */

/** Sites never captured by default: webmail, banking and payments, health portals, SSO, vaults. */
export const DEFAULT_DENY_SITES = Object.freeze([
  // webmail and messaging
  'mail.google.com', 'outlook.live.com', 'outlook.office.com', 'outlook.office365.com',
  'mail.yahoo.com', 'mail.proton.me', 'mail.protonmail.com', 'app.fastmail.com',
  'mail.zoho.com', 'mail.aol.com', 'gmx.net', 'web.de', 'icloud.com',
  // banking, payments, brokers
  'paypal.com', 'chase.com', 'bankofamerica.com', 'wellsfargo.com', 'citi.com',
  'capitalone.com', 'hsbc.com', 'barclays.co.uk', 'santander.com', 'revolut.com', 'wise.com',
  'monzo.com', 'n26.com', 'schwab.com', 'fidelity.com', 'vanguard.com', 'americanexpress.com',
  'stripe.com/dashboard', 'dashboard.stripe.com', 'venmo.com', 'coinbase.com',
  // health portals
  'mychart.com', 'mychart.org', 'kp.org', 'patient.info/account', 'zocdoc.com', 'doctolib.fr',
  'nhs.uk/nhs-app', 'myhealth.va.gov', 'healthcare.gov',
  // sign-in, identity and single sign-on
  'accounts.google.com', 'login.microsoftonline.com', 'login.live.com', 'account.microsoft.com',
  'appleid.apple.com', 'id.atlassian.com', 'okta.com', 'auth0.com', 'onelogin.com',
  'duosecurity.com', 'pingidentity.com', 'github.com/login', 'github.com/session',
  'github.com/settings',
  // password managers
  'vault.bitwarden.com', 'my.1password.com', 'lastpass.com',
]);

/** Host labels that mark banking or health portals wherever they appear. */
const DENY_HOST_LABEL = /(^|[.-])(bank|banking|onlinebanking|netbank|ebanking|mychart|patientportal|patient-portal|sso|login|signin|auth|adfs)([.-]|$)/i;

/** Path segments that mark sign-in and checkout pages wherever they appear in the path. */
const DENY_SEGMENT_ANYWHERE = new Set([
  'login', 'log-in', 'logon', 'signin', 'sign-in', 'sign_in', 'signup', 'sign-up', 'sign_up',
  'checkout', 'oauth', 'oauth2', 'authorize', 'saml', 'saml2', '2fa', 'mfa', 'reset-password',
  'forgot-password', 'password-reset',
]);

/** Path segments that mark account pages only as the first segment (`/account/…`, not `/docs/auth`). */
const DENY_SEGMENT_FIRST = new Set([
  'auth', 'sso', 'cart', 'basket', 'payment', 'payments', 'billing', 'account', 'password', 'wallet',
]);

/** True when the path is a sign-in, checkout or account page by its segments. */
function deniedPath(pathname) {
  const segments = pathname.toLowerCase().split('/').filter(Boolean).map((s) => s.replace(/\.\w+$/, ''));
  if (segments.some((s) => DENY_SEGMENT_ANYWHERE.has(s))) return true;
  const first = /^[a-z]{2}(-[a-z]{2})?$/.test(segments[0] ?? '') ? segments[1] : segments[0];
  return DENY_SEGMENT_FIRST.has(first ?? '');
}

/** True for the schemes Inflow ever captures (http and https). */
export function isHttpUrl(url) {
  return /^https?:\/\//i.test(String(url ?? ''));
}

/** The site of a URL for lists and the popup: its host without a leading `www.`. */
export function siteOf(url) {
  try {
    return new URL(url).hostname.replace(/^www\./i, '').toLowerCase();
  } catch {
    return '';
  }
}

/** Parse a user-typed rule into {prefix} or {host, path}; null for blank or malformed rules. */
export function parseRule(raw) {
  const text = String(raw ?? '').trim();
  if (!text || text.startsWith('#')) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { prefix: text.toLowerCase() };
  const cleaned = text.replace(/^\*\./, '').replace(/^www\./i, '').toLowerCase();
  const slash = cleaned.indexOf('/');
  const host = slash === -1 ? cleaned : cleaned.slice(0, slash);
  const path = slash === -1 ? '' : cleaned.slice(slash);
  if (!host || /[\s*]/.test(host)) return null;
  return { host, path };
}

/** True when the rule (a string or a parsed rule) matches the URL. */
export function ruleMatches(rule, url) {
  const parsed = typeof rule === 'string' ? parseRule(rule) : rule;
  if (!parsed) return false;
  if (parsed.prefix) return String(url).toLowerCase().startsWith(parsed.prefix);
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.toLowerCase();
  const hostOk = host === parsed.host || host.endsWith(`.${parsed.host}`);
  if (!hostOk) return false;
  return !parsed.path || u.pathname.toLowerCase().startsWith(parsed.path);
}

/** Why the shipped defaults deny this URL ('site', 'host', 'path'), or null if they do not. */
export function defaultDenyReason(url) {
  if (DEFAULT_DENY_SITES.some((rule) => ruleMatches(rule, url))) return 'site';
  let u;
  try {
    u = new URL(url);
  } catch {
    return 'malformed';
  }
  if (DENY_HOST_LABEL.test(u.hostname)) return 'host';
  if (deniedPath(u.pathname)) return 'path';
  return null;
}

/**
 * Decide whether a URL may be captured under the given lists.
 * Returns {allowed: boolean, reason: 'ok'|'not-http'|'user-deny'|'default-deny'}.
 */
export function urlDecision(url, { denyList = [], allowList = [] } = {}) {
  if (!isHttpUrl(url)) return { allowed: false, reason: 'not-http' };
  if (denyList.some((rule) => ruleMatches(rule, url))) return { allowed: false, reason: 'user-deny' };
  if (defaultDenyReason(url) && !allowList.some((rule) => ruleMatches(rule, url))) {
    return { allowed: false, reason: 'default-deny' };
  }
  return { allowed: true, reason: 'ok' };
}

/** The URL without its fragment: two URLs that differ only by `#…` are the same visit. */
export function visitKey(url) {
  const text = String(url ?? '');
  const hash = text.indexOf('#');
  return hash === -1 ? text : text.slice(0, hash);
}
