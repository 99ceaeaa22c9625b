import { describe, expect, it } from 'vitest';
import { rejectedParameter } from '../../lambdas/core/remediation/parameter-patterns';
import { configWith, ENGINE } from '../unit/remediation/helpers';

/** A restart rule whose ServiceName comes from the alarm, as a rule for many services would. */
const restartRule = () => {
  const [rule] = configWith([
    {
      id: 'service-down-restart',
      match: { alarmNamePattern: 'service-down-*' },
      resource: { from: 'dimension', dimension: 'InstanceId' },
      document: { shipped: 'restart-service' },
      parameters: { InstanceId: '{{resourceId}}', ServiceName: '{{dimension:service}}' },
      mode: 'enforce',
    },
  ]).rules;
  if (rule === undefined) throw new Error('fixture: no rule');
  return rule;
};

const resolved = (serviceName: string) => ({
  InstanceId: ['i-0123456789abcdef0'],
  ServiceName: [serviceName],
});

describe('restart-service ServiceName guard', () => {
  it.each(['nginx', 'app@worker.service', 'php8.2-fpm'])('lets the service %s through', (name) => {
    expect(rejectedParameter(restartRule(), resolved(name), ENGINE.documentPatterns)).toBeUndefined();
  });

  // `systemctl restart reboot.target` starts the target, which reboots the instance (systemd.special(7):
  // applications should use `systemctl reboot` rather than start these units, because starting them acts).
  it.each(['reboot.target', 'poweroff.target', 'halt.target', 'rescue.target'])(
    'refuses %s, which is no service: restarting it shuts the instance down or isolates it',
    (name) => {
      expect(rejectedParameter(restartRule(), resolved(name), ENGINE.documentPatterns)).toMatch(
        /^parameters\.ServiceName: resolved to/,
      );
    },
  );
});
