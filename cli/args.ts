import { parseArgs } from 'node:util';
import { readDecimal } from '../lambdas/core/series/decimal';
import { CliUsageError } from './errors';

/** The option table handed to `node:util` parseArgs; only string and boolean flags are used. */
export type FlagSpec = Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>;

/** Parsed flags: strings for string flags, `true` for boolean flags that were given. */
export type ParsedFlags = Record<string, string | boolean | undefined>;

/**
 * Parses `args` strictly against `spec`: unknown flags, missing values, positionals and a flag
 * given twice are {@link CliUsageError}s naming the command, rather than Node's multi-line
 * messages (or, for a repeated flag, silently keeping the last value).
 */
export function parseFlags(command: string, args: readonly string[], spec: FlagSpec): ParsedFlags {
  const parsed = parseStrict(command, args, spec);
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) {
      throw new CliUsageError(`--${token.name} given twice; give it once (see 'selfheal ${command} --help')`);
    }
    seen.add(token.name);
  }
  return { ...parsed.values };
}

function parseStrict(command: string, args: readonly string[], spec: FlagSpec) {
  try {
    return parseArgs({
      args: joinNegativeValues(args, spec),
      options: spec,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (err) {
    throw new CliUsageError(describeParseError(command, err));
  }
}

/**
 * `--target-value -3` would otherwise be "ambiguous" to parseArgs; joining it into
 * `--target-value=-3` lets the value validator give the real reason (it must be positive).
 */
function joinNegativeValues(args: readonly string[], spec: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && spec[name]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function describeParseError(command: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const help = `see 'selfheal ${command} --help'`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${quoted} for '${command}' (${help})`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `unexpected argument '${quoted}' for '${command}' (${help})`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = quoted.split(' ')[0] ?? quoted;
    return `flag ${flag} needs a value (${help})`;
  }
  return `${message.split('\n')[0] ?? message} (${help})`;
}

/** A string flag's value, or `undefined` when absent. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * A string flag naming a file (or `-`), or `undefined` when absent. A blank value is a usage
 * error: it is an unset shell variable rather than a file, and would otherwise surface as
 * `: no such file`, or (for an output) only when writing it, after the work is done.
 */
export function pathFlag(flags: ParsedFlags, name: string): string | undefined {
  const text = stringFlag(flags, name);
  if (text !== undefined && text.trim() === '') {
    throw new CliUsageError(`--${name} must name a file, got "${text}"`);
  }
  return text;
}

/*
 * Every numeric flag is read with the CSV values' grammar (`readDecimal`) but without exponents:
 * people type `1000`, and `1e3` in a flag is more likely a typo than a wish.
 */
/** A flag that must be a decimal number > 0, e.g. `--target-value`. */
export function positiveNumberFlag(flags: ParsedFlags, name: string): number | undefined {
  const text = stringFlag(flags, name);
  if (text === undefined) return undefined;
  const read = readDecimal(text.trim());
  if (!read.ok || read.value <= 0) {
    throw new CliUsageError(`--${name} must be a positive decimal number, got "${text}"`);
  }
  return read.value;
}

/**
 * A flag that must be a whole decimal number within `[min, max]`, e.g. `--horizon-steps`; `why`,
 * when given, explains the range in the message.
 */
export function integerFlag(
  flags: ParsedFlags,
  name: string,
  min: number,
  max: number,
  why?: string,
): number | undefined {
  const text = stringFlag(flags, name);
  if (text === undefined) return undefined;
  const read = readDecimal(text.trim(), { fraction: false });
  if (!read.ok || read.value < min || read.value > max) {
    const reason = why === undefined ? '' : ` (${why})`;
    throw new CliUsageError(`--${name} must be a whole number from ${min} to ${max}${reason}, got "${text}"`);
  }
  return read.value;
}

/** A flag restricted to a fixed set of words, e.g. `--format json|csv|table`. */
export function choiceFlag<T extends string>(
  flags: ParsedFlags,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = stringFlag(flags, name);
  if (text === undefined) return fallback;
  const found = choices.find((c) => c === text);
  if (found === undefined) {
    throw new CliUsageError(`--${name} must be one of ${choices.join(', ')}, got "${text}"`);
  }
  return found;
}
