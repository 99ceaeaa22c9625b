/**
 * Review: the forecaster's role carries one inline policy statement listing every forecastAndScale
 * group's ARN (ScheduledActionsPolicy, an AWS::IAM::Policy). IAM caps the aggregate of all inline
 * policies of a role at 10,240 characters, white space not counted, and refuses PutRolePolicy
 * beyond it (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so a
 * config the schema accepts (up to 5,000 targets; the README measures 1,000) passes synth and
 * cdk-nag, then fails `cdk deploy` once some 80 groups are scaled.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { parseAppConfig } from '../../lib/config/parse';
import { appWithoutBundling, exampleConfig } from './helpers';

/** IAM quotas: "Role policy size cannot exceed 10,240 characters" (all inline policies together). */
const ROLE_INLINE_POLICY_CHARS = 10_240;
/** IAM quotas: each managed policy at most 6,144 characters; 10 attached per role by default. */
const MANAGED_POLICY_CHARS = 6_144;
const MANAGED_POLICIES_PER_ROLE = 10;

const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** A partition and Region with the longest names in use (GovCloud's partition, an ISO-F Region). */
const LONG_PSEUDO: Readonly<Record<string, string>> = {
  ...PSEUDO,
  'AWS::Partition': 'aws-us-gov',
  'AWS::Region': 'us-isof-south-1',
};

/** The value IAM receives: pseudo parameters and joins resolved, other references as a 60-char ARN. */
function resolved(value: unknown, pseudo = PSEUDO): unknown {
  if (Array.isArray(value)) return value.map((v) => resolved(v, pseudo));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string')
    return pseudo[record.Ref] ?? `arn:aws:x:eu-west-1:123456789012:${'r'.repeat(20)}`;
  if (Array.isArray(record['Fn::Join'])) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map((v) => resolved(v, pseudo)).join(separator);
  }
  if (record['Fn::GetAtt'] !== undefined) return `arn:aws:x:eu-west-1:123456789012:${'a'.repeat(20)}`;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolved(v, pseudo)]));
}

/** Characters IAM counts for a policy document: its JSON without white space. */
function iamChars(document: unknown, pseudo = PSEUDO): number {
  return JSON.stringify(resolved(document, pseudo)).length;
}

/** A group name of `length` characters, unique by `i`. */
function longName(i: number, length: number): string {
  const id = `g${i}-`;
  return `${id}${'x'.repeat(length - id.length)}`;
}

function scaledTargets(count: number, options: { tag?: boolean; nameLength?: number } = {}) {
  const config = exampleConfig();
  const scaled = config.predictiveScaling.targets[1];
  if (scaled === undefined) throw new Error('config/example.json lost its forecastAndScale target');
  return {
    ...config,
    remediation: { rules: [] },
    dashboard: { enabled: false },
    predictiveScaling: {
      ...config.predictiveScaling,
      ...(options.tag === true ? { scaledGroupTag: { key: 'selfheal:scaling', value: 'forecast' } } : {}),
      targets: Array.from({ length: count }, (_, i) => ({
        ...scaled,
        id: `web-${i}`,
        autoScalingGroupName:
          options.nameLength === undefined
            ? `prod-web-frontend-asg-${String(i).padStart(3, '0')}`
            : longName(i, options.nameLength),
      })),
    },
  };
}

type Resource = { Type: string; Properties: Record<string, unknown> };

// Each test synthesizes the app with cdk-nag; the first in a process also loads aws-cdk-lib.
describe('review: the forecaster role with many forecastAndScale groups', { timeout: 60_000 }, () => {
  it("stays within IAM's role policy quotas with 120 scaled groups, so cdk deploy can write it", () => {
    const app = appWithoutBundling();
    const { stack } = buildApp(app, parseAppConfig(scaledTargets(120)));
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
    const role = stack.predictiveScaler.forecaster.role;
    const roleId = stack.resolve(role.roleName) as { Ref: string };
    const attached = (names: unknown) => JSON.stringify(names ?? []).includes(`"${roleId.Ref}"`);

    const inline = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && attached(r.Properties.Roles))
      .map((r) => iamChars(r.Properties.PolicyDocument));
    const managed = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && attached(r.Properties.Roles))
      .map((r) => iamChars(r.Properties.PolicyDocument));

    expect(inline.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(ROLE_INLINE_POLICY_CHARS);
    expect(managed.every((chars) => chars <= MANAGED_POLICY_CHARS)).toBe(true);
    expect(managed.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
  });
});

/** The forecaster role's inline and managed policies, as IAM would count them, and cdk-nag's verdict. */
function forecasterPolicies(raw: ReturnType<typeof scaledTargets>, pseudo = PSEUDO) {
  const app = appWithoutBundling();
  const { stack, nag } = buildApp(app, parseAppConfig(raw));
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  const roleId = stack.resolve(stack.predictiveScaler.forecaster.role.roleName) as { Ref: string };
  const attached = (r: Resource) => JSON.stringify(r.Properties.Roles ?? []).includes(`"${roleId.Ref}"`);
  const documents = (type: string) =>
    Object.values(resources)
      .filter((r) => r.Type === type && attached(r))
      .map((r) => r.Properties.PolicyDocument);
  return {
    inlineChars: documents('AWS::IAM::Policy').reduce<number>((sum, d) => sum + iamChars(d, pseudo), 0),
    managed: documents('AWS::IAM::ManagedPolicy'),
    managedChars: documents('AWS::IAM::ManagedPolicy').map((d) => iamChars(d, pseudo)),
    nagPassed: nag.validateScope(app).success,
  };
}

describe('the forecaster role with many forecastAndScale groups', { timeout: 60_000 }, () => {
  // Names of 25 characters: 46 ARNs fit a managed policy at the longest partition and Region.
  it.each([
    [50, 2],
    [100, 3],
  ])(
    'keeps %i groups by name within the quotas, in %i managed policies, cdk-nag passing',
    (count, policies) => {
      const { inlineChars, managedChars, nagPassed } = forecasterPolicies(scaledTargets(count));
      expect(inlineChars).toBeLessThanOrEqual(ROLE_INLINE_POLICY_CHARS);
      expect(managedChars).toHaveLength(policies);
      expect(Math.max(...managedChars)).toBeLessThanOrEqual(MANAGED_POLICY_CHARS);
      expect(nagPassed).toBe(true);
    },
  );

  it.each([
    [500, 11],
    [1000, 22],
  ])(
    'fails synth for %i groups by name, naming the count, the limit and scaledGroupTag',
    (count, policies) => {
      expect(() => forecasterPolicies(scaledTargets(count))).toThrow(
        `SelfHeal/PredictiveScaler/ScheduledActionsPolicy: the ARNs of ${count} forecastAndScale groups need ${policies} managed policies of at most 6144 characters, more than the 10 this role may have (IAM's default quota is 10 managed policies per role); the first 460 groups fit. Tag the groups and set predictiveScaling.scaledGroupTag`,
      );
    },
  );

  it('keeps names of 255 characters within 6,144 characters a policy even at the longest partition and Region', () => {
    const { managedChars } = forecasterPolicies(scaledTargets(150, { nameLength: 255 }), LONG_PSEUDO);
    expect(managedChars).toHaveLength(10);
    expect(Math.max(...managedChars)).toBeLessThanOrEqual(MANAGED_POLICY_CHARS);
    expect(Math.max(...managedChars)).toBeGreaterThan(MANAGED_POLICY_CHARS - 400);
  });

  it.each([50, 100, 500, 1000])(
    'scopes %i groups by scaledGroupTag in one managed policy, whatever their number, cdk-nag passing',
    (count) => {
      const { inlineChars, managed, managedChars, nagPassed } = forecasterPolicies(
        scaledTargets(count, { tag: true }),
      );
      expect(inlineChars).toBeLessThanOrEqual(ROLE_INLINE_POLICY_CHARS);
      expect(managedChars).toHaveLength(1);
      expect(managedChars[0]).toBeLessThan(600);
      expect(JSON.stringify(managed)).not.toContain('prod-web-frontend-asg');
      expect(resolved(managed[0])).toMatchObject({
        Statement: [
          {
            Resource: 'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/*',
            Condition: { StringEquals: { 'aws:ResourceTag/selfheal:scaling': 'forecast' } },
          },
        ],
      });
      expect(nagPassed).toBe(true);
    },
  );
});
