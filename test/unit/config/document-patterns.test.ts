import { describe, expect, it } from 'vitest';
import { parseDocumentPatterns } from '../../../lib/config/document-patterns';
import { ConfigError } from '../../../lib/config/parse';
import { SHIPPED_DOCUMENTS } from '../../../lib/config/remediation-schema';
import {
  documentPatternsOf,
  type RenderedDocument,
  renderShippedDocument,
  shippedDocumentPatterns,
} from '../../../lib/ssm-documents/shipped-documents';

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

  it.each([
    ['i-[0-9a-f]{8,17}', 'no ^ or $'],
    ['^i-[0-9a-f]{8,17}', 'no $'],
    ['i-[0-9a-f]{8,17}$', 'no ^'],
    ['^i-[0-9a-f]{8,17}\\$', 'an escaped $'],
  ])('fails naming a pattern that is not anchored: %s (%s)', (text) => {
    const patterns = rendered();
    const loose = { ...patterns, 'restart-service': { ...patterns['restart-service'], ServiceName: text } };

    expect(problemsOf(loose)).toEqual([
      `restart-service.ServiceName: received ${JSON.stringify(text)}; expected a pattern anchored at both ends (^…$), so it matches the whole value`,
    ]);
  });

  it('accepts a pattern ending in an escaped backslash before $', () => {
    const patterns = rendered();
    const ok = { ...patterns, 'restart-service': { ...patterns['restart-service'], ServiceName: '^a\\\\$' } };

    expect(problemsOf(ok)).toEqual([]);
  });

  it('fails the synth (documentPatternsOf) on a rendered document with a pattern the handlers would refuse', () => {
    const options = { cleanupAllowedPathPrefixes: ['/var/log/app/'] };
    const rendered = Object.fromEntries(
      SHIPPED_DOCUMENTS.map((k) => [k, renderShippedDocument(k, options)]),
    ) as Record<(typeof SHIPPED_DOCUMENTS)[number], RenderedDocument>;
    const restart = rendered['restart-service'];
    const service = restart.parameters.ServiceName;
    if (service === undefined) throw new Error('fixture: restart-service has no ServiceName');
    rendered['restart-service'] = {
      ...restart,
      parameters: { ...restart.parameters, ServiceName: { ...service, allowedPattern: '[a-z]+' } },
    };

    expect(() => documentPatternsOf(rendered)).toThrow(
      /restart-service\.ServiceName: received "\[a-z\]\+"; expected a pattern anchored/,
    );
  });
});
