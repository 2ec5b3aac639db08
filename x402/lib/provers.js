'use strict';
// Where a client gets its proofs: a `zkpolicy serve` prover service over HTTP, or a
// local `zkpolicy` binary with a proving key. Both give the same result: the decision,
// the vk digest and the binary proof as base64.

const { execFile } = require('node:child_process');
const { mkdtemp, readFile, rm, writeFile } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { ZkPolicyError, isRecord } = require('./declaration.js');

const DEFAULT_TIMEOUT_MS = 30000;

/**
 * A `zkpolicy serve` prover service (docs/SERVE.md). The policy is found by the vk
 * digest the resource server declared (`GET /v1/policies`, listed once), so one service
 * serves every policy it holds.
 * @param {{url: string, timeoutMs?: number, fetch?: typeof fetch}} options
 * @returns {import('../index').ZkPolicyProver}
 */
function httpProver(options) {
  if (!isRecord(options) || typeof options.url !== 'string') throw new TypeError('httpProver: options.url must be the service URL');
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let listing;

  async function call(route, init) {
    const response = await fetchImpl(`${base}${route}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ZkPolicyError('ZKPOLICY_PROVER', `prover ${base}${route} answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      const err = isRecord(body) && isRecord(body.error) ? body.error : {};
      throw new ZkPolicyError('ZKPOLICY_PROVER', `prover ${base}${route} answered ${response.status}: ${err.code ?? ''} ${err.message ?? text}`.trim(), { status: response.status, error: err });
    }
    return body;
  }

  async function policyFor(vkDigest) {
    const find = (l) => (isRecord(l) && Array.isArray(l.policies) ? l.policies.find((p) => isRecord(p) && p.vk_digest === vkDigest) : undefined);
    if (find(listing) === undefined) listing = await call('/v1/policies');
    const policy = find(listing);
    if (policy === undefined) throw new ZkPolicyError('ZKPOLICY_NO_POLICY', `prover ${base} has no policy with vk digest ${vkDigest}`);
    return policy;
  }

  return {
    async policy(vkDigest) {
      return policyFor(vkDigest);
    },
    async prove({ vkDigest, input, context }) {
      const policy = await policyFor(vkDigest);
      const body = await call(`/v1/policies/${encodeURIComponent(policy.name)}/prove`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input, context: Buffer.from(context).toString('hex') }),
      });
      const proof = isRecord(body.proof) ? body.proof.proof : undefined;
      if (typeof proof !== 'string' || typeof body.decision !== 'string') {
        throw new ZkPolicyError('ZKPOLICY_PROVER', `prover ${base} returned no proof`);
      }
      return { decision: body.decision, vkDigest: body.vk_digest, proof, outputs: body.outputs };
    },
  };
}

function run(bin, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new ZkPolicyError('ZKPOLICY_PROVER', `${bin} ${args[0]} failed: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
  });
}

/**
 * A local `zkpolicy` binary and one proving key (`NAME.pk` from `zkpolicy setup`).
 * @param {{bin?: string, pk: string, timeoutMs?: number}} options
 * @returns {import('../index').ZkPolicyProver}
 */
function cliProver(options) {
  if (!isRecord(options) || typeof options.pk !== 'string') throw new TypeError('cliProver: options.pk must be the path of a proving key');
  const bin = options.bin ?? 'zkpolicy';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async prove({ vkDigest, input, context }) {
      const dir = await mkdtemp(path.join(tmpdir(), 'zkpolicy-x402-'));
      try {
        const inputFile = path.join(dir, 'input.json');
        const proofFile = path.join(dir, 'request.proof');
        await writeFile(inputFile, JSON.stringify({ input }));
        const stdout = await run(bin, ['prove', '--pk', options.pk, '--input', inputFile, '--out', proofFile,
          '--context', Buffer.from(context).toString('hex'), '--json'], timeoutMs);
        const report = JSON.parse(stdout);
        const proof = await readFile(proofFile);
        const digest = report.vk_digest;
        if (digest !== vkDigest) {
          throw new ZkPolicyError('ZKPOLICY_NO_POLICY', `cliProver: ${options.pk} is the key with digest ${digest}, the resource requires ${vkDigest}`);
        }
        return { decision: report.decision, vkDigest: digest, proof: proof.toString('base64'), outputs: report.outputs };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

module.exports = { httpProver, cliProver };
