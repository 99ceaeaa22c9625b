/**
 * CDK app entry (`cdk.json`: `npx tsx bin/app.ts`). Loads the config named by `-c config=path`
 * (default config/example.json), validates it once, builds the stack and registers cdk-nag.
 * A bad config, whether the schema or a construct refuses it (a document parameter its pattern
 * rejects, a stack name too long for the names derived from it), prints its problems and exits 1
 * without a stack trace; SELFHEAL_DEBUG=1 adds the stack.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app/build-app';
import { CONFIG_CONTEXT_KEY, DEFAULT_CONFIG_FILE, loadAppConfig } from '../lib/app/load-config';
import type { AppConfig } from '../lib/config/schema';

const app = new App();
const context: unknown = app.node.tryGetContext(CONFIG_CONTEXT_KEY);
const configFile =
  typeof context === 'string' && context.trim() !== '' ? context.trim() : DEFAULT_CONFIG_FILE;

try {
  const config: AppConfig = loadAppConfig(configFile);
  buildApp(app, config);
} catch (err) {
  console.error(`selfheal: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.SELFHEAL_DEBUG === '1' && err instanceof Error) console.error(err.stack);
  process.exit(1);
}
