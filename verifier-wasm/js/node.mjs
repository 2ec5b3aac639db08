// Node ESM entry of @zkpolicy/verifier: loads the WebAssembly module
// synchronously from the package directory, so the functions are ready on import.
import { readFileSync } from 'node:fs';
import { initSync } from './zkpolicy_verifier.js';

initSync({ module: readFileSync(new URL('./zkpolicy_verifier_bg.wasm', import.meta.url)) });

// `init` and `initSync` are no-ops once the module is loaded; they are exported
// so that code written for browsers (`await init()`) runs unchanged.
export {
  default, initSync, verify, loadVerifierKey, VerifierKeyHandle, inspectVerifierKey, inspectProof,
} from './zkpolicy_verifier.js';
