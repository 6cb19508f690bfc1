// The visitor's "My list": titles by id with an optional score 1..10, kept in localStorage per
// data set and exchanged as a small CSV (id,title,score). Pure functions and a storage
// wrapper; the page (main.js) draws the panel.

import { csvLine } from './text.js';

const storagePrefix = 'anime2vec.myList.';

/**
 * A key that names the data set, so a list made on one file never meets another file's ids:
 * the file name with its counts of users, items and interactions (stable across retraining
 * with other settings, different between files).
 */
export function dataSetKey(name, ratings) {
  return `${name}|${ratings.users}|${ratings.items}|${ratings.interactions}`;
}

/** A score from text: null for blank, else a number 1..10; anything else throws. */
export function parseScore(text) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 1 || value > 10) {
    throw new Error(`expected a score from 1 to 10 or nothing, got '${trimmed}'`);
  }
  return value;
}

/** The list's entries ({ id, title, score }) from localStorage; [] when absent or unreadable. */
export function loadList(storage, key) {
  try {
    const text = storage.getItem(storagePrefix + key);
    if (!text) return [];
    const entries = JSON.parse(text);
    if (!Array.isArray(entries)) return [];
    return entries.filter((e) => e && typeof e.id === 'string').map((e) => ({
      id: e.id,
      title: typeof e.title === 'string' ? e.title : '',
      score: typeof e.score === 'number' && e.score >= 1 && e.score <= 10 ? e.score : null,
    }));
  } catch {
    return [];
  }
}

export function saveList(storage, key, entries) {
  try {
    if (entries.length) storage.setItem(storagePrefix + key, JSON.stringify(entries));
    else storage.removeItem(storagePrefix + key);
  } catch {
    // Storage full or disabled (private windows): the list still works for this visit.
  }
}

export function listCsv(entries) {
  return [csvLine(['id', 'title', 'score']),
    ...entries.map((e) => csvLine([e.id, e.title, e.score ?? '']))].join('');
}

/** RFC 4180 records with the line each starts on (1-based); quoted fields may span lines. */
function csvRecords(text, name) {
  const records = [];
  let fields = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        ++i;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') ++line;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') ++i;
      fields.push(field);
      records.push({ line: start, fields });
      fields = [];
      field = '';
      ++line;
      start = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`${name} line ${start}: a quoted field is not closed`);
  if (field !== '' || fields.length) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
}

/**
 * Entries from an exported list. The header names the columns: id (required), title and
 * score (optional). Errors name the file, the line and the value. A repeated id keeps its
 * first row.
 */
export function parseListCsv(text, name = 'list') {
  const records = csvRecords(text, name);
  if (!records.length) {
    throw new Error(`${name}: the file is empty (expected a header id,title,score)`);
  }
  const header = records[0].fields.map((f) => f.trim().toLowerCase());
  const column = (key) => header.indexOf(key);
  const idAt = column('id');
  if (idAt < 0) {
    throw new Error(`${name} line ${records[0].line}: the header has no id column ` +
                    `(got '${records[0].fields.join(',')}')`);
  }
  const titleAt = column('title');
  const scoreAt = column('score');
  const seen = new Set();
  const entries = [];
  for (const { line, fields } of records.slice(1)) {
    if (fields.length !== header.length) {
      throw new Error(`${name} line ${line}: expected ${header.length} fields, got ` +
                      `${fields.length} ('${fields.join(',')}')`);
    }
    const id = fields[idAt].trim();
    if (!id) throw new Error(`${name} line ${line}, column id: the id is empty`);
    let score = null;
    if (scoreAt >= 0) {
      try {
        score = parseScore(fields[scoreAt]);
      } catch (error) {
        throw new Error(`${name} line ${line}, column score: ${error.message}`);
      }
    }
    if (seen.has(id)) continue;
    seen.add(id);
    entries.push({ id, title: titleAt >= 0 ? fields[titleAt] : '', score });
  }
  return entries;
}
