/**
 * Remediation rules: which alarms they match, which resource they act on, which SSM document
 * they start and under which guardrails. Part of the one app configuration (see ./schema).
 */
import * as z from 'zod';
import { addDuplicateIssues } from './unique-entries';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** What a rule id (`remediation.rules[].id`) may be; `selfheal reset-rule` checks `--rule` with it. */
export const RULE_ID = NAME;

/** Documents this project ships (deployed by the stack), by their config key. */
export const SHIPPED_DOCUMENTS = [
  'restart-service',
  'cleanup-directory',
  'replace-unhealthy-instance',
] as const;
export type ShippedDocument = (typeof SHIPPED_DOCUMENTS)[number];

/**
 * Prefixes SSM reserves for document names (CreateDocument `Name`: aws, amazon, amzn), checked in
 * any case, as the shipped documents' names `<stackName>-<key>` must avoid them.
 */
export const RESERVED_DOCUMENT_PREFIX = /^(aws|amazon|amzn)/i;

/**
 * AWS-owned Automation documents a rule may start: those whose needs the automation role's policy
 * grants (lib/iam/remediation-automation-policy.ts, which must give each of them its statements).
 * Checked in every mode, so a dry run records only a call that would work once enforced.
 */
export const SUPPORTED_AWS_DOCUMENTS = ['AWS-RestartEC2Instance'] as const;
export type SupportedAwsDocument = (typeof SUPPORTED_AWS_DOCUMENTS)[number];

/** Which alarms a rule applies to; every field given must match (AND). */
export const alarmMatchSchema = z
  .object({
    /** Glob on the alarm name: `*` any run of characters, `?` one character. */
    alarmNamePattern: z.string().min(1).max(255).optional(),
    namespace: z.string().min(1).optional(),
    metricName: z.string().min(1).optional(),
    /** Each listed dimension must be present; a value of `*` matches any value. */
    dimensions: z.record(z.string().min(1), z.string().min(1)).optional(),
  })
  .strict()
  .refine((m) => Object.values(m).some((v) => v !== undefined), {
    message: 'give at least one of alarmNamePattern, namespace, metricName, dimensions',
  });

/** How the resource to remediate is found from the alarm. */
export const resourceSchema = z.discriminatedUnion('from', [
  z
    .object({
      from: z.literal('dimension'),
      /** Dimension holding the resource id, e.g. InstanceId or AutoScalingGroupName. */
      dimension: z.enum(['InstanceId', 'AutoScalingGroupName']),
    })
    .strict(),
  z
    .object({
      from: z.literal('fixed'),
      type: z.enum(['instance', 'autoScalingGroup', 'other']),
      id: z.string().min(1).max(255),
    })
    .strict(),
]);

/** The SSM Automation document a rule starts: one this project ships, or a supported AWS-owned one. */
export const documentSchema = z.union([
  z.object({ shipped: z.enum(SHIPPED_DOCUMENTS) }).strict(),
  z
    .object({
      /** AWS-owned Automation document, one of {@link SUPPORTED_AWS_DOCUMENTS}. */
      aws: z.enum(SUPPORTED_AWS_DOCUMENTS, {
        error: `expected ${SUPPORTED_AWS_DOCUMENTS.map((d) => JSON.stringify(d)).join(' | ')}: the AWS-owned documents whose permissions the automation role grants (add another one's to lib/iam/remediation-automation-policy.ts first), or use a shipped document`,
      }),
    })
    .strict(),
]);

/** Variables an automation parameter may use, besides `{{dimension:<Name>}}`. */
export const TEMPLATE_VARIABLES = ['resourceId', 'alarmName', 'region', 'account'] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Template variables used in `value` that are not allowed; empty when all are known. */
export function unknownTemplateVariables(value: string): string[] {
  return Array.from(value.matchAll(PLACEHOLDER), (m) => m[1] ?? '').filter(
    (name) =>
      !(name.startsWith('dimension:')
        ? name.length > 'dimension:'.length
        : (TEMPLATE_VARIABLES as readonly string[]).includes(name)),
  );
}

const parameterValues = z.union([z.string(), z.array(z.string())]).superRefine((value, ctx) => {
  const unknown = (typeof value === 'string' ? [value] : value).flatMap(unknownTemplateVariables);
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown template variable(s) ${unknown.map((v) => `{{${v}}}`).join(', ')}; allowed: ${[...TEMPLATE_VARIABLES, 'dimension:<Name>'].map((v) => `{{${v}}}`).join(', ')}`,
    });
  }
});

export const ruleLimitsSchema = z
  .object({
    /** More remediations than this per resource within the window escalate instead of acting. */
    maxPerResource: z.number().int().min(1).max(100).default(3),
    frequencyWindowHours: z.number().int().min(1).max(168).default(24),
    /** Minimum time between two remediations of one resource by this rule. */
    cooldownSec: z.number().int().min(0).max(86_400).default(900),
    /** At most this share of one Auto Scaling group's instances under remediation at once. */
    blastRadiusPercent: z.number().int().min(1).max(100).default(34),
    /** This many failed verifications within the window freeze the rule until a human resets it. */
    errorBudgetFailures: z.number().int().min(1).max(100).default(2),
    errorBudgetWindowHours: z.number().int().min(1).max(720).default(24),
  })
  .strict();

/** Alarm states that may count as recovered; OK always does. */
export const RECOVERED_STATES = ['OK', 'INSUFFICIENT_DATA'] as const;
export type RecoveredState = (typeof RECOVERED_STATES)[number];

/**
 * Which alarm states count as recovered once the automation succeeded. INSUFFICIENT_DATA is for
 * alarms on a resource the automation replaces: the terminated instance stops reporting, and under
 * the default missing-data treatment its alarm goes to INSUFFICIENT_DATA, never back to OK.
 */
export const recoveredStatesSchema = z
  .array(
    z.enum(RECOVERED_STATES, {
      error: `expected ${RECOVERED_STATES.join(' | ')} (ALARM never counts as recovered)`,
    }),
  )
  .min(1)
  .superRefine((states, ctx) => {
    if (!states.includes('OK')) {
      ctx.addIssue({
        code: 'custom',
        message: 'must include "OK": an alarm back to OK always counts as recovered',
      });
    }
    if (new Set(states).size !== states.length) {
      ctx.addIssue({ code: 'custom', message: 'list each state once' });
    }
  });

export const remediationRuleSchema = z
  .object({
    id: z.string().regex(NAME, 'letters, digits, - and _, at most 64 characters'),
    description: z.string().max(500).optional(),
    match: alarmMatchSchema,
    resource: resourceSchema,
    document: documentSchema,
    /**
     * Automation parameters; each value may use `{{resourceId}}`, `{{alarmName}}`, `{{region}}`,
     * `{{account}}` and `{{dimension:Name}}`. AutomationAssumeRole is set by the engine.
     */
    parameters: z.record(z.string().min(1), parameterValues).default({}),
    /** Default `dryRun`: new rules record what they would run and start nothing. */
    mode: z.enum(['observe', 'dryRun', 'enforce']).default('dryRun'),
    limits: ruleLimitsSchema.default(ruleLimitsSchema.parse({})),
    /** How long after the start the alarm must be back to OK. */
    verificationTimeoutSec: z.number().int().min(60).max(86_400).default(600),
    /**
     * Alarm states that resolve the remediation once its automation succeeded; default `["OK"]`.
     * INSUFFICIENT_DATA never counts before the automation succeeded, nor after it failed.
     */
    verificationRecoveredStates: recoveredStatesSchema.default(['OK']),
  })
  .strict();

export const remediationSchema = z
  .object({
    /** Global cap on remediations in progress at once, across rules. */
    maxConcurrentRemediations: z.number().int().min(1).max(1000).default(5),
    /** Directories the cleanup document may touch: its path parameter must start with one of these. */
    cleanupAllowedPathPrefixes: z
      .array(z.string().regex(/^\/[A-Za-z0-9._/-]*\/$/, 'an absolute directory path ending in /'))
      .min(1)
      .default(['/var/log/']),
    /** E-mail address subscribed to the escalation topic (optional). */
    escalationEmail: z.email().optional(),
    /**
     * How long ledger records are kept (DynamoDB TTL); at least every rule's frequencyWindowHours
     * and errorBudgetWindowHours, which count the ledger's items.
     */
    ledgerRetentionDays: z.number().int().min(1).max(3650).default(90),
    rules: z.array(remediationRuleSchema).max(200).default([]),
  })
  .strict()
  .superRefine((r, ctx) => {
    addDuplicateIssues(
      ctx,
      r.rules.map((rule) => rule.id),
      { list: 'rules', field: 'id', what: 'duplicate rule id' },
    );
    for (const message of retentionProblems(r.ledgerRetentionDays, r.rules)) {
      ctx.addIssue({ code: 'custom', path: ['ledgerRetentionDays'], message });
    }
  });

/**
 * Why the ledger keeps records too briefly for a rule's windows: the frequency limit and the error
 * budget count the ledger's timestamped items over the last `frequencyWindowHours` and
 * `errorBudgetWindowHours` (lambdas/core/remediation/guardrails.ts), and every such item expires
 * `ledgerRetentionDays` after its time (DynamoDB TTL), so a longer window would silently count
 * only the last `ledgerRetentionDays` days. One message per rule with such a window.
 */
function retentionProblems(
  ledgerRetentionDays: number,
  rules: readonly Pick<RemediationRule, 'id' | 'limits'>[],
): string[] {
  const kept = ledgerRetentionDays * 24;
  return rules.flatMap((rule) => {
    const windows = (['frequencyWindowHours', 'errorBudgetWindowHours'] as const).filter(
      (w) => rule.limits[w] > kept,
    );
    if (windows.length === 0) return [];
    const longest = Math.max(...windows.map((w) => rule.limits[w]));
    const named = windows.map((w) => `${w} ${rule.limits[w]}`).join(' and ');
    return [
      `rule "${rule.id}" has ${named}, longer than the ${kept} h the ledger keeps what they count: remediations and failed verifications older than ${ledgerRetentionDays} day(s) would expire uncounted; set ledgerRetentionDays to at least ${Math.ceil(longest / 24)} or shorten the rule's window`,
    ];
  });
}

export type RemediationConfig = z.output<typeof remediationSchema>;
export type RemediationRule = z.output<typeof remediationRuleSchema>;
export type RuleLimits = z.output<typeof ruleLimitsSchema>;
export type AlarmMatch = z.output<typeof alarmMatchSchema>;
export type ResourceSelector = z.output<typeof resourceSchema>;
export type DocumentRef = z.output<typeof documentSchema>;
