import { describe, expect, it } from 'vitest';
import { describeSweepErrors, type SweepError } from '../../../lambdas/core/remediation/sweep-steps';

const error = (step: SweepError['step']): SweepError => ({ step, remediationId: 'rem-1', error: 'Error: x' });

describe('describeSweepErrors', () => {
  it.each([
    [[error('re-send escalations')], 'sweep incomplete: 1 error (re-send escalations: 1)'],
    [
      [error('re-send escalations'), error('resume stalled starts')],
      'sweep incomplete: 2 errors (resume stalled starts: 1, re-send escalations: 1)',
    ],
    [
      [
        error('reclaim expired slots'),
        error('handle overdue remediations'),
        error('re-drive blocked remediations'),
        error('handle overdue remediations'),
      ],
      'sweep incomplete: 4 errors (handle overdue remediations: 2, re-drive blocked remediations: 1, reclaim expired slots: 1)',
    ],
  ])('counts the errors per step, in step order: %#', (errors, message) => {
    expect(describeSweepErrors(errors)).toBe(message);
  });
});
