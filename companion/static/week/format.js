// How the weekly page writes days, durations and counts: the page's one copy of these.
// (The extension keeps its own `localDay` in extension/lib/local-time.js and the popup its own
// minutes format: the extension loads no file from the companion, the companion's wheel holds no
// file of the extension. tests/extension/local-time.test.mjs checks the two days agree.)

/** The user's calendar day (YYYY-MM-DD) in this browser's time zone, as captures are dated. */
export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Minutes as the page shows them: "< 1 min", "48 min", "1 h 20 min", "2 h". */
export function duration(minutes) {
  const whole = Math.round(minutes);
  if (whole < 1) return minutes > 0 ? '< 1 min' : '0 min';
  if (whole < 60) return `${whole} min`;
  const rest = whole % 60;
  return rest ? `${Math.floor(whole / 60)} h ${rest} min` : `${whole / 60} h`;
}

/** "1 page", "3 pages". */
export function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A time of day as the browser writes it ("18:42"). */
export function clock(date = new Date()) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
