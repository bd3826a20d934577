// Keeping keyboard focus where the user was across a redraw. Every control the page redraws
// carries `data-focus="<section>:<action>:<id>"`; before an action the page notes the control's
// key and its neighbours', and after the redraw it focuses the first of them still there
// (the control itself, else the same control in the next row, then the previous row, then
// the section's heading). Focus in a part of the page that was not redrawn is left alone.

const selector = (key) => `[data-focus="${CSS.escape(key)}"]`;

function roleOf(key) {
  return key.split(':').slice(0, 2).join(':');
}

function sameRoleIn(row, role) {
  return row?.querySelector(`[data-focus^="${CSS.escape(role)}:"]`)?.dataset.focus;
}

/** The keys to try after an action started from `control`, best first. */
export function focusPlan(control) {
  const key = control?.dataset?.focus;
  if (!key) return [];
  const role = roleOf(key);
  const row = control.closest('li, article');
  return [
    key,
    sameRoleIn(row?.nextElementSibling, role),
    sameRoleIn(row?.previousElementSibling, role),
    `${key.split(':')[0]}:heading`,
  ].filter(Boolean);
}

function shown(node) {
  return node.checkVisibility ? node.checkVisibility() : node.getClientRects().length > 0;
}

/** Focus the first of `keys` on the page, unless focus is still on something on the page. */
export function restoreFocus(keys) {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  for (const key of keys) {
    const node = document.querySelector(selector(key));
    if (node && shown(node)) {
      node.focus();
      return;
    }
  }
}
