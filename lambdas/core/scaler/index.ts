export * from './action-plan';
export * from './apply-actions';
export * from './decision';
export * from './forecast-target';
export * from './pool';
export * from './ports';
export * from './run-cycle';
export * from './scheduled-actions';
