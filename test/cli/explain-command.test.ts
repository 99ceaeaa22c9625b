import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo } from './fixtures/memory-io';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8');
const EXAMPLE_CONFIG = readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8');

/** Runs `selfheal explain` over in-memory files with the example config as the default. */
async function explain(args: string[], files: Record<string, string> = {}, stdin = '') {
  const io = {
    ...memoryIo({ '/repo/config/example.json': EXAMPLE_CONFIG, ...files }, stdin),
    defaultConfigPath: '/repo/config/example.json',
  };
  const code = await main(['explain', ...args], io, fakeDeps);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const files = {
  'disk.json': fixture('example-disk-full-alarm.json'),
  'web.json': fixture('example-web-status-check-alarm.json'),
  'api.json': fixture('example-api-cpu-stuck-alarm.json'),
};

describe('selfheal explain', () => {
  it('shows the matched rule, every guardrail in order and the exact SSM call for an enforce rule', async () => {
    const { code, out, err } = await explain(['--event', 'disk.json'], files);

    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('config:    example.json (default)');
    expect(out).toContain('rule:      disk-full-cleanup (mode enforce): metric CWAgent/disk_used_percent');
    expect(out).toContain('resource:  instance i-0abc123def4567890');
    const order = [...out.matchAll(/^ {2}\d\. (\w+)/gm)].map((m) => m[1]);
    expect(order).toEqual([
      'duplicateEvent',
      'mode',
      'resourceLock',
      'frequencyLimit',
      'cooldown',
      'errorBudget',
      'blastRadius',
      'globalCap',
      'allowListedDocument',
    ]);
    expect(out).toMatch(/outcome: {3}start: every guardrail passed/);
    expect(out).toContain('SSM call (StartAutomationExecution):\n  DocumentName: SelfHeal-cleanup-directory');
    expect(out).toContain('    Directory: ["/var/log/app/"]');
    expect(out).toContain('    AutomationAssumeRole: ["<automation role of stack SelfHeal>"]');
    expect(out).toMatch(/ClientToken: [0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/);
  });

  it.each([
    ['web.json', 'dryRun', 'web-unhealthy-replace', 'SelfHeal-replace-unhealthy-instance'],
    ['api.json', 'observe', 'api-cpu-stuck-reboot', 'AWS-RestartEC2Instance'],
  ])('shows the call %s would make in %s mode without sending it', async (file, mode, rule, document) => {
    const { code, out } = await explain(['--event', file], files);

    expect(code).toBe(0);
    expect(out).toContain(`rule:      ${rule} (mode ${mode})`);
    expect(out).toMatch(new RegExp(`2\\. mode +block +rule is in ${mode} mode`));
    expect(out).toContain(`outcome:   ${mode}:`);
    expect(out).toContain(
      `SSM call it would make (not sent in ${mode} mode; in enforce mode every guardrail passes`,
    );
    expect(out).toContain(`DocumentName: ${document}`);
  });

  it('does not claim an instance of an Auto Scaling group is in none: explain does not read groups', async () => {
    // web-unhealthy-replace runs replace-unhealthy-instance, whose InstanceId must belong to an
    // Auto Scaling group; the deployed engine reads that group and counts its slots.
    const text = await explain(['--event', 'web.json'], files);
    const json = await explain(['--event', 'web.json', '--json'], files);

    expect(text.code).toBe(0);
    expect(text.out).toContain('DocumentName: SelfHeal-replace-unhealthy-instance');
    const blast = text.out.split('\n').find((line) => /^ {2}\d\. blastRadius /.test(line));
    expect(blast).not.toContain('resource is not in an Auto Scaling group');
    expect(blast).toMatch(
      /^ {2}7\. blastRadius +pass +whether i-0def456abc7890123 is in an Auto Scaling group is not read offline; either way a first remediation passes \(in a group: at most 34 % of its in-service instances at once, at least 1\)$/,
    );
    const verdict = JSON.parse(json.out).guardrails.find(
      (v: { guardrail: string }) => v.guardrail === 'blastRadius',
    );
    expect(verdict).toEqual({
      guardrail: 'blastRadius',
      outcome: 'pass',
      reason: blast?.split(/ pass +/)[1],
    });
  });

  it('prints the decision object with --json', async () => {
    const { code, out } = await explain(['--event', 'disk.json', '--json'], files);

    const decision = JSON.parse(out);
    expect(code).toBe(0);
    expect(decision).toMatchObject({
      outcome: 'start',
      ruleId: 'disk-full-cleanup',
      request: { DocumentName: 'SelfHeal-cleanup-directory', Parameters: { OlderThanDays: ['7'] } },
    });
    expect(decision.guardrails).toHaveLength(9);
  });

  it("escalates, as the engine does, an InstanceId the shipped document's allowedPattern rejects", async () => {
    const injected = files['disk.json'].replaceAll('i-0abc123def4567890', 'i-0abc; rm -rf /');

    const text = await explain(['--event', 'inject.json'], { 'inject.json': injected });
    const json = await explain(['--event', 'inject.json', '--json'], { 'inject.json': injected });

    expect(text.code).toBe(0);
    expect(text.out).toContain('resource:  instance i-0abc; rm -rf /');
    expect(text.out).toContain(
      'outcome:   escalate: rule disk-full-cleanup cannot be applied to this alarm: parameters.InstanceId: resolved to "i-0abc; rm -rf /", which the allowedPattern ^i-[0-9a-f]{8,17}$ of shipped document cleanup-directory rejects (SSM would refuse it); nothing is started',
    );
    expect(text.out).toContain('no SSM call: a human is notified instead of this call:');
    expect(text.out).not.toContain('SSM call (StartAutomationExecution)');
    expect(JSON.parse(json.out)).toMatchObject({
      outcome: 'escalate',
      guardrails: [],
      request: { Parameters: { InstanceId: ['i-0abc; rm -rf /'] } },
    });
  });

  it("checks a Directory against the pattern rendered from the config's own cleanup prefixes", async () => {
    const config = JSON.parse(EXAMPLE_CONFIG);
    config.remediation.cleanupAllowedPathPrefixes = ['/srv/'];
    config.remediation.rules[0].parameters.Directory = '/srv/app/';
    const other = JSON.parse(EXAMPLE_CONFIG);
    other.remediation.cleanupAllowedPathPrefixes = ['/opt/'];
    other.remediation.rules[0].parameters.Directory = '{{dimension:path}}';
    const event = JSON.parse(files['disk.json']);
    event.detail.configuration.metrics[0].metricStat.metric.dimensions.path = '/srv/app/';

    const srv = await explain(['--event', 'disk.json', '--config', 'srv.json'], {
      ...files,
      'srv.json': JSON.stringify(config),
    });
    const opt = await explain(['--event', 'path.json', '--config', 'opt.json'], {
      'path.json': JSON.stringify(event),
      'opt.json': JSON.stringify(other),
    });

    expect(srv.code).toBe(0);
    expect(srv.out).toContain('    Directory: ["/srv/app/"]');
    expect(opt.code).toBe(0);
    expect(opt.out).toContain('outcome:   escalate:');
    expect(opt.out).toContain(
      'parameters.Directory: resolved to "/srv/app/", which the allowedPattern ^(?:/opt/)',
    );
  });

  it.each([
    [
      'a literal value the document rejects',
      (rule: { parameters: Record<string, string> }) => {
        rule.parameters.OlderThanDays = '0';
      },
      'rule disk-full-cleanup (document cleanup-directory): parameter OlderThanDays received "0", which the document\'s allowedPattern',
    ],
    [
      'a parameter the document does not declare',
      (rule: { parameters: Record<string, string> }) => {
        rule.parameters.Recursive = 'true';
      },
      'rule disk-full-cleanup (document cleanup-directory): unknown parameter Recursive; the document takes InstanceId, Directory, OlderThanDays',
    ],
    [
      'a required parameter left out',
      (rule: { parameters: Record<string, string> }) => {
        delete rule.parameters.Directory;
      },
      'rule disk-full-cleanup (document cleanup-directory): missing parameter Directory (required by the document)',
    ],
  ])('fails with exit 2, as the synth does, on %s', async (_case, edit, problem) => {
    const config = JSON.parse(EXAMPLE_CONFIG);
    edit(config.remediation.rules[0]);

    const { code, out, err } = await explain(['--event', 'disk.json', '--config', 'bad.json'], {
      ...files,
      'bad.json': JSON.stringify(config),
    });

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^selfheal: bad\.json: invalid configuration: invalid remediation rule parameters: /);
    expect(err).toContain(problem);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails with exit 2 naming a cleanup prefix the document cannot be rendered with', async () => {
    const config = JSON.parse(EXAMPLE_CONFIG);
    config.remediation.cleanupAllowedPathPrefixes = ['/var/../'];

    const { code, err } = await explain(['--event', 'disk.json', '--config', 'dots.json'], {
      ...files,
      'dots.json': JSON.stringify(config),
    });

    expect(code).toBe(2);
    expect(err).toMatch(
      /^selfheal: dots\.json: invalid configuration: remediation\.cleanupAllowedPathPrefixes "\/var\/\.\.\/" cannot be rendered/,
    );
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('says the InstanceId dimension is empty, not missing, when the alarm gives "", and escalates', async () => {
    const { code, out } = await explain(['--event', 'empty.json'], {
      'empty.json': files['disk.json'].replaceAll('"InstanceId": "i-0abc123def4567890"', '"InstanceId": ""'),
    });

    expect(code).toBe(0);
    expect(out).toContain(
      'resource:  unresolved: dimension InstanceId has no value in the alarm; recorded as (unresolved) alarm "disk-full-web-1"',
    );
    expect(out).toContain(
      'outcome:   escalate: rule disk-full-cleanup takes the resource from dimension InstanceId, but the dimension is empty ("") in alarm "disk-full-web-1"; nothing to act on',
    );
    expect(out).not.toContain('no such dimension');
    expect(out).toContain('no SSM call: a human is notified instead');
  });

  it('escalates a metric math alarm whose metrics name two instances, listing both', async () => {
    const math = JSON.parse(fixture('cloudwatch-alarm-metric-math.json')) as {
      detail: { alarmName: string; configuration: { metrics: { id: string; metricStat?: object }[] } };
    };
    math.detail.alarmName = 'disk-full-fleet';
    for (const [i, m] of math.detail.configuration.metrics.entries()) {
      if (m.metricStat === undefined) continue;
      m.metricStat = {
        metric: {
          namespace: 'CWAgent',
          name: 'disk_used_percent',
          dimensions: { InstanceId: `i-0000000000000000${i}` },
        },
        period: 300,
        stat: 'Maximum',
      };
    }

    const { code, out } = await explain(['--event', 'math.json'], { 'math.json': JSON.stringify(math) });

    expect(code).toBe(0);
    expect(out).toContain(
      'resource:  unresolved: dimension InstanceId has 2 values (i-00000000000000001, i-00000000000000002) in the alarm; recorded as (unresolved) alarm "disk-full-fleet"',
    );
    expect(out).toContain(
      'outcome:   escalate: rule disk-full-cleanup takes the resource from dimension InstanceId, but the metrics of alarm "disk-full-fleet" name 2 different values: i-00000000000000001 (metric m1), i-00000000000000002 (metric m2)',
    );
    expect(out).toContain('no SSM call: a human is notified instead');
  });

  it('says why nothing happens when no rule matches', async () => {
    const { code, out } = await explain(['--event', 'math.json'], {
      'math.json': fixture('cloudwatch-alarm-metric-math.json'),
    });

    expect(code).toBe(0);
    expect(out).toContain('rule:      none matched');
    expect(out).toContain(
      '- disk-full-cleanup: alarm name "TotalNetworkTrafficTooHigh" does not match "disk-full-*"',
    );
    expect(out).toContain('outcome:   skip: no rule matches alarm "TotalNetworkTrafficTooHigh"');
    expect(out).toContain('no SSM call');
  });

  it.each([
    [
      'ec2-instance-state-change.json',
      'an EC2 Instance State-change Notification from aws.ec2: not an alarm state change',
    ],
    [
      'ssm-automation-execution-failed.json',
      'an EC2 Automation Execution Status-change Notification from aws.ssm (execution 333ba70b-2333-48db-b17e-a5e69c6f4d1c of runcommand1, status Failed): read by the verification side',
    ],
  ])('prints one line and exits 0 for another kind of event (%s)', async (name, message) => {
    const { code, out, err } = await explain(['--event', 'e.json'], { 'e.json': fixture(name) });

    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toContain(`e.json: ${message}`);
    expect(out).toContain('nothing would happen');
  });

  it.each([
    [
      'malformed-alarm-state-value.json',
      'e.json: not a valid event: detail.state.value: received "BROKEN"; expected ALARM | OK | INSUFFICIENT_DATA',
    ],
    [
      'malformed-alarm-missing-name.json',
      'e.json: not a valid event: detail.alarmName: missing; required (string)',
    ],
    ['malformed-not-json.txt', 'e.json:2:1: not valid JSON: unexpected end of input, expected a value'],
  ])('prints one line naming the problem and exits 2 for %s', async (name, message) => {
    const { code, out, err } = await explain(['--event', 'e.json'], { 'e.json': fixture(name) });

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`selfheal: ${message}`);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    ['not json\n', "e.json:1:1: not valid JSON: expected a value, found 'not'"],
    [
      '{\n  "detail": {\n    "state": x\n  }\n}\n',
      "e.json:3:14: not valid JSON: expected a value, found 'x'",
    ],
    ['{"detail": {},}', "e.json:1:15: not valid JSON: trailing comma before '}'"],
  ])('names the line and column of a JSON syntax error in %j', async (text, message) => {
    const { code, err } = await explain(['--event', 'e.json'], { 'e.json': text });

    expect(code).toBe(2);
    expect(err).toBe(`selfheal: ${message}\n`);
  });

  it('reads the event from standard input with --event -', async () => {
    const { code, out, err } = await explain(['--event', '-'], {}, files['disk.json']);

    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('rule:      disk-full-cleanup (mode enforce)');
  });

  it('names standard input as <stdin> in a problem with --event -', async () => {
    const { code, err } = await explain(['--event', '-'], {}, '{"detail-type": }');

    expect(code).toBe(2);
    expect(err).toBe("selfheal: <stdin>:1:17: not valid JSON: expected a value, found '}'\n");
  });

  it.each([
    [['--event', 'missing.json'], 'selfheal: missing.json: no such file'],
    [[], 'selfheal: explain needs --event FILE.json'],
    [
      ['--event', 'disk.json', '--config', 'bad.json'],
      'selfheal: bad.json: invalid configuration: remediation.rules[0].mode: received "yolo"',
    ],
    [
      ['--event', 'disk.json', '--config', 'broken.json'],
      'selfheal: broken.json:1:2: not valid JSON: expected a property name in double quotes, found the end of the input',
    ],
    [['--event', '-', '--config', '-'], 'selfheal: --event and --config cannot both read standard input (-)'],
    [['--event', 'disk.json', '--config', 'nope.json'], 'selfheal: nope.json: no such file'],
  ])('fails with exit 2 and one line for %j', async (args, message) => {
    const config = JSON.parse(EXAMPLE_CONFIG);
    config.remediation.rules[0].mode = 'yolo';

    const { code, err } = await explain(args, {
      ...files,
      'bad.json': JSON.stringify(config),
      'broken.json': '{',
    });

    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('uses the config given with --config', async () => {
    const config = JSON.parse(EXAMPLE_CONFIG);
    config.remediation.rules[0].mode = 'observe';

    const { out } = await explain(['--event', 'disk.json', '--config', 'mine.json'], {
      ...files,
      'mine.json': JSON.stringify(config),
    });

    expect(out).toContain('config:    mine.json');
    expect(out).toContain('outcome:   observe:');
  });

  it.each([
    ['missing.json', {}, 'selfheal: missing.json: no such file\n'],
    ['broken.json', { 'broken.json': '{}' }, 'selfheal: broken.json: invalid configuration: '],
  ])(
    'fails when --config %s is unusable, even for an event that needs no rule',
    async (path, extra, message) => {
      const { code, out, err } = await explain(['--event', 'e.json', '--config', path], {
        'e.json': fixture('ec2-instance-state-change.json'),
        ...extra,
      });

      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.startsWith(message)).toBe(true);
      expect(err.trimEnd().split('\n')).toHaveLength(1);
    },
  );

  it('prints its help', async () => {
    const { code, out } = await explain(['--help']);

    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: selfheal explain --event FILE.json/);
  });
});

const ESC = '\u001b';
const BEL = '\u0007';

/**
 * An event file is untrusted input (pasted from a ticket, a chat, another account's bus): the
 * example disk-full event with escape sequences appended to its alarm name (still `disk-full-*`).
 */
function hostileEvent(): string {
  const event = JSON.parse(files['disk.json']) as { detail: { alarmName: string } };
  event.detail.alarmName = `${event.detail.alarmName}${ESC}[2J${ESC}]52;c;Y3VybCBldmlsIHwgc2gK${BEL}`;
  return JSON.stringify(event);
}

describe('selfheal explain with escape sequences in the event file', () => {
  it("shows the alarm name's control characters as escapes, sending no ESC or BEL to the terminal", async () => {
    const { code, out } = await explain(['--event', 'evil.json'], { 'evil.json': hostileEvent() });

    expect(code).toBe(0);
    expect(out).not.toContain(ESC);
    expect(out).not.toContain(BEL);
    expect(out).toContain('\\x1b[2J\\x1b]52;c;Y3VybCBldmlsIHwgc2gK\\x07" OK → ALARM');
  });

  it('shows them as escapes in the one line for another kind of event (its source)', async () => {
    const event = { ...JSON.parse(fixture('ec2-instance-state-change.json')), source: `aws.ec2${ESC}[2J` };

    const { code, out } = await explain(['--event', 'e.json'], { 'e.json': JSON.stringify(event) });

    expect(code).toBe(0);
    expect(out).not.toContain(ESC);
    expect(out).toContain('from aws.ec2\\x1b[2J: not an alarm state change');
  });
});
