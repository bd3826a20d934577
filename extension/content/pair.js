/*
 * Pairing: runs only on the companion's /pair page (loopback http). It hands the one-time code
 * from the URL to the service worker, which trades it for the token from the extension's own
 * origin and stores it. The page learns only whether pairing worked (`data-paired` on <html>);
 * the token never enters the page.
 */
(() => {
  if (window.top !== window || chrome.extension?.inIncognitoContext) return;
  const code = new URLSearchParams(location.search).get('code');
  if (!code || location.pathname !== '/pair') return;
  const root = document.documentElement;
  root.dataset.paired = 'pending';
  chrome.runtime.sendMessage({ type: 'pair', code }).then(
    (reply) => {
      root.dataset.paired = reply?.ok ? 'true' : 'false';
      if (!reply?.ok) root.dataset.pairError = String(reply?.error ?? 'failed').slice(0, 80);
    },
    () => {
      root.dataset.paired = 'false';
    },
  );
})();
