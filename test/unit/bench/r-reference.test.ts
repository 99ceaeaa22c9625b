import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rFileStem, rInputKey, rInputText } from '../../../bench/r-export';
import { loadRForecasts, parseRForecasts } from '../../../bench/r-reference';
import type { RegularSeries } from '../../../lambdas/core/series/types';

const series = (values: number[]): RegularSeries => ({
  startSec: 0,
  stepSec: 300,
  values: Float64Array.from(values),
});
const TRACE = series(Array.from({ length: 300 }, (_, i) => i + 0.1));
const KEY = 'k';

describe('rInputText', () => {
  it("gives R the key, the replay's default decisions in steps (first, every, history, horizon, period), then the values", () => {
    const [key, settings, ...rest] = rInputText(TRACE).trimEnd().split('\n');

    expect(key).toBe(`#key ${rInputKey(TRACE)}`);
    expect(settings).toBe('288 12 4032 576 288');
    expect(rest.map(Number)).toEqual(Array.from(TRACE.values));
  });

  it('keys the input by settings, length and values, so any change to the trace is told', () => {
    const changed = series(Array.from(TRACE.values, (v, i) => (i === 150 ? v + 1e-9 : v)));

    expect(rInputKey(TRACE)).toMatch(/^288 12 4032 576 288 step=300 n=300 fnv1a=[0-9a-f]{8}$/);
    expect(rInputKey(changed)).not.toBe(rInputKey(TRACE));
  });

  it('names a trace by its path with the separators flattened', () => {
    expect(rFileStem('realTweets/Twitter_volume_GOOG')).toBe('realTweets__Twitter_volume_GOOG');
  });
});

describe('parseRForecasts', () => {
  it('groups rows by kind and decision', () => {
    const byKind = parseRForecasts('#key k\n3,stlf_mean,1,2\n3,stlf_hi80,1.5,2.5e1\n', 'f.csv', KEY);

    expect(Array.from(byKind.get('stlf_hi80')?.get(3) ?? [])).toEqual([1.5, 25]);
    expect(Array.from(byKind.get('stlf_mean')?.get(3) ?? [])).toEqual([1, 2]);
  });

  it('reads a decision R printed in scientific notation', () => {
    const byKind = parseRForecasts('#key k\n1e+05,stlf_mean,1\n', 'f.csv', KEY);

    expect(Array.from(byKind.get('stlf_mean')?.get(100_000) ?? [])).toEqual([1]);
  });

  it.each([
    ['a non-integer decision', '3.5,stlf_mean,1'],
    ['an empty decision', ',stlf_mean,1'],
    ['an empty kind', '3,,1'],
    ['no values', '3,stlf_mean'],
  ])('names the file and line of %s', (_, bad) => {
    expect(() => parseRForecasts(`#key k\n3,stlf_mean,1\n${bad}\n`, 'f.csv', KEY)).toThrow(
      /^f\.csv:3: expected decision,kind,values/,
    );
  });

  it.each([
    ['NA', 'NA'],
    ['NaN', 'NaN'],
    ['Inf', 'Inf'],
    ['-Inf', '-Inf'],
    ['an empty field', ''],
    ['1e999 (beyond float range)', '1e999'],
  ])('refuses the file naming the line and field of a non-finite value: %s', (_, value) => {
    const text = `#key k\n3,stlf_mean,1,2\n3,stlf_hi80,1.5,${value}\n`;

    expect(() => parseRForecasts(text, 'f.csv', KEY)).toThrow(
      `f.csv:3: field 4 (stlf_hi80 step 2 of decision 3) is "${value}", not a finite number; the file is refused`,
    );
  });

  it('fails when the forecasts were made from another input, saying how to remake them', () => {
    expect(() => parseRForecasts('#key old\n3,stlf_mean,1\n', 'f.csv', 'new')).toThrow(
      'f.csv:1: made from "#key old", but the replay now needs "#key new"; run bench/r/run.sh again',
    );
  });
});

describe('loadRForecasts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'r-ref-'));

  it('pairs each method mean with its bound for every reference', () => {
    const rows = [
      'stlf_mean,1',
      'stlf_hi80,2',
      'stlf_hi90,3',
      'snaive_mean,4',
      'snaive_hi80,5',
      'snaive_hi90,6',
    ];
    writeFileSync(join(dir, 'one.csv'), ['#key k', ...rows.map((r) => `288,${r}`)].join('\n'));

    const refs = loadRForecasts(dir, 'one', KEY);

    expect(refs.get('rStlfHi90')?.model).toBe('r-stlf-hi90');
    expect(Array.from(refs.get('rStlfHi90')?.byDecision.get(288)?.upper ?? [])).toEqual([3]);
    expect(Array.from(refs.get('rSnaiveHi80')?.byDecision.get(288)?.point ?? [])).toEqual([4]);
  });

  it('is empty for a trace R was not run on', () => {
    expect(loadRForecasts(dir, 'absent', KEY).size).toBe(0);
  });

  it('refuses a file holding a non-finite forecast, naming it', () => {
    writeFileSync(join(dir, 'na.csv'), '#key k\n288,stlf_mean,1\n288,stlf_hi80,NA\n');

    expect(() => loadRForecasts(dir, 'na', KEY)).toThrow(
      `${join(dir, 'na.csv')}:3: field 3 (stlf_hi80 step 1 of decision 288) is "NA", not a finite number`,
    );
  });

  it('fails naming a decision whose bound is missing', () => {
    writeFileSync(join(dir, 'gap.csv'), '#key k\n288,stlf_mean,1\n');

    expect(() => loadRForecasts(dir, 'gap', KEY)).toThrow(
      /gap\.csv: decision 288 has stlf_mean but no stlf_hi80/,
    );
  });
});
