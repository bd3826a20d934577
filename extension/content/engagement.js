/*
 * Engagement accounting for one visit: pure logic, no DOM. Loaded as a classic content script
 * (browsers load content scripts as classic scripts) and shared through the isolated-world
 * namespace `globalThis.inflow`; the Node tests load the same file.
 */
(() => {
  const inflow = (globalThis.inflow = globalThis.inflow || {});

  /**
   * Engaged time: time counts while the page is visible, its window focused and the user not
   * idle, or while audible media plays. Feed it `tick(nowMs, state)` often (about once a
   * second); a gap longer than `maxStepMs` (a sleeping laptop, a throttled tab) counts only
   * `maxStepMs`. Give the state at `now` as `state`, or the time until the first tick is lost.
   */
  class EngagementClock {
    constructor({ now, state = null, maxStepMs = 2500 } = {}) {
      this.engagedMs = 0;
      this.last = now;
      this.lastState = state ? { ...state } : null;
      this.maxStepMs = maxStepMs;
    }

    /** True when this state counts as engaged. */
    static isEngaged({ visible, focused, idle, playing }) {
      if (playing) return true;
      return Boolean(visible && focused && !idle);
    }

    /** Account the time since the last tick under the state that held then; returns seconds. */
    tick(now, state) {
      const step = Math.max(0, Math.min(now - this.last, this.maxStepMs));
      if (this.lastState && EngagementClock.isEngaged(this.lastState)) this.engagedMs += step;
      this.last = now;
      this.lastState = { ...state };
      return this.seconds;
    }

    /** Engaged seconds, in tenths rounded down: a visit never gets more than it had. */
    get seconds() {
      return Math.floor(Math.round(this.engagedMs) / 100) / 10;
    }
  }

  /** The deepest fraction of the page seen: (scrollTop + viewport) / document height, 0..1. */
  function scrollFraction({ scrollY, viewportHeight, documentHeight }) {
    if (!(documentHeight > 0)) return 0;
    return Math.max(0, Math.min(1, (scrollY + viewportHeight) / documentHeight));
  }

  /**
   * What to send now for a visit, given its accounting and the settings:
   * returns null (nothing), 'visit' (metadata), 'snapshot' (metadata and DOM snapshot) or
   * 'update' (engagement only).
   * `visit`: {engaged, reportedEngaged, reported, snapshotTaken, mediaChanged, isSearchPage,
   *           snapshotStale}
   * `cfg`: {minVisitSeconds, snapshotSeconds, updateEverySeconds}
   */
  function nextReport(visit, cfg) {
    if (visit.engaged < cfg.minVisitSeconds) return null;
    const snapshotDue = !visit.isSearchPage && visit.engaged >= cfg.snapshotSeconds
      && (!visit.snapshotTaken || visit.snapshotStale);
    if (snapshotDue) return 'snapshot';
    if (!visit.reported) return 'visit';
    if (visit.engaged - visit.reportedEngaged >= cfg.updateEverySeconds) return 'update';
    if (visit.mediaChanged) return 'update';
    return null;
  }

  /**
   * True when a page changed enough since its snapshot to take another: its text grew or shrank
   * by more than a third, or its title or first heading changed.
   */
  function changedSubstantially(before, after) {
    if (!before) return true;
    if (before.title !== after.title || before.heading !== after.heading) return true;
    const base = Math.max(before.textLength, 200);
    return Math.abs(after.textLength - before.textLength) / base > 1 / 3;
  }

  /** An RFC 4122 version 4 UUID (crypto.randomUUID is missing on plain-http pages). */
  function uuid() {
    if (globalThis.crypto?.randomUUID) {
      try {
        return globalThis.crypto.randomUUID();
      } catch {
        /* insecure context: fall through */
      }
    }
    const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** ISO 8601 with the local offset, e.g. 2025-03-04T10:20:30.000+01:00. */
  function isoWithOffset(ms) {
    const d = new Date(ms);
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? '+' : '-';
    const pad = (n, w = 2) => String(Math.abs(Math.trunc(n))).padStart(w, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:`
      + `${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
      + `${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  }

  inflow.EngagementClock = EngagementClock;
  inflow.scrollFraction = scrollFraction;
  inflow.nextReport = nextReport;
  inflow.changedSubstantially = changedSubstantially;
  inflow.uuid = uuid;
  inflow.isoWithOffset = isoWithOffset;
})();
