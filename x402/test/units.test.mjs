// The context derivation, the declaration's parser and the amount's quantization.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundInputs, canonicalJson, CONTEXT_SCHEME, parseInfo, paymentContext, quantizeAtomic, ZkPolicyError } from '@zkpolicy/x402';

const payment = () => ({
  x402Version: 2,
  resource: { url: 'http://127.0.0.1/weather', description: '', mimeType: '' },
  accepted: { scheme: 'exact', network: 'eip155:84532', asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', amount: '50000', payTo: '0x000000000000000000000000000000000000dEaD', maxTimeoutSeconds: 60, extra: { name: 'USDC', version: '2' } },
  payload: {
    signature: '0xabcd',
    authorization: { from: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', to: '0x000000000000000000000000000000000000dEaD', value: '50000', validAfter: '0', validBefore: '9999999999', nonce: `0x${'01'.repeat(32)}` },
  },
  extensions: { zkpolicy: { info: { proof: 'AAAA' } } },
});

const info = () => ({
  version: 1, vk_digest: 'ab'.repeat(32), vk: { source: 'pinned' }, decision: 'approve', scale_bits: 8,
  match: [{ input: 'amount', equals: 'amount', atomic_per_unit: '1000000' }], context: CONTEXT_SCHEME,
});

test('canonicalJson sorts keys at every level and drops undefined members', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: undefined, x: 'x' }], c: null } }), '{"a":{"c":null,"d":[1,{"x":"x","z":0}]},"b":1}');
  assert.throws(() => canonicalJson(() => 0), TypeError);
});

test('paymentContext: 32 bytes, independent of key order, the signature and the extensions', () => {
  const base = paymentContext(payment());
  assert.equal(base.length, 32);
  const p = payment();
  const reordered = { payload: { authorization: Object.fromEntries(Object.entries(p.payload.authorization).reverse()), signature: '0xffff' }, accepted: p.accepted, resource: p.resource, x402Version: 2 };
  assert.deepEqual(paymentContext(reordered), base);
});

test('paymentContext changes with the nonce, the amount, the recipient and the resource', () => {
  const base = paymentContext(payment()).toString('hex');
  const edits = [
    (p) => { p.payload.authorization.nonce = `0x${'02'.repeat(32)}`; },
    (p) => { p.accepted.amount = '50001'; },
    (p) => { p.payload.authorization.value = '1'; },
    (p) => { p.accepted.payTo = '0x000000000000000000000000000000000000bEEF'; },
    (p) => { p.resource.url = 'http://127.0.0.1/other'; },
    (p) => { p.x402Version = 1; },
  ];
  for (const edit of edits) {
    const p = payment();
    edit(p);
    assert.notEqual(paymentContext(p).toString('hex'), base, edit.toString());
  }
  assert.throws(() => paymentContext({ x402Version: 2, payload: {} }), TypeError);
  assert.throws(() => paymentContext({ x402Version: 2, accepted: {}, payload: null }), TypeError);
});

test('parseInfo accepts a declaration and names the field of a bad one', () => {
  assert.deepEqual(parseInfo(info()), info());
  const cases = [
    ['version', (i) => { i.version = 2; }],
    ['vk_digest', (i) => { i.vk_digest = 'AB'.repeat(32); }],
    ['vk', (i) => { i.vk = { source: 'url' }; }],
    ['decision', (i) => { i.decision = ''; }],
    ['scale_bits', (i) => { i.scale_bits = 1.5; }],
    ['match', (i) => { i.match = {}; }],
    ['match[0].input', (i) => { i.match[0].input = 3; }],
    ['match[0].equals', (i) => { i.match[0].equals = 'payTo'; }],
    ['match[0].atomic_per_unit', (i) => { i.match[0].atomic_per_unit = '0'; }],
    ['context', (i) => { i.context = 'sha256(payload)'; }],
  ];
  for (const [field, edit] of cases) {
    const i = info();
    edit(i);
    assert.throws(() => parseInfo(i), (e) => e instanceof ZkPolicyError && e.code === 'ZKPOLICY_BAD_DECLARATION' && e.details.field === field, field);
  }
  assert.throws(() => parseInfo(null), (e) => e.code === 'ZKPOLICY_BAD_DECLARATION');
});

test('quantizeAtomic rounds exactly, halves up; boundInputs gives values on the grid', () => {
  assert.equal(quantizeAtomic('50000', '1000000', 8), 13n); // 0.05 · 256 = 12.8
  assert.equal(quantizeAtomic('1', '2', 0), 1n); // 0.5 → 1
  assert.equal(quantizeAtomic('1', '3', 0), 0n);
  assert.equal(quantizeAtomic('0', '7', 20), 0n);
  assert.equal(quantizeAtomic('123456789012345678901234567890', '1', 0), 123456789012345678901234567890n);
  for (const bad of ['-1', '1.5', '', ' 1', '0x10', 5]) {
    assert.throws(() => quantizeAtomic(bad, '1', 0), (e) => e.code === 'ZKPOLICY_BAD_AMOUNT', String(bad));
  }
  assert.deepEqual(boundInputs(info(), { amount: '50000' }), { amount: 13 / 256 });
  assert.throws(() => boundInputs(info(), { amount: '1'.repeat(30) }), (e) => e.code === 'ZKPOLICY_BAD_AMOUNT');
});
