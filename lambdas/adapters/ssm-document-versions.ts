/**
 * A document's default version on SSM (ListDocumentVersions, every page), for the SSM adapter's
 * `documentDefaultVersion` (./ssm-automation). The answer is checked field by field: the engine
 * gives a running automation's holds back on it, so anything it does not say plainly is an error.
 */
import {
  type DocumentVersionInfo,
  ListDocumentVersionsCommand,
  type ListDocumentVersionsCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { DocumentDefaultVersion } from '../core/remediation/engine-ports';

/** ListDocumentVersions' largest page (its `MaxResults` range is 1–50). */
const PAGE_SIZE = 50;
/**
 * Pages read at most (5,000 versions): SSM caps a document's versions (DocumentVersionLimitExceeded)
 * well below that, so more pages mean a NextToken that never ends.
 */
const MAX_PAGES = 100;

/** ListDocumentVersions answered something that names no single default version with its date. */
export class DocumentVersionsError extends Error {
  override readonly name = 'DocumentVersionsError';
}

/**
 * The default version of `documentName` and when SSM created it. Throws the SDK's error when SSM
 * cannot be read (InvalidDocument for a document that does not exist), and
 * {@link DocumentVersionsError} naming the field when the answer is malformed: no
 * `DocumentVersions` array, none at all (SSM answers at least one), an entry whose
 * `IsDefaultVersion` is not a boolean, no or several defaults, a default without a
 * `DocumentVersion` or a valid `CreatedDate`, or a NextToken that does not end.
 */
export async function readDefaultVersion(
  client: SSMClient,
  documentName: string,
): Promise<DocumentDefaultVersion> {
  const call = `ListDocumentVersions of ${documentName}`;
  const defaults: Found[] = [];
  let listed = 0;
  let token: string | undefined;
  for (let page = 1; ; page += 1) {
    if (page > MAX_PAGES) {
      throw new DocumentVersionsError(
        `${call} still answered a NextToken after ${MAX_PAGES} pages of ${PAGE_SIZE} versions; expected the last page to have none`,
      );
    }
    const answer: ListDocumentVersionsCommandOutput | undefined = await client.send(
      new ListDocumentVersionsCommand({
        Name: documentName,
        MaxResults: PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    const versions = versionsOn(`${call} answered page ${page}`, answer);
    defaults.push(...defaultsAmong(call, page, versions));
    listed += versions.length;
    token = nextToken(`${call} answered page ${page}`, answer, token);
    if (token === undefined) break;
  }
  return theDefault(call, defaults, listed);
}

/** A version marked default, and where in the answer it was. */
interface Found {
  readonly at: string;
  readonly info: DocumentVersionInfo;
}

function versionsOn(answered: string, answer: ListDocumentVersionsCommandOutput | undefined) {
  const versions: unknown = answer?.DocumentVersions;
  if (!Array.isArray(versions)) {
    throw new DocumentVersionsError(
      `${answered} with DocumentVersions ${shown(versions)}; expected an array`,
    );
  }
  return versions as DocumentVersionInfo[];
}

/** The versions of page `page` marked default; each must say whether it is. */
function defaultsAmong(call: string, page: number, versions: readonly DocumentVersionInfo[]): Found[] {
  const found: Found[] = [];
  for (const [i, info] of versions.entries()) {
    const at = `page ${page} DocumentVersions[${i}]`;
    const isDefault: unknown = info?.IsDefaultVersion;
    if (typeof isDefault !== 'boolean') {
      throw new DocumentVersionsError(
        `${call} answered ${at}.IsDefaultVersion ${shown(isDefault)}; expected true or false`,
      );
    }
    if (isDefault) found.push({ at, info });
  }
  return found;
}

/** The next page's token, or undefined after the last page. */
function nextToken(
  answered: string,
  answer: ListDocumentVersionsCommandOutput | undefined,
  previous: string | undefined,
): string | undefined {
  // "If there are no additional items to return, the string is empty" (the API reference).
  const next: unknown = answer?.NextToken;
  if (next === undefined || next === '') return undefined;
  if (typeof next !== 'string' || next === previous) {
    throw new DocumentVersionsError(
      `${answered} with NextToken ${shown(next)}; expected a new token or none`,
    );
  }
  return next;
}

/** The one default version found, checked. */
function theDefault(call: string, defaults: readonly Found[], listed: number): DocumentDefaultVersion {
  if (listed === 0) {
    throw new DocumentVersionsError(
      `${call} answered no version (DocumentVersions empty); expected at least one`,
    );
  }
  const [only, ...more] = defaults;
  if (only === undefined || more.length > 0) {
    const which = defaults.map((d) => `${d.at} (DocumentVersion ${shown(d.info.DocumentVersion)})`);
    throw new DocumentVersionsError(
      `${call} answered ${defaults.length} of ${listed} versions with IsDefaultVersion true${which.length > 0 ? `: ${which.join(', ')}` : ''}; expected exactly one`,
    );
  }
  const version: unknown = only.info.DocumentVersion;
  if (typeof version !== 'string' || version === '') {
    throw new DocumentVersionsError(
      `${call} answered ${only.at}.DocumentVersion ${shown(version)} for the default version; expected a version number`,
    );
  }
  const created: unknown = only.info.CreatedDate;
  if (!(created instanceof Date) || Number.isNaN(created.getTime())) {
    throw new DocumentVersionsError(
      `${call} answered ${only.at}.CreatedDate ${shown(created)} for default version ${version}; expected a date`,
    );
  }
  return { version, createdAtSec: Math.ceil(created.getTime() / 1000) };
}

function shown(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
