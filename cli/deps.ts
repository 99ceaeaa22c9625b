import { ForecastOptionsError } from '../lambdas/core/forecast/options';
import { selectForecast } from '../lambdas/core/forecast/select';
import { PlannerConfigError } from '../lambdas/core/planning/config';
import { runBacktest, SimulationConfigError } from '../lambdas/core/simulation/backtest';
import { CliUsageError } from './errors';
import { openDynamoDbLedger } from './history-ledger';
import type { CliDeps } from './main';

/**
 * The real forecaster and simulator. Their configuration errors (a trace whose step does not
 * divide an hour, a horizon out of range) are the user's to fix, so they become usage errors.
 */
export const productionDeps: CliDeps = {
  selectForecast: (history, options) => asUsageErrors(() => selectForecast(history, options)),
  runBacktest: ({ series, filledRuns }, settings, onProgress) =>
    asUsageErrors(() =>
      runBacktest(series, {
        targetValue: settings.targetValue,
        filledRuns,
        forecaster: selectForecast,
        warmupSec: settings.warmupSec,
        planner: { blockSec: settings.blockSec },
        planningBound: settings.planningBound,
        reactive: { metricPeriodSec: settings.metricPeriodSec },
        weekendUtcOffsetSec: settings.weekendUtcOffsetSec,
        onProgress: (done, total) => onProgress(total > 0 ? done / total : 1),
      }),
    ),
  openLedger: openDynamoDbLedger,
  openRuleLedger: openDynamoDbLedger,
};

function asUsageErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (
      err instanceof SimulationConfigError ||
      err instanceof PlannerConfigError ||
      err instanceof ForecastOptionsError
    ) {
      throw new CliUsageError(`cannot run: ${err.message}`);
    }
    throw err;
  }
}
