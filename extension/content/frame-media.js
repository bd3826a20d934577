/*
 * An embedded player (a sub-frame: a YouTube embed, a course's video iframe): counts the
 * seconds its <video>/<audio> really played and reports them, as numbers only, to the service
 * worker, which hands them to the tab's top frame; the top frame's visit owns them (and decides
 * whether anything is captured at all). Nothing else is observed in sub-frames, and nothing
 * runs until a media element plays.
 */
(() => {
  const inflow = globalThis.inflow;
  if (!inflow?.watchMedia || inflow.frameMediaStarted || window.top === window) return;
  inflow.frameMediaStarted = true;
  if (chrome.extension?.inIncognitoContext) return;

  const REPORT_MS = 2000;
  const media = inflow.watchMedia(document);
  let timer = null;
  let lastSent = '';

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    media.stop();
  }

  function report() {
    const summary = media.summary();
    const playing = media.playing();
    const said = `${summary?.media.watched_seconds ?? 0}|${summary?.media.ended}|${playing}`;
    if (said === lastSent && !playing) return; // while playing, each report keeps "playing" fresh
    lastSent = said;
    try {
      chrome.runtime.sendMessage({ type: 'frame:media', summary, playing }).catch(() => null);
    } catch {
      stop(); // the extension was reloaded: this script is orphaned
    }
  }

  function start() {
    if (!timer) timer = setInterval(report, REPORT_MS);
  }

  document.addEventListener('playing', start, { capture: true, passive: true });
  for (const type of ['pause', 'ended']) {
    document.addEventListener(type, () => setTimeout(report, 0), { capture: true, passive: true });
  }
  addEventListener('pagehide', () => {
    if (timer) report();
  });
})();
