/** DescribeScheduledActions, every page: the one paging loop the scaler's Auto Scaling adapters share. */
import {
  type AutoScalingClient,
  DescribeScheduledActionsCommand,
  type DescribeScheduledActionsCommandInput,
  type ScheduledUpdateGroupAction,
} from '@aws-sdk/client-auto-scaling';

/**
 * Each scheduled action DescribeScheduledActions returns for `input`, page after page (following
 * `NextToken` until it is absent or empty), as each page arrives: a caller that throws on an action
 * sends no further call. A `signal` aborts the call in flight (the SDK's `abortSignal`) and stops
 * the next pages.
 */
export async function* describeScheduledActions(
  client: AutoScalingClient,
  input: Omit<DescribeScheduledActionsCommandInput, 'NextToken'>,
  signal?: AbortSignal,
): AsyncGenerator<ScheduledUpdateGroupAction> {
  let nextToken: string | undefined;
  do {
    signal?.throwIfAborted();
    const res = await client.send(new DescribeScheduledActionsCommand({ ...input, NextToken: nextToken }), {
      abortSignal: signal,
    });
    yield* res.ScheduledUpdateGroupActions ?? [];
    nextToken = res.NextToken;
  } while (nextToken !== undefined && nextToken !== '');
}
