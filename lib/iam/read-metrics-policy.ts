import { aws_iam as iam, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link ReadMetricsPolicy}. */
export interface ReadMetricsPolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
}

/**
 * `cloudwatch:GetMetricData`: read the load history the forecasts are made from, and read back the
 * forecasts already published (so no forecast time is published twice). Read-only.
 */
export class ReadMetricsPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: ReadMetricsPolicyProps) {
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadLoadHistory',
          actions: ['cloudwatch:GetMetricData'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:GetMetricData is read-only and supports no resource-level permissions or namespace condition; load metrics live in several namespaces (AWS/EC2, AWS/ApplicationELB, custom), and the forecaster also reads back its own forecasts.',
    });
  }
}
