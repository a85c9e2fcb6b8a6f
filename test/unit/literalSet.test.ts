/**
 * The log gate automaton (core/text/literalSet.ts) answers exactly what "does the text contain
 * one of these literals" answers, including overlapping literals (failure links), literals inside
 * one another, non-ASCII literals and text, and the `end` bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LiteralSet } from '../../server/src/core/text/literalSet';
import { logDispatchGates } from '../../server/src/core/logs/match';

const RUNS = Number(process.env['DMLENS_PROPERTY_RUNS'] ?? 1000);
const containsAny = (text: string, words: readonly string[], end = text.length) => words.some((w) => text.slice(0, end).includes(w));

test('classic overlaps: he, she, his, hers', () => {
  const set = new LiteralSet(['he', 'she', 'his', 'hers']);
  assert.equal(set.test('ushers'), true);
  assert.equal(set.test('hi s'), false);
  assert.equal(set.test('xxhixs'), false);
  assert.equal(set.test('ahis'), true);
  assert.equal(set.test('ushers', 3), false, 'the bound cuts "she" and "he" off');
  assert.equal(set.test('ushers', 4), true);
});

test('a literal found only through a failure link: "abcd" and "bce" in "abce"', () => {
  assert.equal(new LiteralSet(['abcd', 'bce']).test('abce'), true);
  assert.equal(new LiteralSet(['abcd', 'c']).test('abx c'), true);
});

test('non-ASCII literals and text', () => {
  const set = new LiteralSet(['pool 😀', 'é-mapper']);
  assert.equal(set.test('the pool 😀 is full'), true);
  assert.equal(set.test('devicé-mapper'), true);
  assert.equal(set.test('pool 😁'), false);
  assert.equal(set.test('ééé-mappe'), false);
});

test('an empty literal is refused', () => {
  assert.throws(() => new LiteralSet(['a', '']), /empty literal/);
});

test('property: equals "contains any" for random literal sets and texts', () => {
  const alphabet = fc.constantFrom('a', 'b', 'c', ' ', 'é', '😀', 'd', '-');
  const word = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), fc.nat(45), (words, text, end) => {
      const set = new LiteralSet(words);
      assert.equal(set.test(text), containsAny(text, words), `${JSON.stringify(words)} in ${JSON.stringify(text)}`);
      assert.equal(set.test(text, end), containsAny(text, words, end), `${JSON.stringify(words)} in ${JSON.stringify(text)} up to ${end}`);
    }),
    { numRuns: RUNS },
  );
});

test('property: the real log gates, on text built from pieces of them', () => {
  const gates = logDispatchGates().map((g) => g.gate);
  const set = new LiteralSet(gates);
  const piece = fc.oneof(fc.constantFrom(...gates), fc.constantFrom(...gates).chain((g) => fc.nat(g.length).map((n) => g.slice(0, n))), fc.string({ maxLength: 6 }));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), (text) => {
      assert.equal(set.test(text), containsAny(text, gates), JSON.stringify(text));
    }),
    { numRuns: RUNS },
  );
});
