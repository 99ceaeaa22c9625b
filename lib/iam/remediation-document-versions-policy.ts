import { aws_iam as iam, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link RemediationDocumentVersionsPolicy}. */
export interface RemediationDocumentVersionsPolicyProps {
  /** Role the policy is attached to (the alarm handler's). */
  readonly role: iam.IRole;
  /** Deployed names of the shipped documents the rules start (owned by this account). */
  readonly ownDocumentNames: readonly string[];
  /** AWS-owned documents the rules start, e.g. AWS-RestartEC2Instance. */
  readonly awsDocumentNames: readonly string[];
}

/**
 * `ssm:ListDocumentVersions` on the documents the functions may start, and no other: a resumed
 * start SSM refused for the request itself reads the document's default version, since a
 * redeploy that changed the document in place may have made SSM refuse a request an earlier
 * attempt started (lambdas/core/remediation/start-refusal.ts). IAM authorizes the call on the
 * document's ARN; AWS-owned documents have an empty account field.
 */
export class RemediationDocumentVersionsPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: RemediationDocumentVersionsPolicyProps) {
    const own = [...new Set(props.ownDocumentNames)];
    const aws = [...new Set(props.awsDocumentNames)];
    if (own.length + aws.length === 0) {
      throw new Error(`${scope.node.path}/${id}: no documents given; pass the documents the rules start`);
    }
    const stack = Stack.of(scope);
    const document = (name: string, account?: string) =>
      stack.formatArn({ service: 'ssm', resource: 'document', resourceName: name, account });
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadVersionsOfStartableDocuments',
          actions: ['ssm:ListDocumentVersions'],
          resources: [...own.map((n) => document(n)), ...aws.map((n) => document(n, ''))],
        }),
      ],
    });
  }
}
