import { describe, expect, it } from 'vitest';
import { readDecimal } from '../../../lambdas/core/series/decimal';

describe('readDecimal', () => {
  it.each([
    ['5', 5],
    ['+5', 5],
    ['-2.5', -2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['007', 7],
  ])('reads the plain decimal %s', (text, expected) => {
    expect(readDecimal(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['1.5e-3', 0.0015],
    ['2E+06', 2_000_000],
    ['-4e2', -400],
    ['1e-999', 0],
  ])('reads %s when exponents are allowed', (text, expected) => {
    expect(readDecimal(text, { exponent: true })).toEqual({ ok: true, value: expected });
  });

  it.each([
    '0x10',
    '0b1',
    '0o7',
    'Infinity',
    '-Infinity',
    'NaN',
    '1_000',
    '',
    ' 5 ',
    '.',
    '+',
    '1e',
    'e5',
    '5..',
  ])('fails on %j, which is not a decimal numeral', (text) => {
    expect(readDecimal(text, { exponent: true })).toEqual({ ok: false, problem: 'not-decimal' });
  });

  it('fails on an exponent when exponents are not allowed', () => {
    expect(readDecimal('1e3')).toEqual({ ok: false, problem: 'not-decimal' });
  });

  it('fails on a decimal point when only whole numbers are allowed', () => {
    expect(readDecimal('5.0', { fraction: false })).toEqual({ ok: false, problem: 'not-decimal' });
    expect(readDecimal('-12', { fraction: false })).toEqual({ ok: true, value: -12 });
  });

  it.each(['1e999', '-1e999', '9'.repeat(400)])('fails on %s, beyond a double, as out of range', (text) => {
    expect(readDecimal(text, { exponent: true })).toEqual({ ok: false, problem: 'out-of-range' });
  });
});
