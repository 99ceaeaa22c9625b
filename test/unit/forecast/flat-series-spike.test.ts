import { describe, expect, it } from 'vitest';
import { selectForecast } from '../../../lambdas/core/forecast/select';

const STEP = 300;
const DAY = 288;
/** 2015-01-01T00:00:00Z, a Thursday. */
const START_SEC = 1_420_070_400;

describe('selectForecast of a flat series with one spike on a weekend', () => {
  // A load flat at 100 for
  // 8 days, with one hour at 1,000,000 on Saturday 12:00 (a bad datapoint). The day-type profile's
  // Huber clip is HUBER_K × robust sigma `|| Infinity`: with a median absolute deviation of 0 the
  // clip is infinite, the spike is averaged whole into the weekend profile, and next Saturday is
  // forecast at ~122,500 (trusted). Also true before the day-type profile (weekly profile:
  // ~123,800), so not new today; the doc comment of robustSeasonal promises robustness to spikes.
  it('does not forecast next Saturday from the spike', () => {
    const n = 8 * DAY;
    const values = new Float64Array(n).fill(100);
    const spikeAt = (2 * 86_400 + 12 * 3600) / STEP; // Saturday 2015-01-03 12:00Z
    for (let i = spikeAt; i < spikeAt + 3600 / STEP; i++) values[i] = 1_000_000;

    const f = selectForecast({ startSec: START_SEC, stepSec: STEP, values }, { horizonSteps: 7 * DAY });

    const max = Math.max(...f.point);
    expect(f.trust.trusted).toBe(true);
    expect(max, `model ${f.model}`).toBeLessThan(1000);
  });
});
