/**
 * Review: restart-service lets `systemd-exit` through. systemd ships `systemd-exit.service` in the
 * system unit directory (`Requires=shutdown.target umount.target final.target`, `SuccessAction=exit`
 * or `exit-force`): starting it pulls in shutdown.target, which every ordinary service conflicts
 * with, and then makes PID 1 exit, which systemd.special(7) says "is equivalent to poweroff.target
 * on non-container systems". Neither the ServiceName allowedPattern nor the on-instance `case`
 * refuses it, so an alarm whose service dimension says `systemd-exit` powers the instance off.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectedParameter } from '../../lambdas/core/remediation/parameter-patterns';
import { runDocumentCommand } from '../infra/run-document-command';
import { configWith, ENGINE } from '../unit/remediation/helpers';

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

let root = '';

afterEach(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
  root = '';
});

/** Runs RestartService for `name` against a stand-in systemctl resolving it to `unit`; logs calls. */
function restart(name: string, unit: string) {
  root = mkdtempSync(join(tmpdir(), 'selfheal-review-exit-'));
  const bin = join(root, 'bin');
  const calls = join(root, 'calls');
  mkdirSync(bin);
  writeFileSync(calls, '');
  const systemctl = join(bin, 'systemctl');
  writeFileSync(
    systemctl,
    [
      '#!/bin/sh',
      `echo "$*" >> '${calls}'`,
      `if [ "$1" = show ]; then echo 'Id=${unit}'; fi`,
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(systemctl, 0o755);
  const run = runDocumentCommand(
    'restart-service',
    'RestartService',
    { ServiceName: name },
    { prefixes: ['/var/log/'], pathFirst: [bin] },
  );
  return { run, calls: readFileSync(calls, 'utf8').trim().split('\n') };
}

describe('restart-service and systemd-exit.service (review)', () => {
  it.each(['systemd-exit', 'systemd-exit.service'])(
    'refuses a ServiceName of %s before anything is started (its start powers the instance off)',
    (name) => {
      const refusal = rejectedParameter(restartRule(), service(name), ENGINE.documentPatterns);

      expect(refusal).toMatch(/^parameters\.ServiceName: resolved to /);
    },
  );

  it('refuses on the instance a name that resolves to systemd-exit.service, without restarting it', () => {
    const { run, calls } = restart('systemd-exit', 'systemd-exit.service');

    expect(run.status).not.toBe(0);
    expect(calls).toEqual(['show -p Id -- systemd-exit']);
  });
});
