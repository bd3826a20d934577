// The weekly page's sections, in the order it shows them. A section is a module whose default
// export is `{id, render(data, page) -> Element, update?(node, data, page)}`: `render` draws it
// from the week's JSON; a section with `update` is drawn once and then updated in place (its
// inputs survive every action), any other is drawn again after an action. An array is a row
// of cards side by side. Adding a section is one module and one line here.
//
// A redrawn section keeps what the user was doing in it: give each control a stable
// `data-focus="<section>:<action>:<id>"` key and its focus (focus.js), its unsent value or
// tick and open `<details>` (keep.js) survive the redraw.

import days from './days.js';
import facets from './facets.js';
import highlights from './highlights.js';
import items from './items.js';
import questions from './questions.js';
import reflect from './reflect.js';
import share from './share.js';
import summary from './summary.js';
import threads from './threads.js';
import trend from './trend.js';

export const LAYOUT = [
  summary,
  [days, facets],
  threads,
  [questions, highlights],
  trend,
  reflect,
  items,
  share,
];
