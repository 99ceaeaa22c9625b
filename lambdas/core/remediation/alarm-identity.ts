/**
 * Which alarm an event or a remediation is about. An alarm's identity is its ARN
 * (`arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`), not its name: alarm names are
 * unique only within one account and Region, and a default event bus opened to other accounts
 * delivers their alarms' events to a rule that matches them
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/events/CloudWatchEvents-CrossAccountEventDelivery.html).
 * The engine acts only on the alarms of its own account and Region (its "home"): the stack's
 * EventBridge rules match only those, and an event from elsewhere that reaches a handler anyway is
 * refused ({@link refuseForeignAlarm}).
 */
import type { EngineResult } from './engine-result';

/** The account and Region the engine runs in: the only ones whose alarms it remediates. */
export interface HomeRegion {
  readonly account: string;
  readonly region: string;
}

/** An alarm as an event or a ledger record names it. */
export interface AlarmRef {
  readonly alarmName: string;
  /** Absent on events without `resources` and on records written before the ARN was kept. */
  readonly alarmArn?: string | undefined;
}

// arn:partition:cloudwatch:region:account:alarm:name (the name may itself hold colons).
const ALARM_ARN = /^arn:[^:]+:cloudwatch:([^:]*):(\d{12}):alarm:(.+)$/s;

/** The Region, account and name an alarm ARN carries; undefined for anything else. */
export function parseAlarmArn(
  arn: string,
): { readonly region: string; readonly account: string; readonly name: string } | undefined {
  const m = ALARM_ARN.exec(arn);
  if (m === null) return undefined;
  const [, region = '', account = '', name = ''] = m;
  return { region, account, name };
}

/**
 * Whether `a` and `b` name the same alarm: by ARN when both carry one, else by name. The name
 * alone is enough only because every event is checked to come from the home account and Region
 * first ({@link foreignAlarm}): a record without an ARN (written before it was kept) was opened by
 * a home alarm too, or it predates that check and its alarm's ARN is not known anyway.
 */
export function isSameAlarm(a: AlarmRef, b: AlarmRef): boolean {
  if (a.alarmArn !== undefined && b.alarmArn !== undefined) return a.alarmArn === b.alarmArn;
  return a.alarmName === b.alarmName;
}

/**
 * Why the engine does not act on an alarm event from another account or Region than `home` (its
 * envelope's `account` and `region`, or those of the alarm's ARN in `resources`), or undefined
 * when the event is the home's own.
 */
export function foreignAlarm(
  event: AlarmRef & { readonly account: string; readonly region: string },
  home: HomeRegion,
): string | undefined {
  const arn = event.alarmArn === undefined ? undefined : parseAlarmArn(event.alarmArn);
  const from = [
    { what: 'event', account: event.account, region: event.region },
    ...(arn === undefined ? [] : [{ what: `alarm ARN ${event.alarmArn}`, ...arn }]),
  ];
  const other = from.find((f) => f.account !== home.account || f.region !== home.region);
  if (other === undefined) return undefined;
  return `alarm ${event.alarmName} is in account ${other.account}, Region ${other.region} (${other.what}), not this engine's ${home.account}, ${home.region}: alarms of other accounts and Regions are not remediated`;
}

/**
 * The record of an alarm event from another account or Region (`rejected`: logged at WARN and
 * counted, nothing read or written), or undefined for one of the home's own. Every alarm event
 * passes here before the engine reads or writes anything about its alarm.
 */
export function refuseForeignAlarm(
  event: AlarmRef & { readonly eventId: string; readonly account: string; readonly region: string },
  home: HomeRegion,
): EngineResult | undefined {
  const reason = foreignAlarm(event, home);
  if (reason === undefined) return undefined;
  return { eventId: event.eventId, alarmName: event.alarmName, outcome: 'rejected', reason };
}

/** Whether two alarm ARNs name the same account and Region; true when either is absent or unread. */
export function sameAccountAndRegion(a: string | undefined, b: string | undefined): boolean {
  const x = a === undefined ? undefined : parseAlarmArn(a);
  const y = b === undefined ? undefined : parseAlarmArn(b);
  return x === undefined || y === undefined || (x.account === y.account && x.region === y.region);
}
