// Type-checked (tsc, scripts/test-x402.sh), not run: the CommonJS declarations of
// @zkpolicy/x402 (require).
import zk = require('@zkpolicy/x402');
import zkExpress = require('@zkpolicy/x402/express');
import zkHono = require('@zkpolicy/x402/hono');

const policy: zk.ZkPolicy = zk.createZkPolicy({ vk: new Uint8Array(), decision: 'approve' });
const reason: zk.ZkPolicyReason = zk.REASONS.MISSING_PROOF;
const claimed: boolean = policy.claim('00');
const err = new zk.ZkPolicyError('ZKPOLICY_DENIED', 'denied');
console.log(policy.vkDigest, reason, claimed, err.code, typeof zkExpress.zkPolicyPaymentMiddleware, typeof zkHono.zkPolicyPaymentMiddleware);
