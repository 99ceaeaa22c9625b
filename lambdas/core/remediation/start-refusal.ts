/**
 * What SSM's refusal of a start proves (./engine-start). A refusal (./engine-ports
 * `StartRefusedError`: every attempt answered HTTP 4xx) proves only that this call started
 * nothing. A first start sent no earlier request with its ClientToken, so nothing runs: the start
 * fails and gives its holds back. A resume sends the ClientToken of an earlier request that may
 * have reached SSM (it got no certain answer, or its starter died inside the call), so its refusal
 * settles the start only if the earlier request was refused too:
 * - a transient refusal (throttling, the concurrent-executions limit, the caller's credentials, or
 *   an error the adapter does not know) depends on when the request was sent, and is most likely
 *   under the very stress that left the earlier answer uncertain: it proves nothing about the
 *   earlier request, so the start stays uncertain (./engine-start-uncertain);
 * - a refusal of the request itself (its document not found, its parameters invalid, no permission
 *   to start it) is what the earlier request got as well, as long as it was the same request: the
 *   record keeps the document and parameters sent first, and a resume whose request differs (a
 *   redeploy changed the document name or the automation role since) proves nothing either, as SSM
 *   may judge the new request before it looks at the ClientToken. A redeploy that changes only the
 *   function's permissions could still make the first request pass and the resume be denied; such
 *   a deploy has to leave no start in flight.
 */
import type { StartAutomationRequest } from './automation-request';
import type { StartRefusedError } from './engine-ports';
import type { RemediationRecord } from './ledger-records';

/** Whether an earlier request with the start's ClientToken may have reached SSM. */
export interface EarlierStart {
  /**
   * True on every resume of a record that had entered `started` before this attempt (Lambda's
   * retry, the sweeper's stalled-start resume, the re-drive of a start that had been resumed into
   * `blocked`); false on a first start, whose request is the first with its ClientToken.
   */
  readonly mayHaveReachedSsm: boolean;
}

/**
 * Undefined when `refusal` proves no automation runs for `request`'s ClientToken (the start
 * fails); otherwise why it does not, for the `startUncertain` reason.
 */
export function refusalDoubt(
  refusal: StartRefusedError,
  request: StartAutomationRequest,
  record: RemediationRecord,
  earlier: EarlierStart,
): string | undefined {
  if (!earlier.mayHaveReachedSsm) return undefined;
  const earlierRequest = 'an earlier request with the same ClientToken may have started it';
  if (refusal.transient)
    return `${earlierRequest}: a refusal of that kind says nothing about the earlier request`;
  if (!sameRequest(request, record)) {
    return `${earlierRequest}: this request differs from the one recorded (document ${record.documentName ?? '(none recorded)'} and its parameters; changed since, e.g. by a redeploy), so its refusal says nothing about the earlier request`;
  }
  return undefined;
}

/** Whether `request` sends the document and parameters the record kept from the first request. */
function sameRequest(request: StartAutomationRequest, record: RemediationRecord): boolean {
  if (record.documentName !== request.DocumentName || record.parameters === undefined) return false;
  return canonical(record.parameters) === canonical(request.Parameters);
}

function canonical(parameters: Readonly<Record<string, readonly string[]>>): string {
  return JSON.stringify(Object.entries(parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
