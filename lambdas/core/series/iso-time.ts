/** Epoch seconds as ISO 8601 UTC without milliseconds, e.g. `2014-04-10T00:05:00Z`. */
export function isoUtc(tSec: number): string {
  return new Date(Math.round(tSec) * 1000).toISOString().replace('.000Z', 'Z');
}
