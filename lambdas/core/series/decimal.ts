/** Which decimal numerals {@link readDecimal} accepts beyond plain digits. */
export interface DecimalOptions {
  /** Accept a power-of-ten exponent (`1.5e-3`, `2E+06`), as exporters write. Default `false`. */
  readonly exponent?: boolean;
  /** Accept a decimal point (`2.5`, `.5`, `5.`). Default `true`; `false` reads whole numbers only. */
  readonly fraction?: boolean;
}

/** A number read by {@link readDecimal}, or why the text is not one. */
export type DecimalResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly problem: 'not-decimal' | 'out-of-range' };

/*
 * One grammar for every number a person or an exporter writes as text: an optional sign, digits
 * with an optional decimal point (`5`, `+5`, `-2.5`, `.5`, `5.`) and, when allowed, an exponent.
 * `Number()` alone would also take `0x10`, `0b1`, `0o7`, `Infinity` and an empty string (as 0).
 */
const WHOLE = String.raw`[+-]?\d+`;
const FRACTION = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)`;
const EXPONENT = String.raw`(?:[eE][+-]?\d+)?`;
/** Compiled once: a long CSV reads every value through one of these. */
const GRAMMARS: Readonly<Record<GrammarKey, RegExp>> = {
  whole: new RegExp(`^${WHOLE}$`),
  'whole+exponent': new RegExp(`^${WHOLE}${EXPONENT}$`),
  fraction: new RegExp(`^${FRACTION}$`),
  'fraction+exponent': new RegExp(`^${FRACTION}${EXPONENT}$`),
};
type GrammarKey = 'whole' | 'whole+exponent' | 'fraction' | 'fraction+exponent';

/**
 * Reads `text` (callers trim it) as a finite decimal number. Another notation (hex, binary,
 * `Infinity`, `1_000`, an exponent when not allowed) is `not-decimal`; a numeral beyond a
 * double's range (`1e999`) is `out-of-range` rather than Infinity.
 */
export function readDecimal(text: string, options: DecimalOptions = {}): DecimalResult {
  const mantissa = options.fraction === false ? 'whole' : 'fraction';
  const key: GrammarKey = options.exponent === true ? `${mantissa}+exponent` : mantissa;
  const grammar = GRAMMARS[key];
  if (!grammar.test(text)) return { ok: false, problem: 'not-decimal' };
  const value = Number(text);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, problem: 'out-of-range' };
}
