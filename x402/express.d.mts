// The ESM view of the types: the same declarations as express.d.ts.
export * from './express.js';
