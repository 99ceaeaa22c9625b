import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';

const example = JSON.parse(readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8'));

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseAppConfig(raw, 'test.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

// Review finding: alarmTopicArn accepts a FIFO topic (`(\.fifo)?` in lib/config/schema.ts). A FIFO
// topic needs a message group ID on every publish, which a CloudWatch alarm action does not send,
// and it delivers only to SQS queues (no e-mail, SMS, HTTP(S) or chat endpoint), so every alarm
// of the stack would deploy with an action that pages no one.
describe('alarmTopicArn (review)', () => {
  it('fails when alarmTopicArn is a FIFO topic, which alarm actions cannot notify', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts.fifo';
    expect(problemsOf({ ...example, alarmTopicArn: arn }).join('\n')).toContain(
      'alarmTopicArn: received "arn:aws:sns:eu-west-1:123456789012:ops-alerts.fifo"',
    );
  });
});
