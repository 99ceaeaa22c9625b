/**
 * The remediation benchmark's storm, a handful of deliveries: it drives the real alarm handler with
 * the environment the construct gives it and the engine on the DynamoDB ledger, so a handler that
 * needs a new setting, or a changed engine dependency, breaks this test and not only the bench.
 */
import { describe, expect, it } from 'vitest';
import { CONCURRENCY, GLOBAL_CAP, GROUP_CAP, storm } from '../../../bench/remediation-storm';
import { requireMoto } from '../../emulator/moto-server';

describe.runIf(requireMoto())('remediation benchmark storm (moto, small)', () => {
  it('runs both parts end to end and keeps the guardrails', async () => {
    const result = await storm({ latency: 5, safety: CONCURRENCY * 2 });

    expect(result.latency.deliveries).toBe(5);
    expect(result.latency.starts).toBeGreaterThan(0);
    expect(result.latency.doubleStarts).toBe(0);
    expect(result.safety.deliveries).toBe(CONCURRENCY * 2);
    expect(result.safety.doubleStarts).toBe(0);
    expect(result.safety.starts).toBeGreaterThan(0);
    expect(result.safety.starts).toBeLessThanOrEqual(GLOBAL_CAP);
    expect(result.safety.maxPerResource).toBe(1);
    expect(result.safety.maxPerGroup).toBeLessThanOrEqual(GROUP_CAP);
  }, 120_000);
});
