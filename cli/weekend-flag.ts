import { readDecimal } from '../lambdas/core/series/decimal';
import { WEEKEND_UTC_OFFSET_HOURS } from '../lib/config/schema';
import { type ParsedFlags, stringFlag } from './args';
import { CliUsageError } from './errors';

/** The flag that places the series' weekend, as a target's `weekendUtcOffsetHours` does. */
export const WEEKEND_FLAG = 'weekend-utc-offset-hours';

/**
 * `--weekend-utc-offset-hours` in seconds (`ForecastOptions.weekendUtcOffsetSec`): hours from −12
 * to 14 in quarter hours, as the config takes them; 0 (the weekend of UTC) when absent.
 */
export function weekendOffsetSecFlag(flags: ParsedFlags): number {
  const text = stringFlag(flags, WEEKEND_FLAG);
  if (text === undefined) return 0;
  const read = readDecimal(text.trim());
  const { min, max, multipleOf } = WEEKEND_UTC_OFFSET_HOURS;
  if (!read.ok || read.value < min || read.value > max || !Number.isInteger(read.value / multipleOf)) {
    throw new CliUsageError(
      `--${WEEKEND_FLAG} must be a UTC offset in hours from ${min} to ${max} in quarter hours (9 for Tokyo; a negative one as --${WEEKEND_FLAG}=-8), got "${text}"`,
    );
  }
  return read.value * 3600;
}
