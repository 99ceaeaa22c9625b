import type { BacktestRun } from '../backtest-report';
import { POLICY_ORDER } from '../backtest-report';
import { grid } from './axes';
import { chartTitle, header, legend, shortfallStrip, unscoredShade } from './decorations';
import { CHART_STYLE, H, LEFT, MAIN, RIGHT, W } from './layout';
import { bucketReduce, linearScale, niceTicks, type Scale } from './scale';
import { bandPath, el, escapeXml, linePath } from './svg-parts';

export { CHART_STYLE } from './layout';

/** Pixels per drawn point: about an hour per point over two weeks, so capacity steps stay legible. */
const PX_PER_POINT = 3;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/**
 * Renders the backtest as a standalone SVG: load, forecast, the bound planned on and each policy's
 * capacity (× target, so it shares the load axis) over time, with a strip of under-provisioned periods.
 */
export function renderChartSvg(run: BacktestRun): string {
  const tl = run.result.timeline;
  const n = tl.load.length;
  const target = run.settings.targetValue;
  const buckets = Math.min(n, Math.round((RIGHT - LEFT) / PX_PER_POINT));
  const xi = linearScale(0, Math.max(n - 1, 1), LEFT, RIGHT);
  const xb: Scale = (b) => xi((b * n) / buckets);
  const cap = (key: (typeof POLICY_ORDER)[number]): Float64Array => tl.capacity[key].map((c) => c * target);
  const yMax = niceTicks(maxOf([tl.load, tl.upper, ...POLICY_ORDER.map(cap)]) * 1.05).at(-1) ?? 1;
  const y = linearScale(0, yMax, MAIN.bottom, MAIN.top);
  const startSec = tl.startSec;
  const endSec = tl.startSec + (n - 1) * tl.stepSec;
  const xt: Scale = (t) => xi((t - startSec) / tl.stepSec);
  const bucketMin = (n / buckets) * (tl.stepSec / 60);
  const perPoint = bucketMin < 120 ? `${Math.round(bucketMin)} min` : `${(bucketMin / 60).toFixed(1)} h`;
  const parts = [
    header(run),
    unscoredShade(run, xi),
    grid(startSec, endSec, xt, y, yMax, target),
    ...seriesPaths(run, buckets, xb, y),
    el('rect', {
      x: LEFT,
      y: MAIN.top,
      width: RIGHT - LEFT,
      height: MAIN.bottom - MAIN.top,
      fill: 'none',
      stroke: '#475569',
    }),
    buckets < n
      ? el(
          'text',
          { x: RIGHT, y: H - 14, 'font-size': 10, fill: '#64748b', 'text-anchor': 'end' },
          `each drawn point: ${perPoint} (load range and mean, forecast mean, bound planned on and capacity maximum)`,
        )
      : '',
    shortfallStrip(run, xi),
    legend(run),
  ];
  const title = `<title>${escapeXml(chartTitle(run))}</title>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>\n${title}\n${el('rect', { width: W, height: H, fill: '#ffffff' })}\n${parts.join('\n')}\n</svg>\n`;
}

/** The largest finite value: a non-finite one (an overflowed forecast) is drawn as a gap, so it sets no axis. */
function maxOf(arrays: readonly Float64Array[]): number {
  let max = 0;
  for (const a of arrays) for (const v of a) if (v > max && Number.isFinite(v)) max = v;
  return max;
}

/** Load area, forecast band and line, then capacities with predictive (the subject) on top. */
function seriesPaths(run: BacktestRun, buckets: number, xb: Scale, y: Scale): string[] {
  const tl = run.result.timeline;
  const b = (values: Float64Array): Float64Array => bucketReduce(values, buckets, 'max');
  const mean = (values: Float64Array): Float64Array => bucketReduce(values, buckets, 'mean');
  const capacity = (
    key: 'reactive' | 'predictive' | 'oracle',
    width: number,
    extra: Record<string, string | number>,
  ) =>
    el('path', {
      d: linePath(b(tl.capacity[key].map((c) => c * run.settings.targetValue)), xb, y, true),
      fill: 'none',
      stroke: CHART_STYLE[key].color,
      'stroke-width': width,
      ...extra,
    });
  return [
    el('path', {
      d: bandPath(mean(tl.forecast), b(tl.upper), xb, y),
      fill: CHART_STYLE.band.color,
      'fill-opacity': 0.5,
    }),
    // Load as its range per drawn point (peaks stay visible), with the mean to compare the forecast to.
    el('path', {
      d: bandPath(bucketReduce(tl.load, buckets, 'min'), b(tl.load), xb, y),
      fill: CHART_STYLE.load.color,
      'fill-opacity': 0.55,
    }),
    el('path', {
      d: linePath(mean(tl.load), xb, y),
      fill: 'none',
      stroke: CHART_STYLE.loadMean.color,
      'stroke-width': 1.1,
    }),
    el('path', {
      d: linePath(mean(tl.forecast), xb, y),
      fill: 'none',
      stroke: CHART_STYLE.forecast.color,
      'stroke-width': 1.4,
    }),
    capacity('oracle', 1, { 'stroke-dasharray': '4 3', 'stroke-opacity': 0.7 }),
    capacity('reactive', 1.5, {}),
    capacity('predictive', 1.8, {}),
  ];
}
