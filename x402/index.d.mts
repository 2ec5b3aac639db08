// The ESM view of the types: the same declarations as index.d.ts.
export * from './index.js';
