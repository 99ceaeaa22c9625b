import type { BacktestRun } from '../backtest-report';
import { POLICY_ORDER } from '../backtest-report';
import { grid } from './axes';
import { header, legend, shortfallStrip, unscoredShade } from './decorations';
import { CHART_STYLE, H, LEFT, MAIN, RIGHT, W } from './layout';
import { bucketMax, linearScale, niceTicks, type Scale } from './scale';
import { bandPath, el, linePath } from './svg-parts';

export { CHART_STYLE } from './layout';

const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/**
 * Renders the backtest as a standalone SVG: load, forecast, upper bound and each policy's
 * capacity (× target, so it shares the load axis) over time, with a strip of under-provisioned periods.
 */
export function renderChartSvg(run: BacktestRun): string {
  const tl = run.result.timeline;
  const n = tl.load.length;
  const target = run.settings.targetValue;
  const buckets = Math.min(n, Math.round((RIGHT - LEFT) / 1.5));
  const xi = linearScale(0, Math.max(n - 1, 1), LEFT, RIGHT);
  const xb: Scale = (b) => xi((b * n) / buckets);
  const cap = (key: (typeof POLICY_ORDER)[number]): Float64Array => tl.capacity[key].map((c) => c * target);
  const yMax = niceTicks(maxOf([tl.load, tl.upper, ...POLICY_ORDER.map(cap)]) * 1.05).at(-1) ?? 1;
  const y = linearScale(0, yMax, MAIN.bottom, MAIN.top);
  const startSec = tl.startSec;
  const endSec = tl.startSec + (n - 1) * tl.stepSec;
  const xt: Scale = (t) => xi((t - startSec) / tl.stepSec);
  const parts = [
    header(run),
    unscoredShade(run, xi),
    grid(startSec, endSec, xt, y, yMax, target),
    el('path', {
      d: `${linePath(bucketMax(tl.load, buckets), xb, y)}L${RIGHT} ${MAIN.bottom}L${LEFT} ${MAIN.bottom}Z`,
      fill: CHART_STYLE.load.color,
      'fill-opacity': 0.55,
    }),
    el('path', {
      d: linePath(bucketMax(tl.load, buckets), xb, y),
      fill: 'none',
      stroke: '#64748b',
      'stroke-width': 0.8,
    }),
    el('path', {
      d: bandPath(bucketMax(tl.forecast, buckets), bucketMax(tl.upper, buckets), xb, y),
      fill: CHART_STYLE.band.color,
      'fill-opacity': 0.45,
    }),
    el('path', {
      d: linePath(bucketMax(tl.forecast, buckets), xb, y),
      fill: 'none',
      stroke: CHART_STYLE.forecast.color,
      'stroke-width': 1.4,
    }),
    ...POLICY_ORDER.map((key) =>
      el('path', {
        d: linePath(bucketMax(cap(key), buckets), xb, y, true),
        fill: 'none',
        stroke: CHART_STYLE[key].color,
        'stroke-width': key === 'oracle' ? 1.3 : 1.8,
        ...(key === 'oracle' ? { 'stroke-dasharray': '5 3' } : {}),
      }),
    ),
    el('rect', {
      x: LEFT,
      y: MAIN.top,
      width: RIGHT - LEFT,
      height: MAIN.bottom - MAIN.top,
      fill: 'none',
      stroke: '#475569',
    }),
    shortfallStrip(run, xi),
    legend(),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>\n${el('rect', { width: W, height: H, fill: '#ffffff' })}\n${parts.join('\n')}\n</svg>\n`;
}

function maxOf(arrays: readonly Float64Array[]): number {
  let max = 0;
  for (const a of arrays) for (const v of a) if (v > max) max = v;
  return max;
}
