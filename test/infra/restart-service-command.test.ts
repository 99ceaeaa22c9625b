import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDocumentCommand } from './run-document-command';

/**
 * The restart-service document's RestartService command, run with `sh` against a stand-in
 * `systemctl` (no systemd here): `systemctl show -p Id -p ... -- NAME` prints `Id=UNIT`, the unit
 * systemd resolves NAME to (an alias resolves to the unit it names), then the unit's other
 * properties as given, one `Key=value` line each; every call is logged.
 */

/** The one `show` call the command makes, as the stand-in logs it. */
const SHOW =
  'show -p Id -p SuccessAction -p FailureAction -p StartLimitAction -p JobTimeoutAction -p Requires -p Requisite -p BindsTo -p Wants -p OnSuccess -p OnFailure --';

let root = '';

afterEach(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
  root = '';
});

/**
 * Runs RestartService for `name`, which the stand-in systemctl resolves to `unit` with
 * `properties` (`Key=value` lines, as `systemctl show` prints them) after its Id.
 */
function restart(name: string, unit: string, properties: readonly string[] = []) {
  root = mkdtempSync(join(tmpdir(), 'selfheal-restart-'));
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
      `if [ "$1" = show ]; then printf '%s\\n' 'Id=${unit}' ${properties.map((p) => `'${p}'`).join(' ')}; fi`,
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

describe('restart-service RestartService command', () => {
  it('restarts a name that resolves to a service', () => {
    const { run, calls } = restart('sshd', 'ssh.service');

    expect(run.status).toBe(0);
    expect(calls).toEqual([`${SHOW} sshd`, 'restart -- sshd']);
    expect(run.stdout).toBe('restarted sshd (ssh.service)\n');
  });

  // The allowedPattern refuses these names before SSM runs anything; the command checks again
  // on the unit systemd resolves the name to (`ctrl-alt-del.target` is an alias of reboot.target).
  it.each([
    ['reboot.target', 'reboot.target'],
    ['ctrl-alt-del.target', 'reboot.target'],
    ['tmp.mount', 'tmp.mount'],
  ])('refuses %s, which resolves to %s, a unit that is no service, without restarting it', (name, unit) => {
    const { run, calls } = restart(name, unit);

    expect(run.status).not.toBe(0);
    expect(calls).toEqual([`${SHOW} ${name}`]);
    expect(run.stderr).toBe(`refusing: ${name} is ${unit}, not a service; only services are restarted\n`);
  });

  it.each([
    ['systemd-reboot', 'systemd-reboot.service'],
    ['systemd-poweroff.service', 'systemd-poweroff.service'],
    ['systemd-suspend-then-hibernate', 'systemd-suspend-then-hibernate.service'],
    // Requires=shutdown.target, SuccessAction=exit: the manager exits, which powers a VM off.
    ['systemd-exit', 'systemd-exit.service'],
    ['systemd-exit.service', 'systemd-exit.service'],
  ])(
    'refuses %s, which resolves to %s, a service that shuts the instance down or suspends it',
    (name, unit) => {
      const { run, calls } = restart(name, unit);

      expect(run.status).not.toBe(0);
      expect(calls).toEqual([`${SHOW} ${name}`]);
      expect(run.stderr).toBe(`refusing: ${name} is ${unit}, which shuts the instance down or suspends it\n`);
    },
  );

  it('restarts a service whose actions are none and whose dependencies are ordinary', () => {
    const { run, calls } = restart('nginx', 'nginx.service', [
      'Requires=system.slice sysinit.target',
      'Wants=network-online.target',
      'SuccessAction=none',
      'FailureAction=none',
      'StartLimitAction=none',
      'JobTimeoutAction=none',
      'OnFailure=',
    ]);

    expect(run.status).toBe(0);
    expect(calls).toEqual([`${SHOW} nginx`, 'restart -- nginx']);
  });

  // Names a list cannot foresee: a distribution's or vendor's unit, or an alias of one. On Debian,
  // system-update-cleanup.service has SuccessAction=reboot; systemd stops a unit to restart it,
  // and a clean stop of a unit with a SuccessAction takes that action.
  it.each([
    [
      'system-update-cleanup',
      'system-update-cleanup.service',
      ['SuccessAction=reboot'],
      ' SuccessAction=reboot',
    ],
    ['vendor-exit', 'vendor-exit.service', ['SuccessAction=exit-force'], ' SuccessAction=exit-force'],
    ['app', 'app.service', ['FailureAction=reboot-immediate'], ' FailureAction=reboot-immediate'],
    ['worker', 'worker.service', ['StartLimitAction=poweroff'], ' StartLimitAction=poweroff'],
    ['batch', 'batch.service', ['JobTimeoutAction=halt-force'], ' JobTimeoutAction=halt-force'],
    // systemd 219's systemd-poweroff.service: no SuccessAction, ExecStart=systemctl --force poweroff.
    [
      'old-poweroff',
      'old-poweroff.service',
      ['Requires=shutdown.target umount.target final.target'],
      ' Requires=shutdown.target Requires=umount.target Requires=final.target',
    ],
    ['nap', 'nap.service', ['Requires=sleep.target'], ' Requires=sleep.target'],
    [
      'lights-out',
      'lights-out.service',
      ['Wants=poweroff.target', 'BindsTo=sysinit.target'],
      ' Wants=poweroff.target',
    ],
    ['fragile', 'fragile.service', ['OnFailure=reboot.target'], ' OnFailure=reboot.target'],
    ['done', 'done.service', ['OnSuccess=systemd-exit.service'], ' OnSuccess=systemd-exit.service'],
  ])(
    'refuses %s (%s with %j), whose restart could take the instance down, without restarting it',
    (name, unit, properties, named) => {
      const { run, calls } = restart(name, unit, properties);

      expect(run.status).not.toBe(0);
      expect(calls).toEqual([`${SHOW} ${name}`]);
      expect(run.stderr).toBe(
        `refusing: ${name} is ${unit}, whose restart could reboot, shut down or suspend the instance:${named}\n`,
      );
    },
  );
});
