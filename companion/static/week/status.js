// The page's status line: the one live region. What an action did, or why it failed, is said
// here once; the rest of the page changes silently (a screen reader is not read the page again).

function line() {
  return document.getElementById('status');
}

/** Say what just happened ("Saved."), politely. */
export function say(text) {
  const node = line();
  node.classList.remove('error');
  node.textContent = text;
}

/** Say what went wrong. */
export function sayError(text) {
  const node = line();
  node.classList.add('error');
  node.textContent = text;
}
