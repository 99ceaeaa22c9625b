import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHIPPED_DOCUMENTS } from '../../lib/config/remediation-schema';
import { RemediationEngine } from '../../lib/constructs/remediation-engine';
import { cleanupDirectoryPattern } from '../../lib/ssm-documents/cleanup-path-pattern';
import { renderShippedDocument } from '../../lib/ssm-documents/shipped-documents';
import { newStack } from './helpers';
import { engineProps, exampleRules, synthEngine } from './remediation-fixtures';

const prefixes = ['/var/log/app/', '/tmp/'];

describe('shipped SSM documents', () => {
  it.each(SHIPPED_DOCUMENTS)('%s is schema 0.3 with an allowedPattern on every parameter', (key) => {
    const doc = parse(renderShippedDocument(key, { cleanupAllowedPathPrefixes: prefixes }).yaml);
    expect(doc.schemaVersion).toBe('0.3');
    expect(doc.assumeRole).toBe('{{ AutomationAssumeRole }}');
    const params = Object.entries<{ allowedPattern?: unknown }>(doc.parameters);
    expect(params.map(([name]) => name)).toContain('AutomationAssumeRole');
    for (const [name, spec] of params) {
      expect(typeof spec.allowedPattern, `${key}.${name}`).toBe('string');
      expect(() => new RegExp(String(spec.allowedPattern))).not.toThrow();
    }
  });

  it('deploys each document with exactly the rendered YAML', () => {
    const t = synthEngine({ cleanupAllowedPathPrefixes: prefixes });
    for (const key of SHIPPED_DOCUMENTS) {
      const rendered = renderShippedDocument(key, { cleanupAllowedPathPrefixes: prefixes });
      t.hasResourceProperties('AWS::SSM::Document', {
        Name: `TestStack-${key}`,
        Content: parse(rendered.yaml),
      });
    }
  });

  it('lets the cleanup Directory through only below an allowed prefix, never with ..', () => {
    const doc = parse(
      renderShippedDocument('cleanup-directory', { cleanupAllowedPathPrefixes: prefixes }).yaml,
    );
    const pattern = new RegExp(doc.parameters.Directory.allowedPattern);
    for (const ok of ['/var/log/app/', '/var/log/app/nginx', '/var/log/app/a.b/c/', '/tmp/', '/tmp/x_y-z']) {
      expect(pattern.test(ok), ok).toBe(true);
    }
    for (const bad of [
      '/etc/',
      '/var/log/',
      '/var/log/apple/',
      '../',
      '/tmp/../etc/',
      '/tmp/..',
      '/tmp/a/../../etc',
      '/tmp/.',
      '/tmp//x',
      '/tmp/a b',
      "/tmp/';rm -rf /",
      '/tmp/.ssh',
    ]) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });

  it('re-checks the resolved path against the same prefixes on the instance', () => {
    const { yaml } = renderShippedDocument('cleanup-directory', { cleanupAllowedPathPrefixes: prefixes });
    expect(yaml).toContain("for prefix in '/var/log/app/' '/tmp/'; do");
    expect(yaml).toContain('realpath -e --');
    // Stay on this file system; a file that vanishes meanwhile (log rotation) is no error.
    expect(yaml).toContain('-xdev -ignore_readdir_race -type f');
    expect(yaml).not.toMatch(/%%[A-Z_]+%%/);
  });

  it('escapes the prefixes in the pattern', () => {
    expect(cleanupDirectoryPattern(['/srv/app.v2/'])).toMatch(/^\^\(\?:\/srv\/app\\\.v2\/\)/);
    expect(new RegExp(cleanupDirectoryPattern(['/srv/app.v2/'])).test('/srv/appXv2/')).toBe(false);
  });

  it('limits the service name and instance id of restart-service', () => {
    const doc = parse(
      renderShippedDocument('restart-service', { cleanupAllowedPathPrefixes: prefixes }).yaml,
    );
    const service = new RegExp(doc.parameters.ServiceName.allowedPattern);
    for (const ok of [
      'nginx',
      'app@worker.service',
      'php8.2-fpm',
      'node.js',
      'systemd-journald',
      'x.target.service',
    ]) {
      expect(service.test(ok), ok).toBe(true);
    }
    for (const bad of [
      '-h',
      'a;reboot',
      'a b',
      "x'y",
      '$(id)',
      '',
      // systemctl restart starts these: other unit types, and the services that shut down, stop the
      // service manager (systemd-exit: a poweroff outside a container) or suspend
      'reboot.target',
      'ctrl-alt-del.target',
      'sshd.socket',
      'logrotate.timer',
      'tmp.mount',
      'systemd-reboot',
      'systemd-poweroff.service',
      'systemd-kexec',
      'systemd-exit',
      'systemd-exit.service',
      'systemd-suspend-then-hibernate.service',
    ]) {
      expect(service.test(bad), bad).toBe(false);
    }
    expect(new RegExp(doc.parameters.InstanceId.allowedPattern).test('i-0123456789abcdef0')).toBe(true);
  });

  it('checks the group minimum before marking the instance unhealthy', () => {
    const doc = parse(
      renderShippedDocument('replace-unhealthy-instance', { cleanupAllowedPathPrefixes: prefixes }).yaml,
    );
    const steps: Array<{ name: string; action: string; inputs: Record<string, unknown> }> = doc.mainSteps;
    const names = steps.map((s) => s.name);
    expect(names.indexOf('BranchOnCapacity')).toBeLessThan(names.indexOf('MarkUnhealthy'));
    expect(steps.find((s) => s.name === 'BranchOnCapacity')?.action).toBe('aws:branch');
    expect(steps.find((s) => s.name === 'AssertInService')?.action).toBe('aws:assertAwsResourceProperty');
    expect(steps.find((s) => s.name === 'MarkUnhealthy')?.inputs).toMatchObject({
      Api: 'SetInstanceHealth',
      HealthStatus: 'Unhealthy',
    });
  });

  it.each([
    ['/./', 'a . segment'],
    ['/var/../etc/', 'a .. segment'],
    ['/var//log/', 'a doubled slash'],
    ['/home/app/.cache/', 'a hidden directory'],
  ])('fails when a cleanup prefix cannot be rendered: %s (%s)', (prefix) => {
    expect(() => synthEngine({ cleanupAllowedPathPrefixes: [prefix] })).toThrow(
      /cannot be rendered into the cleanup document's allowedPattern/,
    );
  });

  it("fails when a rule's literal parameter is outside the document's allowedPattern", () => {
    const rules = exampleRules().map((r) =>
      r.id === 'disk-full-cleanup' ? { ...r, parameters: { ...r.parameters, Directory: '/etc/' } } : r,
    );
    expect(() => new RemediationEngine(newStack(), 'Remediation', engineProps({ rules }))).toThrow(
      /rule disk-full-cleanup \(document cleanup-directory\): parameter Directory received "\/etc\/", which the document's allowedPattern/,
    );
  });

  it('fails when a rule misses a required parameter, names an unknown one, or sets the assume role', () => {
    const rules = exampleRules().map((r) =>
      r.id === 'disk-full-cleanup'
        ? { ...r, parameters: { InstanceId: '{{resourceId}}', Dir: '/tmp/', AutomationAssumeRole: 'x' } }
        : r,
    );
    const build = () => new RemediationEngine(newStack(), 'Remediation', engineProps({ rules }));
    expect(build).toThrow(/unknown parameter Dir; the document takes InstanceId, Directory, OlderThanDays/);
    expect(build).toThrow(/remove parameter AutomationAssumeRole/);
    expect(build).toThrow(/missing parameter OlderThanDays/);
  });

  it('fails when the stack name would make an SSM document name SSM rejects', () => {
    expect(() => synthEngine({ documentNamePrefix: 'AWSHeal' })).toThrow(
      /must not start with aws, amazon or amzn; choose another stack name/,
    );
  });
});
