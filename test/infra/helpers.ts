import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import type { AppConfigInput } from '../../lib/config/schema';

/** A fresh app whose stacks skip asset bundling (no esbuild run), as the house style asks. */
export function appWithoutBundling(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

/** A fresh stack in a fresh app, bundling skipped. */
export function newStack(): Stack {
  return new Stack(appWithoutBundling(), 'TestStack');
}

/** A fresh copy of config/example.json (tests may change it freely). */
export function exampleConfig(): AppConfigInput {
  return JSON.parse(readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8'));
}

export const FIXTURE_HANDLER = new URL('fixtures/echo-handler.ts', import.meta.url).pathname;
