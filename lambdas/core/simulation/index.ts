export * from './alarm-datapoints';
export * from './backtest';
export * from './frontier';
export * from './outcome';
export * from './predictive-floor';
export * from './target-tracking';
export * from './types';
