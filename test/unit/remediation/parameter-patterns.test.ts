import { describe, expect, it } from 'vitest';
import { rejectedParameter } from '../../../lambdas/core/remediation/parameter-patterns';
import { configWith, DISK_RULE, ENGINE } from './helpers';

const rule = () => {
  const [first] = configWith([DISK_RULE]).rules;
  if (first === undefined) throw new Error('fixture: no rule');
  return first;
};
/** The shipped patterns with the cleanup document's InstanceId pattern replaced. */
const withInstancePattern = (allowedPattern: string) => ({
  ...ENGINE.documentPatterns,
  'cleanup-directory': { ...ENGINE.documentPatterns['cleanup-directory'], InstanceId: allowedPattern },
});
/** A restart rule whose ServiceName comes from the alarm, as a rule for many services would. */
const restartRule = () => {
  const [first] = configWith([
    {
      id: 'service-down-restart',
      match: { alarmNamePattern: 'service-down-*' },
      resource: { from: 'dimension', dimension: 'InstanceId' },
      document: { shipped: 'restart-service' },
      parameters: { InstanceId: '{{resourceId}}', ServiceName: '{{dimension:service}}' },
      mode: 'enforce',
    },
  ]).rules;
  if (first === undefined) throw new Error('fixture: no rule');
  return first;
};
const service = (name: string) => ({ InstanceId: ['i-0123456789abcdef0'], ServiceName: [name] });
const params = (instanceId: string) => ({
  InstanceId: [instanceId],
  Directory: ['/var/log/app/'],
  OlderThanDays: ['7'],
});

describe('rejectedParameter', () => {
  it('passes values the shipped patterns accept', () => {
    expect(rejectedParameter(rule(), params('i-0123456789abcdef0'), ENGINE.documentPatterns)).toBeUndefined();
  });

  it('names the parameter, value and pattern of a value the shipped pattern rejects', () => {
    expect(rejectedParameter(rule(), params('i-0abc; rm -rf /'), ENGINE.documentPatterns)).toMatch(
      /^parameters\.InstanceId: resolved to "i-0abc; rm -rf \/", which the allowedPattern \^i-/,
    );
  });

  it('matches the whole value even when an alternation leaves a branch unanchored (^a|b$)', () => {
    const patterns = withInstancePattern('^i-[0-9a-f]{8,17}|mi-[0-9a-f]{17}$');

    expect(rejectedParameter(rule(), params('i-0123456789abcdef0; rm -rf /'), patterns)).toMatch(
      /resolved to "i-0123456789abcdef0; rm -rf \/"/,
    );
    expect(rejectedParameter(rule(), params('i-0123456789abcdef0'), patterns)).toBeUndefined();
  });

  it.each(['nginx', 'app@worker.service', 'php8.2-fpm'])('lets the service %s through', (name) => {
    expect(rejectedParameter(restartRule(), service(name), ENGINE.documentPatterns)).toBeUndefined();
  });

  // `systemctl restart reboot.target` starts the target, which reboots the instance (systemd.special(7));
  // starting systemd-reboot.service does too (systemd-poweroff.service(8)); systemd-exit.service
  // makes the manager exit, which "is equivalent to poweroff.target on non-container systems".
  it.each([
    'reboot.target',
    'poweroff.target',
    'halt.target',
    'rescue.target',
    'systemd-reboot',
    'systemd-poweroff.service',
    'systemd-exit',
    'systemd-exit.service',
  ])('refuses a ServiceName of %s: no service, or one whose start shuts the instance down', (name) => {
    const refusal = rejectedParameter(restartRule(), service(name), ENGINE.documentPatterns);

    expect(refusal).toMatch(/^parameters\.ServiceName: resolved to /);
    expect(refusal).toContain(`resolved to ${JSON.stringify(name)}, which the allowedPattern`);
    expect(refusal).toContain('of shipped document restart-service rejects');
  });
});
