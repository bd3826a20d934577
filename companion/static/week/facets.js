// How the week's learning splits by modality, the 4 E's and form, with the tags' own words.

import { colorOf, stackedBar } from './charts.js';
import { card, el } from './dom.js';
import { duration } from './format.js';
import { facetsOf, labelOf } from './vocabulary.js';

export default {
  id: 'facets',
  render(data) {
    const section = card('facets', 'How you learned');
    for (const [facet, words] of facetsOf(data.vocabulary)) {
      const values = data[`by_${facet}`].map((v) => ({
        ...v, label: labelOf(data.vocabulary, facet, v.key),
      }));
      const legend = el('div', { class: 'legend' });
      values.forEach((value, i) => {
        if (!value.items) return;
        const swatch = el('i');
        swatch.style.background = colorOf(facet, value.key, i);
        legend.append(el('span', {}, swatch, `${value.label} ${duration(value.minutes)}`));
      });
      section.append(el('div', { class: 'facet' }, el('h3', { text: words.title }),
        stackedBar(facet, values), legend));
    }
    return section;
  },
};
