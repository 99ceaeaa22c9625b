export * from './csv';
export * from './decimal';
export * from './iso-time';
export * from './regularize';
export * from './resample';
export * from './types';
export * from './zero-fill';
