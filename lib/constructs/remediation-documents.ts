import { aws_ssm as ssm } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  RESERVED_DOCUMENT_PREFIX,
  SHIPPED_DOCUMENTS,
  type ShippedDocument,
} from '../config/remediation-schema';
import { type RenderedDocument, renderShippedDocument } from '../ssm-documents/shipped-documents';

/** Props of {@link RemediationDocuments}. */
export interface RemediationDocumentsProps {
  /** Prefix of every document name (`<prefix>-<key>`), usually the stack name. */
  readonly namePrefix: string;
  /** Directories the cleanup document may touch; rendered into its allowedPattern. */
  readonly cleanupAllowedPathPrefixes: readonly string[];
}

/** Construct ids of the documents: a contract (changing one replaces the document). */
const IDS: Record<ShippedDocument, string> = {
  'restart-service': 'RestartService',
  'cleanup-directory': 'CleanupDirectory',
  'replace-unhealthy-instance': 'ReplaceUnhealthyInstance',
};

const DOCUMENT_NAME = /^[A-Za-z0-9_.-]{3,128}$/;

/**
 * Deploys every shipped SSM Automation document (YAML, schema 0.3) as `<prefix>-<key>`. A
 * content change deploys a new version of the same document (`updateMethod: NewVersion`), so
 * running executions and the IAM scope (by name) are unaffected. CloudFormation makes that new
 * version the document's default ("When you specify NewVersion, the default version of the
 * document is changed to the newly created version", AWS::SSM::Document UpdateMethod), and the
 * engine starts the default version (StartAutomationExecution without DocumentVersion), so a
 * redeploy changes what the next start runs.
 */
export class RemediationDocuments extends Construct {
  /** Deployed name of each shipped document. */
  readonly names: Readonly<Record<ShippedDocument, string>>;
  /** The rendered documents (content and parameters), by key. */
  readonly rendered: Readonly<Record<ShippedDocument, RenderedDocument>>;

  constructor(scope: Construct, id: string, props: RemediationDocumentsProps) {
    super(scope, id);
    const names = {} as Record<ShippedDocument, string>;
    const rendered = {} as Record<ShippedDocument, RenderedDocument>;
    for (const key of SHIPPED_DOCUMENTS) {
      const name = documentName(props.namePrefix, key);
      const doc = renderShippedDocument(key, props);
      new ssm.CfnDocument(this, IDS[key], {
        name,
        documentType: 'Automation',
        documentFormat: 'YAML',
        updateMethod: 'NewVersion',
        content: doc.content,
      });
      names[key] = name;
      rendered[key] = doc;
    }
    this.names = names;
    this.rendered = rendered;
  }
}

function documentName(prefix: string, key: ShippedDocument): string {
  const name = `${prefix}-${key}`;
  if (!DOCUMENT_NAME.test(name) || RESERVED_DOCUMENT_PREFIX.test(name)) {
    throw new Error(
      `SSM document name "${name}" is not allowed: names are 3-128 letters, digits, '_', '-', '.', and must not start with aws, amazon or amzn; choose another stack name (prefix "${prefix}")`,
    );
  }
  return name;
}
