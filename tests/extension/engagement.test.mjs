import test from 'node:test';
import assert from 'node:assert/strict';

// The content scripts are classic scripts that publish on globalThis.inflow.
await import('../../extension/content/engagement.js');
await import('../../extension/content/media.js');
await import('../../extension/content/youtube.js');
const { EngagementClock, nextReport, scrollFraction, changedSubstantially, uuid, MediaMeter } = globalThis.inflow;

const active = { visible: true, focused: true, idle: false, playing: false };

function run(clock, steps) {
  let t = clock.last;
  for (const [ms, state] of steps) {
    t += ms;
    clock.tick(t, state);
  }
}

test('time counts only while visible, focused and not idle', () => {
  const clock = new EngagementClock({ now: 0 });
  clock.tick(0, active);
  run(clock, [[1000, active], [1000, { ...active, visible: false }], [1000, active], [1000, { ...active, idle: true }], [1000, active]]);
  // Counted: 0→1 (active), 1→2 (active), 3→4 (active); not 2→3 (hidden), not 4→5 (idle).
  assert.equal(clock.seconds, 3);
});

test('an unfocused window does not count, audible media does', () => {
  const clock = new EngagementClock({ now: 0 });
  clock.tick(0, { ...active, focused: false });
  run(clock, [[1000, { ...active, focused: false, playing: true }], [1000, { visible: false, focused: false, idle: true, playing: true }], [1000, active]]);
  assert.equal(clock.seconds, 2);
});

test('a visit counts from its start when the clock is given the state then', () => {
  const clock = new EngagementClock({ now: 0, state: active });
  clock.tick(1000, active);
  assert.equal(clock.seconds, 1);
  const blind = new EngagementClock({ now: 0 });
  blind.tick(1000, active);
  assert.equal(blind.seconds, 0, 'without a start state the first second is unknown');
});

test('a long gap (sleep, throttled tab) counts at most one step', () => {
  const clock = new EngagementClock({ now: 0, maxStepMs: 2500 });
  clock.tick(0, active);
  clock.tick(3_600_000, active);
  assert.equal(clock.seconds, 2.5);
});

const cfg = { minVisitSeconds: 1, snapshotSeconds: 10, updateEverySeconds: 30 };
const visit = (over) => ({ engaged: 0, reported: false, reportedEngaged: 0, snapshotTaken: false, snapshotStale: false, mediaChanged: false, isSearchPage: false, ...over });

test('a tab switch shorter than a second is not a visit', () => {
  assert.equal(nextReport(visit({ engaged: 0.6 }), cfg), null);
  assert.equal(nextReport(visit({ engaged: 1.2 }), cfg), 'visit');
});

test('the snapshot waits for the threshold and is taken once', () => {
  assert.equal(nextReport(visit({ engaged: 9.9, reported: true, reportedEngaged: 1 }), cfg), null);
  assert.equal(nextReport(visit({ engaged: 10, reported: true, reportedEngaged: 1 }), cfg), 'snapshot');
  assert.equal(nextReport(visit({ engaged: 12, reported: true, reportedEngaged: 10, snapshotTaken: true }), cfg), null);
  assert.equal(nextReport(visit({ engaged: 41, reported: true, reportedEngaged: 10, snapshotTaken: true }), cfg), 'update');
  assert.equal(nextReport(visit({ engaged: 41, reported: true, reportedEngaged: 40, snapshotTaken: true, snapshotStale: true }), cfg), 'snapshot');
});

test('search results pages are reported but never snapshotted', () => {
  assert.equal(nextReport(visit({ engaged: 20, isSearchPage: true }), cfg), 'visit');
  assert.equal(nextReport(visit({ engaged: 20, reported: true, reportedEngaged: 20, isSearchPage: true }), cfg), null);
});

test('media progress triggers an update between the regular ones', () => {
  assert.equal(nextReport(visit({ engaged: 15, reported: true, reportedEngaged: 12, snapshotTaken: true, mediaChanged: true }), cfg), 'update');
});

test('scroll depth is the seen fraction, clamped', () => {
  assert.equal(scrollFraction({ scrollY: 0, viewportHeight: 800, documentHeight: 4000 }), 0.2);
  assert.equal(scrollFraction({ scrollY: 3500, viewportHeight: 800, documentHeight: 4000 }), 1);
  assert.equal(scrollFraction({ scrollY: 0, viewportHeight: 800, documentHeight: 0 }), 0);
});

test('a page changed substantially when its text moves by a third or its title changes', () => {
  const before = { title: 'A', heading: 'H', textLength: 3000 };
  assert.equal(changedSubstantially(before, { ...before, textLength: 3500 }), false);
  assert.equal(changedSubstantially(before, { ...before, textLength: 4500 }), true);
  assert.equal(changedSubstantially(before, { ...before, title: 'B' }), true);
});

test('ids are v4 UUIDs', () => {
  const id = uuid();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(uuid(), id);
});

function play(meter, events) {
  for (const [type, currentTime, now, extra] of events) meter.event({ type, currentTime, duration: 600, playbackRate: 1, paused: type === 'pause', ...extra }, now);
}

test('watched seconds count media actually played, not the duration', () => {
  const m = new MediaMeter();
  play(m, [['play', 0, 0], ['timeupdate', 1, 1000], ['timeupdate', 2, 2000], ['timeupdate', 3, 3000], ['pause', 3.2, 3200]]);
  assert.equal(m.snapshot().watched_seconds, 3.2);
  assert.equal(m.snapshot().duration, 600);
  assert.equal(m.snapshot().ended, false);
});

test('seeking forward is not watching', () => {
  const m = new MediaMeter();
  play(m, [['play', 0, 0], ['timeupdate', 1, 1000], ['seeking', 300, 1100], ['seeked', 300, 1200], ['timeupdate', 301, 2200], ['timeupdate', 400, 2400]]);
  assert.equal(m.snapshot().watched_seconds, 2);
});

test('fast playback counts the media seconds heard, and the rate is kept', () => {
  const m = new MediaMeter();
  play(m, [['ratechange', 0, 0, { playbackRate: 2 }], ['play', 0, 0, { playbackRate: 2 }], ['timeupdate', 2, 1000, { playbackRate: 2 }], ['timeupdate', 4, 2000, { playbackRate: 2 }], ['ended', 4, 2000, { playbackRate: 2 }]]);
  const s = m.snapshot();
  assert.equal(s.watched_seconds, 4);
  assert.equal(s.playback_rate, 2);
  assert.equal(s.ended, true);
});

test('YouTube captions in json3 and XML become plain text', () => {
  const { transcriptFromJson3, transcriptFromXml, youtubeVideoId, chooseTrack, pickPlayerResponse } = globalThis.inflow;
  assert.equal(transcriptFromJson3({ events: [{ segs: [{ utf8: 'Hello ' }, { utf8: 'world' }] }, { tStartMs: 1 }, { segs: [{ utf8: '\nagain' }] }] }), 'Hello world again');
  assert.equal(transcriptFromXml('<transcript><text start="0">It&amp;#39;s a</text><text start="1">test &amp;amp; more</text></transcript>'), "It's a test & more");
  assert.equal(youtubeVideoId('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1'), 'dQw4w9WgXcQ');
  assert.equal(youtubeVideoId('https://www.youtube.com/shorts/abcdefghijk'), 'abcdefghijk');
  assert.equal(youtubeVideoId('https://example.com/watch?v=x'), null);
  const tracks = [{ baseUrl: 'a', languageCode: 'de', kind: '' }, { baseUrl: 'b', languageCode: 'en', kind: 'asr' }, { baseUrl: 'c', languageCode: 'en', kind: '' }];
  assert.equal(chooseTrack(tracks, 'en-US').baseUrl, 'c');
  const info = pickPlayerResponse({ videoDetails: { videoId: 'v', title: 'T', author: 'Chan', lengthSeconds: '61' }, captions: { playerCaptionsTracklistRenderer: { captionTracks: tracks } } });
  assert.deepEqual([info.videoId, info.title, info.channel, info.duration, info.captionTracks.length], ['v', 'T', 'Chan', 61, 3]);
});

test('an embedded player\'s reports count from the visit\'s start, and a new document resets them', () => {
  const { FrameMedia, mostWatched } = globalThis.inflow;
  const frames = new FrameMedia();
  const said = (watched, playing = true) => ({ summary: { kind: 'video', media: { watched_seconds: watched, duration: 600, ended: false, playback_rate: 1 } }, playing });
  frames.report(3, said(20), 1000);
  assert.equal(frames.summary().media.watched_seconds, 20);
  assert.equal(frames.playing(2000), true);
  assert.equal(frames.playing(7000), false, 'a frame that stopped reporting is not playing');
  frames.reset(); // the top frame starts a new visit
  frames.report(3, said(26), 8000);
  assert.equal(frames.summary().media.watched_seconds, 6);
  frames.report(3, said(4, false), 9000); // the frame loaded another video
  assert.equal(frames.summary().media.watched_seconds, 4);
  assert.equal(frames.playing(9000), false);
  const own = { kind: 'audio', media: { watched_seconds: 5 } };
  assert.equal(mostWatched(own, frames.summary()), own);
  assert.equal(mostWatched(null, frames.summary()).kind, 'video');
  assert.equal(mostWatched(null, null), null);
});
