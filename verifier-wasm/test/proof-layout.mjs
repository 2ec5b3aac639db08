// The binary layout of zkpolicy proofs, and the version field of keys (format 10,
// core/src/policy/files.rs, docs/PROTOCOL.md §5), for code that takes proofs apart or
// tampers with them: the wasm verifier's Node tests (through helpers.mjs) and
// scripts/forge-logits.mjs (the web samples' forged proof).
// Needs no fixtures and no environment.
//
// Proof: "ZKPP" u16 version, 32-byte key digest, u8 0 (no context) | u8 1 and the 32-byte
// context digest, uvar n, n svar public inputs, uvar k, k svar logits, Spartan proof body.
// uvar: LEB128, 7 bits a byte, least significant first; svar: zigzag-mapped, then uvar.

/** The format version in the header of a key or binary proof (u16 little-endian after the magic). */
export const headerVersion = (bytes) => bytes[4] | (bytes[5] << 8);

/** Offset of the context flag, the first byte after the key digest. */
export const CONTEXT_FLAG_OFFSET = 4 + 2 + 32;

/** Offset of the public values: after the context flag, and the context digest if the flag is 1. */
export const publicValuesOffset = (bytes) => CONTEXT_FLAG_OFFSET + (bytes[CONTEXT_FLAG_OFFSET] === 1 ? 33 : 1);

/** The context digest a binary proof carries (32 bytes), or null. */
export const contextDigestBytes = (bytes) =>
  (bytes[CONTEXT_FLAG_OFFSET] === 1 ? bytes.slice(CONTEXT_FLAG_OFFSET + 1, CONTEXT_FLAG_OFFSET + 33) : null);

/** A copy of a binary proof whose header carries `digest` (32 bytes) as its context digest, or none if null. */
export function withContextDigest(bytes, digest) {
  const flag = digest ? [1, ...digest] : [0];
  return new Uint8Array([...bytes.subarray(0, CONTEXT_FLAG_OFFSET), ...flag, ...bytes.subarray(publicValuesOffset(bytes))]);
}

function readUvar(bytes, pos) {
  let v = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (pos >= bytes.length) throw new Error('truncated proof: a varint runs past the end');
    const b = bytes[pos++];
    v |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [v, pos];
  }
}

function writeUvar(out, v) {
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

const unzigzag = (u) => (u >> 1n) ^ -(u & 1n);
const zigzag = (v) => (v << 1n) ^ (v >> 63n);

/**
 * Splits a binary proof into its header (up to the context digest included), public inputs
 * (only those the key makes public), logits and Spartan part.
 */
export function parseProof(bytes) {
  let pos = publicValuesOffset(bytes);
  const lists = [];
  for (let l = 0; l < 2; l++) {
    let n;
    [n, pos] = readUvar(bytes, pos);
    const values = [];
    for (let i = 0n; i < n; i++) {
      let u;
      [u, pos] = readUvar(bytes, pos);
      values.push(unzigzag(u));
    }
    lists.push(values);
  }
  return { header: bytes.slice(0, publicValuesOffset(bytes)), input: lists[0], logits: lists[1], snark: bytes.slice(pos), publicEnd: pos };
}

/** Re-encodes a parsed proof (canonical varints), e.g. after changing a public value. */
export function encodeProof({ header, input, logits, snark }) {
  const mid = [];
  for (const values of [input, logits]) {
    writeUvar(mid, BigInt(values.length));
    for (const v of values) writeUvar(mid, zigzag(v));
  }
  const out = new Uint8Array(header.length + mid.length + snark.length);
  out.set(header, 0);
  out.set(mid, header.length);
  out.set(snark, header.length + mid.length);
  return out;
}
