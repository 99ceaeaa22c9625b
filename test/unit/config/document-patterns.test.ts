import { describe, expect, it } from 'vitest';
import { parseDocumentPatterns } from '../../../lib/config/document-patterns';
import { ConfigError } from '../../../lib/config/parse';
import { shippedDocumentPatterns } from '../../../lib/ssm-documents/shipped-documents';

const rendered = () => shippedDocumentPatterns({ cleanupAllowedPathPrefixes: ['/var/log/app/'] });

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseDocumentPatterns(raw, 'patterns.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseDocumentPatterns', () => {
  it('reads back what the synth renders from the shipped YAML', () => {
    const patterns = rendered();

    expect(parseDocumentPatterns(JSON.parse(JSON.stringify(patterns)), 'patterns.json')).toEqual(patterns);
    expect(patterns['cleanup-directory']).toMatchObject({ OlderThanDays: '^[1-9][0-9]{0,2}$' });
  });

  it('fails naming a shipped document that is missing (its starts would go unchecked)', () => {
    const { 'restart-service': _dropped, ...rest } = rendered();

    expect(problemsOf(rest)).toEqual(['restart-service: missing; required (record)']);
  });

  it('fails naming a pattern that is not a regular expression', () => {
    const patterns = rendered();
    const broken = { ...patterns, 'restart-service': { ...patterns['restart-service'], ServiceName: '([' } };

    expect(problemsOf(broken)).toEqual([
      'restart-service.ServiceName: received "(["; expected a regular expression',
    ]);
  });
});
