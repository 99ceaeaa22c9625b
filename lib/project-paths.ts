import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (bundling's project root: esbuild runs from here). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The npm lock file NodejsFunction reads to pick the package manager. */
export const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));

/** Entry of the forecaster Lambda. */
export const FORECASTER_ENTRY = fileURLToPath(new URL('../lambdas/forecaster/handler.ts', import.meta.url));

/** Entry of the remediation alarm handler (alarm state changes to ALARM). */
export const REMEDIATION_ALARM_ENTRY = fileURLToPath(
  new URL('../lambdas/remediation-alarm/handler.ts', import.meta.url),
);

/** Entry of the remediation verification handler (automation status changes, alarms back to OK). */
export const REMEDIATION_VERIFY_ENTRY = fileURLToPath(
  new URL('../lambdas/remediation-verify/handler.ts', import.meta.url),
);

/** Entry of the remediation deadline sweeper (every minute). */
export const REMEDIATION_SWEEPER_ENTRY = fileURLToPath(
  new URL('../lambdas/remediation-sweeper/handler.ts', import.meta.url),
);
