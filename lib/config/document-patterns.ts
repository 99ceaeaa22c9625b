/**
 * The `allowedPattern` of every parameter of every shipped SSM document, as rendered at synth
 * (the cleanup document's Directory pattern is built from `cleanupAllowedPathPrefixes`). The CDK
 * app bundles it next to each remediation handler, as it bundles the configuration, and the
 * engine checks the parameters it resolved from an alarm against it before starting anything;
 * `selfheal explain` renders the same documents from `lib/ssm-documents/`.
 */
import * as z from 'zod';
import { ConfigError, formatIssues } from './parse';
import { SHIPPED_DOCUMENTS, type ShippedDocument } from './remediation-schema';

/** Shipped document key → parameter name → allowedPattern (a JavaScript-compatible regular expression). */
export type DocumentPatterns = Readonly<Record<ShippedDocument, Readonly<Record<string, string>>>>;

/**
 * A pattern must be anchored (`^…$`), as every shipped document writes them. The checks match the
 * whole value anyway ({@link allowedPatternRegExp}); an unanchored one means a document was edited
 * without that in mind.
 */
const pattern = z
  .string()
  .refine(compiles, { message: 'expected a regular expression', abort: true })
  .refine(anchored, 'expected a pattern anchored at both ends (^…$), so it matches the whole value');

/** Every shipped document must be present: a missing one would leave its starts unchecked. */
export const documentPatternsSchema = z.record(
  z.enum(SHIPPED_DOCUMENTS),
  z.record(z.string().min(1), pattern),
);

/**
 * Validates the bundled patterns (parsed JSON).
 *
 * @throws ConfigError naming each problem (field, value received, what is allowed) and `source`
 */
export function parseDocumentPatterns(raw: unknown, source: string): DocumentPatterns {
  const result = documentPatternsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(source, formatIssues(result.error.issues, raw));
}

/**
 * An `allowedPattern` as a test of the whole value, as SSM applies it: `RegExp.test` alone matches
 * any substring (`i-[0-9a-f]+` would pass `i-0abc; rm -rf /`), and an alternation such as `^a|b$`
 * leaves each branch anchored at one end only. The synth's check of a rule's literal values and
 * the engine's check of the values it resolves from an alarm both match through this.
 */
export function allowedPatternRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function compiles(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/** Starts with `^` and ends with an unescaped `$`. */
function anchored(text: string): boolean {
  return text.startsWith('^') && /(^|[^\\])(\\\\)*\$$/.test(text);
}
