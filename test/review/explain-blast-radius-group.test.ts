/**
 * Review: `selfheal explain` works without AWS, so it cannot know whether an instance is in an
 * Auto Scaling group; yet its blastRadius verdict states "resource is not in an Auto Scaling
 * group" for every instance, as fact. The example config's web-unhealthy-replace rule runs
 * replace-unhealthy-instance, whose InstanceId "must belong to an Auto Scaling group": explain
 * tells the operator the group guardrail does not apply to exactly the instances it exists for,
 * while the deployed handler reads the group (readSnapshot → groups.groupOf) and counts its slots.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { memoryIo } from '../cli/fixtures/memory-io';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8');
const EXAMPLE_CONFIG = readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8');

async function explain(args: string[], files: Record<string, string>) {
  const io = {
    ...memoryIo({ '/repo/config/example.json': EXAMPLE_CONFIG, ...files }),
    defaultConfigPath: '/repo/config/example.json',
  };
  const code = await main(['explain', ...args], io, fakeDeps);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('selfheal explain blastRadius verdict', () => {
  it('does not claim an instance of an Auto Scaling group is outside any group', async () => {
    const { code, out } = await explain(['--event', 'web.json'], {
      'web.json': fixture('example-web-status-check-alarm.json'),
    });

    expect(code).toBe(0);
    // The rule replaces an instance of an Auto Scaling group (replace-unhealthy-instance).
    expect(out).toContain('DocumentName: SelfHeal-replace-unhealthy-instance');
    const blast = out.split('\n').find((line) => /^ {2}\d\. blastRadius /.test(line));
    expect(blast).toBeDefined();
    expect(blast).not.toContain('resource is not in an Auto Scaling group');
  });
});
