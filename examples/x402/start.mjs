// Starts the example's three services on 127.0.0.1 (step 2 of 3, see README.md) and keeps
// them up until Ctrl-C: `zkpolicy serve` (8787), the facilitator (4020), the merchant (4021).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFacilitator } from './facilitator.mjs';
import { merchantPolicy, startMerchant } from './merchant.mjs';
import { startProver } from './prover.mjs';

const run = path.join(path.dirname(fileURLToPath(import.meta.url)), '.run');
const vk = readFileSync(path.join(run, 'keys', 'simple_velocity.vk'));
const prover = await startProver({ bin: path.join(run, 'zkpolicy'), keys: path.join(run, 'keys'), port: 8787 });
const facilitator = await startFacilitator({ port: 4020 });
const policy = merchantPolicy(vk);
const merchant = await startMerchant({ facilitatorUrl: facilitator.url, policy, port: 4021 });
console.log(`prover      ${prover.url}  (zkpolicy serve)`);
console.log(`facilitator ${facilitator.url}  (verifies payment signatures; settles nothing on-chain)`);
console.log(`merchant    ${merchant.url}/weather  ($0.05, requires policy ${policy.vkDigest.slice(0, 16)}… to approve)`);
console.log('now: node examples/x402/agent.mjs   (or --deny); Ctrl-C stops');

const stop = async () => {
  await merchant.close();
  await facilitator.close();
  await prover.close();
  policy.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
