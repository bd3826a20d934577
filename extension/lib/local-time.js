/*
 * This browser's calendar and clock, written once: the stamp a capture carries
 * (`isoWithOffset`) and the day it is filed under (`localDay`, the date part of that stamp,
 * which the popup asks the companion for).
 *
 * A classic script, so content scripts can load it (browsers load them as classic scripts;
 * the manifest lists it before engagement.js); it puts its functions on the isolated world's
 * `globalThis.inflow`. ES modules import it for that effect (lib/companion.js), as do the Node
 * tests.
 */
(() => {
  const inflow = (globalThis.inflow = globalThis.inflow || {});
  const pad = (n, width = 2) => String(Math.abs(Math.trunc(n))).padStart(width, '0');

  /** The calendar day (YYYY-MM-DD) of the moment `ms` in this browser's time zone. */
  function localDay(ms) {
    const d = new Date(ms);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  /** ISO 8601 with the local offset, e.g. 2025-03-04T10:20:30.000+01:00. */
  function isoWithOffset(ms) {
    const d = new Date(ms);
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? '+' : '-';
    return `${localDay(ms)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
      + `.${pad(d.getMilliseconds(), 3)}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  }

  inflow.localDay = localDay;
  inflow.isoWithOffset = isoWithOffset;
})();
