/**
 * Did-you-mean: which misspellings find their word, which words are too far to guess, and the
 * distance they rest on (optimal string alignment: insert, delete, substitute, swap neighbours).
 */
import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance, listNames } from '../../src/scenario/index.js';

const METHODS = ['round-robin', 'ip-hash', 'hash', 'least-conn', 'random'];
const TOP_LEVEL = ['name', 'seed', 'sessions', 'arrivals', 'clients', 'journey', 'backends', 'stores', 'proxy', 'strategies', 'timeline'];

describe('editDistance', () => {
  it.each([
    ['sessions', 'sessions', 0],
    ['sesions', 'sessions', 1], // one deletion
    ['round-robn', 'round-robin', 1], // one deletion
    ['wieght', 'weight', 1], // one swap of neighbours, not two substitutions
    ['8008', '8080', 1], // a swap again
    ['kitten', 'sitting', 3], // the textbook example: k→s, e→i, +g
    ['', 'abc', 3],
  ] as const)('%s → %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it('stops early once past the limit', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('closestMatch', () => {
  it.each([
    ['round-robn', METHODS, 'round-robin'],
    ['roundrobin', METHODS, 'round-robin'], // dashes do not count
    ['Round_Robin', METHODS, 'round-robin'], // nor case or underscores
    ['iphash', METHODS, 'ip-hash'],
    ['least_conn', METHODS, 'least-conn'],
    ['sesions', TOP_LEVEL, 'sessions'],
    ['strategy', TOP_LEVEL, 'strategies'], // singular for plural
    ['sess', TOP_LEVEL, 'sessions'], // a prefix of three letters or more
    ['backend', TOP_LEVEL, 'backends'],
    ['timline', TOP_LEVEL, 'timeline'],
    ['expo', ['constant', 'exponential', 'lognormal', 'uniform'], 'exponential'],
  ] as const)('%s → %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });

  it.each([
    ['maglev', METHODS], // a real method this version lacks, not a typo
    ['redis', ['local', 'shared']],
    ['z', ['s']], // one letter is too little to guess from
    ['xyz', TOP_LEVEL],
  ] as const)('has no suggestion for %s', (word, candidates) => {
    expect(closestMatch(word, candidates)).toBeUndefined();
  });

  it('suggests nothing for a word that is already valid', () => {
    expect(closestMatch('hash', METHODS)).toBeUndefined();
  });

  it('prefers the closer of two candidates, and the earlier on a tie', () => {
    expect(closestMatch('hasj', METHODS)).toBe('hash'); // 1 edit, while ip-hash is 4
    expect(closestMatch('ab', ['ab1', 'ab2'])).toBeUndefined(); // two letters: no guess
    expect(closestMatch('abcd', ['abce', 'abcf'])).toBe('abce');
  });

  it('accepts any iterable, such as a Set of backend names', () => {
    expect(closestMatch('10.0.0.3:8008', new Set(['10.0.0.1:8080', '10.0.0.3:8080']))).toBe('10.0.0.3:8080');
  });
});

describe('listNames', () => {
  it('quotes and joins names', () => {
    expect(listNames(['a', 'b', 'c'])).toBe('"a", "b", "c"');
    expect(listNames(['a', 'b', 'c'], 8, ' and ')).toBe('"a", "b" and "c"');
    expect(listNames(['a'])).toBe('"a"');
  });

  it('cuts long lists and gives the count', () => {
    const names = Array.from({ length: 100 }, (_, i) => `10.0.0.${i + 1}:8080`);
    expect(listNames(names, 2)).toBe('"10.0.0.1:8080", "10.0.0.2:8080", … (100 in all)');
  });
});
