// Tiny DOM helpers: everything is built with DOM calls and textContent, so no page data ever
// becomes markup.

const SVG = 'http://www.w3.org/2000/svg';

/** An element with attributes (`on…` are listeners, `text` is textContent) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** An SVG element. */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A link to a captured page, opened in a new tab without a referrer. */
export function link(title, url) {
  return el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: title });
}

/** A section's card: `<section class="card" id>` with a heading that can take focus. */
export function card(id, title, ...children) {
  return el('section', { class: 'card', id },
    el('h2', { text: title, tabindex: '-1', 'data-focus': `${id}:heading` }), ...children);
}

/** "3 more items. Show all" under a list cut short (nothing when it is whole). */
export function more(list, noun) {
  const hidden = list.total - list.items.length;
  if (hidden <= 0) return null;
  return el('p', { class: 'more' }, `${hidden} more ${noun}. `,
    el('a', { href: `${location.pathname}?all=1`, text: 'Show all' }));
}
