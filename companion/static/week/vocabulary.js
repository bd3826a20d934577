// The tag words the companion serves with the week (`vocabulary`, from nlp.types): facet titles
// ("The 4 E's") and value labels ("Deep dive"). The page restates none of them.

/** The facets, in the page's order: `[[facet, {title, values: [{key, label}]}], ...]`. */
export function facetsOf(vocabulary) {
  return Object.entries(vocabulary.facets);
}

/** The words for one tag value (`deep-dive` -> "Deep dive"); the key itself if unknown. */
export function labelOf(vocabulary, facet, key) {
  if (key === vocabulary.unknown.key) return vocabulary.unknown.label;
  return vocabulary.facets[facet]?.values.find((v) => v.key === key)?.label ?? key;
}
