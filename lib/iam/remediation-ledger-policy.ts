import { type aws_dynamodb as dynamodb, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link RemediationLedgerPolicy}. */
export interface RemediationLedgerPolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
  /** The ledger table (AWS-managed encryption: no KMS grant needed). */
  readonly table: dynamodb.ITable;
}

/** The item reads and writes the ledger needs, on the ledger table only (no scans, no table admin). */
export const LEDGER_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * Read and write items of the remediation ledger: idempotency records, resource locks, window
 * counters and remediation records (conditional writes; transactions are authorized per item
 * with these same actions).
 */
export class RemediationLedgerPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: RemediationLedgerPolicyProps) {
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadWriteLedgerItems',
          actions: [...LEDGER_ACTIONS],
          resources: [props.table.tableArn],
        }),
      ],
    });
  }
}
