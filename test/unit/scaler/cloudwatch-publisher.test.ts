import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchPublisher } from '../../../lambdas/adapters/cloudwatch-publisher';
import type { ForecastDatum, PublishWindow } from '../../../lambdas/core/scaler';
import { FORECAST_METRICS } from '../../../lib/config/metric-names';

const cw = mockClient(CloudWatchClient);
afterEach(() => cw.reset());

const DESTINATION = { namespace: 'NS', stackName: 'SelfHeal' };

/** CloudWatch rejects the whole request when one value is outside 8.515920e-109..1.174271e+108 in magnitude. */
function strictPutMetricData(input: PutMetricDataCommandInput) {
  for (const d of input.MetricData ?? []) {
    const v = Math.abs(d.Value ?? 0);
    if (v !== 0 && (v < 8.51592e-109 || v > 1.174271e108)) {
      throw Object.assign(
        new Error(`The value ${d.Value} for parameter MetricData.member.1.Value is invalid.`),
        {
          name: 'InvalidParameterValueException',
        },
      );
    }
  }
  return {};
}

const datum = (targetId: string, value: number): ForecastDatum => ({
  targetId,
  periodSec: 300,
  metric: 'LoadForecast',
  tSec: 1_709_550_000,
  value,
});

describe('CloudWatchPublisher', () => {
  it('publishes a vanishingly small forecast as 0 instead of failing every target in its request', async () => {
    cw.on(PutMetricDataCommand).callsFake(strictPutMetricData);

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), DESTINATION).publish([
      datum('idle', 3e-115),
      datum('web', 420),
    ]);

    expect(out.get('idle')).toEqual({ ok: true, value: undefined });
    expect(out.get('web')).toEqual({ ok: true, value: undefined });
    const sent = cw.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData ?? [];
    expect(sent.map((d) => d.Value)).toEqual([0, 420]);
  });

  it('fails only the target with a value too large for CloudWatch, naming the metric and value', async () => {
    cw.on(PutMetricDataCommand).callsFake(strictPutMetricData);

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), DESTINATION).publish([
      datum('runaway', 2e108),
      datum('web', 420),
    ]);

    expect(out.get('web')).toEqual({ ok: true, value: undefined });
    expect(out.get('runaway')).toEqual({
      ok: false,
      error:
        'LoadForecast value 2e+108 at 2024-03-04T11:00:00Z is beyond the magnitude CloudWatch accepts (1.174271e+108); not published',
    });
  });
});

const T = 1_709_550_000;
/** The values of `targetId` at `tSec`, one per forecast metric (five), at `periodSec`. */
const valuesAt = (targetId: string, tSec: number, periodSec = 300): ForecastDatum[] =>
  Object.values(FORECAST_METRICS).map((metric) => ({ targetId, periodSec, metric, tSec, value: 5 }));

/** A store answering SampleCount per period from `held` (target id → stored times). */
function readBackFrom(held: ReadonlyMap<string, readonly number[]>) {
  return (input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const id = q.MetricStat?.Metric?.Dimensions?.[0]?.Value ?? '';
      const times = held.get(id) ?? [];
      return {
        Id: q.Id,
        Timestamps: times.map((t) => new Date(t * 1000)),
        Values: times.map(() => 1),
        StatusCode: id === 'partial' ? 'PartialData' : 'Complete',
      };
    }),
  });
}

describe('CloudWatchPublisher.publish', () => {
  it("never splits one target's values at one time across two requests", async () => {
    cw.on(PutMetricDataCommand).resolves({});
    // 4 + 200 × 5 values: cut at 1,000 values, the last group of five would straddle two requests.
    const data = [
      ...valuesAt('a', T).slice(0, 4),
      ...Array.from({ length: 200 }, (_, i) => valuesAt(`t${i}`, T)).flat(),
    ];

    await new CloudWatchPublisher(new CloudWatchClient({}), DESTINATION).publish(data);

    const calls = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData ?? []);
    expect(calls.map((c) => c.length)).toEqual([999, 5]);
    const callOf = new Map<string, Set<number>>();
    calls.forEach((call, i) => {
      for (const d of call) {
        const key = `${d.Dimensions?.[0]?.Value}@${d.Timestamp?.getTime()}`;
        callOf.set(key, (callOf.get(key) ?? new Set()).add(i));
      }
    });
    expect([...callOf.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('sends none of the values of a time that holds one CloudWatch cannot store', async () => {
    cw.on(PutMetricDataCommand).callsFake(strictPutMetricData);
    const runaway = valuesAt('runaway', T).map((d) =>
      d.metric === 'LoadForecast' ? { ...d, value: 2e108 } : d,
    );

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), DESTINATION).publish([
      ...runaway,
      ...valuesAt('runaway', T + 300),
    ]);

    expect(out.get('runaway')?.ok).toBe(false);
    const sent = cw.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
    expect(sent.map((d) => d.Timestamp?.getTime())).toEqual(Array(5).fill((T + 300) * 1000));
  });

  it("puts each value in its target's series at the target's period (PeriodSec)", async () => {
    cw.on(PutMetricDataCommand).resolves({});

    await new CloudWatchPublisher(new CloudWatchClient({}), DESTINATION).publish([
      ...valuesAt('hourly', T, 3600),
      ...valuesAt('fine', T, 60),
    ]);

    const sent = cw.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
    expect(new Set(sent.map((d) => JSON.stringify(d.Dimensions)))).toEqual(
      new Set(
        [
          ['hourly', '3600'],
          ['fine', '60'],
        ].map(([id, period]) =>
          JSON.stringify([
            { Name: 'TargetId', Value: id },
            { Name: 'StackName', Value: 'SelfHeal' },
            { Name: 'PeriodSec', Value: period },
          ]),
        ),
      ),
    );
    expect(sent.filter((d) => d.MetricName === 'ForecastTrusted').map((d) => d.Unit)).toEqual([
      'None',
      'None',
    ]);
  });
});

describe('CloudWatchPublisher.storedTimes', () => {
  const window = (targetId: string, periodSec = 300): PublishWindow => ({
    targetId,
    periodSec,
    startSec: T - 600,
    endSec: T + 3600,
  });

  it("reads the SampleCount of each target's LoadForecast per period over its window", async () => {
    cw.on(GetMetricDataCommand).callsFake(readBackFrom(new Map([['web', [T - 300, T]]])));

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), {
      namespace: 'SelfHeal/Test',
      stackName: 'SelfHealProd',
    }).storedTimes([window('web'), window('api')]);

    expect(out.get('web')).toEqual({ ok: true, value: new Set([T - 300, T]) });
    expect(out.get('api')).toEqual({ ok: true, value: new Set() });
    const input = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.StartTime).toEqual(new Date((T - 600) * 1000));
    expect(input?.EndTime).toEqual(new Date((T + 3600) * 1000));
    expect(input?.MetricDataQueries?.[0]).toEqual({
      Id: 't0_stored',
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'SelfHeal/Test',
          MetricName: 'LoadForecast',
          // Its own stack's and period's only: another stack's forecast for a target of the same
          // id, or this target's forecasts at a period it had before, are not held.
          Dimensions: [
            { Name: 'TargetId', Value: 'web' },
            { Name: 'StackName', Value: 'SelfHealProd' },
            { Name: 'PeriodSec', Value: '300' },
          ],
        },
        Period: 300,
        Stat: 'SampleCount',
      },
    });
  });

  it('reads 1,000 targets in 2 calls of 500 queries', async () => {
    cw.on(GetMetricDataCommand).callsFake(readBackFrom(new Map()));
    const windows = Array.from({ length: 1000 }, (_, i) => window(`t${i}`));

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), DESTINATION).storedTimes(windows);

    expect(out.size).toBe(1000);
    const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.length);
    expect(calls).toEqual([500, 500]);
  });

  it('fails a target it cannot tell about: its call failed, or its data stayed partial', async () => {
    cw.on(GetMetricDataCommand)
      .callsFake(readBackFrom(new Map([['partial', [T]]])))
      .on(GetMetricDataCommand, { StartTime: new Date((T - 3600) * 1000) })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

    const out = await new CloudWatchPublisher(
      new CloudWatchClient({ maxAttempts: 1 }),
      DESTINATION,
    ).storedTimes([window('partial'), { ...window('hourly', 3600), startSec: T - 3600 }]);

    expect(out.get('partial')).toEqual({
      ok: false,
      error: 'GetMetricData still reported PartialData after every page',
    });
    expect(out.get('hourly')).toEqual({ ok: false, error: 'Throttling: Rate exceeded' });
  });

  it('fails a target whose read-back CloudWatch executed only in part, quoting its message', async () => {
    const answer = readBackFrom(new Map([['t', [T]]]));
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      ...answer(input),
      Messages: [{ Value: 'Maximum number of allowed metrics exceeded' }],
    }));

    const out = await new CloudWatchPublisher(new CloudWatchClient({}), DESTINATION).storedTimes([
      window('t'),
    ]);

    expect(out.get('t')).toEqual({
      ok: false,
      error:
        'GetMetricData returned the read-back incomplete: the GetMetricData call was executed only in part: Maximum number of allowed metrics exceeded',
    });
  });
});
