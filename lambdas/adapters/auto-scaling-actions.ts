/** ScalingActuator on Auto Scaling: BatchPut/BatchDelete of scheduled actions, 50 per call. */
import {
  type AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling';
import type { BatchWriteResult, ScalingActuator, ScheduledActionSpec } from '../core/scaler/ports';
import { SCHEDULED_ACTIONS_PER_BATCH } from '../core/scaler/scheduled-actions';

/**
 * Writes scheduled actions; item failures are returned, call failures (after retries) thrown. A
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
      for (const f of res.FailedScheduledUpdateGroupActions ?? []) {
        failed.push({
          name: f.ScheduledActionName ?? '?',
          error: `${f.ErrorCode ?? 'Error'}: ${f.ErrorMessage ?? ''}`,
        });
      }
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
      for (const f of res.FailedScheduledActions ?? []) {
        failed.push({
          name: f.ScheduledActionName ?? '?',
          error: `${f.ErrorCode ?? 'Error'}: ${f.ErrorMessage ?? ''}`,
        });
      }
    }
    return { failed };
  }
}
