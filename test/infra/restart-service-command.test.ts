import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDocumentCommand } from './run-document-command';

/**
 * The restart-service document's RestartService command, run with `sh` against a stand-in
 * `systemctl` (no systemd here): `systemctl show -p Id -- NAME` prints `Id=UNIT`, the unit systemd
 * resolves NAME to (an alias resolves to the unit it names), and every call is logged.
 */

let root = '';

afterEach(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
  root = '';
});

/** Runs RestartService for `name`, which the stand-in systemctl resolves to `unit`. */
function restart(name: string, unit: string) {
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

describe('restart-service RestartService command', () => {
  it('restarts a name that resolves to a service', () => {
    const { run, calls } = restart('sshd', 'ssh.service');

    expect(run.status).toBe(0);
    expect(calls).toEqual(['show -p Id -- sshd', 'restart -- sshd']);
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
    expect(calls).toEqual([`show -p Id -- ${name}`]);
    expect(run.stderr).toBe(`refusing: ${name} is ${unit}, not a service; only services are restarted\n`);
  });

  it.each([
    ['systemd-reboot', 'systemd-reboot.service'],
    ['systemd-poweroff.service', 'systemd-poweroff.service'],
    ['systemd-suspend-then-hibernate', 'systemd-suspend-then-hibernate.service'],
  ])(
    'refuses %s, which resolves to %s, a service that shuts the instance down or suspends it',
    (name, unit) => {
      const { run, calls } = restart(name, unit);

      expect(run.status).not.toBe(0);
      expect(calls).toEqual([`show -p Id -- ${name}`]);
      expect(run.stderr).toBe(`refusing: ${name} is ${unit}, which shuts the instance down or suspends it\n`);
    },
  );
});
