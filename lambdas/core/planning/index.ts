export * from './config';
export * from './plan';
export * from './planning-bound';
export * from './types';
