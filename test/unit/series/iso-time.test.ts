import { describe, expect, it } from 'vitest';
import { gridTimeFormat, isoUtc, isoUtcMillis } from '../../../lambdas/core/series/iso-time';

const T0 = Date.UTC(2014, 3, 10) / 1000;

describe('isoUtc', () => {
  it('writes whole seconds without milliseconds, rounding a fraction', () => {
    expect(isoUtc(T0 + 300)).toBe('2014-04-10T00:05:00Z');
    expect(isoUtc(T0 + 299.6)).toBe('2014-04-10T00:05:00Z');
  });
});

describe('isoUtcMillis', () => {
  it('keeps milliseconds, rounding away float noise below them', () => {
    expect(isoUtcMillis(T0 + 4.5)).toBe('2014-04-10T00:00:04.500Z');
    expect(isoUtcMillis(T0 + 0.30000000001)).toBe('2014-04-10T00:00:00.300Z');
  });
});

describe('gridTimeFormat', () => {
  it.each([
    { stepSec: 300, t: T0 + 600, text: '2014-04-10T00:10:00Z' },
    { stepSec: 60, t: T0 + 59.597, text: '2014-04-10T00:01:00Z' },
    { stepSec: 1, t: T0 + 2, text: '2014-04-10T00:00:02Z' },
    { stepSec: 1.5, t: T0 + 6, text: '2014-04-10T00:00:06.000Z' },
    { stepSec: 1.5, t: T0 + 7.5, text: '2014-04-10T00:00:07.500Z' },
    { stepSec: 0.5, t: T0 + 2.5, text: '2014-04-10T00:00:02.500Z' },
    { stepSec: 0.001, t: T0 + 0.003, text: '2014-04-10T00:00:00.003Z' },
  ])('writes $t on a $stepSec s grid as $text', ({ stepSec, t, text }) => {
    expect(gridTimeFormat(stepSec)(t)).toBe(text);
  });

  it('writes every time of a fractional grid distinct and in text order', () => {
    const format = gridTimeFormat(0.5);
    const times = Array.from({ length: 6 }, (_, i) => format(T0 + i * 0.5));

    expect(new Set(times).size).toBe(6);
    expect([...times].sort()).toEqual(times);
  });
});
