// Forges a tampered proof for the web samples (scripts/make-web-samples.sh): the binary
// proof FROM with the public logits of the binary proof DONOR spliced in, everything else
// (header, key digest, context, public inputs, SNARK) kept. The SNARK then no longer
// matches its public values, so every verifier must reject the result.
//
//   node scripts/forge-logits.mjs FROM DONOR OUT
//
// The proof layout is read and written by verifier-wasm/test/proof-layout.mjs, the
// parser the wasm verifier's tests use.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseProof, encodeProof } from '../verifier-wasm/test/proof-layout.mjs';

const [fromPath, donorPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node scripts/forge-logits.mjs FROM DONOR OUT');
  process.exit(2);
}
const from = parseProof(new Uint8Array(readFileSync(fromPath)));
const { logits } = parseProof(new Uint8Array(readFileSync(donorPath)));
if (logits.length === from.logits.length && logits.every((v, i) => v === from.logits[i])) {
  throw new Error(`${fromPath} and ${donorPath} have the same logits: nothing to forge`);
}
writeFileSync(outPath, encodeProof({ ...from, logits }));
