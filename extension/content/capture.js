/*
 * The page observer: one visit at a time for this tab's top frame. It counts engaged time,
 * scroll depth and media, takes one DOM snapshot once the visit passes the threshold, and
 * reports cumulative totals to the service worker, which decides whether the page may be
 * captured at all (incognito, scheme, deny lists, pause, pairing) and owns delivery.
 * Once reported, a visit also keeps a port open to the worker and sends its clock on it every
 * engaged second and at every change of state; the worker ends the visit when the port closes
 * (lib/visit-clock.js), so nothing depends on a message sent while the page unloads.
 * A URL change without a reload (history.pushState, YouTube's yt-navigate-finish) ends the
 * visit and starts a new one. Form field values and password inputs never leave the page.
 */
(() => {
  const inflow = globalThis.inflow;
  if (!inflow || inflow.captureStarted) return;
  inflow.captureStarted = true;
  if (window.top !== window) return;
  if (chrome.extension?.inIncognitoContext) return;
  if (!/^https?:$/.test(location.protocol)) return;

  const initStart = performance.now();
  const MAX_HTML_CHARS = 3_000_000;
  const TICK_MS = 1000;
  const CLOCK_PORT_PREFIX = 'inflow-clock:'; // as in lib/visit-clock.js
  const costs = { initMs: 0, totalMs: 0 };

  /** Run `fn` counting its main-thread time; one failing handler never breaks the others. */
  const guarded = (name, fn) => (...args) => {
    const start = performance.now();
    try {
      return fn(...args);
    } catch (err) {
      console.debug(`inflow: ${name} failed`, err);
      return undefined;
    } finally {
      costs.totalMs += performance.now() - start;
    }
  };

  const media = inflow.watchMedia(document);
  const frameMedia = new inflow.FrameMedia();
  let visit = null;
  let cfg = null;
  let idle = false;
  let scrollDirty = true;
  let timer = null;

  const withoutHash = (url) => String(url).split('#')[0];

  function send(message) {
    try {
      return chrome.runtime.sendMessage(message).catch(() => null);
    } catch {
      // The extension was reloaded or removed: this script is orphaned, so stop quietly.
      shutdown();
      return Promise.resolve(null);
    }
  }

  function shutdown() {
    if (timer) clearInterval(timer);
    timer = null;
    media.stop();
  }

  function newVisit(url) {
    return {
      id: inflow.uuid(),
      url,
      key: withoutHash(url),
      startedAt: Date.now(),
      clock: new inflow.EngagementClock({ now: performance.now(), state: engagementState() }),
      allowed: false,
      reported: false,
      reportedEngaged: 0,
      snapshotTaken: false,
      signature: null,
      staleCheckedAt: 0,
      maxScroll: 0,
      mediaSig: '',
      searchQuery: null,
      isSearchPage: false,
      searchEngine: null,
      youtube: null,
      youtubeAsked: false,
      port: null,
      clockSent: '',
      ended: false,
    };
  }

  async function begin(url) {
    const v = newVisit(url);
    visit = v;
    media.reset();
    frameMedia.reset();
    scrollDirty = true;
    const reply = await send({ type: 'visit:start', url, visitId: v.id });
    if (visit !== v) return;
    if (!reply) return;
    if (reply.stop) {
      shutdown();
      return;
    }
    if (!reply.capture) return;
    cfg = reply.config;
    idle = reply.idle !== 'active';
    v.allowed = true;
    v.searchQuery = reply.searchQuery ?? null;
    v.isSearchPage = Boolean(reply.isSearchPage);
    v.searchEngine = reply.searchEngine ?? null;
  }

  function engagementState() {
    return {
      visible: document.visibilityState === 'visible',
      focused: document.hasFocus(),
      idle,
      playing: media.playing() || frameMedia.playing(Date.now()),
    };
  }

  function pageSignature() {
    return {
      title: document.title,
      heading: document.querySelector('h1')?.textContent?.trim().slice(0, 200) ?? '',
      textLength: document.body?.textContent?.length ?? 0,
    };
  }

  /** The rendered DOM without scripts, styles, form values or editable content. */
  function snapshotHtml() {
    const root = document.documentElement.cloneNode(true);
    const drop = 'script:not([type="application/ld+json"]), style, noscript, template, iframe, '
      + 'svg, canvas, object, embed, link[rel="stylesheet"], input[type="password"], '
      + '[contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]';
    for (const el of root.querySelectorAll(drop)) el.remove();
    for (const el of root.querySelectorAll('input, textarea, select, option')) {
      el.removeAttribute('value');
      el.removeAttribute('selected');
      el.removeAttribute('checked');
      if (el.tagName === 'TEXTAREA') el.textContent = '';
    }
    const html = `<!DOCTYPE html>\n${root.outerHTML}`;
    return html.length <= MAX_HTML_CHARS ? html : null;
  }

  function mediaSummary() {
    const summary = inflow.mostWatched(media.summary(), frameMedia.summary());
    const yt = visit.youtube;
    if (!summary && !yt) return { kind: 'page', media: null };
    const m = { ...(summary?.media ?? {}) };
    if (yt) {
      m.video_id = yt.videoId;
      if (yt.duration) m.duration = yt.duration;
      if (yt.channel) m.channel = yt.channel;
      if (yt.transcript) m.transcript = yt.transcript;
    }
    const engaged = visit.clock.seconds;
    const mostlyMedia = summary && (yt || summary.media.watched_seconds >= 0.5 * engaged);
    return { kind: mostlyMedia ? summary.kind : yt ? 'video' : 'page', media: m };
  }

  function buildCapture() {
    const { kind, media: mediaInfo } = mediaSummary();
    const capture = {
      id: visit.id,
      url: visit.url,
      title: (visit.youtube?.title || document.title || '').slice(0, 1000),
      kind,
      started_at: inflow.isoWithOffset(visit.startedAt),
      ended_at: null, // the worker sets it when the visit ends
      engaged_seconds: visit.clock.seconds,
      scroll_depth: Math.round(visit.maxScroll * 1000) / 1000,
      search_query: visit.searchQuery,
    };
    if (mediaInfo) capture.media = mediaInfo;
    if (visit.isSearchPage) capture.search_engine = visit.searchEngine;
    return capture;
  }

  function report(what) {
    const capture = buildCapture();
    let html = null;
    if (what === 'snapshot') {
      html = snapshotHtml();
      visit.snapshotTaken = true;
      visit.signature = pageSignature();
      visit.staleCheckedAt = visit.clock.seconds;
      if (!html) capture.text = (document.body?.innerText ?? '').slice(0, 500_000);
    }
    visit.reported = true;
    visit.reportedEngaged = visit.clock.seconds;
    visit.mediaSig = mediaSignature(capture.media);
    send({ type: 'visit:update', capture, html, costs: { ...costs } });
  }

  /** This visit's clock port, opened (again, after a worker restart) when first needed. */
  function clockPort(v) {
    if (v.port) return v.port;
    let port;
    try {
      port = chrome.runtime.connect({ name: `${CLOCK_PORT_PREFIX}${v.id}` });
    } catch {
      shutdown(); // the extension was reloaded or removed
      return null;
    }
    port.onDisconnect.addListener(() => {
      if (v.port === port) v.port = null;
    });
    v.port = port;
    return port;
  }

  /** Send the visit's clock when it changed (or always, when `force`). Cheap: no snapshot. */
  function sendClock({ force = false } = {}) {
    if (!visit?.allowed || !visit.reported || visit.ended) return;
    const engagedNow = inflow.EngagementClock.isEngaged(engagementState());
    const capture = buildCapture();
    if (capture.media) delete capture.media.transcript;
    const sig = `${capture.engaged_seconds}|${engagedNow}|${capture.scroll_depth}|${capture.media?.watched_seconds}`;
    if (!force && sig === visit.clockSent) return;
    try {
      clockPort(visit)?.postMessage({ type: 'clock', capture, engaged_now: engagedNow });
      visit.clockSent = sig;
    } catch {
      visit.port = null; // closed under us: the next clock opens a new one
    }
  }

  function mediaSignature(m) {
    if (!m) return '';
    return `${Math.floor((m.watched_seconds ?? 0) / 5)}|${m.ended}|${m.transcript ? 't' : ''}|${m.channel ?? ''}`;
  }

  function maybeYouTube() {
    if (visit.youtubeAsked || !inflow.youtubeVideoId(visit.url)) return;
    visit.youtubeAsked = true;
    const v = visit;
    inflow.readYouTube(document, v.url).then((info) => {
      if (visit === v) v.youtube = info;
    }, () => {});
  }

  function maybeReport() {
    if (!visit.allowed || !cfg) return;
    const engaged = visit.clock.seconds;
    let snapshotStale = false;
    if (visit.snapshotTaken && engaged - visit.staleCheckedAt >= cfg.updateEverySeconds) {
      visit.staleCheckedAt = engaged;
      snapshotStale = inflow.changedSubstantially(visit.signature, pageSignature());
    }
    const mediaNow = visit.reported ? mediaSignature(mediaSummary().media) : '';
    const what = inflow.nextReport({
      engaged,
      reported: visit.reported,
      reportedEngaged: visit.reportedEngaged,
      snapshotTaken: visit.snapshotTaken,
      snapshotStale,
      mediaChanged: visit.reported && mediaNow !== visit.mediaSig,
      isSearchPage: visit.isSearchPage,
    }, cfg);
    if (what) report(what);
    if (engaged >= cfg.minVisitSeconds) maybeYouTube();
  }

  /**
   * End the visit: its last clock, then its port closes, which ends it in the worker (if the
   * page dies first, the port closes all the same). A visit that earned a report but never
   * sent one sends it now.
   */
  function finish() {
    if (!visit?.allowed || !cfg || visit.ended) return;
    visit.clock.tick(performance.now(), engagementState());
    if (!visit.reported && visit.clock.seconds >= cfg.minVisitSeconds) report('visit');
    sendClock({ force: true });
    visit.ended = true;
    visit.port?.disconnect();
    visit.port = null;
  }

  const tick = guarded('tick', () => {
    if (withoutHash(location.href) !== visit.key) {
      finish();
      begin(location.href);
      return;
    }
    if (visit.ended) return;
    visit.clock.tick(performance.now(), engagementState()); // from the start, answer or not
    if (!visit.allowed) return;
    if (scrollDirty && document.body) {
      scrollDirty = false;
      const depth = inflow.scrollFraction({
        scrollY: window.scrollY,
        viewportHeight: window.innerHeight,
        documentHeight: document.documentElement.scrollHeight,
      });
      visit.maxScroll = Math.max(visit.maxScroll, depth);
    }
    maybeReport();
    sendClock();
  });

  const onStateChange = guarded('state', () => {
    if (!visit || visit.ended) return;
    // A change before the worker's answer still counts: the clock must know the state it
    // starts from (a page restored from the cache gets its focus a moment after it shows).
    visit.clock.tick(performance.now(), engagementState());
    if (!visit.allowed) return;
    sendClock();
    if (document.visibilityState === 'hidden' && visit.reported
      && visit.clock.seconds > visit.reportedEngaged) report('update');
  });

  addEventListener('scroll', () => { scrollDirty = true; }, { passive: true, capture: true });
  addEventListener('resize', () => { scrollDirty = true; }, { passive: true });
  document.addEventListener('visibilitychange', onStateChange);
  addEventListener('focus', onStateChange);
  addEventListener('blur', onStateChange);
  addEventListener('pagehide', guarded('pagehide', () => finish()));
  addEventListener('pageshow', guarded('pageshow', (event) => {
    if (event.persisted) begin(location.href);
  }));
  addEventListener('popstate', () => tick());
  document.addEventListener('yt-navigate-finish', () => tick());
  chrome.runtime.onMessage.addListener(guarded('message', (message) => {
    if (message?.type === 'idle') {
      tick();
      idle = message.state !== 'active';
      sendClock({ force: true });
    } else if (message?.type === 'frame:media') {
      frameMedia.report(message.frameId, message, Date.now());
    }
  }));

  begin(location.href);
  timer = setInterval(tick, TICK_MS);
  costs.initMs = performance.now() - initStart;
  costs.totalMs += costs.initMs;
})();
