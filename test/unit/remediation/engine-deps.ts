/**
 * In-memory engine dependencies for orchestration tests: the in-memory ledger (or any `Ledger`),
 * and fakes for SSM Automation, alarm states, Auto Scaling membership and escalation that record
 * what they were asked and can be told to fail.
 */

import type { AlarmStateValue } from '../../../lambdas/core/remediation/alarm-event';
import type { AutomationStatus } from '../../../lambdas/core/remediation/automation-event';
import type { StartAutomationRequest } from '../../../lambdas/core/remediation/automation-request';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import type {
  AlarmStateReader,
  AutomationExecutionDetails,
  AutomationExecutionRead,
  AutomationRunner,
  DocumentDefaultVersion,
  EngineDeps,
  Escalator,
  GroupMembership,
  Notification,
  OpsItemContent,
  OpsItemRequest,
  OpsItemUpdateRequest,
} from '../../../lambdas/core/remediation/engine-ports';
import type { Evidence } from '../../../lambdas/core/remediation/escalation';
import { claimLeaseSec } from '../../../lambdas/core/remediation/event-claim';
import { parseEvent } from '../../../lambdas/core/remediation/events';
import type { Ledger } from '../../../lambdas/core/remediation/ledger';
import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { alarmOn, automationEvent } from '../../handlers/remediation-setup';
import { configWith, DISK_RULE, ENGINE, NOW_SEC } from './helpers';
import { FakeClock } from './ledger-fixtures';

/**
 * The default version every document has unless a test sets another: version 1, deployed a day
 * before the tests' clock starts, long before any request.
 */
export const DEPLOYED_VERSION: DocumentDefaultVersion = { version: '1', createdAtSec: NOW_SEC - 86_400 };

/**
 * Records starts, status reads, execution reads and document version reads; `fail` makes the next
 * starts throw before reaching SSM, `answerLost` after SSM started the execution (its answer lost
 * in transit), `statusFails` the next status reads, `executionFails` the next execution reads,
 * `versionsFail` the next version reads. Like SSM, one ClientToken gets one execution
 * (`exec-<token>`). A started execution is `InProgress` until a test sets `statuses`, and reads as
 * its status alone until a test sets `executions` (a status read answers with both, as
 * GetAutomationExecution does); a document's default version is
 * {@link DEPLOYED_VERSION} until a test sets `defaultVersions`.
 */
export class FakeAutomation implements AutomationRunner {
  readonly requests: StartAutomationRequest[] = [];
  /** What GetAutomationExecution would answer, by execution id (absent: no such execution). */
  readonly statuses = new Map<string, AutomationStatus>();
  readonly statusReads: string[] = [];
  /** What GetAutomationExecution would answer in full, by execution id (absent: the status alone). */
  readonly executions = new Map<string, AutomationExecutionDetails>();
  readonly executionReads: string[] = [];
  /** Each document's default version, by name (absent: {@link DEPLOYED_VERSION}). */
  readonly defaultVersions = new Map<string, DocumentDefaultVersion>();
  /** The documents whose versions were read, in order. */
  readonly versionReads: string[] = [];
  fail: Error | undefined;
  answerLost: Error | undefined;
  statusFails: Error | undefined;
  executionFails: Error | undefined;
  versionsFail: Error | undefined;
  async start(request: StartAutomationRequest): Promise<string> {
    if (this.fail !== undefined) throw this.fail;
    this.requests.push(request);
    const id = `exec-${request.ClientToken}`;
    if (!this.statuses.has(id)) this.statuses.set(id, 'InProgress');
    if (this.answerLost !== undefined) throw this.answerLost;
    return id;
  }
  async statusOf(executionId: string): Promise<AutomationExecutionRead | undefined> {
    this.statusReads.push(executionId);
    if (this.statusFails !== undefined) throw this.statusFails;
    const status = this.statuses.get(executionId);
    return status === undefined ? undefined : { status, execution: this.answer(executionId, status) };
  }
  async readExecution(executionId: string): Promise<AutomationExecutionDetails | undefined> {
    this.executionReads.push(executionId);
    if (this.executionFails !== undefined) throw this.executionFails;
    const status = this.statuses.get(executionId);
    return (
      this.executions.get(executionId) ??
      (status === undefined ? undefined : { AutomationExecutionStatus: status })
    );
  }
  /** What GetAutomationExecution answers about an execution SSM knows. */
  private answer(executionId: string, status: AutomationStatus): AutomationExecutionDetails {
    return this.executions.get(executionId) ?? { AutomationExecutionStatus: status };
  }
  async documentDefaultVersion(documentName: string): Promise<DocumentDefaultVersion> {
    this.versionReads.push(documentName);
    if (this.versionsFail !== undefined) throw this.versionsFail;
    return this.defaultVersions.get(documentName) ?? DEPLOYED_VERSION;
  }
}

/** Alarm states by name; unknown alarms are in ALARM. */
export class FakeAlarms implements AlarmStateReader {
  readonly states = new Map<string, AlarmStateValue>();
  async stateOf(alarmName: string): Promise<AlarmStateValue | undefined> {
    return this.states.get(alarmName) ?? 'ALARM';
  }
}

/** Instance → group; instances not listed are in no group. */
export class FakeGroups implements GroupMembership {
  readonly groups = new Map<string, { name: string; instancesInService: number }>();
  async groupOf(instanceId: string) {
    return this.groups.get(instanceId);
  }
}

/** The SDK's error once its own retries are spent on a throttled call. */
export function throttled(): Error {
  const error = new Error('Rate exceeded');
  error.name = 'ThrottlingException';
  return error;
}

/**
 * Records notifications and OpsItems; `snsFails` makes publishes throw, `opsItemFails` makes
 * CreateOpsItem calls throw it (each call is recorded in `opsItemRequests` all the same). With
 * `deduplicates`, a request whose `/aws/dedup` string matches an OpsItem created before answers
 * that OpsItem's id, `deduplicated`, as OpsCenter does for an open one; `readOpsItem` and
 * `updateOpsItem` act on the OpsItems kept in `contents` (`updateFails` makes the update throw).
 */
export class FakeEscalator implements Escalator {
  readonly notifications: Notification[] = [];
  /** The OpsItems created, the n-th with id `oi-<n>`. */
  readonly opsItems: OpsItemRequest[] = [];
  /** Every CreateOpsItem request, failed ones included. */
  readonly opsItemRequests: OpsItemRequest[] = [];
  /** Each OpsItem's description and operational data as updates left them, by id. */
  readonly contents = new Map<string, OpsItemContent>();
  /** Every UpdateOpsItem request, failed ones included. */
  readonly updates: { opsItemId: string; update: OpsItemUpdateRequest }[] = [];
  snsFails = false;
  opsItemFails: Error | undefined;
  updateFails: Error | undefined;
  deduplicates = false;
  /** When set, publishes wait for it (to hold a handler in the middle of escalating). */
  gate: Promise<void> | undefined;
  async notify(notification: Notification): Promise<string> {
    await this.gate;
    if (this.snsFails) throw new Error('SNS throttled');
    this.notifications.push(notification);
    return `msg-${this.notifications.length}`;
  }
  async openOpsItem(request: OpsItemRequest) {
    this.opsItemRequests.push(request);
    if (this.opsItemFails !== undefined) throw this.opsItemFails;
    const dedup = request.OperationalData['/aws/dedup']?.Value;
    const open = this.opsItems.findIndex((o) => o.OperationalData['/aws/dedup']?.Value === dedup);
    if (this.deduplicates && open >= 0) return { opsItemId: `oi-${open + 1}`, deduplicated: true };
    this.opsItems.push(request);
    const opsItemId = `oi-${this.opsItems.length}`;
    this.contents.set(opsItemId, {
      Description: request.Description,
      OperationalData: request.OperationalData,
    });
    return { opsItemId, deduplicated: false };
  }
  async readOpsItem(opsItemId: string): Promise<OpsItemContent> {
    const content = this.contents.get(opsItemId);
    if (content === undefined) throw new Error(`no OpsItem ${opsItemId}`);
    return content;
  }
  async updateOpsItem(opsItemId: string, update: OpsItemUpdateRequest): Promise<void> {
    this.updates.push({ opsItemId, update });
    if (this.updateFails !== undefined) throw this.updateFails;
    const before = await this.readOpsItem(opsItemId);
    const data = { ...before.OperationalData, ...update.OperationalData };
    for (const key of update.OperationalDataToDelete ?? []) delete data[key];
    this.contents.set(opsItemId, { Description: update.Description, OperationalData: data });
  }
}

/** The claim lease of the test engine: a 60 s function timeout's. */
export const EVENT_CLAIM_LEASE_SEC = claimLeaseSec(60);

/** Engine dependencies with fakes, the example disk rule in enforce mode unless `rules` is given. */
export interface TestDeps extends EngineDeps {
  readonly clock: FakeClock;
  readonly automation: FakeAutomation;
  readonly alarms: FakeAlarms;
  readonly groups: FakeGroups;
  readonly escalator: FakeEscalator;
}

export function testDeps(
  options: { rules?: readonly object[]; extra?: object; ledger?: (clock: FakeClock) => Ledger } = {},
): TestDeps {
  const clock = new FakeClock(NOW_SEC);
  return {
    ledger: options.ledger?.(clock) ?? new InMemoryLedger(clock, { retentionDays: 7 }),
    automation: new FakeAutomation(),
    alarms: new FakeAlarms(),
    groups: new FakeGroups(),
    escalator: new FakeEscalator(),
    clock,
    config: configWith(options.rules ?? [DISK_RULE], options.extra),
    engine: ENGINE,
    eventClaimLeaseSec: EVENT_CLAIM_LEASE_SEC,
  };
}

/** A parsed disk-full alarm to ALARM (or OK) on `instanceId`, with event id `id`. */
export function alarmOnInstance(id: string, instanceId: string, state: 'ALARM' | 'OK' = 'ALARM') {
  const raw = alarmOn(id, instanceId);
  const parsed = parseEvent(state === 'ALARM' ? raw : toOk(raw));
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** `event` as the state change of another alarm named `alarmName` (its ARN renamed too). */
export function renamedAlarm<E extends { alarmName: string; alarmArn?: string | undefined }>(
  event: E,
  alarmName: string,
): E {
  const alarmArn = event.alarmArn?.replace(/:alarm:.*$/s, `:alarm:${alarmName}`);
  return { ...event, alarmName, ...(alarmArn === undefined ? {} : { alarmArn }) };
}

/** A parsed automation status change of `executionId`. */
export function automationStatus(id: string, status: string, executionId: string) {
  const parsed = parseEvent(automationEvent(id, status, executionId));
  if (parsed.kind !== 'automationStatusChange') throw new Error(`not an automation event: ${id}`);
  return parsed;
}

/** The evidence an escalation's SNS message carries after its summary. */
export function evidenceOf(notification: Notification | undefined): Evidence {
  const message = notification?.message ?? '';
  const at = message.indexOf(EVIDENCE);
  if (at < 0) throw new Error(`no evidence in the message: ${message}`);
  return JSON.parse(message.slice(at + EVIDENCE.length)) as Evidence;
}

const EVIDENCE = 'Evidence:\n';

/** Starts a remediation of `instanceId` for `eventId`, then handles its automation's failure. */
export async function startThenFail(deps: EngineDeps, eventId: string, instanceId: string) {
  const started = await handleAlarmEvent(alarmOnInstance(eventId, instanceId), deps);
  if (started.executionId === undefined) throw new Error(`${eventId} did not start: ${started.reason}`);
  return handleAutomationEvent(automationStatus(`auto-${eventId}`, 'Failed', started.executionId), deps);
}

function toOk(raw: Record<string, unknown>): Record<string, unknown> {
  const detail = raw.detail as { state: object; previousState: object };
  return {
    ...raw,
    detail: {
      ...detail,
      state: { ...detail.state, value: 'OK' },
      previousState: { ...detail.previousState, value: 'ALARM' },
    },
  };
}
