// The extension's content script marks <html data-paired="true"> once it has the token.
// This page never sees the token: it only shows the outcome.
"use strict";
const show = (id) => { document.getElementById(id).hidden = false; };
const observer = new MutationObserver(() => {
  if (document.documentElement.dataset.paired === "true") {
    document.getElementById("waiting").hidden = true;
    show("done");
    observer.disconnect();
  }
});
observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-paired"] });
setTimeout(() => { if (document.documentElement.dataset.paired !== "true") show("help"); }, 8000);
