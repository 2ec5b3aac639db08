// A facilitator on loopback, built from @x402/core's x402Facilitator with one scheme:
// `exact` on EVM with an EIP-3009 authorization. It verifies the payment for real (the
// payer's EIP-712 signature with viem, the recipient, the amount, the validity window,
// and that the nonce was not used before), but it has no chain: its settle step
// records the nonce and says in its response that nothing was settled on-chain.
import { createServer } from 'node:http';
import { x402Facilitator } from '@x402/core/facilitator';
import { authorizationTypes, isEIP3009Payload } from '@x402/evm';
import { getAddress, verifyTypedData } from 'viem';

export const NETWORK = 'eip155:84532';
const MAX_BODY = 256 * 1024;

/** `exact` EIP-3009 payments, checked as the chain would check them, without a chain. */
class LoopbackExactEvm {
  scheme = 'exact';
  caipFamily = 'eip155:*';
  /** Nonces already settled (the token contract refuses a used nonce). */
  usedNonces = new Set();

  getExtra() {
    return undefined;
  }

  getSigners() {
    return [];
  }

  async verify(payload, requirements) {
    const refuse = (invalidReason, invalidMessage, payer) => ({ isValid: false, invalidReason, invalidMessage, payer });
    const p = payload.payload;
    if (!isEIP3009Payload(p)) return refuse('unsupported_payload', 'only EIP-3009 authorizations are accepted here');
    const auth = p.authorization;
    const payer = auth.from;
    if (payload.accepted.network !== requirements.network) return refuse('network_mismatch', undefined, payer);
    const { name, version } = requirements.extra ?? {};
    if (!name || !version) return refuse('missing_eip712_domain', undefined, payer);
    const chainId = Number(requirements.network.split(':')[1]);
    let signatureOk;
    try {
      signatureOk = await verifyTypedData({
        address: getAddress(payer),
        domain: { name, version, chainId, verifyingContract: getAddress(requirements.asset) },
        types: authorizationTypes,
        primaryType: 'TransferWithAuthorization',
        message: {
          from: auth.from,
          to: auth.to,
          value: BigInt(auth.value),
          validAfter: BigInt(auth.validAfter),
          validBefore: BigInt(auth.validBefore),
          nonce: auth.nonce,
        },
        signature: p.signature,
      });
    } catch (error) {
      return refuse('invalid_signature', error.message, payer);
    }
    if (!signatureOk) return refuse('invalid_signature', 'the EIP-712 signature is not the payer\'s', payer);
    if (getAddress(auth.to) !== getAddress(requirements.payTo)) return refuse('recipient_mismatch', undefined, payer);
    if (BigInt(auth.value) !== BigInt(requirements.amount)) return refuse('value_mismatch', undefined, payer);
    const now = BigInt(Math.floor(Date.now() / 1000));
    if (BigInt(auth.validBefore) < now + 6n) return refuse('valid_before_expired', undefined, payer);
    if (BigInt(auth.validAfter) > now) return refuse('valid_after_in_future', undefined, payer);
    if (this.usedNonces.has(auth.nonce.toLowerCase())) return refuse('nonce_already_used', undefined, payer);
    return { isValid: true, payer };
  }

  async settle(payload, requirements) {
    const verified = await this.verify(payload, requirements);
    if (!verified.isValid) {
      return { success: false, errorReason: verified.invalidReason, payer: verified.payer, transaction: '', network: requirements.network };
    }
    this.usedNonces.add(payload.payload.authorization.nonce.toLowerCase());
    return {
      success: true,
      payer: verified.payer,
      transaction: '',
      network: requirements.network,
      extra: { settled_on_chain: false, note: 'loopback facilitator: the authorization was verified and its nonce recorded; no transaction was sent (no chain here)' },
    };
  }
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(Object.assign(new Error('body is not JSON'), { status: 400 }));
      }
    });
    req.on('error', reject);
  });
}

/**
 * Starts the facilitator on 127.0.0.1 (POST /verify, POST /settle, GET /supported, the
 * routes @x402/core's HTTPFacilitatorClient calls).
 * @param {{port?: number}} [options]
 * @returns {Promise<{url: string, close(): Promise<void>}>}
 */
export async function startFacilitator({ port = 0 } = {}) {
  const facilitator = new x402Facilitator().register(NETWORK, new LoopbackExactEvm());
  const server = createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method === 'GET' && req.url === '/supported') return send(200, facilitator.getSupported());
      if (req.method === 'POST' && (req.url === '/verify' || req.url === '/settle')) {
        const { paymentPayload, paymentRequirements } = await readJson(req);
        const result = req.url === '/verify'
          ? await facilitator.verify(paymentPayload, paymentRequirements)
          : await facilitator.settle(paymentPayload, paymentRequirements);
        return send(200, result);
      }
      return send(404, { error: 'not found' });
    } catch (error) {
      return send(error.status ?? 500, { error: error.message });
    }
  });
  server.requestTimeout = 10000;
  await new Promise((resolve, reject) => server.listen(port, '127.0.0.1', resolve).once('error', reject));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
