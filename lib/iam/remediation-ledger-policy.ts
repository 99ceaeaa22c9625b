import { type aws_dynamodb as dynamodb, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link RemediationLedgerPolicy}. */
export interface RemediationLedgerPolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
  /** The ledger table (AWS-managed encryption: no KMS grant needed). */
  readonly table: dynamodb.ITable;
}

/**
 * The item reads and writes the ledger adapters send, on the ledger table only (no scans, no
 * batch writes, no table admin). TransactWriteItems needs no action of its own: IAM authorizes
 * each of its Put, Update and Delete items as PutItem, UpdateItem and DeleteItem.
 */
export const LEDGER_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/**
 * Read and write items of the remediation ledger: idempotency records, resource locks, window
 * counters and remediation records (conditional writes and transactions).
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
