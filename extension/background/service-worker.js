/**
 * The service worker: registers every listener synchronously at top level and keeps no state
 * in memory (it may be stopped at any moment). Each listener is wrapped so that one failure is
 * logged and cannot break the others. The work lives in handlers.js and visit-clock.js.
 */

import * as handlers from './handlers.js';
import * as visitClock from './visit-clock.js';
import { visitIdOfPort } from '../lib/visit-clock.js';

/** Wrap an event listener: errors are logged, never thrown into the browser. */
function safe(name, fn) {
  return (...args) => {
    Promise.resolve()
      .then(() => fn(...args))
      .catch((err) => console.error(`inflow: ${name} failed`, err));
  };
}

const MESSAGE_HANDLERS = {
  'visit:start': handlers.visitStart,
  'visit:update': handlers.visitUpdate,
  'frame:media': handlers.frameMedia,
  pair: handlers.pairFromPage,
  flush: handlers.flushNow,
};

/** Route runtime messages to their handler and answer asynchronously. */
function onMessage(message, sender, sendResponse) {
  const handler = MESSAGE_HANDLERS[message?.type];
  if (!handler || sender?.id !== chrome.runtime.id) return false;
  Promise.resolve()
    .then(() => handler(message, sender))
    .then(sendResponse, (err) => {
      console.error(`inflow: message ${message.type} failed`, err);
      sendResponse({ ok: false, capture: false, error: 'internal' });
    });
  return true;
}

const onClock = safe('visit clock', visitClock.clockMessage);
const onVisitEnded = safe('visit end', visitClock.visitEnded);

/**
 * A page opened its visit's clock port: its clocks come in on it, and its disconnection ends
 * the visit. The times are taken as the events arrive, before any work is queued.
 */
function onConnect(port) {
  const visitId = visitIdOfPort(port.name);
  if (!visitId || port.sender?.id !== chrome.runtime.id) return;
  port.onMessage.addListener((message) => onClock(message, port.sender, visitId, Date.now()));
  port.onDisconnect.addListener(() => onVisitEnded(visitId, Date.now()));
}

const onTabClosed = safe('tabClosed', visitClock.tabClosed);

chrome.runtime.onInstalled.addListener(safe('onInstalled', handlers.onInstalled));
chrome.runtime.onStartup.addListener(safe('onStartup', handlers.ensureAlarms));
chrome.runtime.onMessage.addListener(onMessage);
chrome.runtime.onConnect.addListener(onConnect);
chrome.alarms.onAlarm.addListener(safe('onAlarm', handlers.onAlarm));
chrome.idle.onStateChanged.addListener(safe('onIdleStateChanged', handlers.onIdleStateChanged));
chrome.tabs.onRemoved.addListener(safe('onTabRemoved', handlers.onTabRemoved));
chrome.tabs.onRemoved.addListener((tabId) => onTabClosed(tabId, Date.now()));
chrome.idle.setDetectionInterval(60);

// A restarted worker checks its alarm once (created only if missing), and the first worker of
// a browser session ends the visits the last one left open (a quit closes no port in time).
safe('ensureAlarms', handlers.ensureAlarms)();
safe('endLeftoverVisits', visitClock.endLeftoverVisits)();
