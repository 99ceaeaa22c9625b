export * from './backtest';
export * from './frontier';
export * from './outcome';
export * from './planning-bound';
export * from './predictive-floor';
export * from './target-tracking';
export * from './types';
