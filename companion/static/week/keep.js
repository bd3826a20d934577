// What the user changed in a section and has not sent yet survives the section's redraw: open
// `<details>`, and any control with a `data-focus` key whose value the user changed (a tag
// chosen but not saved, a box ticked). Controls left as drawn take the new data's values.

function changed(control) {
  if (control.type === 'checkbox' || control.type === 'radio') {
    return control.checked !== control.defaultChecked;
  }
  if (control.tagName === 'SELECT') {
    const drawn = [...control.options].find((o) => o.defaultSelected) ?? control.options[0];
    return control.value !== drawn?.value;
  }
  return control.value !== control.defaultValue;
}

/** Note what the user changed in `root` (to `restore` once it is redrawn). */
export function keep(root) {
  const open = new Set([...root.querySelectorAll('details[open][data-focus]')]
    .map((d) => d.dataset.focus));
  const values = new Map();
  for (const control of root.querySelectorAll('input[data-focus], select[data-focus], textarea[data-focus]')) {
    if (changed(control)) {
      values.set(control.dataset.focus, control.type === 'checkbox' || control.type === 'radio'
        ? { checked: control.checked } : { value: control.value });
    }
  }
  return { open, values };
}

/** Put back in the redrawn `root` what `keep` noted. */
export function restore(root, { open, values }) {
  for (const details of root.querySelectorAll('details[data-focus]')) {
    if (open.has(details.dataset.focus)) details.open = true;
  }
  for (const control of root.querySelectorAll('[data-focus]')) {
    const kept = values.get(control.dataset.focus);
    if (kept) Object.assign(control, kept);
  }
}
