// npm prepack: writes the ESM declarations (*.d.mts) from the CommonJS ones (*.d.ts).
// Both must exist: a .d.mts resolves `@x402/*` to those packages' ESM declarations and a
// .d.ts to their CommonJS ones, and TypeScript treats the two as different types (the
// classes have private members), so one file cannot serve both.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
for (const name of ['index', 'express', 'hono']) {
  const cts = readFileSync(path.join(root, `${name}.d.ts`), 'utf8');
  const mts = cts.replaceAll("from './index.js'", "from './index.mjs'");
  if (name !== 'index' && mts === cts) throw new Error(`${name}.d.ts: no import of './index.js' to point at './index.mjs'`);
  writeFileSync(path.join(root, `${name}.d.mts`), `// Generated from ${name}.d.ts by scripts/esm-types.mjs (npm prepack); do not edit.\n${mts}`);
}
