/** Reactive remediation's pure core: event parsing, rule matching, guardrails and the decision. */
export * from './actions-off';
export * from './automation-request';
export * from './decide';
export * from './decision';
export * from './events';
export * from './guardrails';
export * from './match';
export * from './template';
export * from './unresolved-resource';
