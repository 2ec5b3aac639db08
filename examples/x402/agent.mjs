// The agent: pays for HTTP resources with x402 (@x402/fetch, @x402/evm's exact scheme,
// a viem local account as its wallet) and proves with each payment that its owner's
// spending policy approved it (@zkpolicy/x402, proofs from a `zkpolicy serve` prover).
//
//   node agent.mjs URL [--prover http://127.0.0.1:8787] [--deny]
import { pathToFileURL } from 'node:url';
import { x402Client } from '@x402/fetch';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { privateKeyToAccount } from 'viem/accounts';
import { httpProver, wrapFetchWithZkPolicy } from '@zkpolicy/x402';

/** The inputs of models/simple_velocity, in order (its ONNX metadata names them). */
export const INPUTS = ['amount', 'balance', 'velocity_1h', 'velocity_24h', 'vendor_trust'];
/** A well-funded owner with little recent spending at a trusted vendor: approved. */
export const GOOD_STANDING = { balance: 0.8, velocity_1h: 0.02, velocity_24h: 0.1, vendor_trust: 0.9 };
/** A low balance, spending fast at an untrusted vendor: denied. */
export const OVERSPENDING = { balance: 0.3, velocity_1h: 0.4, velocity_24h: 0.7, vendor_trust: 0.2 };
/** A throwaway test key (never holds funds; nothing is settled on-chain here). */
export const TEST_PRIVATE_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

/**
 * A fetch that pays and proves.
 * @param {{proverUrl: string, facts: Record<string, number>, privateKey?: `0x${string}`,
 *   onDeny?: 'abort' | 'send', fetchImpl?: typeof fetch}} options
 */
export function makeAgent({ proverUrl, facts, privateKey = TEST_PRIVATE_KEY, onDeny = 'abort', fetchImpl = fetch }) {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: privateKeyToAccount(privateKey) });
  // The amount comes from the payment (`bound`, exactly on the policy's grid); the
  // other inputs are the owner's facts, which the proof keeps private.
  const fromFacts = ({ bound }) => INPUTS.map((name) => (name in bound ? bound[name] : facts[name]));
  return wrapFetchWithZkPolicy(fetchImpl, client, {
    prover: httpProver({ url: proverUrl, timeoutMs: 15000 }),
    features: fromFacts,
    onDeny,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  let url = 'http://127.0.0.1:4021/weather';
  let proverUrl = 'http://127.0.0.1:8787';
  let facts = GOOD_STANDING;
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--prover') proverUrl = args[++i];
    else if (args[i] === '--deny') facts = OVERSPENDING;
    else url = args[i];
  }
  const pay = makeAgent({ proverUrl, facts });
  try {
    const response = await pay(url, { signal: AbortSignal.timeout(30000) });
    console.log(response.status, await response.text());
    const settlement = response.headers.get('payment-response');
    if (settlement) console.log('PAYMENT-RESPONSE', Buffer.from(settlement, 'base64').toString('utf8'));
  } catch (error) {
    console.error(`agent: ${error.code ?? 'ERROR'}: ${error.message}`);
    process.exitCode = 1;
  }
}
