/** ScalingActuator on Auto Scaling: BatchPut/BatchDelete of scheduled actions, 50 per call. */
import {
  type AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  type FailedScheduledUpdateGroupActionRequest,
} from '@aws-sdk/client-auto-scaling';
import type { BatchWriteResult, ScalingActuator, ScheduledActionSpec } from '../core/scaler/ports';
import { SCHEDULED_ACTIONS_PER_BATCH } from '../core/scaler/scheduled-actions';
import { describeScheduledActions } from './scheduled-action-pages';

/**
 * Writes scheduled actions; item failures are returned, call failures (after retries) thrown. A
 * delete that failed for an action the group no longer holds counts as done, not as a failure. A
 * `signal` aborts the call in flight (the SDK's `abortSignal`) and stops the next batches.
 */
export class AutoScalingActions implements ScalingActuator {
  constructor(private readonly client: AutoScalingClient) {}

  async putScheduledActions(
    groupName: string,
    actions: readonly ScheduledActionSpec[],
    signal?: AbortSignal,
  ): Promise<BatchWriteResult> {
    const failed: Array<{ name: string; error: string }> = [];
    for (let i = 0; i < actions.length; i += SCHEDULED_ACTIONS_PER_BATCH) {
      signal?.throwIfAborted();
      const res = await this.client.send(
        new BatchPutScheduledUpdateGroupActionCommand({
          AutoScalingGroupName: groupName,
          ScheduledUpdateGroupActions: actions.slice(i, i + SCHEDULED_ACTIONS_PER_BATCH).map((a) => ({
            ScheduledActionName: a.name,
            StartTime: new Date(a.startTimeSec * 1000),
            MinSize: a.minSize,
            ...(a.maxSize === undefined ? {} : { MaxSize: a.maxSize }),
          })),
        }),
        { abortSignal: signal },
      );
      failed.push(...itemFailures(res.FailedScheduledUpdateGroupActions));
    }
    return { failed };
  }

  async deleteScheduledActions(
    groupName: string,
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<BatchWriteResult> {
    const failed: Array<{ name: string; error: string }> = [];
    for (let i = 0; i < names.length; i += SCHEDULED_ACTIONS_PER_BATCH) {
      signal?.throwIfAborted();
      const res = await this.client.send(
        new BatchDeleteScheduledActionCommand({
          AutoScalingGroupName: groupName,
          ScheduledActionNames: names.slice(i, i + SCHEDULED_ACTIONS_PER_BATCH),
        }),
        { abortSignal: signal },
      );
      failed.push(...(await this.stillThere(groupName, itemFailures(res.FailedScheduledActions), signal)));
    }
    return { failed };
  }

  /**
   * The failed deletes whose action the group still holds. Auto Scaling removes a one-time action
   * once it has run (up to two minutes after its start time), and the SDK re-sends a delete whose
   * answer timed out: a delete of a name that is gone fails ("Scheduled action name not found"),
   * yet what it asked for holds. Asks the group again rather than matching the error's text.
   */
  private async stillThere(
    groupName: string,
    failed: ReadonlyArray<{ name: string; error: string }>,
    signal?: AbortSignal,
  ): Promise<Array<{ name: string; error: string }>> {
    if (failed.length === 0) return [];
    const listed = new Set<string>();
    // At most one batch's names (50), as the call allows.
    const input = { AutoScalingGroupName: groupName, ScheduledActionNames: failed.map((f) => f.name) };
    for await (const a of describeScheduledActions(this.client, input, signal)) {
      if (a.ScheduledActionName !== undefined) listed.add(a.ScheduledActionName);
    }
    return failed.filter((f) => listed.has(f.name));
  }
}

/** A batch call's failed items (BatchPut's and BatchDelete's share this shape) as `name` and `Code: message`. */
function itemFailures(
  items: ReadonlyArray<FailedScheduledUpdateGroupActionRequest> | undefined,
): Array<{ name: string; error: string }> {
  return (items ?? []).map((f) => ({
    name: f.ScheduledActionName ?? '?',
    error: `${f.ErrorCode ?? 'Error'}: ${f.ErrorMessage ?? ''}`,
  }));
}
