/**
 * The one decision "may this page be captured now?", from the settings and the URL rules.
 * Pure: the service worker supplies the facts (incognito, browser, time).
 */

import { captureIsOn, isPaired } from './settings.js';
import { urlDecision } from './url-rules.js';

/**
 * Returns {allowed, reason}; reason is 'ok' or why not: 'incognito', 'not-paired',
 * 'no-consent', 'paused', 'companion', 'not-http', 'user-deny', 'default-deny'.
 */
export function decideCapture(url, settings, { now, incognito = false, firefox = false }) {
  if (incognito) return { allowed: false, reason: 'incognito' };
  if (!isPaired(settings)) return { allowed: false, reason: 'not-paired' };
  if (firefox && !settings.consentAt) return { allowed: false, reason: 'no-consent' };
  if (!captureIsOn(settings, now)) return { allowed: false, reason: 'paused' };
  if (isCompanionPage(url, settings.companionUrl)) return { allowed: false, reason: 'companion' };
  return urlDecision(url, settings);
}

/** True for pages the companion itself serves (the weekly page, pairing). */
export function isCompanionPage(url, companionUrl) {
  try {
    const u = new URL(url);
    const c = new URL(companionUrl);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'];
    return u.port === c.port && loopback.includes(u.hostname) && loopback.includes(c.hostname);
  } catch {
    return false;
  }
}

/** True in Firefox (its extension pages live on moz-extension:). */
export function isFirefox() {
  try {
    return chrome.runtime.getURL('').startsWith('moz-extension:');
  } catch {
    return false;
  }
}

/** The origin of a pairing page if `url` is one on a loopback http address, else null. */
export function pairingOrigin(url) {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' || u.pathname !== '/pair') return null;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return null;
    return u.origin;
  } catch {
    return null;
  }
}
