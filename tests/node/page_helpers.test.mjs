// The page's pure helpers, imported straight from web/public: title search, CSV fields and
// colour categories.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { categorise } from '../../web/public/colours.js';
import { dataSetKey, listCsv, loadList, parseListCsv, saveList }
  from '../../web/public/my_list.js';
import { csvLine, foldText, searchTitles } from '../../web/public/text.js';

test('folding drops case and accents but keeps other characters', () => {
  assert.equal(foldText('Kaze no Tani no Nausicaä'), 'kaze no tani no nausicaa');
  assert.equal(foldText('POKÉMON: Ōkami'), 'pokemon: okami');
  assert.equal(foldText('東京 Ghoul'), '東京 ghoul');
});

test('search ranks exact titles, then prefixes, then popular substrings', () => {
  const titles = ['Mononoke', 'Mononoke Hime', 'Fukigen na Mononokean', 'Mononoke Dance',
                  'Cowboy Bebop'];
  const folded = titles.map(foldText);
  const counts = [500, 9000, 800, 10, 7000];
  assert.deepEqual(searchTitles(folded, counts, 'MONONOKE'), [0, 1, 3, 2]);
  assert.deepEqual(searchTitles(folded, counts, 'mononoke h'), [1]);
  assert.deepEqual(searchTitles(folded, counts, '  bebop '), [4]);
  assert.deepEqual(searchTitles(folded, counts, ''), []);
  assert.deepEqual(searchTitles(folded, counts, 'o', 2), [1, 4]);
});

test('CSV fields with separators, quotes or line breaks are quoted', () => {
  assert.equal(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', 3]),
               'a,"b,c","say ""hi""","two\nlines",3\n');
});

test('colour categories keep the most common labels and give each item its rarest one', () => {
  const labels = [['Comedy', 'Drama'], ['Comedy'], ['Comedy', 'Mecha'], ['Drama'], ['Opera'],
                  []];
  const { codes, legend } = categorise(labels, 3);
  assert.deepEqual(legend, ['other', 'Comedy', 'Drama', 'Mecha']);
  assert.deepEqual(Array.from(codes), [2, 1, 3, 2, 0, 0]);
  const few = categorise(labels, 1);
  assert.deepEqual(few.legend, ['other', 'Comedy']);
  assert.deepEqual(Array.from(few.codes), [1, 1, 1, 0, 0, 0]);
});

test('My list round-trips through its CSV, quotes and all', () => {
  const entries = [{ id: '5', title: 'Gone, "Title"', score: 9 }, { id: 'x7', title: '',
                                                                     score: null }];
  assert.equal(listCsv(entries), 'id,title,score\n5,"Gone, ""Title""",9\nx7,,\n');
  assert.deepEqual(parseListCsv(listCsv(entries), 'l.csv'), entries);
  assert.deepEqual(parseListCsv('\ufeffscore,id\r\n3,a\r\n,b\r\n3,a\r\n'),
                   [{ id: 'a', title: '', score: 3 }, { id: 'b', title: '', score: null }]);
});

test('My list import errors name the file, the line and the value', () => {
  assert.throws(() => parseListCsv('id,score\n1,8\n2,0\n', 'l.csv'),
                /^Error: l\.csv line 3, column score: expected a score from 1 to 10 or nothing, /);
  assert.throws(() => parseListCsv('title,score\nA,3\n', 'l.csv'), /l\.csv line 1: .*no id/);
  assert.throws(() => parseListCsv('id,score\n1\n', 'l.csv'), /l\.csv line 2: expected 2/);
  assert.throws(() => parseListCsv('id,title\n"a,b\n', 'l.csv'), /line 2: a quoted field/);
  assert.throws(() => parseListCsv('', 'l.csv'), /empty/);
});

test('My list is stored per data set', () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v),
                    removeItem: (k) => store.delete(k) };
  const a = dataSetKey('ratings.csv', { users: 3, items: 4, interactions: 9 });
  const b = dataSetKey('ratings.csv', { users: 3, items: 5, interactions: 9 });
  saveList(storage, a, [{ id: '1', title: 'One', score: 7 }]);
  assert.deepEqual(loadList(storage, a), [{ id: '1', title: 'One', score: 7 }]);
  assert.deepEqual(loadList(storage, b), []);
  store.set('anime2vec.myList.' + b, 'not json');
  assert.deepEqual(loadList(storage, b), []);
  saveList(storage, a, []);
  assert.equal(store.has('anime2vec.myList.' + a), false);
});
