import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from '../../../lib/config/parse';

const example = JSON.parse(readFileSync(new URL('../../../config/example.json', import.meta.url), 'utf8'));

function problemsOf(dashboard: unknown): readonly string[] {
  try {
    parseAppConfig({ ...example, dashboard }, 'test.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('the dashboard section', () => {
  it('defaults to on, 25 targets a dashboard, every target', () => {
    expect(parseAppConfig(example).dashboard).toEqual({ enabled: true, targetsPerDashboard: 25 });
  });

  it('accepts a selection of configured targets and a page size', () => {
    const dashboard = { enabled: true, targetsPerDashboard: 1, targetIds: ['batch-workers'] };
    expect(parseAppConfig({ ...example, dashboard }).dashboard).toEqual(dashboard);
  });

  it('fails when targetIds names a target that is not configured', () => {
    expect(problemsOf({ targetIds: ['web-frontend', 'web-frontnd'] })).toEqual([
      'dashboard.targetIds[1]: received "web-frontnd"; no predictiveScaling.targets entry has this id; list ids of configured targets',
    ]);
  });

  it('fails when targetIds lists a target twice', () => {
    expect(problemsOf({ targetIds: ['web-frontend', 'batch-workers', 'web-frontend'] })).toEqual([
      'dashboard.targetIds[2]: received "web-frontend"; listed twice (also targetIds[0]); list each target once',
    ]);
  });

  it('fails when targetIds is empty', () => {
    expect(problemsOf({ targetIds: [] })).toEqual([
      'dashboard.targetIds: received []; list at least one target id, or leave targetIds out to graph every target',
    ]);
  });

  it.each([0, 101, 2.5])('fails when targetsPerDashboard is %s', (targetsPerDashboard) => {
    const [problem, ...rest] = problemsOf({ targetsPerDashboard });
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      new RegExp(`^dashboard\\.targetsPerDashboard: received ${targetsPerDashboard}; `),
    );
  });

  it('fails on an unknown field', () => {
    expect(problemsOf({ enable: false })).toEqual(['dashboard: unknown field(s) "enable"']);
  });
});
