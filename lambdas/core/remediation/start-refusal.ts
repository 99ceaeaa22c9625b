/**
 * What SSM's refusal of a start proves (./engine-start). A refusal (./engine-ports
 * `StartRefusedError`: every attempt answered HTTP 4xx) proves only that this call started
 * nothing. A first start sent no earlier request with its ClientToken, so nothing runs: it gives
 * its holds back, and fails, unless SSM refused it only for the moment (throttled, or the
 * account's concurrent-automations quota reached: {@link SSM_BLOCKERS}), when it waits `blocked`
 * for the sweeper to start it again until its deadline (./engine-start-failed). A resume sends the ClientToken of an
 * earlier request that may have reached SSM (it got no certain answer, or its starter died inside
 * the call), so its refusal settles the start only if the earlier request was refused too:
 * - a transient refusal (throttling, the concurrent-executions limit, the caller's credentials, or
 *   an error the adapter does not know) depends on when the request was sent, and is most likely
 *   under the very stress that left the earlier answer uncertain: it proves nothing about the
 *   earlier request, so the start stays uncertain (./engine-start-uncertain);
 * - a refusal of the function's permission (AccessDeniedException) depends on its role, which a
 *   redeploy may have changed since the earlier request was let through with the old one: it
 *   proves nothing either, and the start stays uncertain;
 * - a refusal of the request itself (its document not found, its parameters invalid, its targets)
 *   is what the earlier request got as well, as long as it was the same request judged against
 *   the same document. The record keeps the document and parameters sent first, and a resume
 *   whose request differs (a redeploy changed the document name or the automation role since)
 *   proves nothing, as SSM may judge the new request before it looks at the ClientToken. The
 *   request pins no document version, so SSM judges it against the document's default version,
 *   which a redeploy changes in place (a new version of the shipped document): only then, on the
 *   rare refusal that would settle a resume, is SSM asked for that version, and the refusal
 *   settles the start only if the default version was created well before the earlier request
 *   could have been sent ({@link documentDoubt}); a newer one, or versions that cannot be read,
 *   keep the start uncertain. A default version changed back to an older one by hand
 *   (UpdateDocumentDefaultVersion) after the earlier request is not seen: SSM reports when a
 *   version was created, not when it became the default.
 */
import type { StartAutomationRequest } from './automation-request';
import {
  type AutomationRunner,
  type DocumentDefaultVersion,
  describeError,
  type StartRefusedError,
} from './engine-ports';
import type { RemediationRecord } from './ledger-records';

/**
 * What a first start refused only for the moment is recorded `blocked` by (`blockedBy`), by
 * refusal kind: a start a minute later most likely is not refused, so the sweeper re-drives it
 * (./redrive-blocked). Every other refusal of a first start fails it at once.
 */
export const SSM_BLOCKERS = { throttling: 'ssmThrottled', automationLimit: 'automationLimit' } as const;

/** The `blockedBy` of a first start refused for the moment, or undefined for any other refusal. */
export function ssmBlocker(refusal: StartRefusedError): string | undefined {
  if (refusal.kind === 'throttling' || refusal.kind === 'automationLimit') return SSM_BLOCKERS[refusal.kind];
  return undefined;
}

/**
 * Whether `blockedBy` names an SSM refusal of the moment. A record blocked so was blocked by its
 * first start or by a re-drive of one, each refused: no request with its ClientToken reached SSM.
 */
export function blockedBySsm(blockedBy: string | undefined): boolean {
  return Object.values(SSM_BLOCKERS).some((b) => b === blockedBy);
}

/** Whether an earlier request with the start's ClientToken may have reached SSM. */
export interface EarlierStart {
  /**
   * True on every resume of a record that had entered `started` before this attempt (Lambda's
   * retry, the sweeper's stalled-start resume, the re-drive of a start that had been resumed into
   * `blocked`); false on a first start, whose request is the first with its ClientToken, and on
   * the re-drive of a remediation blocked at its first decision or by SSM's refusal of the moment
   * ({@link blockedBySsm}: every request with its ClientToken was refused).
   */
  readonly mayHaveReachedSsm: boolean;
}

/**
 * How long before the earlier request could have been sent a default version must have been
 * created for the refusal to count. SSM creates a new version before it is made the default (a
 * redeploy updates the document, then its default version), and its clock is not the function's:
 * a request sent in between met the old default although the new version's creation date is
 * earlier.
 */
export const DEFAULT_VERSION_MARGIN_SEC = 5 * 60;

/** What a refusal proves before SSM is asked about the document. */
type RefusalReading =
  /** Nothing runs for the ClientToken: the start fails. */
  | { readonly kind: 'settles' }
  /** The earlier request may have started it: the start stays uncertain, for `doubt`. */
  | { readonly kind: 'doubt'; readonly doubt: string }
  /** The request sent first, refused for itself: settles if its document did not change since. */
  | { readonly kind: 'askDocument'; readonly documentName: string };

const EARLIER = 'an earlier request with the same ClientToken may have started it';

/** What `refusal` of `request` proves without asking SSM anything (see the module comment). */
export function readRefusal(
  refusal: StartRefusedError,
  request: StartAutomationRequest,
  record: RemediationRecord,
  earlier: EarlierStart,
): RefusalReading {
  if (!earlier.mayHaveReachedSsm) return { kind: 'settles' };
  if (refusal.kind !== 'request' && refusal.kind !== 'permission')
    return {
      kind: 'doubt',
      doubt: `${EARLIER}: a refusal of that kind says nothing about the earlier request`,
    };
  if (refusal.kind === 'permission') {
    return {
      kind: 'doubt',
      doubt: `${EARLIER}: SSM refused this function's permission to start it, which a redeploy may have taken away since the earlier request was let through, so that refusal says nothing about the earlier request`,
    };
  }
  if (!sameRequest(request, record)) {
    return {
      kind: 'doubt',
      doubt: `${EARLIER}: this request differs from the one recorded (document ${record.documentName ?? '(none recorded)'} and its parameters; changed since, e.g. by a redeploy), so its refusal says nothing about the earlier request`,
    };
  }
  return { kind: 'askDocument', documentName: request.DocumentName };
}

/**
 * Undefined when the document's default version `found` was created at least
 * {@link DEFAULT_VERSION_MARGIN_SEC} before the earlier request could have been sent, so the
 * earlier request was judged against it too; otherwise why the refusal proves nothing. The
 * earliest that request could have been sent is the record's `createdAtSec`: a record is created
 * `started` just before its first request (or `blocked`, before any), and `stateTimes.started`
 * cannot tell, as each `blocked → started` re-drive overwrites it with a time after the requests
 * sent before it was blocked.
 */
export function documentDoubt(
  documentName: string,
  found: DocumentDefaultVersion,
  record: RemediationRecord,
): string | undefined {
  const sentFromSec = record.createdAtSec;
  if (found.createdAtSec + DEFAULT_VERSION_MARGIN_SEC <= sentFromSec) return undefined;
  return `${EARLIER}: document ${documentName}'s default version ${found.version} was created at ${iso(found.createdAtSec)}, after or less than ${DEFAULT_VERSION_MARGIN_SEC / 60} minutes before the earlier request could have been sent (from ${iso(sentFromSec)}, when remediation ${record.id} was recorded): a redeploy may have changed the document SSM judged this request against, so its refusal says nothing about the earlier request`;
}

/** Why the refusal proves nothing when the document's versions could not be read. */
function unreadDocumentDoubt(documentName: string, error: unknown): string {
  return `${EARLIER}: whether a redeploy changed document ${documentName} since is unknown, as its versions could not be read: ${describeError(error)}; so its refusal says nothing about the earlier request`;
}

/**
 * Undefined when `refusal` proves no automation runs for `request`'s ClientToken (the start
 * fails); otherwise why it does not, for the `startUncertain` reason. Asks `automation` for the
 * document's default version only for a resume's refusal of the request sent first.
 */
export async function refusalDoubt(
  refusal: StartRefusedError,
  request: StartAutomationRequest,
  record: RemediationRecord,
  earlier: EarlierStart,
  automation: Pick<AutomationRunner, 'documentDefaultVersion'>,
): Promise<string | undefined> {
  const reading = readRefusal(refusal, request, record, earlier);
  if (reading.kind === 'settles') return undefined;
  if (reading.kind === 'doubt') return reading.doubt;
  let found: DocumentDefaultVersion;
  try {
    found = await automation.documentDefaultVersion(reading.documentName);
  } catch (error) {
    return unreadDocumentDoubt(reading.documentName, error);
  }
  return documentDoubt(reading.documentName, found, record);
}

/** Whether `request` sends the document and parameters the record kept from the first request. */
function sameRequest(request: StartAutomationRequest, record: RemediationRecord): boolean {
  if (record.documentName !== request.DocumentName || record.parameters === undefined) return false;
  return canonical(record.parameters) === canonical(request.Parameters);
}

function canonical(parameters: Readonly<Record<string, readonly string[]>>): string {
  return JSON.stringify(Object.entries(parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function iso(sec: number): string {
  return new Date(sec * 1000).toISOString();
}
