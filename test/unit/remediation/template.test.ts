import { describe, expect, it } from 'vitest';
import { renderParameters, unknownTemplateVariables } from '../../../lambdas/core/remediation';

const ctx = {
  resourceId: 'i-1',
  alarmName: 'disk-full-web-1',
  region: 'eu-west-1',
  account: '123456789012',
  dimensions: { InstanceId: 'i-1', path: '/data' },
};

describe('renderParameters', () => {
  it('fills every variable and keeps list parameters as lists', () => {
    const r = renderParameters(
      {
        Target: '{{resourceId}}@{{region}}/{{account}}',
        Why: 'alarm {{ alarmName }}',
        Path: '{{dimension:path}}',
        Ids: ['{{resourceId}}', 'fixed'],
      },
      ctx,
    );

    expect(r).toEqual({
      ok: true,
      parameters: {
        Target: ['i-1@eu-west-1/123456789012'],
        Why: ['alarm disk-full-web-1'],
        Path: ['/data'],
        Ids: ['i-1', 'fixed'],
      },
    });
  });

  it('fails on an unknown variable, naming it and the allowed ones', () => {
    const r = renderParameters({ Name: '{{instanceName}}' }, ctx);

    expect(r).toMatchObject({
      ok: false,
      problem: 'unknownVariable',
      reason: expect.stringMatching(
        /parameters\.Name: unknown template variable \{\{instanceName\}\}; allowed: \{\{resourceId\}\}/,
      ),
    });
  });

  it('reports a missing dimension as nothing to act on', () => {
    expect(renderParameters({ V: '{{dimension:VolumeId}}' }, ctx)).toMatchObject({
      ok: false,
      problem: 'missingDimension',
    });
  });

  it('reports an empty dimension as nothing to act on, saying it is empty', () => {
    const empty = { ...ctx, dimensions: { ...ctx.dimensions, VolumeId: '' } };

    expect(renderParameters({ V: 'vol {{dimension:VolumeId}}' }, empty)).toEqual({
      ok: false,
      problem: 'missingDimension',
      reason:
        'parameters.V: the alarm\'s dimension VolumeId is empty ("") for {{dimension:VolumeId}}; nothing to act on',
    });
  });

  it('still renders an empty literal and an empty template variable other than a dimension', () => {
    expect(renderParameters({ V: '', A: '{{alarmName}}' }, { ...ctx, alarmName: '' })).toEqual({
      ok: true,
      parameters: { V: [''], A: [''] },
    });
  });
});

describe('unknownTemplateVariables', () => {
  it.each([
    ['{{resourceId}} {{dimension:X}}', []],
    ['{{nope}} and {{dimension:}}', ['nope', 'dimension:']],
  ])('%s → %j', (value, expected) => {
    expect(unknownTemplateVariables(value)).toEqual(expected);
  });
});
