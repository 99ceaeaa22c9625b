import {
  type BacktestRun,
  boundPlannedOn,
  describeEqualCostRatio,
  maseText,
  POLICY_ORDER,
  policyLabel,
} from '../backtest-report';
import { legendLabel } from './layout';
import { CHART_STYLE, renderChartSvg } from './svg-chart';
import { escapeXml } from './svg-parts';

/**
 * A self-contained HTML page: title, the policy summary table, the SVG chart and a legend that
 * says how to read it. No scripts or external assets, so it can be attached to a ticket.
 */
export function renderChartHtml(run: BacktestRun): string {
  const title = `selfheal backtest: ${run.trace}`;
  const rows = POLICY_ORDER.map((key) => {
    const p = run.result.policies[key];
    return `<tr><th style="color:${CHART_STYLE[key].color}">${escapeXml(policyLabel(key))}</th><td>${fixed(p.instanceHours, 1)}</td><td>${fixed(p.underProvisionedFraction * 100, 2, ' %')}</td><td>${p.worstShortfall}</td><td>${p.scalingActions}</td></tr>`;
  }).join('\n');
  const f = run.result.forecast;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; color: #0f172a; margin: 24px; max-width: 1240px; }
table { border-collapse: collapse; margin: 12px 0; }
th, td { padding: 4px 12px; border-bottom: 1px solid #e2e8f0; text-align: right; }
th:first-child { text-align: left; }
svg { max-width: 100%; height: auto; }
.swatch { display: inline-block; width: 18px; height: 10px; margin-right: 6px; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p>Target value ${run.settings.targetValue} per instance (${escapeXml(run.settings.targetValueSource)}); ${run.points} points, step ${run.stepSec} s.</p>
<table>
<thead><tr><th>policy</th><th>instance-hours</th><th>under-provisioned</th><th>worst shortfall (instances)</th><th>scaling actions</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>${escapeXml(describeEqualCostRatio(run.result))}</p>
<p>Forecast accuracy${originsNote(f)}: MASE ${maseText(f.mase1h, f.maseUndefinedOrigins)} (1 h), ${maseText(f.mase24h, f.maseUndefinedOrigins24h)} (24 h); sMAPE ${fixed(f.smape1h, 1, ' %')} (1 h), ${fixed(f.smape24h, 1, ' %')} (24 h); peak coverage: point forecast ${fixed(f.peakCoverage * 100, 1, ' %')}, ${boundPlannedOn(run.settings.planningBound)} ${fixed(f.peakCoverageUpper * 100, 1, ' %')}.</p>
${renderChartSvg(run)}
<h2>How to read the chart</h2>
<ul>
${legendItems(run)}
</ul>
<p>Capacity is drawn in load units (instances \u00d7 target value) so it can be compared with the load directly; the right axis gives instances. The strip below the chart marks, per policy, the steps where load exceeded what the capacity in service could carry at the target.</p>
</body>
</html>
`;
}

function legendItems(run: BacktestRun): string {
  return (Object.keys(CHART_STYLE) as Array<keyof typeof CHART_STYLE>)
    .map(
      (k) =>
        `<li><span class="swatch" style="background:${CHART_STYLE[k].color}"></span>${escapeXml(legendLabel(k, run.settings.planningBound))}</li>`,
    )
    .join('\n');
}

/** A number with fixed decimals and thousands separators, or `n/a` for NaN (nothing was scored). */
function fixed(value: number, decimals: number, unit = ''): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return `${text}${unit}`;
}

/** How many origins the accuracy figures average (results of older runs may not say). */
function originsNote(f: BacktestRun['result']['forecast']): string {
  if (f.origins === undefined || f.origins24h === undefined) return '';
  return ` over ${f.origins} origins at 1 h and ${f.origins24h} at 24 h`;
}
