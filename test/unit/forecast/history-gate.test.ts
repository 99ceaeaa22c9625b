import { describe, expect, it } from 'vitest';
import {
  historyTrust,
  MAX_QUIET_SEC,
  MAX_TRUSTED_GAP_SEC,
} from '../../../lambdas/core/forecast/history-gate';

const STEP = 300;
const NOW = Date.UTC(2024, 2, 4, 12) / 1000;
const CORE = { trusted: true, reason: 'model says yes' } as const;
/** A healthy history: last point one step before now, no gap. */
const healthy = { lastPointSec: NOW - STEP, longestGapSteps: 0, stepSec: STEP };

describe('historyTrust', () => {
  it.each([
    { name: 'a healthy history', facts: healthy },
    {
      name: 'a gap of exactly the limit',
      facts: { ...healthy, longestGapSteps: MAX_TRUSTED_GAP_SEC / STEP },
    },
    {
      name: 'a last point exactly the limit old',
      facts: { ...healthy, lastPointSec: NOW - MAX_TRUSTED_GAP_SEC },
    },
    {
      name: 'a source silent for exactly the quiet limit',
      facts: { ...healthy, lastReportedSec: NOW - MAX_QUIET_SEC },
    },
  ])('keeps the model’s verdict for $name', ({ facts }) => {
    expect(historyTrust(CORE, facts, NOW)).toBe(CORE);
  });

  it.each([
    {
      name: 'CloudWatch reported partial data',
      facts: { ...healthy, partial: true },
      reason: 'CloudWatch still reported PartialData after every page; history is incomplete',
    },
    {
      name: 'CloudWatch executed the GetMetricData call only in part',
      facts: {
        ...healthy,
        partial: true,
        messages: [
          'the GetMetricData call was executed only in part: Maximum number of allowed metrics exceeded',
        ],
      },
      reason:
        'CloudWatch returned the history incomplete; it said: the GetMetricData call was executed only in part: Maximum number of allowed metrics exceeded',
    },
    {
      name: 'the last point is older than the limit',
      facts: { ...healthy, lastPointSec: NOW - MAX_TRUSTED_GAP_SEC - STEP },
      reason:
        'history stopped: the last point (2024-03-04T05:55:00Z) is 6.1 h old; the limit is 6 h (metric stopped, dimension changed or target group replaced?)',
    },
    {
      name: 'a filled gap is longer than the limit',
      facts: { ...healthy, longestGapSteps: 144 },
      reason: 'history has a gap of 12.0 h (filled by interpolation); the limit is 6 h',
    },
    {
      // Printed to 0.1 h: 6.25 h reads 6.3.
      name: 'a filled gap is a quarter hour longer than the limit',
      facts: { ...healthy, longestGapSteps: 75 },
      reason: 'history has a gap of 6.3 h (filled by interpolation); the limit is 6 h',
    },
    {
      // Printed to 0.1 day: 7.25 days reads 7.3.
      name: 'the source reported nothing for longer than the quiet limit',
      facts: { ...healthy, lastReportedSec: NOW - 7.25 * 86_400 },
      reason:
        'no datapoint reported for 7.3 days (the last at 2024-02-26T06:00:00Z): silence counts as zero load for up to 7 days, as the metric reports nothing while idle; longer, it more likely stopped (target group replaced or dimension changed?)',
    },
  ])('is untrusted when $name, saying so', ({ facts, reason }) => {
    expect(historyTrust(CORE, facts, NOW)).toEqual({ trusted: false, reason });
  });

  it('never makes an untrusted verdict trusted', () => {
    const no = { trusted: false, reason: 'model says no' };
    expect(historyTrust(no, healthy, NOW)).toBe(no);
  });
});
