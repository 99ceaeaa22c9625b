import type { RegularizeReport } from '../lambdas/core/series/regularize';

/**
 * One sentence on what regularizing had to repair, or `undefined` when the input was clean;
 * printed on stderr so users know the forecast rests on filled-in points.
 */
export function describeRepairs(report: RegularizeReport): string | undefined {
  const parts: string[] = [];
  if (report.gapPointsFilled > 0) {
    parts.push(
      `filled ${report.gapPointsFilled} missing point(s) by interpolation (longest gap ${report.longestGapSteps} step(s))`,
    );
  }
  if (report.duplicatesMerged > 0) parts.push(`averaged ${report.duplicatesMerged} duplicate timestamp(s)`);
  if (report.nonFiniteDropped > 0) parts.push(`ignored ${report.nonFiniteDropped} empty or NaN value(s)`);
  if (report.offGridPoints > 0) parts.push(`snapped ${report.offGridPoints} off-grid point(s) to the grid`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
