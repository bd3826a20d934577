/*
 * Runs in YouTube's own page world (manifest `"world": "MAIN"`) only to hand the player
 * response to Inflow's isolated content script, which cannot read page variables. It answers
 * an `inflow:yt-request` event with an `inflow:yt-response` event carrying JSON; it reads
 * nothing else and sends nothing anywhere.
 */
(() => {
  document.addEventListener('inflow:yt-request', () => {
    let response = null;
    try {
      const player = document.getElementById('movie_player');
      response = (player && typeof player.getPlayerResponse === 'function' && player.getPlayerResponse())
        || window.ytInitialPlayerResponse || null;
    } catch {
      response = null;
    }
    const picked = response ? { videoDetails: response.videoDetails, captions: response.captions } : null;
    document.dispatchEvent(new CustomEvent('inflow:yt-response', { detail: JSON.stringify(picked) }));
  });
})();
