/**
 * The SSM adapter's read of a document's default version (ListDocumentVersions, in the shape of
 * AWS's API reference: DocumentVersions[] with DocumentVersion, CreatedDate, IsDefaultVersion,
 * and NextToken, empty or absent on the last page): the exact commands, every page, and an error
 * naming the field for an answer that names no single default version with its date. moto does
 * not implement ListDocumentVersions, so SSM is mocked with aws-sdk-client-mock.
 */
import {
  type DocumentVersionInfo,
  InvalidDocument,
  ListDocumentVersionsCommand,
  type ListDocumentVersionsCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SsmAutomation } from '../../../lambdas/adapters/ssm-automation';
import { DocumentVersionsError } from '../../../lambdas/adapters/ssm-document-versions';

const ssm = mockClient(SSMClient);
const runner = () => new SsmAutomation(new SSMClient({ region: 'us-east-1' }));
const NAME = 'SelfHeal-CleanupDirectory';

/** One DocumentVersionInfo as ListDocumentVersions answers it. */
function version(number: string, createdAt: string, isDefault: boolean): DocumentVersionInfo {
  return {
    Name: NAME,
    DocumentVersion: number,
    CreatedDate: new Date(createdAt),
    IsDefaultVersion: isDefault,
    DocumentFormat: 'YAML',
    Status: 'Active',
  };
}

const V1 = version('1', '2026-11-20T09:00:00.000Z', false);
const V2 = version('2', '2026-11-27T03:10:30.250Z', true);

const inputs = () => ssm.commandCalls(ListDocumentVersionsCommand).map((c) => c.args[0].input);

describe('SsmAutomation.documentDefaultVersion', () => {
  beforeEach(() => ssm.reset());

  it('returns the default version and its creation in epoch seconds, rounded up, from one page', async () => {
    ssm.on(ListDocumentVersionsCommand).resolves({ DocumentVersions: [V2, V1] });

    expect(await runner().documentDefaultVersion(NAME)).toEqual({
      version: '2',
      createdAtSec: Date.UTC(2026, 10, 27, 3, 10, 31) / 1000,
    });
    expect(inputs()).toEqual([{ Name: NAME, MaxResults: 50 }]);
  });

  it('reads every page, sending each NextToken, and stops at an empty one', async () => {
    ssm
      .on(ListDocumentVersionsCommand, { Name: NAME, MaxResults: 50 })
      .resolves({ DocumentVersions: [V1], NextToken: 'page-2' })
      .on(ListDocumentVersionsCommand, { Name: NAME, MaxResults: 50, NextToken: 'page-2' })
      .resolves({ DocumentVersions: [V2], NextToken: 'page-3' })
      .on(ListDocumentVersionsCommand, { Name: NAME, MaxResults: 50, NextToken: 'page-3' })
      .resolves({ DocumentVersions: [version('0', '2026-01-01T00:00:00Z', false)], NextToken: '' });

    expect(await runner().documentDefaultVersion(NAME)).toMatchObject({ version: '2' });
    expect(inputs()).toEqual([
      { Name: NAME, MaxResults: 50 },
      { Name: NAME, MaxResults: 50, NextToken: 'page-2' },
      { Name: NAME, MaxResults: 50, NextToken: 'page-3' },
    ]);
  });

  it('reads an AWS-owned document the same way', async () => {
    const aws = { ...V2, Name: 'AWS-RestartEC2Instance', DocumentVersion: '12' };
    ssm.on(ListDocumentVersionsCommand).resolves({ DocumentVersions: [aws] });

    expect(await runner().documentDefaultVersion('AWS-RestartEC2Instance')).toMatchObject({ version: '12' });
    expect(inputs()).toEqual([{ Name: 'AWS-RestartEC2Instance', MaxResults: 50 }]);
  });

  it("throws SSM's error, e.g. InvalidDocument for a document that does not exist", async () => {
    ssm
      .on(ListDocumentVersionsCommand)
      .rejects(new InvalidDocument({ message: 'Document with name X does not exist.', $metadata: {} }));

    await expect(runner().documentDefaultVersion(NAME)).rejects.toBeInstanceOf(InvalidDocument);
  });

  const call = `ListDocumentVersions of ${NAME} answered`;
  it.each<[string, Partial<ListDocumentVersionsCommandOutput> | undefined, string]>([
    ['no answer at all', undefined, `${call} page 1 with DocumentVersions undefined; expected an array`],
    ['no DocumentVersions', {}, `${call} page 1 with DocumentVersions undefined; expected an array`],
    [
      'DocumentVersions empty',
      { DocumentVersions: [] },
      `${call} no version (DocumentVersions empty); expected at least one`,
    ],
    [
      'no default version',
      { DocumentVersions: [V1] },
      `${call} 0 of 1 versions with IsDefaultVersion true; expected exactly one`,
    ],
    [
      'two default versions',
      { DocumentVersions: [V2, { ...V1, IsDefaultVersion: true }] },
      `${call} 2 of 2 versions with IsDefaultVersion true: page 1 DocumentVersions[0] (DocumentVersion "2"), page 1 DocumentVersions[1] (DocumentVersion "1"); expected exactly one`,
    ],
    [
      'a version without IsDefaultVersion',
      { DocumentVersions: [V2, { ...V1, IsDefaultVersion: undefined }] },
      `${call} page 1 DocumentVersions[1].IsDefaultVersion undefined; expected true or false`,
    ],
    [
      'a default without DocumentVersion',
      { DocumentVersions: [{ ...V2, DocumentVersion: undefined }] },
      `${call} page 1 DocumentVersions[0].DocumentVersion undefined for the default version; expected a version number`,
    ],
    [
      'a default without CreatedDate',
      { DocumentVersions: [{ ...V2, CreatedDate: undefined }] },
      `${call} page 1 DocumentVersions[0].CreatedDate undefined for default version 2; expected a date`,
    ],
    [
      'a default with an invalid CreatedDate',
      { DocumentVersions: [{ ...V2, CreatedDate: new Date(Number.NaN) }] },
      `${call} page 1 DocumentVersions[0].CreatedDate Invalid Date for default version 2; expected a date`,
    ],
  ])('fails naming the field on %s', async (_what, answer, message) => {
    ssm.on(ListDocumentVersionsCommand).resolves(answer as ListDocumentVersionsCommandOutput);

    const read = runner().documentDefaultVersion(NAME);

    await expect(read).rejects.toBeInstanceOf(DocumentVersionsError);
    await expect(read).rejects.toThrow(message);
  });

  it('fails naming the page when a NextToken repeats', async () => {
    ssm.on(ListDocumentVersionsCommand).resolves({ DocumentVersions: [V2], NextToken: 'again' });

    await expect(runner().documentDefaultVersion(NAME)).rejects.toThrow(
      `${call} page 2 with NextToken "again"; expected a new token or none`,
    );
    expect(inputs()).toHaveLength(2);
  });

  it('stops after 100 pages of a NextToken that never ends', async () => {
    let page = 0;
    ssm.on(ListDocumentVersionsCommand).callsFake(() => {
      page += 1;
      return { DocumentVersions: [V1], NextToken: `token-${page}` };
    });

    await expect(runner().documentDefaultVersion(NAME)).rejects.toThrow(
      `ListDocumentVersions of ${NAME} still answered a NextToken after 100 pages of 50 versions; expected the last page to have none`,
    );
    expect(inputs()).toHaveLength(100);
  });
});
