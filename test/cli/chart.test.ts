import { describe, expect, it } from 'vitest';
import { renderChartHtml } from '../../cli/chart/html-report';
import { niceTicks, timeLabel, timeTicks } from '../../cli/chart/scale';
import { CHART_STYLE, renderChartSvg } from '../../cli/chart/svg-chart';
import { runsOf } from '../../cli/chart/svg-parts';
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

  it('finds runs of flagged steps', () => {
    expect(runsOf([false, true, true, false, true])).toEqual([
      [1, 3],
      [4, 5],
    ]);
  });
});
