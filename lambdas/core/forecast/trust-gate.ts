import type { ModelScore, TrustVerdict } from './types';

/** Less history than this (24 h) gives no daily cycle to learn from: never trusted. */
export const MIN_TRUSTED_HISTORY_SEC = 86_400;

/** History that gives the selector one validation origin: a day of training, then the day. */
const MIN_VALIDATED_HISTORY_HOURS = 48;

/**
 * Highest validation MASE that is trusted: 1.0. MASE is scaled by the in-sample error of repeating
 * the previous day, so above 1.0 the chosen model did worse on this series' own recent history
 * than "same as yesterday" would have done in-sample; such a forecast must not drive scaling.
 */
export const MAX_TRUSTED_MASE = 1.0;

/**
 * Decides whether a forecast may drive scaling, with one sentence saying why (numbers included).
 * `chosen` is the selected model's rolling-origin score, or undefined when none could be validated.
 * Trust needs at least one origin with a MASE: after an all-zero history there is none, and the
 * forecast's skill cannot be judged in any unit.
 */
export function trustVerdict(historySec: number, chosen: ModelScore | undefined): TrustVerdict {
  const hours = historySec / 3600;
  if (historySec < MIN_TRUSTED_HISTORY_SEC) {
    return {
      trusted: false,
      reason: `only ${hours.toFixed(1)} h of history; need at least ${MIN_TRUSTED_HISTORY_SEC / 3600} h before forecasts can drive scaling`,
    };
  }
  if (chosen === undefined || chosen.origins === 0) {
    return {
      trusted: false,
      reason: `${hours.toFixed(1)} h of history leaves no day to validate a model on; need more than ${MIN_VALIDATED_HISTORY_HOURS} h (a validation day after a day of training)`,
    };
  }
  const undefinedOrigins = chosen.maseUndefinedOrigins ?? 0;
  const scored = chosen.origins - undefinedOrigins;
  if (scored <= 0) {
    return {
      trusted: false,
      reason: `model ${chosen.model} has no validation MASE: the history before each of its ${chosen.origins} validation day(s) is all zero, so there is no scale to judge its errors by; need a validation day after non-zero load`,
    };
  }
  if (!Number.isFinite(chosen.mase)) {
    // Not a scale problem: the forecasts themselves overflowed or were not numbers.
    return {
      trusted: false,
      reason: `model ${chosen.model} had validation MASE ${chosen.mase} over ${scored} origin(s), not a finite number: its skill cannot be judged`,
    };
  }
  const others =
    undefinedOrigins === 0
      ? ''
      : ` (not counting ${undefinedOrigins} after an all-zero history: no MASE there)`;
  const verdict = `model ${chosen.model} had validation MASE ${chosen.mase.toFixed(2)} over ${scored} origin(s)${others}`;
  if (chosen.mase > MAX_TRUSTED_MASE) {
    return {
      trusted: false,
      reason: `${verdict}, above the limit of ${MAX_TRUSTED_MASE.toFixed(2)}: worse than repeating the previous day`,
    };
  }
  return { trusted: true, reason: `${verdict}, within the limit of ${MAX_TRUSTED_MASE.toFixed(2)}` };
}
