// Shared by the Node tests of @zkpolicy/verifier. They run inside a temporary
// project where the packed tarball is installed (scripts/test-wasm.sh sets it up):
//   ZKP_FIXTURES  directory with MODEL/{MODEL.vk, MODEL.pk, setup.json, approve.proof,
//                 approve.proof.json, approve.input.json, and the same for deny} made
//                 by the CLI (setup.json: `zkpolicy setup --json`; *.input.json: the
//                 request), and simple_velocity/all-private/simple_velocity.vk, the same
//                 model set up with another input visibility; MODEL/approve-bound.proof
//                 (made with `--context @context.bin`) and approve-bound.proof.json (made
//                 with `--context HEX`), the approve request bound to the request context
//                 whose bytes are context.bin and whose hex is context.hex (at the top);
//                 for each of POLICIES and of the hidden-activation networks of
//                 hidden_activations.test.mjs: MODEL/{MODEL.vk, setup.json, approve.proof,
//                 approve.proof.json, deny.proof, deny.proof.json}, default (all-private) keys
//   ZKPOLICY_BIN  the native `zkpolicy` binary (for native/wasm agreement)
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The proof layout (parseProof, encodeProof, header offsets), for the tests that tamper with proofs.
export * from './proof-layout.mjs';

export const MODELS = ['simple_velocity', 'whitelist', 'business_hours'];
export const REQUESTS = ['approve', 'deny'];
/**
 * Tree ensembles and a rule graph (models/trees, models/rules), set up with their README
 * import options, and the decision each request gets: issue 16's "done when" exports (the
 * classifiers decide by the argmax of their class scores, class 1 = approve, the regressors
 * by their score against 0.5; fraud_gbdt is the 100-tree gradient-boosting classifier) and
 * payment_rule (a threshold on the rule's 0/1 output).
 */
export const POLICIES = {
  decision_tree: { approve: '1', deny: '0' },
  decision_tree_regressor: { approve: 'approve', deny: 'deny' },
  random_forest: { approve: '1', deny: '0' },
  random_forest_regressor: { approve: 'approve', deny: 'deny' },
  fraud_gbdt: { approve: '1', deny: '0' },
  gradient_boosting_regressor: { approve: 'approve', deny: 'deny' },
  lightgbm: { approve: '1', deny: '0' },
  xgboost: { approve: 'class 1', deny: 'class 0' },
  payment_rule: { approve: 'approve', deny: 'deny' },
};
/** The tree ensembles among POLICIES (set up with their test set: setup.json reports its fidelity). */
export const TREE_POLICIES = Object.keys(POLICIES).filter((m) => m !== 'payment_rule');
/**
 * The POLICIES whose tampered proofs the tests check in full (the other exports prove with the
 * same Trees layer and SNARK): the 100-tree classifier, an export without class labels, a
 * regressor (one output, a threshold decision) and the rule graph.
 */
export const TAMPERED_POLICIES = ['fraud_gbdt', 'xgboost', 'gradient_boosting_regressor', 'payment_rule'];

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; run the tests through scripts/test-wasm.sh`);
  return v;
}

export const FIXTURES = env('ZKP_FIXTURES');

/** The bytes of a fixture file, e.g. fixture('whitelist', 'approve.proof'). */
export function fixture(model, file) {
  return new Uint8Array(readFileSync(join(FIXTURES, model, file)));
}

export const vkOf = (model) => fixture(model, `${model}.vk`);
export const proofOf = (model, request) => fixture(model, `${request}.proof`);
export const jsonProofOf = (model, request) => readFileSync(join(FIXTURES, model, `${request}.proof.json`), 'utf8');
const readJson = (model, file) => JSON.parse(readFileSync(join(FIXTURES, model, file), 'utf8'));
/** The report `zkpolicy setup --json` printed when it made the model's keys. */
export const setupOf = (model) => readJson(model, 'setup.json');
/** Per input, 'public' or 'private': the visibility `zkpolicy setup` reported for the key. */
export const visibilityOf = (model) => setupOf(model).visibility;
/** The real-valued input of a request, as given to `zkpolicy prove`. */
export const requestInputOf = (model, request) => readJson(model, `${request}.input.json`).input;
/** The openings `zkpolicy prove --blinds-out` wrote for the binary proof (and reused for the JSON one). */
export const openingsOf = (model, request) => readJson(model, `${request}.openings.json`);

/** The request context the fixtures' approve-bound proofs are bound to: its bytes and its hex. */
export const CONTEXT = new Uint8Array(readFileSync(join(FIXTURES, 'context.bin')));
export const CONTEXT_HEX = readFileSync(join(FIXTURES, 'context.hex'), 'utf8').trim();
/** The approve proof of `model` bound to {@link CONTEXT}: binary, and the JSON form. */
export const boundProofOf = (model) => fixture(model, 'approve-bound.proof');
export const boundJsonProofOf = (model) => readFileSync(join(FIXTURES, model, 'approve-bound.proof.json'), 'utf8');

/** A copy of `bytes` with byte `i` XOR `mask`. */
export function flip(bytes, i, mask = 0x01) {
  const out = bytes.slice();
  out[i] ^= mask;
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32), for reproducible garbage. */
export function prng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  return {
    next,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}

/**
 * Runs `zkpolicy verify --json` on the bytes (with `--context HEX` if `contextHex` is given)
 * and returns its report and exit status.
 */
export function nativeVerify(proof, vk, contextHex) {
  const dir = mkdtempSync(join(tmpdir(), 'zkp-native-'));
  const proofPath = join(dir, 'p.proof');
  const vkPath = join(dir, 'k.vk');
  writeFileSync(proofPath, proof);
  writeFileSync(vkPath, vk);
  const args = ['verify', '--vk', vkPath, '--proof', proofPath, '--json'];
  if (contextHex !== undefined) args.push('--context', contextHex);
  const r = spawnSync(env('ZKPOLICY_BIN'), args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  let report = null;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    // I/O and usage errors are reported on stderr only.
  }
  return { status: r.status, report, stderr: r.stderr };
}
