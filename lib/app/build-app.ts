import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AppConfig } from '../config/schema';
import { SelfhealStack } from '../stacks/selfheal-stack';

/** What {@link buildApp} adds to the app. */
export interface BuiltApp {
  readonly stack: SelfhealStack;
  /** The cdk-nag pack registered on the app (tests call `validateScope(app)` on it). */
  readonly nag: AwsSolutionsChecks;
}

/**
 * Adds the selfheal stack (named `config.stackName`) to the app and registers cdk-nag's
 * AWS Solutions checks, so any unacknowledged finding fails synthesis.
 */
export function buildApp(app: App, config: AppConfig): BuiltApp {
  const stack = new SelfhealStack(app, config.stackName, {
    config,
    description: 'selfheal: predictive scaling for Auto Scaling groups',
  });
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { stack, nag };
}
