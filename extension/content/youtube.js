/*
 * YouTube watch pages: video id, title, channel, duration and (best effort) the transcript from
 * the page's own caption track. Parsing is pure; `readYouTube` asks the small main-world script
 * (youtube-main.js) for the player response, because the isolated world cannot see page
 * variables.
 */
(() => {
  const inflow = (globalThis.inflow = globalThis.inflow || {});

  /** The video id of a YouTube watch URL, or null. */
  function youtubeVideoId(url) {
    let u;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    if (!/(^|\.)youtube\.com$/.test(u.hostname)) return null;
    if (u.pathname === '/watch') return u.searchParams.get('v');
    const m = u.pathname.match(/^\/(shorts|live)\/([\w-]{6,})/);
    return m ? m[2] : null;
  }

  /** The fields Inflow keeps from a player response object. */
  function pickPlayerResponse(pr) {
    const details = pr?.videoDetails ?? {};
    const tracks = pr?.captions?.playerCaptionsTracklistRenderer?.captionTracks ?? [];
    return {
      videoId: details.videoId ?? null,
      title: details.title ?? null,
      channel: details.author ?? null,
      duration: Number(details.lengthSeconds) || null,
      captionTracks: tracks
        .filter((t) => typeof t.baseUrl === 'string')
        .map((t) => ({ baseUrl: t.baseUrl, languageCode: t.languageCode ?? '', kind: t.kind ?? '' })),
    };
  }

  /** Choose a caption track: the page language's manual track, then any manual, then ASR. */
  function chooseTrack(tracks, lang = 'en') {
    if (!tracks?.length) return null;
    const prefix = String(lang).slice(0, 2).toLowerCase();
    const manual = tracks.filter((t) => t.kind !== 'asr');
    return manual.find((t) => t.languageCode.startsWith(prefix))
      || tracks.find((t) => t.languageCode.startsWith(prefix))
      || manual[0] || tracks[0];
  }

  /** Plain text of a `fmt=json3` caption document. */
  function transcriptFromJson3(doc) {
    const parts = [];
    for (const event of doc?.events ?? []) {
      for (const seg of event.segs ?? []) if (seg.utf8) parts.push(seg.utf8);
    }
    return parts.join('').replace(/\s+/g, ' ').trim();
  }

  /** Plain text of a timedtext XML caption document (`<text>` or `<p>` cues). */
  function transcriptFromXml(xml) {
    const cues = String(xml).match(/<(text|p)\b[^>]*>([\s\S]*?)<\/\1>/g) ?? [];
    const decode = (s) => s
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'");
    return cues.map((cue) => decode(decode(cue.replace(/^<[^>]+>|<\/[^>]+>$/g, '')))).join(' ')
      .replace(/\s+/g, ' ').trim();
  }

  /** Ask the main-world helper for the current player response; null after `timeoutMs`. */
  function requestPlayerResponse(doc, timeoutMs = 1500) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        doc.removeEventListener('inflow:yt-response', onResponse);
        resolve(null);
      }, timeoutMs);
      function onResponse(event) {
        clearTimeout(timer);
        doc.removeEventListener('inflow:yt-response', onResponse);
        try {
          resolve(pickPlayerResponse(JSON.parse(String(event.detail))));
        } catch {
          resolve(null);
        }
      }
      doc.addEventListener('inflow:yt-response', onResponse);
      doc.dispatchEvent(new CustomEvent('inflow:yt-request'));
    });
  }

  /**
   * Read what the watch page offers: {videoId, title, channel, duration, transcript}.
   * Best effort: fields are null when the page does not offer them.
   */
  async function readYouTube(doc, url) {
    const videoId = youtubeVideoId(url);
    if (!videoId) return null;
    const info = await requestPlayerResponse(doc);
    if (!info || info.videoId !== videoId) return { videoId, title: null, channel: null, duration: null, transcript: null };
    let transcript = null;
    const track = chooseTrack(info.captionTracks, doc.documentElement.lang || 'en');
    if (track) {
      try {
        const trackUrl = new URL(track.baseUrl, 'https://www.youtube.com');
        if (/(^|\.)youtube\.com$/.test(trackUrl.hostname)) {
          trackUrl.searchParams.set('fmt', 'json3');
          const response = await fetch(trackUrl.href, { credentials: 'same-origin' });
          const body = await response.text();
          transcript = body.trim().startsWith('{')
            ? transcriptFromJson3(JSON.parse(body))
            : transcriptFromXml(body);
        }
      } catch {
        transcript = null;
      }
    }
    return { ...info, captionTracks: undefined, transcript: transcript ? transcript.slice(0, 200_000) : null };
  }

  inflow.youtubeVideoId = youtubeVideoId;
  inflow.pickPlayerResponse = pickPlayerResponse;
  inflow.chooseTrack = chooseTrack;
  inflow.transcriptFromJson3 = transcriptFromJson3;
  inflow.transcriptFromXml = transcriptFromXml;
  inflow.readYouTube = readYouTube;
})();
