// The page's pure helpers, imported straight from web/public: title search, CSV fields and
// colour categories.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { categorise } from '../../web/public/colours.js';
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
