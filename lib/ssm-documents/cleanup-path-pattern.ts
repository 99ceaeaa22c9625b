/**
 * Renders the cleanup document's path checks from `cleanupAllowedPathPrefixes`, at synth time.
 * Pure: plain strings in, plain strings out.
 */

/** One path segment: no empty segment, no `.` or `..`, no leading, trailing or doubled dots. */
const SEGMENT = '[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*';
const SAFE_PREFIX = new RegExp(`^/(?:${SEGMENT}/)+$`);

/**
 * Checks every allowed prefix and returns them, deduplicated and in order.
 *
 * @throws Error naming each prefix that cannot be rendered safely (the root, `.`/`..` segments,
 *   doubled slashes, characters other than letters, digits, `.`, `_`, `-`)
 */
export function checkCleanupPrefixes(prefixes: readonly string[]): string[] {
  if (prefixes.length === 0) {
    throw new Error(
      'cleanupAllowedPathPrefixes is empty; give at least one directory such as "/var/log/app/"',
    );
  }
  const bad = prefixes.filter((p) => !SAFE_PREFIX.test(p));
  if (bad.length > 0) {
    throw new Error(
      `cleanupAllowedPathPrefixes ${bad.map((p) => JSON.stringify(p)).join(', ')} cannot be rendered into the cleanup document's allowedPattern: each must be an absolute directory below the root ending in /, made of segments of letters, digits, '_', '-' and single inner dots (no "/", ".", "..", "//" or hidden directories), e.g. "/var/log/app/"`,
    );
  }
  return [...new Set(prefixes)];
}

/**
 * The `allowedPattern` of the cleanup document's Directory parameter: the directory starts with
 * one of the prefixes (escaped) and continues with safe segments only, so `..` cannot climb
 * out of it. Example for `['/tmp/']`: `^(?:/tmp/)(?:SEG/)*(?:SEG)?$`.
 */
export function cleanupDirectoryPattern(prefixes: readonly string[]): string {
  const alternatives = checkCleanupPrefixes(prefixes).map(escapeRegExp).join('|');
  return `^(?:${alternatives})(?:${SEGMENT}/)*(?:${SEGMENT})?$`;
}

/** The prefixes as single-quoted shell words, for the on-instance check after `realpath`. */
export function cleanupPrefixesShellWords(prefixes: readonly string[]): string {
  return checkCleanupPrefixes(prefixes)
    .map((p) => `'${p}'`)
    .join(' ');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
