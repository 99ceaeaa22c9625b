import { describe, expect, it } from 'vitest';
import { packInOrder, policyChars } from '../../../lib/iam/policy-size';

describe('policyChars', () => {
  it('counts the JSON without white space, as IAM does', () => {
    expect(policyChars({ Version: '2012-10-17', Statement: [] })).toBe(
      '{"Version":"2012-10-17","Statement":[]}'.length,
    );
  });

  it('counts a character above U+007F as its 6-character escape, so the count never falls short', () => {
    expect(policyChars('café')).toBe('"caf\\u00e9"'.length);
    expect(policyChars('cafe')).toBe('"cafe"'.length);
  });
});

describe('packInOrder', () => {
  const sizes = { base: 10, separator: 1, max: 20 };
  const length = (s: string) => s.length;

  it.each([
    [[], []],
    [['aaaa'], [['aaaa']]],
    // 10 + 4 + 1 + 4 = 19 fits; a third item would make 24.
    [
      ['aaaa', 'bbbb', 'cccc'],
      [['aaaa', 'bbbb'], ['cccc']],
    ],
    // 10 + 5 + 1 + 4 = 20 fits exactly.
    [
      ['aaaaa', 'bbbb', 'c'],
      [['aaaaa', 'bbbb'], ['c']],
    ],
    [
      ['aaaaaaaaaa', 'b', 'cccccccc'],
      [['aaaaaaaaaa'], ['b', 'cccccccc']],
    ],
  ])('splits %j into %j, in order', (items, parts) => {
    expect(packInOrder(items, length, sizes)).toEqual(parts);
  });

  it('fails when one item alone does not fit', () => {
    expect(() => packInOrder(['a', 'bbbbbbbbbbb'], length, sizes)).toThrow(
      'an item of 11 characters does not fit in 10',
    );
  });
});
