// The ESM view of the types: the same declarations as hono.d.ts.
export * from './hono.js';
