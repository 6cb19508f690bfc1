// Small text helpers: search normalisation, number formatting, CSV writing and downloads.

/** Lower case without accents, so "nausicaa" finds "Nausicaä" and "POKEMON" finds "Pokémon". */
export function foldText(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Items whose folded title contains the folded query: exact matches first, then titles that
 * start with it, then the rest; more popular first within each group. At most `limit`.
 */
export function searchTitles(foldedTitles, counts, query, limit = 20) {
  const q = foldText(query.trim());
  if (!q) return [];
  const hits = [];
  for (let i = 0; i < foldedTitles.length; ++i) {
    const at = foldedTitles[i].indexOf(q);
    if (at < 0) continue;
    const rank = foldedTitles[i].length === q.length ? 0 : at === 0 ? 1 : 2;
    hits.push([rank, -counts[i], i]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return hits.slice(0, limit).map((hit) => hit[2]);
}

export function formatCount(n) {
  return Math.round(n).toLocaleString('en-US');
}

export function formatSeconds(s) {
  if (!Number.isFinite(s)) return '–';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** One CSV field: quoted when it holds a separator, quote or line break (RFC 4180). */
export function csvField(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields) {
  return fields.map(csvField).join(',') + '\n';
}

/** Offers a Blob as a file download (a blob: URL of this origin; nothing is uploaded). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
