// Point colours from catalogue labels (genres or types).

/**
 * Codes each item for a categorical colour: 0 for "other", 1..max for the `max` labels held by
 * most items. An item with several labels (genres) gets the rarest of its labels among those,
 * since the most common ones (Comedy, Action) say little on their own. Returns the codes and
 * the legend, legend[code] being the label.
 */
export function categorise(labelsPerItem, max) {
  const frequency = new Map();
  for (const labels of labelsPerItem) {
    for (const label of labels) if (label) frequency.set(label, (frequency.get(label) ?? 0) + 1);
  }
  const top = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max).map((entry) => entry[0]);
  const code = new Map(top.map((label, i) => [label, i + 1]));
  const codes = new Uint8Array(labelsPerItem.length);
  labelsPerItem.forEach((labels, i) => {
    let best = 0;
    for (const label of labels) {
      const c = code.get(label);
      if (c && (!best || frequency.get(label) < frequency.get(top[best - 1]))) best = c;
    }
    codes[i] = best;
  });
  return { codes, legend: ['other', ...top] };
}
