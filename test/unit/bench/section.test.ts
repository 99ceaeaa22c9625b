import { describe, expect, it } from 'vitest';
import { fmt, renderTable } from '../../../bench/section';

describe('bench renderTable', () => {
  it('groups thousands alike for whole and fractional numbers in one column', () => {
    const table = renderTable(
      ['block', 'inst-h'],
      [
        ['60 min', 3135],
        ['15 min', 2508.94],
      ],
    );
    expect(table.split('\n')).toEqual([
      'block    inst-h',
      '------  -------',
      '60 min    3,135',
      '15 min  2,508.9',
    ]);
  });

  it('right-aligns a numeric column with missing values and left-aligns text', () => {
    const table = renderTable(
      ['trace', 'ratio'],
      [
        ['a', 0.5],
        ['bb', '-'],
      ],
    );
    expect(table.split('\n')).toEqual(['trace  ratio', '-----  -----', 'a      0.500', 'bb         -']);
  });

  it('formats small fractions with 3 decimals and non-finite values as JavaScript does', () => {
    expect([
      fmt(0.12345),
      fmt(99.9999),
      fmt(-1234.56),
      fmt(Number.POSITIVE_INFINITY),
      fmt(Number.NaN),
    ]).toEqual(['0.123', '100.000', '-1,234.6', 'Infinity', 'NaN']);
  });
});
