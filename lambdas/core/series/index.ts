export * from './csv';
export * from './regularize';
export * from './resample';
export * from './types';
