import { basename } from 'node:path';
import type { BacktestRun } from '../backtest-report';
import { POLICY_ORDER, policyLabel } from '../backtest-report';
import { CHART_STYLE, LEFT, legendLabel, MAIN, RIGHT, STRIP } from './layout';
import type { Scale } from './scale';
import { el, escapeXml, runsOf } from './svg-parts';

/** Title and a one-line cost/risk summary of the three policies. */
export function header(run: BacktestRun): string {
  const p = run.result.policies;
  const ratio = run.result.equalCostRatio;
  const summary = POLICY_ORDER.map(
    (k) =>
      `${policyLabel(k).replace(/ \(.*\)/, '')}: ${Math.round(p[k].instanceHours).toLocaleString('en-US')} inst-h, ${(p[k].underProvisionedFraction * 100).toFixed(1)} % under`,
  ).join('   \u00b7   ');
  const title = chartTitle(run);
  return [
    el('text', { x: LEFT, y: 30, 'font-size': 19, 'font-weight': 'bold', fill: '#0f172a' }, escapeXml(title)),
    el(
      'text',
      { x: LEFT, y: 52, 'font-size': 13, fill: '#334155' },
      escapeXml(`${summary}   \u00b7   equal-cost ratio ${ratio === null ? 'n/a' : ratio.toFixed(2)}`),
    ),
  ].join('\n');
}

/** The chart's title; also the SVG's `<title>`, which screen readers and tooltips use. */
export function chartTitle(run: BacktestRun): string {
  // The base name: a long directory path would run off the canvas.
  return `Backtest of ${basename(run.trace)}: target ${run.settings.targetValue} per instance`;
}

/** Greys out the unscored first day (history for the first forecast), where no forecast is drawn. */
export function unscoredShade(run: BacktestRun, xi: Scale): string {
  const tl = run.result.timeline;
  const scoredFromSec = run.result.scoredFromSec ?? tl.startSec;
  const end = Math.min((scoredFromSec - tl.startSec) / tl.stepSec, tl.load.length - 1);
  if (!(end > 0)) return '';
  const x1 = xi(end);
  return [
    el('rect', { x: LEFT, y: MAIN.top, width: x1 - LEFT, height: MAIN.bottom - MAIN.top, fill: '#f1f5f9' }),
    el(
      'text',
      { x: LEFT + 6, y: MAIN.top + 16, 'font-size': 11, fill: '#64748b' },
      'not scored: history for the first forecast',
    ),
  ].join('\n');
}

/** One row per policy under the main panel, red where load exceeded capacity × target. */
export function shortfallStrip(run: BacktestRun, xi: Scale): string {
  const tl = run.result.timeline;
  const target = run.settings.targetValue;
  const stepWidth = Math.max(xi(1) - xi(0), 1);
  const out = [
    el(
      'text',
      { x: LEFT, y: STRIP.top - 8, 'font-size': 12, 'font-weight': 'bold', fill: '#334155' },
      'Under-provisioned periods (load above capacity \u00d7 target)',
    ),
  ];
  POLICY_ORDER.forEach((key, row) => {
    const top = STRIP.top + row * STRIP.rowHeight;
    const flags = Array.from(tl.load, (load, i) => load > (tl.capacity[key][i] ?? 0) * target * (1 + 1e-9));
    out.push(
      el('rect', {
        x: LEFT,
        y: top + 2,
        width: RIGHT - LEFT,
        height: STRIP.rowHeight - 4,
        fill: '#f8fafc',
        stroke: '#e2e8f0',
      }),
    );
    for (const [a, b] of runsOf(flags)) {
      out.push(
        el('rect', {
          x: xi(a),
          y: top + 3,
          width: Math.max(xi(b) - xi(a), stepWidth),
          height: STRIP.rowHeight - 6,
          fill: CHART_STYLE.short.color,
        }),
      );
    }
    out.push(
      el(
        'text',
        {
          x: LEFT - 6,
          y: top + 15,
          'font-size': 11,
          fill: CHART_STYLE[key].color,
          'text-anchor': 'end',
          'font-weight': 'bold',
        },
        key,
      ),
    );
  });
  return out.join('\n');
}

/** Swatches and labels for every series, wrapping onto a second row when needed. */
export function legend(run: BacktestRun): string {
  const entries = (
    ['load', 'loadMean', 'band', 'forecast', 'reactive', 'predictive', 'oracle', 'short'] as const
  ).map((k) => ({ k, color: CHART_STYLE[k].color, label: legendLabel(k, run.settings.planningBound) }));
  const out: string[] = [];
  let x = LEFT;
  let y = 78;
  for (const e of entries) {
    const width = 40 + e.label.length * 6.9;
    if (x + width > RIGHT) {
      x = LEFT;
      y += 20;
    }
    const swatch =
      e.k === 'load' || e.k === 'band' || e.k === 'short'
        ? el('rect', {
            x,
            y: y - 9,
            width: 18,
            height: 10,
            fill: e.color,
            'fill-opacity': e.k === 'short' ? 1 : 0.6,
          })
        : el('line', {
            x1: x,
            x2: x + 18,
            y1: y - 4,
            y2: y - 4,
            stroke: e.color,
            'stroke-width': 2.5,
            ...(e.k === 'oracle' ? { 'stroke-dasharray': '5 3' } : {}),
          });
    out.push(
      `<g class="legend-entry">${swatch}${el('text', { x: x + 24, y, 'font-size': 12, fill: '#1e293b' }, escapeXml(e.label))}</g>`,
    );
    x += width;
  }
  return out.join('\n');
}
