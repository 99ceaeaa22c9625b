/** Escalator on SNS (the escalation topic) and OpsCenter. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type {
  Escalator,
  Notification,
  OpsItemRequest,
  OpsItemUpdateRequest,
} from '../core/remediation/engine-ports';
import type { OpsCenterItems } from './ops-center';

/** SNS answered without a message id. */
export class MissingMessageIdError extends Error {
  override readonly name = 'MissingMessageIdError';
}

/** Publishes escalations to one topic and opens OpsItems (or adds to an open one). */
export class SnsEscalator implements Escalator {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
    private readonly opsCenter: OpsCenterItems,
  ) {}

  async notify(notification: Notification): Promise<string> {
    const res = await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: notification.subject,
        Message: notification.message,
      }),
    );
    if (res.MessageId === undefined)
      throw new MissingMessageIdError(`Publish to ${this.topicArn} returned no MessageId`);
    return res.MessageId;
  }

  openOpsItem(request: OpsItemRequest) {
    return this.opsCenter.open(request);
  }

  readOpsItem(opsItemId: string) {
    return this.opsCenter.read(opsItemId);
  }

  updateOpsItem(opsItemId: string, update: OpsItemUpdateRequest) {
    return this.opsCenter.update(opsItemId, update);
  }
}
