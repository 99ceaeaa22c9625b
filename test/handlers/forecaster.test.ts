import {
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandInput,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  asg,
  context,
  cw,
  freezeDate,
  group,
  loadHandler,
  mockAws,
  NAMESPACE,
  NOW_MS,
  scheduledEvent,
  targets,
} from './forecaster-setup';

beforeEach(() => {
  freezeDate();
  mockAws();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** Whether a GetMetricData call reads back the forecasts already published (not load history). */
function isReadBack(input: GetMetricDataCommandInput): boolean {
  return (input.MetricDataQueries ?? []).every((q) => q.MetricStat?.Metric?.Namespace === NAMESPACE);
}

function putNames(): string[][] {
  return asg
    .commandCalls(BatchPutScheduledUpdateGroupActionCommand)
    .map((c) => (c.args[0].input.ScheduledUpdateGroupActions ?? []).map((a) => a.ScheduledActionName ?? ''));
}

describe('forecaster handler', () => {
  it('batches 1,200 targets: GetMetricData ≤ 500 queries per call, PutMetricData ≤ 1,000; one group per read', async () => {
    const { handler } = await loadHandler(targets(1200));
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ total: 1200, succeeded: 1200, failed: 0 });
    const all = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(all.every((i) => (i.MetricDataQueries ?? []).length <= 500)).toBe(true);
    const gmd = all.filter((i) => !isReadBack(i));
    // 3 batches (500 + 500 + 200 queries); 500 x 336 points needs a second page of 100,800.
    expect(gmd.filter((i) => i.NextToken === undefined).map((i) => i.MetricDataQueries?.length)).toEqual([
      500, 500, 200,
    ]);
    expect(gmd).toHaveLength(5);
    // The read-back of what is already published: one query per target, one page each.
    expect(all.filter(isReadBack).map((i) => i.MetricDataQueries?.length)).toEqual([500, 500, 200]);
    // Each group is described on its own, after its actions are listed.
    const dag = asg.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input);
    expect(dag).toHaveLength(1200);
    expect(new Set(dag.flatMap((i) => i.AutoScalingGroupNames ?? [])).size).toBe(1200);
    expect(dag.every((i) => i.AutoScalingGroupNames?.length === 1)).toBe(true);
    const pmd = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(pmd.every((i) => (i.MetricData ?? []).length <= 1000 && i.Namespace === 'SelfHeal/Test')).toBe(
      true,
    );
    expect(putNames().every((names) => names.length <= 50)).toBe(true);
  });

  it('runs its targets side by side without a listener warning on its deadline signals', async () => {
    // Node prints MaxListenersExceededWarning as a raw, non-JSON line in the function's log once
    // more than 10 listeners wait on one AbortSignal: every target in flight waits on the run's.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { handler } = await loadHandler(targets(40));
      const result = await handler(scheduledEvent, context);
      expect(result).toMatchObject({ total: 40, succeeded: 40 });
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('reads, writes and publishes in chunks sized by the function memory Lambda reports (AWS_LAMBDA_FUNCTION_MEMORY_SIZE)', async () => {
    // 128 MB holds 3 pages (302,400 points) of history at once: 900 targets of 336 points.
    const { handler } = await loadHandler(targets(1200), { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' });
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ total: 1200, succeeded: 1200, failed: 0 });
    const kinds = cw.calls().flatMap((c) => {
      const command = c.args[0];
      if (command instanceof PutMetricDataCommand) return ['put'];
      if (!(command instanceof GetMetricDataCommand) || command.input.NextToken !== undefined) return [];
      const n = command.input.MetricDataQueries?.length ?? 0;
      return [isReadBack(command.input) ? `readBack ${n}` : `history ${n}`];
    });
    // The second chunk is read only once the first has published its forecasts.
    const firstPut = kinds.indexOf('put');
    expect(kinds.slice(0, firstPut)).toEqual(['history 500', 'history 400', 'readBack 500', 'readBack 400']);
    expect(kinds.filter((k) => !k.startsWith('put')).slice(4)).toEqual(['history 300', 'readBack 300']);
    expect(kinds.lastIndexOf('put')).toBeGreaterThan(kinds.indexOf('history 300'));
  });

  it.each([
    { rerun: 'a retry of the same event a minute later', afterMs: 60_000, last: '11:30' },
    { rerun: 'a manual run ten minutes later', afterMs: 600_000, last: '11:35' },
  ])('stores each forecast time once when $rerun follows a run that published', async ({ afterMs, last }) => {
    const store = mockAws();
    const { handler } = await loadHandler(targets(2, { periodSec: 300, mode: 'forecastOnly' }));
    await handler(scheduledEvent, context);
    const firstPuts = cw.commandCalls(PutMetricDataCommand).length;
    vi.setSystemTime(NOW_MS + afterMs);

    await handler(scheduledEvent, context);

    expect(firstPuts).toBeGreaterThan(0);
    const twice = [...store.copies()].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    // Every 5-minute step from 10:20 (the first run's history end) to the last before the rerun + 1 h.
    const times = [...new Set(store.values.map((v) => v.tSec))].sort((a, b) => a - b);
    const hhmm = (tSec: number | undefined) => new Date((tSec ?? 0) * 1000).toISOString().slice(11, 16);
    expect([hhmm(times[0]), hhmm(times.at(-1))]).toEqual(['10:20', last]);
    expect(times.every((t, i) => i === 0 || t - (times[i - 1] ?? 0) === 300)).toBe(true);
  });

  it('publishes every forecast of a target another stack in the account forecasts under the same id and namespace, and keeps the two apart', async () => {
    // Arrange: a staging stack's forecaster has published forecasts of the same target ids to the
    // same namespace, in the same account and Region (one CloudWatch store).
    const store = mockAws();
    const list = targets(2, { periodSec: 300, mode: 'forecastOnly' });
    const ofStack = (name: string) => ({
      SELFHEAL_STACK_NAME: name,
      POWERTOOLS_SERVICE_NAME: `${name}-forecaster`,
    });
    const staging = await loadHandler(list, ofStack('SelfHealStaging'));
    await staging.handler(scheduledEvent, context);
    const sent = () => cw.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
    const stagingSent = sent().length;

    // Act: production's forecaster runs at the same time.
    const production = await loadHandler(list, ofStack('SelfHealProd'));
    await production.handler(scheduledEvent, context);

    // Assert: production's read-back does not take staging's forecasts for its own, so it sends its
    // whole window, and each stack's series holds each time once.
    expect(stagingSent).toBeGreaterThan(0);
    expect(sent().length - stagingSent).toBe(stagingSent);
    expect([...store.copies()].filter(([, n]) => n > 1)).toEqual([]);
    const series = (stack: string) =>
      store.values
        .filter((v) => v.key.includes(`StackName=${stack}`))
        .map((v) => `${v.key.replace(`StackName=${stack}`, '')}@${v.tSec}`)
        .sort();
    expect(series('SelfHealStaging')).toHaveLength(stagingSent);
    expect(series('SelfHealProd')).toEqual(series('SelfHealStaging'));
  });

  it('describes each group without its instances: the forecaster only needs sizes', async () => {
    const { handler } = await loadHandler(targets(2));
    await handler(scheduledEvent, context);
    const inputs = asg.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input);
    expect(
      inputs.sort((a, b) => String(a.AutoScalingGroupNames).localeCompare(String(b.AutoScalingGroupNames))),
    ).toEqual([
      { AutoScalingGroupNames: ['g0'], MaxRecords: 100, IncludeInstances: false, NextToken: undefined },
      { AutoScalingGroupNames: ['g1'], MaxRecords: 100, IncludeInstances: false, NextToken: undefined },
    ]);
  });

  it('describes a group after listing its actions and plans on that read', async () => {
    // The group is at minCapacity when the run starts; an operator raises MinSize to 6 just
    // before the target's actions are listed.
    let minSize = 2;
    asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => ({
      AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((name) => ({
        ...group(name),
        MinSize: minSize,
      })),
    }));
    asg.on(DescribeScheduledActionsCommand).callsFake(() => {
      minSize = 6;
      return { ScheduledUpdateGroupActions: [] };
    });
    const { handler } = await loadHandler(targets(1));

    await handler(scheduledEvent, context);

    const order = asg
      .calls()
      .map((c) => c.args[0].constructor.name)
      .filter((n) => n.startsWith('Describe'));
    expect(order).toEqual(['DescribeScheduledActionsCommand', 'DescribeAutoScalingGroupsCommand']);
    const [restore] = asg.commandCalls(BatchPutScheduledUpdateGroupActionCommand);
    expect(restore?.args[0].input.ScheduledUpdateGroupActions).toEqual([
      expect.objectContaining({ ScheduledActionName: 'selfheal-t0-restore-held', MinSize: 6 }),
    ]);
  });

  it('follows NextToken and joins the pages in time order', async () => {
    mockAws({ pageDatapoints: 100 });
    const { handler } = await loadHandler(targets(2));
    await handler(scheduledEvent, context);
    const gmd = cw
      .commandCalls(GetMetricDataCommand)
      .map((c) => c.args[0].input)
      .filter((i) => !isReadBack(i))
      .map((i) => i.NextToken);
    expect(gmd).toEqual([undefined, '100', '200', '300', '400', '500', '600']);
    // Per group: the restore alone, then the other actions.
    expect(asg.commandCalls(BatchPutScheduledUpdateGroupActionCommand)).toHaveLength(4);
  });

  it('treats PartialData left after every page as untrusted: forecast published, nothing scheduled', async () => {
    mockAws({ partialKeys: new Set(['g1']) });
    const { handler } = await loadHandler(targets(2));
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ succeeded: 1, untrusted: 1, failed: 0 });
    const groups = asg
      .commandCalls(BatchPutScheduledUpdateGroupActionCommand)
      .map((c) => c.args[0].input.AutoScalingGroupName);
    expect(new Set(groups)).toEqual(new Set(['g0']));
    const published = cw.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
    expect(new Set(published.map((d) => d.Dimensions?.[0]?.Value))).toEqual(new Set(['t0', 't1']));
    // Each forecast step says whether its forecast was trusted, for the target's dashboard.
    const trust = (id: string) =>
      new Set(
        published
          .filter((d) => d.MetricName === 'ForecastTrusted' && d.Dimensions?.[0]?.Value === id)
          .map((d) => d.Value),
      );
    expect(trust('t0')).toEqual(new Set([1]));
    expect(trust('t1')).toEqual(new Set([0]));
  });

  it('fails only the target whose writes stay throttled after the SDK retries', async () => {
    asg
      .on(BatchPutScheduledUpdateGroupActionCommand, { AutoScalingGroupName: 'g1' })
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $retryable: { throttling: true } }),
      );
    const { handler } = await loadHandler(targets(3), { SELFHEAL_SDK_MAX_ATTEMPTS: '3' });
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ succeeded: 2, failed: 1 });
    const client = asg.send.thisValues[0];
    expect(await client?.config.maxAttempts()).toBe(3);
  });

  it('fails one target with a missing group while the others succeed', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const { handler } = await loadHandler([
      ...targets(2, { mode: 'forecastOnly' }),
      ...targets(1).map((t) => ({ ...t, id: 'lost' })),
    ]);
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
  });

  it('fails only the targets whose DescribeAutoScalingGroups call stays throttled', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $retryable: { throttling: true },
    });
    asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => {
      const names = input.AutoScalingGroupNames ?? [];
      if (names.includes('g100')) throw throttled;
      return { AutoScalingGroups: names.map((name) => group(name)) };
    });
    const { handler } = await loadHandler(targets(101), { SELFHEAL_SDK_MAX_ATTEMPTS: '1' });
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ total: 101, succeeded: 100, failed: 1 });
  });

  it('fails, and writes nothing to, a group described without its MaxSize', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => ({
      AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((name) =>
        name === 'g1' ? { ...group(name), MaxSize: undefined } : group(name),
      ),
    }));
    const { handler } = await loadHandler(targets(2));
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ succeeded: 1, failed: 1 });
    const written = asg
      .commandCalls(BatchPutScheduledUpdateGroupActionCommand)
      .map((c) => c.args[0].input.AutoScalingGroupName);
    expect(new Set(written)).toEqual(new Set(['g0']));
  });

  it('writes no scaling actions in forecastOnly mode', async () => {
    const { handler } = await loadHandler(targets(3, { mode: 'forecastOnly' }));
    await handler(scheduledEvent, context);
    // One read of the three groups, to check them for forecastAndScale.
    expect(
      asg.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input.AutoScalingGroupNames),
    ).toEqual([['g0', 'g1', 'g2']]);
    expect(asg.commandCalls(DescribeScheduledActionsCommand)).toHaveLength(0);
    expect(asg.commandCalls(BatchPutScheduledUpdateGroupActionCommand)).toHaveLength(0);
    expect(asg.commandCalls(BatchDeleteScheduledActionCommand)).toHaveLength(0);
    expect(cw.commandCalls(PutMetricDataCommand).length).toBeGreaterThan(0);
  });

  it('names actions the same way on a re-run, the restore first and on its own', async () => {
    const { handler } = await loadHandler(targets(1));
    await handler(scheduledEvent, context);
    await handler(scheduledEvent, context);
    const [restore, first, restoreAgain, second] = putNames();
    expect(restore).toEqual(['selfheal-t0-restore']);
    expect(restoreAgain).toEqual(restore);
    expect(first?.length).toBeGreaterThan(1);
    expect(second).toEqual(first);
    expect(first?.every((n) => /^selfheal-t0-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(n))).toBe(true);
  });

  it('deletes only its own stale actions and leaves foreign ones alone', async () => {
    asg.on(DescribeScheduledActionsCommand).resolves({
      ScheduledUpdateGroupActions: [
        {
          AutoScalingGroupName: 'g0',
          ScheduledActionName: 'nightly-report',
          StartTime: new Date('2024-03-05T01:00:00Z'),
          MinSize: 6,
        },
        {
          AutoScalingGroupName: 'g0',
          ScheduledActionName: 'selfheal-t0-api-2024-03-05T09:00:00Z',
          StartTime: new Date('2024-03-05T09:00:00Z'),
          MinSize: 3,
        },
        {
          AutoScalingGroupName: 'g0',
          ScheduledActionName: 'selfheal-t0-2024-03-06T03:00:00Z',
          StartTime: new Date('2024-03-06T03:00:00Z'),
          MinSize: 9,
        },
      ],
    });
    const { handler } = await loadHandler(targets(1));
    await handler(scheduledEvent, context);
    const deletes = asg
      .commandCalls(BatchDeleteScheduledActionCommand)
      .map((c) => c.args[0].input.ScheduledActionNames);
    expect(deletes).toEqual([['selfheal-t0-2024-03-06T03:00:00Z']]);
    expect(putNames().flat()).not.toContain('nightly-report');
  });

  it('fails the target whose scheduled actions come back in FailedScheduledUpdateGroupActions', async () => {
    asg.on(BatchPutScheduledUpdateGroupActionCommand, { AutoScalingGroupName: 'g1' }).callsFake((input) => ({
      FailedScheduledUpdateGroupActions: [
        {
          ScheduledActionName: input.ScheduledUpdateGroupActions?.[0]?.ScheduledActionName,
          ErrorCode: 'LimitExceeded',
          ErrorMessage: 'quota',
        },
      ],
    }));
    const { handler } = await loadHandler(targets(2));
    const result = await handler(scheduledEvent, context);
    expect(result).toMatchObject({ succeeded: 1, failed: 1 });
  });

  it('reads every page of DescribeScheduledActions before deciding what to delete', async () => {
    const stale = (day: string) => ({
      AutoScalingGroupName: 'g0',
      ScheduledActionName: `selfheal-t0-2024-03-${day}T03:00:00Z`,
      StartTime: new Date(`2024-03-${day}T03:00:00Z`),
      MinSize: 9,
    });
    asg
      .on(DescribeScheduledActionsCommand, { NextToken: undefined })
      .resolves({ ScheduledUpdateGroupActions: [stale('06')], NextToken: 'page-2' })
      .on(DescribeScheduledActionsCommand, { NextToken: 'page-2' })
      .resolves({ ScheduledUpdateGroupActions: [stale('07')] });
    const { handler } = await loadHandler(targets(1));
    await handler(scheduledEvent, context);
    const pages = asg.commandCalls(DescribeScheduledActionsCommand).map((c) => c.args[0].input);
    expect(pages).toEqual([
      { AutoScalingGroupName: 'g0', MaxRecords: 100 },
      { AutoScalingGroupName: 'g0', MaxRecords: 100, NextToken: 'page-2' },
    ]);
    const deletes = asg
      .commandCalls(BatchDeleteScheduledActionCommand)
      .map((c) => c.args[0].input.ScheduledActionNames);
    expect(deletes).toEqual([['selfheal-t0-2024-03-06T03:00:00Z', 'selfheal-t0-2024-03-07T03:00:00Z']]);
  });

  it('throws when every target failed', async () => {
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }),
    );
    const { handler, AllTargetsFailedError } = await loadHandler(targets(2));
    await expect(handler(scheduledEvent, context)).rejects.toBeInstanceOf(AllTargetsFailedError);
  });

  it("fails at cold start without its stack's name, which every forecast it publishes and reads back carries", async () => {
    await expect(loadHandler(targets(1), { SELFHEAL_STACK_NAME: undefined })).rejects.toThrow(
      /SELFHEAL_STACK_NAME: not set/,
    );
  });

  it('fails at cold start naming the bad variable and its value', async () => {
    await expect(loadHandler(targets(1), { SELFHEAL_SDK_MAX_ATTEMPTS: 'lots' })).rejects.toThrow(
      /SELFHEAL_SDK_MAX_ATTEMPTS: received "lots"/,
    );
  });
});
