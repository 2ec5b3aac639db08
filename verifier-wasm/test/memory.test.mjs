// 1,000 verifications (valid, rejected and throwing; with and without a request context),
// with the key bytes and with a loaded key, and 1,000 keys loaded and freed, do not grow
// the wasm heap or the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify, loadVerifierKey, initSync } from '@zkpolicy/verifier';
import { vkOf, proofOf, boundProofOf, CONTEXT, flip } from './helpers.mjs';

const MiB = 1024 * 1024;

test('1,000 repeated verifications do not grow memory', () => {
  const wasm = initSync(); // the loaded instance's exports
  const vk = vkOf('whitelist');
  const proof = proofOf('whitelist', 'approve');
  const truncated = proof.subarray(0, proof.length - 100);
  const bound = boundProofOf('whitelist');
  const key = loadVerifierKey(vk);
  const round = () => {
    assert.equal(verify(proof, vk).valid, true);
    assert.equal(verify(truncated, vk).code, 'MALFORMED_PROOF');
    assert.equal(verify(flip(vk, 0), vk).code, 'NOT_ZKPOLICY');
    assert.throws(() => verify(proof, 42), TypeError);
    assert.equal(key.verify(proof).valid, true);
    assert.equal(key.verify(truncated).code, 'MALFORMED_PROOF');
    assert.throws(() => key.verify(42), TypeError);
    assert.equal(key.verify(bound, { context: CONTEXT }).valid, true);
    assert.equal(key.verify(bound).code, 'WRONG_CONTEXT');
    assert.throws(() => key.verify(bound, { context: 'not hex' }), TypeError);
    loadVerifierKey(vk).free();
    loadVerifierKey(flip(vk, 0)).free(); // a rejected key
  };
  for (let i = 0; i < 50; i++) round(); // warm up: let the allocator reach its working set
  globalThis.gc?.();
  const heapBefore = wasm.memory.buffer.byteLength;
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < 1000; i++) round();
  globalThis.gc?.();
  const heapAfter = wasm.memory.buffer.byteLength;
  const rssAfter = process.memoryUsage().rss;
  key.free();
  console.log(`wasm memory ${heapBefore / MiB} -> ${heapAfter / MiB} MiB, rss ${(rssBefore / MiB).toFixed(1)} -> ${(rssAfter / MiB).toFixed(1)} MiB`);
  assert.ok(heapAfter - heapBefore <= 1 * MiB, `wasm memory grew from ${heapBefore} to ${heapAfter}`);
  assert.ok(rssAfter - rssBefore <= 48 * MiB, `rss grew by ${((rssAfter - rssBefore) / MiB).toFixed(1)} MiB`);
});
