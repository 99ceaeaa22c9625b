/**
 * Found by review: the alarm rules' event patterns now carry the stack's account and Region
 * (lib/constructs/remediation-engine.ts `home`, lib/constructs/remediation-event-patterns.ts
 * `alarmStatePattern`). bin/app.ts builds an environment-agnostic stack, so at synth those are
 * the tokens `${Token[AWS.AccountId.N]}` (25+ characters) and `${Token[AWS.Region.N]}` (22+),
 * which CloudFormation resolves to a 12-digit account and a Region code of at most 14 characters
 * (`ap-southeast-5`). Counting the token text made a pattern that EventBridge would accept
 * ("Event pattern size", default 2,048 characters:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html) fail synth with a
 * character count ~20 larger than the pattern EventBridge receives; they are measured at their
 * longest deployed lengths instead.
 */
import { describe, expect, it } from 'vitest';
import { RemediationEngine } from '../../lib/constructs/remediation-engine';
import { alarmStatePattern, eventPatternChars } from '../../lib/constructs/remediation-event-patterns';
import { newStack } from './helpers';
import { engineProps } from './remediation-fixtures';

describe('alarm event pattern size in an environment-agnostic stack', () => {
  it('is measured as EventBridge receives it (the resolved account and Region), not as token text', () => {
    const [, , cpu] = engineProps().rules;
    if (cpu === undefined) throw new Error('the example config has fewer than three rules');
    const rules = Array.from({ length: 3 }, (_, i) => ({
      ...cpu,
      id: `metric-${i}`,
      match: { namespace: 'CWAgent', metricName: `app_queue_depth_${i}` },
    }));
    // The longest the deployed ALARM pattern can be: a 12-digit account, a 14-character Region.
    const deployed = eventPatternChars(
      alarmStatePattern(
        rules.map((r) => r.match),
        'ALARM',
        { account: '123456789012', region: 'ap-southeast-5' },
      ),
    );

    // A quota exactly that large accepts every pattern this stack deploys.
    expect(
      () =>
        new RemediationEngine(
          newStack(),
          'Remediation',
          engineProps({ rules, eventPatternMaxChars: deployed }),
        ),
    ).not.toThrow();
  });
});
