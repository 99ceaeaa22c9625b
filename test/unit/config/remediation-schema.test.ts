import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../../lib/config/parse';
import { remediationSchema } from '../../../lib/config/remediation-schema';

const rule = {
  id: 'disk-full',
  match: { alarmNamePattern: 'disk-*' },
  resource: { from: 'dimension', dimension: 'InstanceId' },
  document: { shipped: 'cleanup-directory' },
};

describe('remediationSchema', () => {
  it('defaults a rule to dryRun with 3-in-24h frequency limit and a 10 min verification', () => {
    const parsed = remediationSchema.parse({ rules: [rule] });
    const [r] = parsed.rules;
    expect(r?.mode).toBe('dryRun');
    expect(r?.limits.maxPerResource).toBe(3);
    expect(r?.limits.frequencyWindowHours).toBe(24);
    expect(r?.verificationTimeoutSec).toBe(600);
    expect(r?.verificationRecoveredStates).toEqual(['OK']);
    expect(parsed.maxConcurrentRemediations).toBe(5);
  });

  it.each([
    [{ match: {} }, 'give at least one of'],
    [
      { document: { aws: 'MyOwnDoc' } },
      'the AWS-owned documents whose permissions the automation role grants',
    ],
    [{ document: { shipped: 'format-disk' } }, 'Invalid'],
    [{ resource: { from: 'dimension', dimension: 'VolumeId' } }, 'Invalid option'],
    [{ mode: 'yolo' }, 'Invalid option'],
    [{ parameters: { Name: ['ok', '{{instanceName}}'] } }, 'unknown template variable(s) {{instanceName}}'],
  ])('fails when the rule has %j', (patch, message) => {
    const result = remediationSchema.safeParse({ rules: [{ ...rule, ...patch }] });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('accepts INSUFFICIENT_DATA as a recovered state next to OK', () => {
    const parsed = remediationSchema.parse({
      rules: [{ ...rule, verificationRecoveredStates: ['OK', 'INSUFFICIENT_DATA'] }],
    });
    expect(parsed.rules[0]?.verificationRecoveredStates).toEqual(['OK', 'INSUFFICIENT_DATA']);
  });

  it.each([
    [
      ['OK', 'ALARM'],
      'rules[0].verificationRecoveredStates[1]: received "ALARM"; expected OK | INSUFFICIENT_DATA',
    ],
    [['ok'], 'rules[0].verificationRecoveredStates[0]: received "ok"; expected OK | INSUFFICIENT_DATA'],
    [
      ['INSUFFICIENT_DATA'],
      'rules[0].verificationRecoveredStates: received ["INSUFFICIENT_DATA"]; must include "OK"',
    ],
    [['OK', 'OK'], 'rules[0].verificationRecoveredStates: received ["OK","OK"]; list each state once'],
    [[], 'rules[0].verificationRecoveredStates: received []; '],
    ['OK', 'rules[0].verificationRecoveredStates: received "OK"; expected array'],
  ])('fails when verificationRecoveredStates is %j, naming the field and the value', (states, line) => {
    const raw = { rules: [{ ...rule, verificationRecoveredStates: states }] };
    const result = remediationSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(formatIssues(result.error?.issues ?? [], raw).join('\n')).toContain(line);
  });

  it('fails on a cleanup prefix that is not an absolute directory', () => {
    const result = remediationSchema.safeParse({ cleanupAllowedPathPrefixes: ['var/log'] });
    expect(result.success).toBe(false);
  });

  it('fails on duplicate rule ids', () => {
    const result = remediationSchema.safeParse({ rules: [rule, rule] });
    expect(JSON.stringify(result.error?.issues)).toContain('duplicate rule id (also rules[0].id)');
  });

  /** The problem lines of a remediation section holding `rules`, as the config check reports them. */
  function problemsOf(raw: Record<string, unknown>): string[] {
    const result = remediationSchema.safeParse(raw);
    expect(result.success).toBe(false);
    return formatIssues(result.error?.issues ?? [], raw);
  }

  it.each(['observe', 'dryRun', 'enforce'])(
    'fails in %s mode when a rule names an AWS-owned document the automation role has no permissions for',
    (mode) => {
      const raw = { rules: [{ ...rule, mode, document: { aws: 'AWS-StopEC2Instance' } }] };
      expect(problemsOf(raw)).toEqual([
        `rules[0].document.aws: received "AWS-StopEC2Instance"; expected "AWS-RestartEC2Instance": the AWS-owned documents whose permissions the automation role grants (add another one's to lib/iam/remediation-automation-policy.ts first), or use a shipped document`,
      ]);
    },
  );

  it('says which documents a rule may name when its document fits neither form', () => {
    const raw = { rules: [{ ...rule, document: { shiped: 'restart-service' } }] };
    expect(problemsOf(raw)).toEqual([
      'rules[0].document: received {"shiped":"restart-service"}; expected {"shipped": "restart-service" | "cleanup-directory" | "replace-unhealthy-instance"} | {"aws": "AWS-RestartEC2Instance"}',
    ]);
  });

  it.each([
    [7, 'rules[0].parameters.OlderThanDays: received 7; expected string | array'],
    [['7', 7], 'rules[0].parameters.OlderThanDays[1]: received 7; expected string'],
  ])('says a parameter value of %j must be a string or a list of strings', (value, line) => {
    const raw = { rules: [{ ...rule, parameters: { OlderThanDays: value } }] };
    expect(problemsOf(raw)).toEqual([line]);
  });

  describe('ledgerRetentionDays against the rules’ windows', () => {
    it.each([
      [
        { maxPerResource: 3, frequencyWindowHours: 168 },
        1,
        'ledgerRetentionDays: received 1; rule "disk-full" has frequencyWindowHours 168, longer than the 24 h the ledger keeps what they count: remediations and failed verifications older than 1 day(s) would expire uncounted; set ledgerRetentionDays to at least 7 or shorten the rule\'s window',
      ],
      [
        { errorBudgetFailures: 2, errorBudgetWindowHours: 720 },
        7,
        'ledgerRetentionDays: received 7; rule "disk-full" has errorBudgetWindowHours 720, longer than the 168 h the ledger keeps what they count: remediations and failed verifications older than 7 day(s) would expire uncounted; set ledgerRetentionDays to at least 30 or shorten the rule\'s window',
      ],
      [
        { frequencyWindowHours: 49, errorBudgetWindowHours: 72 },
        2,
        'ledgerRetentionDays: received 2; rule "disk-full" has frequencyWindowHours 49 and errorBudgetWindowHours 72, longer than the 48 h the ledger keeps what they count: remediations and failed verifications older than 2 day(s) would expire uncounted; set ledgerRetentionDays to at least 3 or shorten the rule\'s window',
      ],
    ])('fails when a rule counts over %j and the ledger keeps items %i day(s)', (limits, days, line) => {
      expect(problemsOf({ ledgerRetentionDays: days, rules: [{ ...rule, limits }] })).toEqual([line]);
    });

    it('accepts windows as long as the retention', () => {
      const limits = { frequencyWindowHours: 168, errorBudgetWindowHours: 168 };
      const parsed = remediationSchema.parse({ ledgerRetentionDays: 7, rules: [{ ...rule, limits }] });
      expect(parsed.ledgerRetentionDays).toBe(7);
    });

    it('accepts the longest windows under the default retention of 90 days', () => {
      const limits = { frequencyWindowHours: 168, errorBudgetWindowHours: 720 };
      expect(remediationSchema.safeParse({ rules: [{ ...rule, limits }] }).success).toBe(true);
    });
  });
});
