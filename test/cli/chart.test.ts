import { describe, expect, it } from 'vitest';
import { renderChartHtml } from '../../cli/chart/html-report';
import { bucketReduce, niceTicks, timeLabel, timeTicks } from '../../cli/chart/scale';
import { CHART_STYLE, renderChartSvg } from '../../cli/chart/svg-chart';
import { bandPath, linePath, runsOf } from '../../cli/chart/svg-parts';
import { syntheticRun } from './fixtures/synthetic-backtest';

/** Tag names in document order if every element is closed in order; throws otherwise. */
function assertWellFormed(xml: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name = '', selfClosing] = m;
    if (closing === '/') {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      seen.push(name);
      if (selfClosing !== '/') stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(', ')}`);
  return seen;
}

describe('renderChartSvg', () => {
  it('produces well-formed SVG with a line per forecast and policy and a legend entry per series', () => {
    // Arrange
    const run = syntheticRun();

    // Act
    const svg = renderChartSvg(run);

    // Assert
    const tags = assertWellFormed(svg);
    expect(tags[0]).toBe('svg');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    for (const key of ['forecast', 'reactive', 'predictive', 'oracle'] as const) {
      expect(svg).toContain(`stroke="${CHART_STYLE[key].color}"`);
    }
    const legend = [...svg.matchAll(/<g class="legend-entry">/g)];
    expect(legend).toHaveLength(Object.keys(CHART_STYLE).length);
    for (const style of Object.values(CHART_STYLE)) expect(svg).toContain(style.label.replace('>', '&#62;'));
  });

  it('marks under-provisioned periods in red and labels days on the time axis', () => {
    const svg = renderChartSvg(syntheticRun());

    expect(svg).toContain(`fill="${CHART_STYLE.short.color}"`);
    expect(svg).toContain('>Fri 11 Apr<');
    expect(svg).toContain('Backtest of synthetic.csv: target 20 per instance');
    expect(svg).toContain('not scored: history for the first forecast');
  });

  it('opens with an accessible <title> naming the trace and target', () => {
    const svg = renderChartSvg(syntheticRun());

    expect(svg).toMatch(/^<svg [^>]*>\n<title>Backtest of synthetic\.csv: target 20 per instance<\/title>/);
  });

  it.each([
    { bound: 'block-max' as const, label: 'bound planned on: block-max' },
    { bound: 'upper' as const, label: 'bound planned on: p90 upper' },
  ])('names the bound planned on in the band legend, in SVG and HTML ($bound)', ({ bound, label }) => {
    const run = syntheticRun();
    const withBound = { ...run, settings: { ...run.settings, planningBound: bound } };

    expect(renderChartSvg(withBound)).toContain(`>${label}</text>`);
    expect(renderChartHtml(withBound)).toContain(`</span>${label}</li>`);
  });

  it.each([
    { bound: 'block-max' as const, name: 'block-max' },
    { bound: 'upper' as const, name: 'p90 upper' },
  ])('labels the peak coverage in the HTML summary by the bound planned on ($bound)', ({ bound, name }) => {
    const run = syntheticRun();

    const html = renderChartHtml({ ...run, settings: { ...run.settings, planningBound: bound } });

    expect(html).toContain(`peak coverage: point forecast 70.0 %, bound planned on (${name}) 95.0 %.`);
    expect(html).not.toContain('(upper bound)');
  });

  // The timeline records every forecast made, trusted or not, and a forecast can overflow
  // (accuracy.ts: "A forecast that is not finite (overflow) scores nothing").
  it.each([
    { name: 'one step', steps: [500] },
    // Below the chart's width of about 350 drawn points, every step is drawn unreduced.
    { name: 'a short trace', steps: [100], points: 300 },
  ])(
    'keeps the load axis on the load and draws an overflowed bound as a gap ($name)',
    ({ steps, points }) => {
      // Arrange: the bound planned on overflowed at some steps (the rest is the synthetic run).
      const run = syntheticRun();
      const tl = run.result.timeline;
      const cut = (a: Float64Array) => (points === undefined ? a.slice() : a.slice(0, points));
      const upper = cut(tl.upper);
      for (const i of steps) upper[i] = Number.POSITIVE_INFINITY;
      const timeline = {
        ...tl,
        load: cut(tl.load),
        forecast: cut(tl.forecast),
        upper,
        capacity: {
          reactive: cut(tl.capacity.reactive),
          predictive: cut(tl.capacity.predictive),
          oracle: cut(tl.capacity.oracle),
        },
      };
      const broken = { ...run, result: { ...run.result, timeline } };
      const loadPeak = Math.max(...timeline.load);

      // Act
      const svg = renderChartSvg(broken);

      // Assert: no Infinity in the path data, and the left axis still reaches the load's peak
      // (it read 0 to 1, with every line drawn off the panel).
      expect(() => assertWellFormed(svg)).not.toThrow();
      expect(svg).not.toMatch(/Infinity|NaN/);
      const leftAxis = [...svg.matchAll(/text-anchor="end">([\d,.]+)<\/text>/g)].map((m) =>
        Number((m[1] as string).replace(/,/g, '')),
      );
      expect(Math.max(...leftAxis)).toBeGreaterThanOrEqual(loadPeak);
    },
  );

  it('escapes the trace name', () => {
    const run = { ...syntheticRun(), trace: 'a<b>&"c".csv' };

    const svg = renderChartSvg(run);

    expect(() => assertWellFormed(svg)).not.toThrow();
    expect(svg).toContain('a&#60;b&#62;&#38;&#34;c&#34;.csv');
  });
});

describe('renderChartHtml', () => {
  it('wraps the chart with a title, the policy table and the legend', () => {
    const html = renderChartHtml(syntheticRun());

    expect(html).toContain('<title>selfheal backtest: synthetic.csv</title>');
    expect(html.match(/<tr>/g)).toHaveLength(4);
    expect(html).toContain('<svg ');
    expect(html).toContain(CHART_STYLE.forecast.label);
    expect(html).toContain('Forecast accuracy over 70 origins at 1 h and 46 at 24 h: MASE 0.500 (1 h)');
  });

  it('shows n/a for accuracy figures with nothing to score', () => {
    const run = syntheticRun();
    const unscored = {
      ...run,
      result: { ...run.result, forecast: { ...run.result.forecast, mase24h: Number.NaN } },
    };

    const html = renderChartHtml(unscored);

    expect(html).toContain('0.500 (1 h), n/a (24 h)');
    expect(html).not.toContain('NaN');
  });
});

describe('chart scales', () => {
  it.each([
    [656, [0, 200, 400, 600, 800]],
    [9, [0, 5, 10]],
    [0, [0, 1]],
  ])('picks round ticks up to at least %d', (max, expected) => {
    expect(niceTicks(max, 4)).toEqual(expected);
  });

  it('ticks days at UTC midnight for two weeks and hours for one day', () => {
    const start = Date.UTC(2014, 3, 10, 0, 4) / 1000;

    const weeks = timeTicks(start, start + 14 * 86_400);
    const day = timeTicks(start, start + 86_400);

    expect(weeks.stepSec).toBe(86_400);
    expect(timeLabel(weeks.ticks[0] ?? 0, weeks.stepSec)).toBe('Fri 11 Apr');
    expect(day.stepSec).toBe(3 * 3_600);
    expect(timeLabel(day.ticks[0] ?? 0, day.stepSec)).toBe('03:00');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'skips %d when reducing, drawing a line or a band: a gap, not a point',
    (bad) => {
      const x = (i: number) => i;
      const y = (v: number) => -v;

      expect([...bucketReduce(Float64Array.from([1, bad, 3, bad]), 2, 'max')]).toEqual([1, 3]);
      expect([...bucketReduce(Float64Array.from([bad, bad, 3, 4]), 2, 'mean')]).toEqual([Number.NaN, 3.5]);
      expect(linePath([1, bad, 3, 4], x, y)).toBe('M0 -1M2 -3L3 -4');
      expect(bandPath([0, 0, 0, 0, 0], [1, 2, bad, 4, 5], x, y)).toBe(
        'M0 -1L1 -2L1 0L0 0ZM3 -4L4 -5L4 0L3 0Z',
      );
    },
  );

  it('finds runs of flagged steps', () => {
    expect(runsOf([false, true, true, false, true])).toEqual([
      [1, 3],
      [4, 5],
    ]);
  });
});
