/**
 * `selfheal explain` shows a decision, with a `DocumentName`, for a configuration whose stack name
 * the synth refuses: every shipped document is deployed as `<stackName>-<key>`
 * (lib/constructs/remediation-documents.ts), and SSM reserves the prefixes `aws`, `amazon` and
 * `amzn` for document names and caps them at 128 characters. The config schema refuses such a
 * stack name, so explain, like the synth, never answers `start` with a document that cannot
 * exist: it exits 2 naming `stackName` (found by review: it used to answer with one).
 *
 * SSM CreateDocument Name: "You can't use the following strings as document name prefixes. These
 * are reserved by Amazon Web Services for use as document name prefixes: aws, amazon, amzn, ..."
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html
 * (same text: https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ssm/aws.sdk.kotlin.services.ssm.model/-create-document-request/name.html)
 */
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { RemediationDocuments } from '../../lib/constructs/remediation-documents';
import { fakeDeps } from './fixtures/fake-deps';
import { memoryIo } from './fixtures/memory-io';

const EVENT = readFileSync(
  new URL('../fixtures/events/example-disk-full-alarm.json', import.meta.url),
  'utf8',
);
const EXAMPLE = JSON.parse(readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8'));

async function explain(config: unknown) {
  const io = memoryIo({ 'event.json': EVENT, 'config.json': JSON.stringify(config) });
  const code = await main(['explain', '--event', 'event.json', '--config', 'config.json'], io, fakeDeps);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('selfheal explain with a stack name the synth refuses', () => {
  it.each([
    ['a reserved prefix (aws)', 'AwsOps'],
    ['a reserved prefix (amazon)', 'AmazonShop'],
    ['a name too long for its documents (128 characters at most)', `S${'x'.repeat(110)}`],
  ])('fails with exit 2 for %s, as the synth does', async (_what, stackName) => {
    // The premise: the synth refuses to name the shipped documents after this stack.
    expect(
      () =>
        new RemediationDocuments(new Stack(new App(), 'Probe'), 'Documents', {
          namePrefix: stackName,
          cleanupAllowedPathPrefixes: ['/var/log/app/', '/tmp/'],
        }),
    ).toThrow(/SSM document name .* is not allowed/);

    const { code, out, err } = await explain({ ...EXAMPLE, stackName });

    // Before the schema checked the name: exit 0 and "DocumentName: AwsOps-cleanup-directory".
    expect(out).not.toContain(`DocumentName: ${stackName}-cleanup-directory`);
    expect(code).toBe(2);
    expect(err).toMatch(/stack ?name/i);
  });
});
