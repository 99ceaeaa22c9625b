import type { PlanningBound } from '../../lambdas/core/planning/planning-bound';
import { boundName, policyLabel } from '../backtest-report';

/** Colours and labels of every chart series; the HTML legend reuses them. */
export const CHART_STYLE = {
  load: { label: 'load (range)', color: '#94a3b8' },
  loadMean: { label: 'load (mean)', color: '#334155' },
  /** The timeline's upper series: the bound the plan was sized on; see {@link legendLabel}. */
  band: { label: 'bound planned on', color: '#93c5fd' },
  forecast: { label: 'forecast', color: '#1d4ed8' },
  reactive: { label: `${policyLabel('reactive')} (capacity \u00d7 target)`, color: '#ea580c' },
  predictive: { label: `${policyLabel('predictive')} (capacity \u00d7 target)`, color: '#16a34a' },
  oracle: { label: `${policyLabel('oracle')}`, color: '#7c3aed' },
  short: { label: 'under-provisioned (load > capacity \u00d7 target)', color: '#dc2626' },
} as const;

/** A series' legend label; the band's names the bound the backtest planned on. */
export function legendLabel(key: keyof typeof CHART_STYLE, bound: PlanningBound): string {
  const { label } = CHART_STYLE[key];
  if (key !== 'band') return label;
  return `${label}: ${boundName(bound)}`;
}

/** Canvas size and panel positions, in pixels. */
export const W = 1200;
export const H = 660;
export const LEFT = 78;
export const RIGHT = W - 70;
/** The load/capacity panel. */
export const MAIN = { top: 118, bottom: 480 };
/** The under-provisioned strip: one row per policy under the main panel. */
export const STRIP = { top: 512, rowHeight: 22 };
