/**
 * CDK app entry (`cdk.json`: `npx tsx bin/app.ts`). Loads the config named by `-c config=path`
 * (default config/example.json), validates it once, builds the stack and registers cdk-nag.
 * A bad config prints every problem and exits 1, without a stack trace.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app/build-app';
import { CONFIG_CONTEXT_KEY, DEFAULT_CONFIG_FILE, loadAppConfig } from '../lib/app/load-config';
import type { AppConfig } from '../lib/config/schema';

const app = new App();
const context: unknown = app.node.tryGetContext(CONFIG_CONTEXT_KEY);
const configFile =
  typeof context === 'string' && context.trim() !== '' ? context.trim() : DEFAULT_CONFIG_FILE;

let config: AppConfig;
try {
  config = loadAppConfig(configFile);
} catch (err) {
  console.error(`selfheal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
buildApp(app, config);
