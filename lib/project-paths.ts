import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (bundling's project root: esbuild runs from here). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The npm lock file NodejsFunction reads to pick the package manager. */
export const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));

/** Entry of the forecaster Lambda. */
export const FORECASTER_ENTRY = fileURLToPath(new URL('../lambdas/forecaster/handler.ts', import.meta.url));
