import { describe, expect, it } from 'vitest';
import { readableNum, renderTable } from '../../cli/table';

describe('readableNum', () => {
  it.each([
    { value: 1234.5, want: '1,234.50' },
    { value: -0.25, want: '-0.25' },
    { value: 0, want: '0.00' },
    { value: 0.006, want: '0.01' },
    { value: 999_999_999_999, want: '999,999,999,999.00' },
  ])('writes $value with thousands separators and 2 decimals', ({ value, want }) => {
    expect(readableNum(value, 2)).toEqual({ num: want });
  });

  it.each([
    { value: 1e15, want: '1e+15' },
    { value: 1e300, want: '1e+300' },
    { value: -1.06843e150, want: '-1.06843e+150' },
    { value: 1.234567891e20, want: '1.23457e+20' },
    { value: 0.004, want: '4e-3' },
    { value: -1e-300, want: '-1e-300' },
  ])('writes $value, too large or too small for 2 decimals, in exponent notation', ({ value, want }) => {
    expect(readableNum(value, 2)).toEqual({ num: want });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('writes %d as n/a', (value) => {
    expect(readableNum(value, 2)).toEqual({ num: 'n/a' });
  });
});

describe('renderTable', () => {
  it('shows control characters in a cell as escapes and aligns the columns on what is shown', () => {
    const table = renderTable(
      ['name', 'n'],
      [
        ['a\u001b[2J\nb', { num: '1' }],
        ['ok', { num: '22' }],
      ],
    );

    expect(table.split('\n')).toEqual([
      'name            n',
      '-------------  --',
      'a\\x1b[2J\\x0ab   1',
      'ok             22',
    ]);
  });
});
