/**
 * Loads the SSM Automation documents this project ships (the YAML files next to this module),
 * renders their synth-time placeholders and checks them. Used by the CDK app, and by
 * `selfheal explain` for the parameter patterns the engine checks.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type DocumentPatterns, parseDocumentPatterns } from '../config/document-patterns';
import { SHIPPED_DOCUMENTS, type ShippedDocument } from '../config/remediation-schema';
import {
  checkCleanupPrefixes,
  cleanupDirectoryPattern,
  cleanupPrefixesShellWords,
} from './cleanup-path-pattern';

/** A document parameter as the loader sees it. */
export interface DocumentParameter {
  readonly type: string;
  readonly allowedPattern: string;
  /** True when the document gives a default (the parameter may be left out). */
  readonly hasDefault: boolean;
}

/** A shipped document ready to deploy. */
export interface RenderedDocument {
  readonly key: ShippedDocument;
  /** The YAML text, placeholders replaced. */
  readonly yaml: string;
  /** The same document parsed (what CloudFormation's `Content` takes; DocumentFormat YAML keeps it YAML in SSM). */
  readonly content: Readonly<Record<string, unknown>>;
  readonly parameters: Readonly<Record<string, DocumentParameter>>;
}

/** What the placeholders are rendered from. */
export interface RenderOptions {
  /** Directories the cleanup document may touch (`remediation.cleanupAllowedPathPrefixes`). */
  readonly cleanupAllowedPathPrefixes: readonly string[];
  /**
   * Directory holding the YAML files (a bundled CLI is not next to them).
   * @default - this module's directory, `lib/ssm-documents/`
   */
  readonly directory?: URL;
}

/** Parameter every shipped document declares; the engine sets it, never a rule. */
export const ASSUME_ROLE_PARAMETER = 'AutomationAssumeRole';

const PLACEHOLDER = /%%([A-Z_]+)%%/g;
const QUOTED_PLACEHOLDER = /(["'])%%([A-Z_]+)%%\1/g;

/** Absolute path of a shipped document's YAML file, in `directory` (default: next to this module). */
export function shippedDocumentFile(key: ShippedDocument, directory = new URL('./', import.meta.url)): URL {
  return new URL(`./${key}.yaml`, directory);
}

/**
 * Reads one shipped document, replaces its `%%NAME%%` placeholders and checks it: schema 0.3,
 * an `AutomationAssumeRole` parameter, an `allowedPattern` on every parameter.
 *
 * @throws Error when a prefix cannot be rendered, a placeholder is left, or a check fails
 */
export function renderShippedDocument(key: ShippedDocument, options: RenderOptions): RenderedDocument {
  const { cleanupAllowedPathPrefixes: prefixes } = options;
  // Whole quoted scalars (`"%%NAME%%"`, either quote style) become JSON strings, which YAML
  // reads as double-quoted scalars with any backslash intact; other placeholders are raw text.
  const scalars: Record<string, () => string> = {
    DIRECTORY_PATTERN: () => cleanupDirectoryPattern(prefixes),
  };
  const texts: Record<string, () => string> = {
    ALLOWED_PREFIXES_SHELL: () => cleanupPrefixesShellWords(prefixes),
    ALLOWED_PREFIXES_LIST: () => checkCleanupPrefixes(prefixes).join(', '),
  };
  const file = shippedDocumentFile(key, options.directory);
  const raw = readFileSync(file, 'utf8');
  const content = raw
    .replace(QUOTED_PLACEHOLDER, (whole, _quote: string, name: string) => {
      const render = scalars[name];
      return render === undefined ? whole : JSON.stringify(render());
    })
    .replace(PLACEHOLDER, (whole, name: string) => {
      const render = texts[name];
      if (render === undefined)
        throw new Error(`shipped document ${key}: unknown or misplaced placeholder ${whole}`);
      return render();
    });
  const parsed: unknown = parse(content);
  const parameters = checkDocument(key, file, parsed);
  return { key, yaml: content, content: isRecord(parsed) ? parsed : {}, parameters };
}

function checkDocument(key: ShippedDocument, file: URL, doc: unknown): Record<string, DocumentParameter> {
  const fail = (problem: string): never => {
    throw new Error(`shipped document ${key} (${file.pathname}): ${problem}`);
  };
  if (!isRecord(doc) || doc.schemaVersion !== '0.3')
    fail("expected an Automation document with schemaVersion '0.3'");
  const params = isRecord(doc) && isRecord(doc.parameters) ? doc.parameters : {};
  const result: Record<string, DocumentParameter> = {};
  for (const [name, spec] of Object.entries(params)) {
    if (!isRecord(spec) || typeof spec.allowedPattern !== 'string' || typeof spec.type !== 'string') {
      return fail(`parameter ${name} needs a type and an allowedPattern`);
    }
    try {
      new RegExp(spec.allowedPattern);
    } catch {
      fail(
        `parameter ${name}: allowedPattern ${JSON.stringify(spec.allowedPattern)} is not a regular expression`,
      );
    }
    result[name] = { type: spec.type, allowedPattern: spec.allowedPattern, hasDefault: 'default' in spec };
  }
  if (result[ASSUME_ROLE_PARAMETER] === undefined) fail(`missing the ${ASSUME_ROLE_PARAMETER} parameter`);
  return result;
}

/**
 * Each rendered document's parameter patterns, as the remediation handlers get them bundled,
 * validated as the handlers validate them at cold start, so a pattern they would refuse (e.g. one
 * not anchored) fails the synth and `explain` instead.
 */
export function documentPatternsOf(
  rendered: Readonly<Record<ShippedDocument, RenderedDocument>>,
): DocumentPatterns {
  const patterns = {} as Record<ShippedDocument, Record<string, string>>;
  for (const key of SHIPPED_DOCUMENTS) {
    patterns[key] = Object.fromEntries(
      Object.entries(rendered[key].parameters).map(([name, p]) => [name, p.allowedPattern]),
    );
  }
  return parseDocumentPatterns(patterns, 'lib/ssm-documents (parameter patterns)');
}

/** Renders every shipped document, by key (what `explain` checks rules and values with). */
export function renderShippedDocuments(options: RenderOptions): Record<ShippedDocument, RenderedDocument> {
  const rendered = {} as Record<ShippedDocument, RenderedDocument>;
  for (const key of SHIPPED_DOCUMENTS) rendered[key] = renderShippedDocument(key, options);
  return rendered;
}

/** Renders every shipped document and returns their parameter patterns (what the handlers check with). */
export function shippedDocumentPatterns(options: RenderOptions): DocumentPatterns {
  return documentPatternsOf(renderShippedDocuments(options));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
