import { describe, expect, it } from 'vitest';
import { checkRuleParameters } from '../../../lib/ssm-documents/check-rule-parameters';
import type { RenderedDocument } from '../../../lib/ssm-documents/shipped-documents';
import { configWith, DISK_RULE } from '../remediation/helpers';

/** The cleanup document with its parameters' patterns replaced. */
function cleanupWith(patterns: Record<string, string>): RenderedDocument {
  const parameters = Object.fromEntries(
    Object.entries(patterns).map(([name, allowedPattern]) => [
      name,
      { type: 'String', allowedPattern, hasDefault: false },
    ]),
  );
  return { key: 'cleanup-directory', yaml: '', content: {}, parameters };
}

const rule = (parameters: Record<string, string>) =>
  configWith([{ ...DISK_RULE, parameters: { InstanceId: '{{resourceId}}', ...parameters } }]).rules[0];

describe('checkRuleParameters', () => {
  const doc = cleanupWith({
    InstanceId: '^i-[0-9a-f]+$',
    Directory: '^/var/log/app/|/tmp/$',
    OlderThanDays: '^[1-9][0-9]{0,2}$',
  });

  it('accepts literal values each pattern matches whole, and leaves template values to run time', () => {
    const checked = rule({ Directory: '/tmp/', OlderThanDays: '7' });
    if (checked === undefined) throw new Error('no rule');

    expect(checkRuleParameters(checked, doc)).toEqual([]);
  });

  it.each([
    ['OlderThanDays', '7; rm -rf /'],
    // `^a|b$` would match these as a substring test: each branch is anchored at one end only.
    ['Directory', '/var/log/app/../../etc/'],
    ['Directory', '/etc/x/tmp/'],
  ])('fails when %s is %j, which the pattern matches only in part', (name, value) => {
    const checked = rule({ Directory: '/tmp/', OlderThanDays: '7', [name]: value });
    if (checked === undefined) throw new Error('no rule');

    expect(checkRuleParameters(checked, doc)).toEqual([
      `rule ${checked.id} (document cleanup-directory): parameter ${name} received ${JSON.stringify(value)}, which the document's allowedPattern ${doc.parameters[name]?.allowedPattern} rejects`,
    ]);
  });
});
