/*
 * Media accounting: seconds of <video>/<audio> actually played, whether it reached the end,
 * the playback rate. `MediaMeter` is pure (fed events with times); `watchMedia` wires it to
 * the page with capture-phase listeners on `document` (media events do not bubble), installed
 * at document_start so no early `play` is missed. `FrameMedia` keeps what embedded players
 * (sub-frames, see frame-media.js) report to the top frame.
 */
(() => {
  const inflow = (globalThis.inflow = globalThis.inflow || {});
  if (inflow.watchMedia) return; // loaded by both content-script entries in a top frame

  /** Accounting for one media element. Times are media-time seconds, `now` wall-time ms. */
  class MediaMeter {
    constructor() {
      this.watchedSeconds = 0;
      this.playing = false;
      this.ended = false;
      this.rate = 1;
      this.maxRate = 1;
      this.duration = null;
      this.lastTime = null;
      this.lastWall = null;
      this.audible = true;
    }

    /** Feed one media event: {type, currentTime, duration, playbackRate, paused, muted, volume}, wall ms. */
    event(ev, now) {
      if (Number.isFinite(ev.duration) && ev.duration > 0) this.duration = ev.duration;
      if (typeof ev.playbackRate === 'number' && ev.playbackRate > 0) {
        this.rate = ev.playbackRate;
        this.maxRate = Math.max(this.maxRate, ev.playbackRate);
      }
      if (typeof ev.muted === 'boolean') this.audible = !ev.muted && (ev.volume ?? 1) > 0;
      switch (ev.type) {
        case 'play':
        case 'playing':
          this.playing = true;
          this.ended = false;
          this.mark(ev.currentTime, now);
          break;
        case 'timeupdate':
          if (!ev.paused) this.playing = true;
          this.advance(ev.currentTime, now);
          break;
        case 'pause':
          this.advance(ev.currentTime, now);
          this.playing = false;
          break;
        case 'ended':
          this.advance(ev.currentTime, now);
          this.playing = false;
          this.ended = true;
          break;
        case 'seeking':
        case 'seeked':
        case 'emptied':
          this.mark(ev.currentTime, now);
          break;
        default:
          break;
      }
    }

    mark(currentTime, now) {
      this.lastTime = Number.isFinite(currentTime) ? currentTime : null;
      this.lastWall = now;
    }

    /** Count media time played since the last mark, if it is plausible for the wall time spent. */
    advance(currentTime, now) {
      if (this.playing && this.lastTime != null && Number.isFinite(currentTime)) {
        const delta = currentTime - this.lastTime;
        const wall = (now - this.lastWall) / 1000;
        const plausible = wall * Math.max(this.rate, this.maxRate) * 1.5 + 0.5;
        if (delta > 0 && delta <= plausible) this.watchedSeconds += delta;
      }
      this.mark(currentTime, now);
    }

    snapshot() {
      return {
        watched_seconds: Math.round(this.watchedSeconds * 10) / 10,
        duration: this.duration,
        ended: this.ended,
        playback_rate: this.maxRate !== 1 ? this.maxRate : this.rate,
      };
    }
  }

  const EVENTS = ['play', 'playing', 'pause', 'timeupdate', 'ended', 'ratechange', 'seeking', 'seeked', 'emptied', 'volumechange'];

  /**
   * Listen to every media element of `doc`. Returns {summary(), playing(), reset(), stop()}:
   * summary() is the capture's `media` object (or null when nothing played) plus `kind`.
   */
  function watchMedia(doc, { now = () => Date.now() } = {}) {
    let meters = new Map();
    const onEvent = (event) => {
      const el = event.target;
      if (!(el instanceof HTMLMediaElement)) return;
      let meter = meters.get(el);
      if (!meter) {
        meter = new MediaMeter();
        meters.set(el, meter);
      }
      meter.event({
        type: event.type,
        currentTime: el.currentTime,
        duration: el.duration,
        playbackRate: el.playbackRate,
        paused: el.paused,
        muted: el.muted,
        volume: el.volume,
      }, now());
    };
    for (const type of EVENTS) doc.addEventListener(type, onEvent, { capture: true, passive: true });
    return {
      playing() {
        for (const [el, m] of meters) if (m.playing && !el.paused && m.audible) return true;
        return false;
      },
      summary() {
        let best = null;
        let bestEl = null;
        for (const [el, m] of meters) {
          if (m.playing && !el.paused) m.advance(el.currentTime, now());
          if (!best || m.watchedSeconds > best.watchedSeconds) {
            best = m;
            bestEl = el;
          }
        }
        if (!best || best.watchedSeconds <= 0) return null;
        return { kind: bestEl instanceof HTMLVideoElement ? 'video' : 'audio', media: best.snapshot() };
      },
      reset() {
        meters = new Map();
      },
      stop() {
        for (const type of EVENTS) doc.removeEventListener(type, onEvent, { capture: true });
        meters = new Map();
      },
    };
  }

  /**
   * Media played in the page's sub-frames (embedded players), as their reporters say it: each
   * report is cumulative since that frame's document loaded, so a new visit of the top frame
   * starts from a baseline, and a frame whose count went down has loaded a new document.
   */
  class FrameMedia {
    constructor() {
      this.frames = new Map(); // frameId -> {summary, playing, at, base}
    }

    /** A frame's report: {summary: {kind, media} | null, playing}, at wall ms `now`. */
    report(frameId, { summary, playing }, now) {
      const known = this.frames.get(frameId);
      const watched = summary?.media?.watched_seconds ?? 0;
      const before = known?.summary?.media?.watched_seconds ?? 0;
      const base = known && watched >= before ? known.base : 0;
      this.frames.set(frameId, { summary: summary ?? null, playing: Boolean(playing), at: now, base });
    }

    /** A new visit: what the frames played so far belonged to the previous one. */
    reset() {
      for (const frame of this.frames.values()) frame.base = frame.summary?.media?.watched_seconds ?? 0;
    }

    /** True while a frame says it plays (its reports stop if it dies, so they go stale). */
    playing(now, freshMs = 5000) {
      for (const frame of this.frames.values()) if (frame.playing && now - frame.at <= freshMs) return true;
      return false;
    }

    /** The frame media watched most during this visit, as {kind, media}, or null. */
    summary() {
      let best = null;
      for (const frame of this.frames.values()) {
        if (!frame.summary) continue;
        const watched = Math.round((frame.summary.media.watched_seconds - frame.base) * 10) / 10;
        if (watched > 0 && (!best || watched > best.media.watched_seconds)) {
          best = { kind: frame.summary.kind, media: { ...frame.summary.media, watched_seconds: watched } };
        }
      }
      return best;
    }
  }

  /** The one of two media summaries ({kind, media} or null) watched most. */
  function mostWatched(a, b) {
    if (!a || !b) return a ?? b ?? null;
    return b.media.watched_seconds > a.media.watched_seconds ? b : a;
  }

  inflow.MediaMeter = MediaMeter;
  inflow.FrameMedia = FrameMedia;
  inflow.mostWatched = mostWatched;
  inflow.watchMedia = watchMedia;
})();
