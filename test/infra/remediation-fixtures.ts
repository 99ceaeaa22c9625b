import { Template } from 'aws-cdk-lib/assertions';
import type { AppConfigInput } from '../../lib/config/schema';
import { RemediationEngine, type RemediationEngineProps } from '../../lib/constructs/remediation-engine';
import { exampleConfig, FIXTURE_HANDLER, newStack } from './helpers';

type RemediationInput = NonNullable<AppConfigInput['remediation']>;
export type RuleInput = NonNullable<RemediationInput['rules']>[number];

/** The example config's remediation section (a fresh copy). */
export function exampleRemediation(): RemediationInput {
  const remediation = exampleConfig().remediation;
  if (remediation === undefined) throw new Error('config/example.json has no remediation section');
  return remediation;
}

/** The example rules, every one switched to the given mode. */
export function exampleRules(mode?: 'observe' | 'dryRun' | 'enforce'): RuleInput[] {
  return (exampleRemediation().rules ?? []).map((r) => (mode === undefined ? r : { ...r, mode }));
}

/** Engine props with the echo fixture as every handler (the real handlers need not exist). */
export function engineProps(overrides: Partial<RemediationEngineProps> = {}): RemediationEngineProps {
  return {
    ...exampleRemediation(),
    rules: exampleRules(),
    alarmHandlerEntry: FIXTURE_HANDLER,
    verifyHandlerEntry: FIXTURE_HANDLER,
    sweeperHandlerEntry: FIXTURE_HANDLER,
    ...overrides,
  };
}

/** Synthesizes a RemediationEngine in a new stack (bundling skipped). */
export function synthEngine(overrides: Partial<RemediationEngineProps> = {}): Template {
  const stack = newStack();
  new RemediationEngine(stack, 'Remediation', engineProps(overrides));
  return Template.fromStack(stack);
}

export interface Statement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

/** Every IAM statement of the template, flattened, with the policy's logical id. */
export function statements(t: Template): Array<Statement & { readonly policy: string }> {
  return Object.entries(t.findResources('AWS::IAM::Policy')).flatMap(([policy, p]) =>
    (p.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({ ...s, policy })),
  );
}

/** Statements allowing the action. */
export function allowing(t: Template, action: string): Array<Statement & { readonly policy: string }> {
  return statements(t).filter((s) => [s.Action].flat().includes(action));
}

/** `arn:${Partition}:ssm:${Region}:<account>:<resource>` as CloudFormation renders it. */
export function ssmArn(resource: string, ownAccount = true): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ssm:',
        { Ref: 'AWS::Region' },
        ...(ownAccount ? [':', { Ref: 'AWS::AccountId' }, `:${resource}`] : [`::${resource}`]),
      ],
    ],
  };
}
