//! The decoders of `zkpolicy_core` as fuzz targets, seeded from a [`Pool`] of keys
//! and proofs built at run time through the public API (never from checked-in
//! bytes, so a format change needs no new seed files).

use super::key_file::key_file;
use super::*;
use ark_bn254::Fr;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use rand::{rngs::StdRng, Rng as _, SeedableRng};
use zkpolicy_core::frontend::circuit;
use zkpolicy_core::frontend::model::{codec, Decision, InputDomain, Layer, Model, MAX_WIDTH};
use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};
use zkpolicy_core::policy::{self, hex_digest, PolicyError, PolicyProof, ProvingKey, VerifierKey};
use zkpolicy_core::snark::encoding::{read_r1cs, scalar_from_hex, scalar_hex, write_r1cs};
use zkpolicy_core::snark::r1cs::R1cs;
use zkpolicy_core::snark::spartan;
use zkpolicy_core::snark::spartan::{Profile, MAX_WITNESS_VARS};

// ---------------------------------------------------------------------------
// API adapter: the only place that names the prove/verify signatures (format
// version 3 adds a context argument: change these three calls).
// ---------------------------------------------------------------------------

/// A proof with reproducible randomness.
pub(crate) fn prove_seeded(pk: &ProvingKey, input: &[i64], blinds: &[Fr], rng: &mut StdRng) -> PolicyProof {
    pk.prove_assignment_with_rng(&pk.assign(input).expect("seed input evaluates"), blinds, None, rng)
        .expect("seed input proves")
}

/// Like [`prove_seeded`] for any key: errors are returned, not unwrapped.
pub(crate) fn try_prove(pk: &ProvingKey, input: &[i64], rng: &mut StdRng) -> Result<PolicyProof, PolicyError> {
    let blinds: Vec<Fr> = (0..pk.num_committed()).map(|_| Fr::from(rng.gen::<u128>())).collect();
    pk.prove_assignment_with_rng(&pk.assign(input)?, &blinds, None, rng)
}

pub(crate) fn verify(vk: &VerifierKey, proof: &PolicyProof) -> Result<policy::Verified, PolicyError> {
    policy::verify(vk, proof, None)
}

// ---------------------------------------------------------------------------
// Pool of valid keys and proofs
// ---------------------------------------------------------------------------

/// A model to build keys for: visibility specs and quantized inputs to prove.
pub(crate) struct ModelSpec {
    pub name: String,
    pub model: Model,
    pub specs: Vec<String>,
    pub inputs: Vec<Vec<i64>>,
}

/// One key with its proofs and every encoding derived from it.
pub(crate) struct KeyCase {
    pub name: String,
    pub spec: String,
    pub model: Model,
    pub vis: InputVisibility,
    pub pk: ProvingKey,
    pub vk: VerifierKey,
    pub vk_bytes: Vec<u8>,
    pub pk_bytes: Vec<u8>,
    pub inputs: Vec<Vec<i64>>,
    pub blinds: Vec<Vec<Fr>>,
    pub proofs: Vec<PolicyProof>,
    pub proof_bytes: Vec<Vec<u8>>,
    /// The canonical R1CS of the circuit (without Spartan's blinding gadget).
    pub r1cs: R1cs,
    /// The Spartan key of the circuit under the policy key digest.
    pub spartan_vk: spartan::VerifyingKey,
    /// Witness indices of the committed inputs (hidden inputs come first).
    pub committed_witness: Vec<usize>,
    /// Whether the original proofs verify as raw Spartan proofs against
    /// `spartan_vk` with the statement rebuilt here (the raw checks are skipped otherwise).
    pub raw_ok: bool,
    /// Peak allocation of decoding the original keys and verifying an original proof.
    pub vk_peak: usize,
    pub pk_peak: usize,
    pub verify_peak: usize,
}

impl KeyCase {
    /// The Spartan statement of a policy proof for this key.
    pub(crate) fn raw_public(&self, proof: &PolicyProof) -> Vec<Fr> {
        circuit::public_values(&proof.input, &proof.logits)
    }

    pub(crate) fn raw_verify(&self, key: &spartan::VerifyingKey, proof: &PolicyProof, snark: &spartan::Proof) -> bool {
        let public = self.raw_public(proof);
        spartan::verify(
            key,
            spartan::Statement { public: &public, committed: &self.committed_witness, context: &[] },
            snark,
        )
        .is_ok()
    }
}

pub(crate) struct Pool {
    pub keys: Vec<KeyCase>,
    pub models: Vec<Model>,
}

fn committed_witness(vis: &InputVisibility) -> Vec<usize> {
    vis.as_slice()
        .iter()
        .filter(|v| **v != Visibility::Public)
        .enumerate()
        .filter(|(_, v)| **v == Visibility::Committed)
        .map(|(j, _)| j)
        .collect()
}

/// The policy name of the pool's keys and of [`generated_keys`]' (outside the key digest).
const POLICY_NAME: &str = "test";

impl Pool {
    /// Sets up every (model, spec) and proves every input, plus a second proof of
    /// the first input with other randomness (for crossover between valid proofs).
    pub(crate) fn build(specs: &[ModelSpec], seed: u64) -> Pool {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut keys = Vec::new();
        for ms in specs {
            for spec in &ms.specs {
                let vis = InputVisibility::parse(spec, ms.model.input_len).expect("seed spec parses");
                // Keys of both profiles, alternating.
                let profile = policy::Profile::ALL[keys.len() % policy::Profile::ALL.len()];
                let names = policy::Names::indexed(POLICY_NAME, ms.model.input_len);
                let (pk, vk) =
                    policy::setup_with_profile(&ms.model, &vis, &names, profile).expect("seed model sets up");
                let mut inputs = ms.inputs.clone();
                inputs.push(ms.inputs[0].clone());
                let mut proofs = Vec::new();
                let mut blinds = Vec::new();
                for input in &inputs {
                    let b: Vec<Fr> = (0..pk.num_committed()).map(|_| Fr::from(rng.gen::<u128>())).collect();
                    proofs.push(prove_seeded(&pk, input, &b, &mut rng));
                    blinds.push(b);
                }
                let proof_bytes: Vec<Vec<u8>> = proofs.iter().map(|p| p.to_bytes()).collect();
                let mut r1cs = circuit::compile_with(&ms.model, &vis).expect("compiles").r1cs;
                r1cs.canonicalize();
                let (_, spartan_vk) =
                    spartan::preprocess(r1cs.clone(), profile, Some(vk.digest())).expect("preprocess");
                let vk_bytes = vk.to_bytes();
                let pk_bytes = pk.to_bytes();
                let (_, vk_peak) = measure(|| VerifierKey::from_bytes(&vk_bytes).unwrap());
                let (_, pk_peak) = measure(|| ProvingKey::from_bytes(&pk_bytes).unwrap());
                let (_, verify_peak) = measure(|| verify(&vk, &proofs[0]).unwrap());
                let mut kc = KeyCase {
                    name: ms.name.clone(),
                    spec: spec.clone(),
                    model: ms.model.clone(),
                    committed_witness: committed_witness(&vis),
                    vis,
                    pk,
                    vk,
                    vk_bytes,
                    pk_bytes,
                    inputs,
                    blinds,
                    proofs,
                    proof_bytes,
                    r1cs,
                    spartan_vk,
                    raw_ok: false,
                    vk_peak,
                    pk_peak,
                    verify_peak,
                };
                kc.raw_ok = kc.proofs.iter().all(|p| kc.raw_verify(&kc.spartan_vk, p, &p.snark));
                if !kc.raw_ok {
                    eprintln!(
                        "note: raw Spartan checks skipped for {} ({}): statement reconstruction differs",
                        kc.name, kc.spec
                    );
                }
                keys.push(kc);
            }
        }
        Pool { keys, models: specs.iter().map(|s| s.model.clone()).collect() }
    }

    pub(crate) fn max_vk_peak(&self) -> usize {
        self.keys.iter().map(|k| k.vk_peak).max().unwrap_or(0)
    }
    pub(crate) fn max_pk_peak(&self) -> usize {
        self.keys.iter().map(|k| k.pk_peak).max().unwrap_or(0)
    }

    /// The key a proof names, if any.
    pub(crate) fn key_for_digest(&self, digest: &[u8; 32]) -> Option<usize> {
        self.keys.iter().position(|k| k.vk.digest() == *digest)
    }

    /// Every valid proof of the pool for key `k`.
    pub(crate) fn is_valid_proof(&self, k: usize, proof: &PolicyProof) -> bool {
        self.keys[k].proofs.iter().any(|p| p == proof)
    }

    pub(crate) fn print_summary(&self, label: &str) {
        for k in &self.keys {
            eprintln!(
                "[{label}] seed key {} ({}): {} inputs, {} constraints, vk {} B, proof {} B; decode vk peak {}, pk peak {}, verify peak {}",
                k.name,
                k.spec,
                k.model.input_len,
                k.vk.num_constraints(),
                k.vk_bytes.len(),
                k.proof_bytes[0].len(),
                human(k.vk_peak),
                human(k.pk_peak),
                human(k.verify_peak)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Seeds with their fields
// ---------------------------------------------------------------------------

/// The fields of a model encoding at `base` (walks the codec grammar alongside the model).
pub(crate) fn model_fields(model: &Model, bytes: &[u8], base: usize) -> Vec<Field> {
    struct W<'a> {
        bytes: &'a [u8],
        at: usize,
        fields: Vec<Field>,
    }
    impl W<'_> {
        fn var(&mut self) {
            if let Some((_, n)) = read_varint_at(self.bytes, self.at) {
                self.fields.push(Field { at: self.at, kind: Kind::Varint });
                self.at += n;
            }
        }
        fn byte(&mut self) {
            self.fields.push(Field { at: self.at, kind: Kind::U8 });
            self.at += 1;
        }
    }
    let mut w = W { bytes, at: base, fields: Vec::new() };
    w.byte();
    w.var();
    w.var();
    w.var();
    for layer in &model.layers {
        w.byte();
        match layer {
            Layer::Dense { weights, bias, .. } => {
                w.var();
                w.var();
                for _ in 0..weights.len() + bias.len() {
                    w.var();
                }
            }
            Layer::LeakyRelu { .. } => w.var(),
            Layer::Clip { .. } => {
                w.var();
                w.var();
            }
            _ => {}
        }
    }
    w.byte();
    match &model.decision {
        Decision::Threshold { .. } => {
            w.var();
            w.var();
        }
        Decision::ArgMax { labels } => {
            w.var();
            for l in labels {
                w.var();
                w.at += l.len();
            }
        }
    }
    w.fields
}

pub(crate) fn model_seed(model: &Model) -> Seed {
    let bytes = codec::encode(model);
    let fields = model_fields(model, &bytes, 0);
    Seed { bytes, fields }
}

/// A key file: envelope, u32 model length, model, visibility.
pub(crate) fn key_seed(bytes: &[u8], model: &Model) -> Seed {
    let mut s = Seed::plain(bytes.to_vec()).field(4, Kind::U16).field(6, Kind::U32);
    let len = u32::from_le_bytes(bytes[6..10].try_into().unwrap()) as usize;
    s.fields.extend(model_fields(model, bytes, 10));
    let vis_at = 10 + len;
    if let Some((n, k)) = read_varint_at(bytes, vis_at) {
        s = s.field(vis_at, Kind::Varint);
        for i in 0..n as usize {
            s = s.field(vis_at + k + i, Kind::U8);
        }
    }
    s
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    (from..=hay.len().checked_sub(needle.len())?).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// The fields of a Spartan proof body at `at` (`s, m, profile, k, l`, the points, the scalars).
pub(crate) fn spartan_body_fields(mut s: Seed, at: usize, point_size: usize) -> Seed {
    // The parameters s, m, profile, k, l (format 10), then the points: the rows, C_p, the
    // values, and at least the last one or two of each dot-product proof (δ; δ and β).
    if at + 5 > s.bytes.len() {
        return s;
    }
    for i in 0..5 {
        s = s.field(at + i, Kind::U8);
    }
    let (m, k, l) = (s.bytes[at + 1] as usize, s.bytes[at + 3] as usize, s.bytes[at + 4] as usize);
    let profile = Profile::from_code(s.bytes[at + 2]);
    let h = profile.map_or(m / 2, |p| p.row_vars(m.min(MAX_WITNESS_VARS)));
    let per_proof = if profile == Some(Profile::Fast) { 1 } else { 2 };
    let points = (1usize << h.min(20)) + 1 + k + per_proof * (1 + l);
    let p0 = at + 5;
    if point_size == 32 {
        s = s.run(p0, points, Kind::Point);
    }
    let s0 = p0 + points * point_size;
    let scalars = s.bytes.len().saturating_sub(s0) / 32;
    s.run(s0, scalars, Kind::Scalar)
}

/// A policy proof: envelope, digest, public values, Spartan body.
pub(crate) fn proof_seed(bytes: &[u8], proof: &PolicyProof) -> Seed {
    let mut s = Seed::plain(bytes.to_vec()).field(4, Kind::U16).field(6, Kind::Digest);
    let mut vals = uvar(proof.input.len() as u64);
    proof.input.iter().for_each(|v| vals.extend(svar(*v)));
    vals.extend(uvar(proof.logits.len() as u64));
    proof.logits.iter().for_each(|v| vals.extend(svar(*v)));
    if let Some(p) = find(bytes, &vals, 6) {
        s = s.varints(p, p + vals.len());
    }
    let body_len = proof.snark.to_bytes().len() - 6;
    let at = bytes.len() - body_len;
    spartan_body_fields(s, at, 32)
}

/// A Spartan verifying key: envelope, digest, R1CS.
pub(crate) fn r1cs_fields(r1cs: &R1cs, base: usize) -> Vec<Field> {
    let mut f: Vec<Field> = (0..3).map(|i| Field { at: base + 4 * i, kind: Kind::U32 }).collect();
    // nnz offsets: encode prefixes of the matrix list.
    let mut partial = R1cs {
        num_constraints: r1cs.num_constraints,
        num_public: r1cs.num_public,
        num_witness: r1cs.num_witness,
        ..Default::default()
    };
    let mut enc = Vec::new();
    write_r1cs(&mut enc, &partial);
    f.push(Field { at: base + 12, kind: Kind::U32 });
    partial.a = r1cs.a.clone();
    enc.clear();
    write_r1cs(&mut enc, &partial);
    f.push(Field { at: base + enc.len() - 8, kind: Kind::U32 });
    partial.b = r1cs.b.clone();
    enc.clear();
    write_r1cs(&mut enc, &partial);
    f.push(Field { at: base + enc.len() - 4, kind: Kind::U32 });
    f
}

// ---------------------------------------------------------------------------
// Bounds
// ---------------------------------------------------------------------------

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

fn lin(per_byte: usize, len: usize, fixed: usize) -> usize {
    per_byte * len + fixed
}

// ---------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------

fn outcome<T, E>(r: &Result<T, E>) -> Outcome {
    if r.is_ok() {
        Outcome::Accepted
    } else {
        Outcome::Rejected
    }
}

/// `model::codec::decode`.
pub(crate) fn model_codec<'a>(name: &'static str, weight: u64, models: &[Model]) -> Target<'a> {
    let seeds: Vec<Seed> = models.iter().map(model_seed).collect();
    Target {
        name,
        weight,
        bound: "64·len + 256 KiB (8-byte values from ≥1-byte varints, Vec growth, ≤1024 layers)".into(),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 0);
            Case::new(b, i)
        }),
        check: Box::new(|case, probe| {
            let b = &case.bytes;
            let r = probe.measure("decode", lin(64, b.len(), 256 * KIB), || codec::decode(b));
            if let Ok(m) = &r {
                if codec::encode(m) != *b {
                    return Err(fail("accepted a non-canonical model encoding (re-encodes differently)"));
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// `InputVisibility::read` with a random limit.
pub(crate) fn visibility_read<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let mut seeds: Vec<Seed> = pool
        .keys
        .iter()
        .map(|k| {
            let mut b = Vec::new();
            k.vis.write(&mut b);
            Seed::plain(b).field(0, Kind::Varint)
        })
        .collect();
    for vis in [
        InputVisibility::from_list(vec![]),
        InputVisibility::all(Visibility::Committed, 255),
        InputVisibility::from_list(
            (0..300).map(|i| [Visibility::Public, Visibility::Private, Visibility::Committed][i % 3]).collect(),
        ),
    ] {
        let mut b = Vec::new();
        vis.write(&mut b);
        seeds.push(Seed::plain(b).field(0, Kind::Varint));
    }
    Target {
        name,
        weight,
        bound: "8·len + 4 KiB".into(),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 0);
            let mut c = Case::new(b, i);
            let max = *rng.pick(&[MAX_WIDTH, 3, 255, 1 << 32]);
            c.note = format!("max {max}");
            c
        }),
        check: Box::new(|case, probe| {
            let max: usize = case.note[4..].parse().unwrap();
            let b = &case.bytes[..];
            let mut rest = b;
            let r = probe.measure("decode", lin(8, b.len(), 4 * KIB), || InputVisibility::read(&mut rest, max));
            if let Ok(v) = &r {
                let consumed = &b[..b.len() - rest.len()];
                let mut again = Vec::new();
                v.write(&mut again);
                if again != consumed {
                    return Err(fail("visibility decodes to a list that re-encodes differently"));
                }
                if v.as_slice().len() > max {
                    return Err(fail(format!("visibility of {} entries exceeds the limit {max}", v.as_slice().len())));
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// `InputVisibility::parse(spec, n)`; the input is `u32 n ‖ spec` (`n` mod 2^20 + 2).
pub(crate) fn visibility_parse<'a>(
    name: &'static str,
    weight: u64,
    extra: &[(&str, usize)],
    pool: &Pool,
) -> Target<'a> {
    let mut specs: Vec<(String, usize)> = vec![
        ("public=0..4,committed=4".into(), 6),
        ("all-public".into(), 3),
        ("public=0+2..=3,committed=5".into(), 6),
        ("all-private, public=1".into(), 2),
        ("all-committed".into(), 255),
        ("private=0..=1048575".into(), 1 << 20),
        ("public=0..2,committed=2".into(), 102),
        ("".into(), 0),
    ];
    specs.extend(extra.iter().map(|(s, n)| (s.to_string(), *n)));
    specs.extend(pool.keys.iter().map(|k| (k.spec.clone(), k.model.input_len)));
    let seeds: Vec<Seed> = specs
        .iter()
        .map(|(s, n)| {
            let mut b = (*n as u32).to_le_bytes().to_vec();
            b.extend_from_slice(s.as_bytes());
            Seed::plain(b).field(0, Kind::U32)
        })
        .collect();
    Target {
        name,
        weight,
        bound: "n + 64·len + 16 KiB (the n-entry list, range strings)".into(),
        gen: Box::new(move |rng| {
            let (b, i) = if rng.chance(1, 2) { mutate_text(rng, &seeds) } else { mutate(rng, &seeds, 0) };
            Case::new(b, i)
        }),
        check: Box::new(|case, probe| {
            if case.bytes.len() < 4 {
                return Ok(Outcome::Rejected);
            }
            let n = u32::from_le_bytes(case.bytes[..4].try_into().unwrap()) as usize % (MAX_WIDTH + 2);
            let spec = String::from_utf8_lossy(&case.bytes[4..]);
            let r =
                probe.measure("parse", n + lin(64, case.bytes.len(), 16 * KIB), || InputVisibility::parse(&spec, n));
            if let Ok(v) = &r {
                if v.as_slice().len() != n {
                    return Err(fail(format!("parse for {n} inputs returned {} entries", v.as_slice().len())));
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// `encoding::read_r1cs`, with a permissive shape check or Spartan's limits.
pub(crate) fn r1cs<'a>(name: &'static str, weight: u64, pool: &Pool) -> Target<'a> {
    let seeds: Vec<Seed> = pool
        .keys
        .iter()
        .map(|k| {
            let mut b = Vec::new();
            write_r1cs(&mut b, &k.r1cs);
            let fields = r1cs_fields(&k.r1cs, 0);
            Seed { bytes: b, fields }
        })
        .collect();
    Target {
        name,
        weight,
        bound: "64·len + 64 KiB (48-byte entries from ≥3 input bytes, Vec growth)".into(),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 0);
            let mut c = Case::new(b, i);
            c.note = if rng.chance(1, 2) { "permissive".into() } else { "spartan-limits".into() };
            c
        }),
        check: Box::new(|case, probe| {
            let b = &case.bytes[..];
            let spartan_limits = case.note == "spartan-limits";
            let shape = move |c: usize, p: usize, w: usize| {
                if spartan_limits && (c as u64 + 3 > 1 << 20 || w as u64 + 4 > 1 << 19 || p as u64 > (1 << 19) - 1) {
                    Err(zkpolicy_core::snark::error::FormatError::TooLarge { what: "shape", value: 0, limit: 0 })
                } else {
                    Ok(())
                }
            };
            let mut rest = b;
            let r = probe.measure("decode", lin(64, b.len(), 64 * KIB), || read_r1cs(&mut rest, shape));
            if let Ok(r1cs) = &r {
                let consumed = &b[..b.len() - rest.len()];
                let mut again = Vec::new();
                write_r1cs(&mut again, r1cs);
                if again != consumed {
                    return Err(fail("accepted a non-canonical R1CS encoding"));
                }
                let cols = r1cs.num_columns();
                for (name, m) in [("A", &r1cs.a), ("B", &r1cs.b), ("C", &r1cs.c)] {
                    let ok_order = m.entries.windows(2).all(|w| (w[0].row, w[0].col) < (w[1].row, w[1].col));
                    let ok_range = m.entries.iter().all(|e| e.row < r1cs.num_constraints && e.col < cols);
                    let ok_zero = m.entries.iter().all(|e| e.val != Fr::from(0u64));
                    if !(ok_order && ok_range && ok_zero) {
                        return Err(fail(format!(
                            "matrix {name}: order {ok_order}, in range {ok_range}, nonzero {ok_zero}"
                        )));
                    }
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// `spartan::VerifyingKey::from_bytes`; an accepted key that differs from the original
/// must not accept the original proofs.
pub(crate) fn spartan_vk<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let seeds: Vec<Seed> = pool
        .keys
        .iter()
        .map(|k| {
            let bytes = k.spartan_vk.to_bytes();
            let mut s = Seed::plain(bytes).field(4, Kind::U16).field(6, Kind::Digest);
            s.fields.extend(r1cs_fields(&k.r1cs, 38));
            s
        })
        .collect();
    let originals: Vec<Vec<u8>> = seeds.iter().map(|s| s.bytes.clone()).collect();
    Target {
        name,
        weight,
        bound: "96·len + 1 MiB (R1CS entries, blinding gadget, canonicalization copy, Hyrax key)".into(),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 6);
            Case::new(b, i)
        }),
        check: Box::new(move |case, probe| {
            let b = &case.bytes;
            let r = probe.measure("decode", lin(96, b.len(), MIB), || spartan::VerifyingKey::from_bytes(b));
            if let Ok(key) = &r {
                if key.to_bytes() != *b {
                    return Err(fail("accepted a non-canonical Spartan key (re-encodes differently)"));
                }
                let k = &pool.keys[case.meta];
                if *b != originals[case.meta] && k.raw_ok {
                    for p in &k.proofs {
                        if k.raw_verify(key, p, &p.snark) {
                            return Err(fail("an original proof verifies under a different Spartan key"));
                        }
                    }
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// Spartan proof decoding: `Proof::from_bytes` and `CanonicalDeserialize` in every
/// mode; an accepted proof that differs from the original must not verify.
pub(crate) fn spartan_proof<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    const MODES: [&str; 5] =
        ["from_bytes", "compressed", "uncompressed", "compressed_unchecked", "uncompressed_unchecked"];
    let mut seeds: [Vec<Seed>; 5] = Default::default();
    let mut metas: Vec<usize> = Vec::new();
    for (ki, k) in pool.keys.iter().enumerate() {
        for (pi, p) in k.proofs.iter().enumerate() {
            metas.push(ki * 16 + pi);
            let zkpf = p.snark.to_bytes();
            seeds[0].push(spartan_body_fields(Seed::plain(zkpf.clone()).field(4, Kind::U16), 6, 32));
            seeds[1].push(spartan_body_fields(Seed::plain(zkpf[6..].to_vec()), 0, 32));
            let mut unc = Vec::new();
            p.snark.serialize_uncompressed(&mut unc).unwrap();
            seeds[2].push(spartan_body_fields(Seed::plain(unc.clone()), 0, 64));
            seeds[3].push(spartan_body_fields(Seed::plain(zkpf[6..].to_vec()), 0, 32));
            seeds[4].push(spartan_body_fields(Seed::plain(unc), 0, 64));
        }
    }
    Target {
        name,
        weight,
        bound: "16·len + 256 KiB (72-byte points from 32 bytes, scalars, Vec growth)".into(),
        gen: Box::new(move |rng| {
            let mode = rng.below(5);
            let (b, i) = mutate(rng, &seeds[mode], if mode == 0 { 6 } else { 0 });
            let mut c = Case::new(b, metas[i]);
            c.note = MODES[mode].into();
            c
        }),
        check: Box::new(|case, probe| {
            let b = &case.bytes[..];
            let mode = MODES.iter().position(|m| *m == case.note).unwrap();
            let (compress, validate) = match mode {
                1 => (Compress::Yes, Validate::Yes),
                2 => (Compress::No, Validate::Yes),
                3 => (Compress::Yes, Validate::No),
                _ => (Compress::No, Validate::No),
            };
            let r: Result<spartan::Proof, String> = probe.measure("decode", lin(16, b.len(), 256 * KIB), || {
                if mode == 0 {
                    spartan::Proof::from_bytes(b).map_err(|e| e.to_string())
                } else {
                    let mut input = b;
                    spartan::Proof::deserialize_with_mode(&mut input, compress, validate)
                        .map_err(|e| e.to_string())
                        .and_then(|p| if input.is_empty() { Ok(p) } else { Err("trailing".into()) })
                }
            });
            if let Ok(snark) = &r {
                let again = if mode == 0 {
                    snark.to_bytes()
                } else {
                    let mut out = Vec::new();
                    snark
                        .serialize_with_mode(&mut out, compress)
                        .map_err(|e| fail(format!("re-encoding failed: {e}")))?;
                    out
                };
                if again != b {
                    return Err(fail("accepted a non-canonical Spartan proof (re-encodes differently)"));
                }
                let k = &pool.keys[case.meta / 16];
                let original = &k.proofs[case.meta % 16];
                if *snark != original.snark && k.raw_ok && k.raw_verify(&k.spartan_vk, original, snark) {
                    return Err(fail("a mutated Spartan proof verifies"));
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// Verifies a decoded policy proof: it must be rejected unless it is one of the
/// pool's valid proofs for the key it names.
fn check_decoded_proof(
    pool: &Pool,
    seed_key: usize,
    proof: &PolicyProof,
    len: usize,
    probe: &mut Probe,
) -> Result<(), Failure> {
    let k = pool.key_for_digest(&proof.key_digest).unwrap_or(seed_key);
    let key = &pool.keys[k];
    let r = probe.measure("verify", 4 * key.verify_peak + lin(64, len, MIB), || verify(&key.vk, proof));
    if r.is_ok() && !pool.is_valid_proof(k, proof) {
        return Err(fail(format!("a mutated proof VERIFIES under key {} ({})", key.name, key.spec)));
    }
    if let Err(e) = r {
        if pool.is_valid_proof(k, proof) {
            return Err(fail(format!("a valid proof is rejected: {e}")));
        }
    }
    Ok(())
}

/// The valid proofs, then invalid ones built from them: each re-targeted to every
/// other key (digest swapped), and each with the public values of another proof of
/// its key (a transplanted Spartan proof).
fn proof_seeds(pool: &Pool) -> (Vec<Seed>, Vec<usize>) {
    let mut seeds = Vec::new();
    let mut metas = Vec::new();
    for (ki, k) in pool.keys.iter().enumerate() {
        for (p, b) in k.proofs.iter().zip(&k.proof_bytes) {
            seeds.push(proof_seed(b, p));
            metas.push(ki);
        }
    }
    for (ki, k) in pool.keys.iter().enumerate() {
        let p = &k.proofs[0];
        for (kj, other) in pool.keys.iter().enumerate().filter(|(kj, _)| *kj != ki) {
            let moved = PolicyProof { key_digest: other.vk.digest(), ..p.clone() };
            seeds.push(proof_seed(&moved.to_bytes(), &moved));
            metas.push(kj);
        }
        for q in &k.proofs[1..] {
            let swapped = PolicyProof { input: q.input.clone(), logits: q.logits.clone(), ..p.clone() };
            if swapped != *p {
                seeds.push(proof_seed(&swapped.to_bytes(), &swapped));
                metas.push(ki);
            }
        }
    }
    (seeds, metas)
}

/// `PolicyProof::from_bytes`, then `policy::verify` on whatever decodes.
pub(crate) fn policy_proof<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let (seeds, metas) = proof_seeds(pool);
    Target {
        name,
        weight,
        bound: "decode 16·len + 256 KiB; verify 4×(seed verify peak) + 64·len + 1 MiB".into(),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 6);
            Case::new(b, metas[i])
        }),
        check: Box::new(|case, probe| {
            let b = &case.bytes;
            let r = probe.measure("decode", lin(16, b.len(), 256 * KIB), || PolicyProof::from_bytes(b));
            if let Ok(p) = &r {
                if p.to_bytes() != *b {
                    return Err(fail("accepted a non-canonical proof encoding (re-encodes differently)"));
                }
                check_decoded_proof(pool, case.meta, p, b.len(), probe)?;
            }
            Ok(outcome(&r))
        }),
    }
}

/// A JSON proof document built from a seed document, with field-level mutations.
fn json_proof_case(rng: &mut Rng, pool: &Pool, proof_seeds: &[Seed], metas: &[usize]) -> (String, usize) {
    let i = rng.below(proof_seeds.len());
    let k = metas[i];
    let seed_proof = PolicyProof::from_bytes(&proof_seeds[i].bytes).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&seed_proof.to_json()).unwrap();
    let obj = doc.as_object().unwrap();
    let mutate_fields = rng.chance(3, 4);
    let mut fields = Vec::new();
    for (key, value) in obj {
        let orig = value.to_string();
        let touch = mutate_fields && rng.chance(1, 2);
        let raw = if !touch {
            orig
        } else {
            match key.as_str() {
                "proof" => {
                    let b64 = value.as_str().unwrap_or_default().to_string();
                    match rng.below(10) {
                        0..=4 => {
                            let (b, _) = mutate(rng, proof_seeds, 6);
                            jstr(&base64(&b))
                        }
                        5 => jstr(b64.trim_end_matches('=')),
                        6 => jstr(&b64.replace('+', "-").replace('/', "_")),
                        7 => {
                            let at = rng.below(b64.len() + 1);
                            jstr(&format!("{}{}{}", &b64[..at], *rng.pick(&["\n", " ", "=", "\r\n", "A"]), &b64[at..]))
                        }
                        8 => jstr(&format!("  {b64}\n")),
                        _ => weird_json(rng),
                    }
                }
                "key_digest" => {
                    let d = value.as_str().unwrap_or_default().to_string();
                    match rng.below(5) {
                        0 => jstr(&d.to_ascii_uppercase()),
                        1 => jstr(&hex_digest(&pool.keys[rng.below(pool.keys.len())].vk.digest())),
                        2 => jstr(&format!(" {d}")),
                        3 => {
                            let mut t = d.into_bytes();
                            if !t.is_empty() {
                                let at = rng.below(t.len());
                                t[at] = *rng.pick(b"0fg+A");
                            }
                            jstr(&String::from_utf8_lossy(&t))
                        }
                        _ => weird_json(rng),
                    }
                }
                "version" => match rng.below(3) {
                    0 => (value.as_u64().unwrap_or(0) as i64 + *rng.pick(&[-1i64, 1, 65536])).to_string(),
                    _ => weird_json(rng),
                },
                "format" => match rng.below(3) {
                    0 => jstr("ZKPOLICY-PROOF"),
                    1 => jstr("zkpolicy-proof "),
                    _ => weird_json(rng),
                },
                _ => weird_json(rng),
            }
        };
        fields.push((key.clone(), raw));
    }
    let shuffle = mutate_fields && rng.chance(1, 3);
    (write_object(rng, fields, shuffle), k)
}

/// `PolicyProof::from_json` (and `from_any` agrees), then `policy::verify`.
pub(crate) fn policy_proof_json<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let (bin_seeds, metas) = proof_seeds(pool);
    let json_seeds: Vec<Seed> =
        pool.keys.iter().flat_map(|k| k.proofs.iter().map(|p| Seed::plain(p.to_json().into_bytes()))).collect();
    Target {
        name,
        weight,
        bound: "decode 16·len + 256 KiB; verify as policy_proof".into(),
        gen: Box::new(move |rng| {
            if rng.chance(1, 2) {
                let (text, k) = json_proof_case(rng, pool, &bin_seeds, &metas);
                Case::new(text.into_bytes(), k)
            } else {
                let (b, i) = mutate_text(rng, &json_seeds);
                Case::new(b, metas[i])
            }
        }),
        check: Box::new(|case, probe| {
            let text = case.text();
            let r = probe.measure("decode", lin(16, case.bytes.len(), 256 * KIB), || PolicyProof::from_json(&text));
            if std::str::from_utf8(&case.bytes).is_ok() && text.trim_start().starts_with('{') {
                let any = PolicyProof::from_any(&case.bytes);
                if any.as_ref().ok() != r.as_ref().ok() {
                    return Err(fail("from_any and from_json disagree on a JSON document"));
                }
            }
            if let Ok(p) = &r {
                check_decoded_proof(pool, case.meta, p, case.bytes.len(), probe)?;
            }
            Ok(outcome(&r))
        }),
    }
}

/// `PolicyProof::from_any` on binary and JSON inputs.
pub(crate) fn policy_proof_any<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let (mut seeds, mut metas) = proof_seeds(pool);
    for (ki, k) in pool.keys.iter().enumerate() {
        for p in &k.proofs {
            seeds.push(Seed::plain(p.to_json().into_bytes()));
            metas.push(ki);
        }
    }
    Target {
        name,
        weight,
        bound: "decode 16·len + 256 KiB; verify as policy_proof".into(),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 0);
            Case::new(b, metas[i])
        }),
        check: Box::new(|case, probe| {
            let r =
                probe.measure("decode", lin(16, case.bytes.len(), 256 * KIB), || PolicyProof::from_any(&case.bytes));
            if let Ok(p) = &r {
                check_decoded_proof(pool, case.meta, p, case.bytes.len(), probe)?;
            }
            Ok(outcome(&r))
        }),
    }
}

/// Heap bytes a key decode may use per constraint and per witness column of the
/// circuit it compiles (R1CS entries of 48 bytes, a few per row, copied by
/// canonicalization and by Spartan's preprocessing; the seed keys use 300–600).
const VK_PER_ROW: usize = 2 * KIB;
const PK_PER_ROW: usize = 4 * KIB;

fn key_bound_text(per_row: usize, fixed: usize) -> String {
    format!(
        "accepted: 64·len + {} KiB·(constraints + witness) + 1 MiB; rejected: 64·len + {} (4× largest seed decode + 1 MiB)",
        per_row / KIB,
        human(fixed)
    )
}

/// The allocation bound of a key decode: proportional to the circuit for an accepted
/// key; for a rejected one, the seed keys' cost.
fn key_bound(b: &[u8], fixed: usize, per_row: usize, size: Option<(usize, usize)>) -> usize {
    match size {
        Some((rows, cols)) => lin(64, b.len(), MIB) + per_row * (rows + cols),
        None => lin(64, b.len(), fixed),
    }
}

fn key_seeds(pool: &Pool, pk: bool) -> Vec<Seed> {
    pool.keys.iter().map(|k| key_seed(if pk { &k.pk_bytes } else { &k.vk_bytes }, &k.model)).collect()
}

/// `VerifierKey::from_bytes`; an accepted key that differs from the original must
/// not accept the original proofs.
pub(crate) fn verifier_key<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let seeds = key_seeds(pool, false);
    let fixed = 4 * pool.max_vk_peak() + MIB;
    Target {
        name,
        weight,
        bound: key_bound_text(VK_PER_ROW, fixed),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 6);
            Case::new(b, i)
        }),
        check: Box::new(move |case, probe| {
            let b = &case.bytes;
            let r = probe.measure_by(
                "decode",
                || VerifierKey::from_bytes(b),
                |r| key_bound(b, fixed, VK_PER_ROW, r.as_ref().ok().map(|k| (k.num_constraints(), k.num_witness()))),
            );
            if let Ok(vk) = &r {
                if vk.to_bytes() != *b {
                    return Err(fail("accepted a non-canonical verifier key (re-encodes differently)"));
                }
                let k = &pool.keys[case.meta];
                // The policy's name is a label outside the digest: a key that differs
                // only there is the same key. Everything else is pinned by the digest.
                let same_statement = vk.model() == k.vk.model()
                    && vk.visibility() == k.vk.visibility()
                    && vk.names().inputs == k.vk.names().inputs
                    && vk.profile() == k.vk.profile();
                if same_statement && vk.digest() != k.vk.digest() {
                    return Err(fail("a key that differs only in the policy's name has another digest"));
                }
                if *b != k.vk_bytes && !same_statement {
                    if vk.digest() == k.vk.digest() {
                        return Err(fail("a different verifier key has the same digest"));
                    }
                    for p in &k.proofs {
                        if verify(vk, p).is_ok() {
                            return Err(fail("an original proof verifies under a mutated verifier key"));
                        }
                    }
                } else if vk.digest() != k.vk.digest() {
                    return Err(fail("the original key bytes decode to another digest"));
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// `ProvingKey::from_bytes`; a quarter of the accepted keys that differ from the
/// original also prove and verify an all-zero input (completeness on odd models).
pub(crate) fn proving_key<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let seeds = key_seeds(pool, true);
    let fixed = 4 * pool.max_pk_peak() + MIB;
    Target {
        name,
        weight,
        bound: key_bound_text(PK_PER_ROW, fixed),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 6);
            let mut c = Case::new(b, i);
            c.note = if rng.chance(1, 4) { "prove".into() } else { String::new() };
            c
        }),
        check: Box::new(move |case, probe| {
            let b = &case.bytes;
            let r = probe.measure_by(
                "decode",
                || ProvingKey::from_bytes(b),
                |r| {
                    let size =
                        r.as_ref().ok().map(|k| (k.verifier_key().num_constraints(), k.verifier_key().num_witness()));
                    key_bound(b, fixed, PK_PER_ROW, size)
                },
            );
            if let Ok(pk) = &r {
                if pk.to_bytes() != *b {
                    return Err(fail("accepted a non-canonical proving key (re-encodes differently)"));
                }
                if *b != pool.keys[case.meta].pk_bytes && case.note == "prove" {
                    let mut rng = StdRng::seed_from_u64(case.bytes.len() as u64);
                    let input = vec![0i64; pk.model().input_len];
                    match try_prove(pk, &input, &mut rng) {
                        Ok(p) => {
                            if let Err(e) = verify(pk.verifier_key(), &p) {
                                return Err(fail(format!("a proof made with a decoded key does not verify: {e}")));
                            }
                        }
                        Err(e) => return Err(fail(format!("a decoded key cannot prove the zero input: {e}"))),
                    }
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// `ProvingKey::decode_model` (the key file without compiling the circuit).
pub(crate) fn pk_decode_model<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    let seeds = key_seeds(pool, true);
    Target {
        name,
        weight,
        bound: "64·len + 256 KiB (as the model codec)".into(),
        gen: Box::new(move |rng| {
            let (b, i) = mutate(rng, &seeds, 6);
            Case::new(b, i)
        }),
        check: Box::new(|case, probe| {
            let b = &case.bytes;
            let r = probe.measure("decode", lin(64, b.len(), 256 * KIB), || ProvingKey::decode_model(b));
            if let Ok((model, vis, names, profile)) = &r {
                let m = codec::encode(model);
                let again = policy::files::encode_key_file(
                    policy::files::PK_MAGIC,
                    &m,
                    vis,
                    &names.inputs,
                    *profile,
                    &names.policy,
                );
                if again != *b {
                    return Err(fail("accepted a non-canonical proving key (re-encodes differently)"));
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// `encoding::scalar_from_hex` (the blinds of openings files).
pub(crate) fn scalar_hex_target<'a>(name: &'static str, weight: u64) -> Target<'a> {
    let mut r = StdRng::seed_from_u64(7);
    let mut values = vec![Fr::from(0u64), Fr::from(1u64), -Fr::from(1u64)];
    values.extend((0..4).map(|_| Fr::from(r.gen::<u128>()) * Fr::from(r.gen::<u128>())));
    let seeds: Vec<Seed> = values.iter().map(|v| Seed::plain(scalar_hex(v).into_bytes())).collect();
    Target {
        name,
        weight,
        bound: "2·len + 1 KiB".into(),
        gen: Box::new(move |rng| {
            let (mut b, i) = mutate_text(rng, &seeds);
            if rng.chance(1, 4) && b.len() >= 2 {
                // Digit-pair edits: a sign, upper case, a non-hex or non-ASCII character.
                let at = 2 * rng.below(b.len() / 2);
                match rng.below(4) {
                    0 => b[at] = *rng.pick(b"+- "),
                    1 => b.make_ascii_uppercase(),
                    2 => b[at] = *rng.pick(&[b'g', b'x', b'_', 0]),
                    _ => {
                        b.splice(at..at + 2, "é".bytes());
                    }
                }
            }
            Case::new(b, i)
        }),
        check: Box::new(|case, probe| {
            let text = case.text();
            let r = probe.measure("decode", lin(2, case.bytes.len(), KIB), || scalar_from_hex(&text, "scalar"));
            if let Ok(v) = &r {
                let hexdigits = text.len() == 64 && text.bytes().all(|c| c.is_ascii_hexdigit());
                if !hexdigits || !text.eq_ignore_ascii_case(&scalar_hex(v)) {
                    return Err(fail(format!("scalar_from_hex accepted {text:?}, which is not the hex of a scalar")));
                }
            }
            Ok(outcome(&r))
        }),
    }
}

/// Every decoder of `zkpolicy_core` over `pool`, with `scale` multiplying the
/// default weights of the cheap (decode-only) and expensive (verify, compile) targets.
pub(crate) fn standard_targets<'a>(pool: &'a Pool, prefix: &'static str, cheap: u64, costly: u64) -> Vec<Target<'a>> {
    let n = |s: &str| -> &'static str { Box::leak(format!("{prefix}{s}").into_boxed_str()) };
    vec![
        model_codec(n("model_codec"), 20 * cheap, &pool.models),
        visibility_read(n("visibility_read"), 8 * cheap, pool),
        visibility_parse(n("visibility_parse"), 10 * cheap, &[], pool),
        r1cs(n("r1cs"), 10 * cheap, pool),
        scalar_hex_target(n("scalar_from_hex"), 6 * cheap),
        pk_decode_model(n("pk_decode_model"), 6 * cheap, pool),
        spartan_vk(n("spartan_vk"), 4 * costly, pool),
        spartan_proof(n("spartan_proof"), 4 * costly, pool),
        policy_proof(n("policy_proof"), 4 * costly, pool),
        policy_proof_json(n("policy_proof_json"), 3 * costly, pool),
        policy_proof_any(n("policy_proof_any"), 2 * costly, pool),
        verifier_key(n("verifier_key"), 3 * costly, pool),
        proving_key(n("proving_key"), 2 * costly, pool),
        generated_keys(n("generated_keys"), costly, pool),
    ]
}

// ---------------------------------------------------------------------------
// Generated keys: random valid models, to measure what a key of a given size costs
// ---------------------------------------------------------------------------

/// A random valid model with at most `max_width` inputs and neurons per layer and
/// `max_layers` layers (body and head); `None` if the draw fails validation.
pub(crate) fn random_model(rng: &mut Rng, max_width: usize, max_layers: usize) -> Option<Model> {
    let scale_bits = 1 + rng.below(20) as u32;
    let one = 1i64 << scale_bits;
    let input_len = 1 + rng.small_len(max_width - 1);
    let input_bound = ((1i64 << rng.below(41)) + rng.below(3) as i64 - 1).clamp(1, 1 << 40);
    let num_layers = 1 + rng.below(max_layers);
    let mut layers = Vec::new();
    let mut width = input_len;
    let small = |rng: &mut Rng, m: i64| if m <= 0 { 0 } else { rng.below(2 * m as usize + 1) as i64 - m };
    for i in 0..num_layers {
        let last = i + 1 == num_layers;
        let dense = i == 0 || last || rng.chance(1, 3);
        if dense {
            let out = 1 + rng.small_len(max_width - 1);
            // Weights around 2^s / in, so that values stay bounded through deep stacks.
            let m = if rng.chance(1, 8) { one } else { (one / width as i64).max(1) };
            let weights = (0..width * out).map(|_| if rng.chance(1, 4) { 0 } else { small(rng, m) }).collect();
            let bias = (0..out).map(|_| small(rng, one * one)).collect();
            layers.push(Layer::Dense { in_dim: width, out_dim: out, weights, bias });
            width = out;
        } else {
            layers.push(match rng.below(3) {
                0 => Layer::Relu,
                1 => Layer::LeakyRelu { alpha: small(rng, one) },
                _ => {
                    let a = small(rng, 4 * one);
                    let b = small(rng, 4 * one);
                    Layer::Clip { min: a.min(b), max: a.max(b) }
                }
            });
        }
    }
    if rng.chance(1, 2) {
        layers.push(match rng.below(4) {
            0 => Layer::Sigmoid,
            1 => Layer::Tanh,
            2 => Layer::Softmax,
            _ => Layer::ArgMax,
        });
    }
    let out = if matches!(layers.last(), Some(Layer::ArgMax)) { 1 } else { width };
    let decision = if rng.chance(1, 2) {
        Decision::Threshold { index: rng.below(out), threshold: small(rng, one) }
    } else {
        let labels = if rng.chance(1, 2) { vec![] } else { (0..width).map(|i| format!("c{i}")).collect() };
        Decision::ArgMax { labels }
    };
    // Some inputs with a narrower domain: an interval, or integers when 2^s ≤ bound.
    let mut input_domains = zkpolicy_core::frontend::model::InputDomains::default();
    let ends = |rng: &mut Rng, max: i64| {
        let lo = rng.below(2 * max as usize) as i64 - max;
        (lo, lo + 1 + rng.below((max - lo) as usize) as i64)
    };
    for i in 0..input_len {
        if !rng.chance(1, 4) {
            continue;
        }
        let max_integer = input_bound >> scale_bits;
        let domain = if max_integer >= 1 && rng.chance(1, 2) {
            let (lo, hi) = ends(rng, max_integer);
            InputDomain::Integers { lo, hi }
        } else {
            let (lo, hi) = ends(rng, input_bound);
            InputDomain::Interval { lo, hi }
        };
        if domain != InputDomain::default_for(input_bound) {
            input_domains.insert(i, domain);
        }
    }
    let model = Model { scale_bits, input_len, input_bound, input_domains, layers, decision };
    model.validate().ok().map(|_| model)
}

/// `VerifierKey::from_bytes` and `ProvingKey::from_bytes` on keys of random valid
/// models (up to 96 wide, 12 layers), sometimes mutated once. Reports the
/// amplification (decode peak per key byte); an eighth of the accepted proving keys
/// with small circuits also prove and verify a random in-range input.
pub(crate) fn generated_keys<'a>(name: &'static str, weight: u64, pool: &'a Pool) -> Target<'a> {
    // `key_file` writes small-profile keys: they must equal setup's small keys in the
    // pool, or this target would fuzz keys of a layout no reader has (it once silently
    // fell back to the seed keys for five formats).
    let small: Vec<&KeyCase> = pool.keys.iter().filter(|k| k.vk.profile() == policy::Profile::Small).collect();
    assert!(
        !small.is_empty()
            && small.iter().all(|k| {
                key_file(policy::files::VK_MAGIC, &k.model, &k.vis, POLICY_NAME) == k.vk_bytes
                    && key_file(policy::files::PK_MAGIC, &k.model, &k.vis, POLICY_NAME) == k.pk_bytes
            }),
        "{name}: tests/support/key_file.rs no longer writes the key files setup writes (its names, profile or policy name)"
    );
    let vk_seeds = key_seeds(pool, false);
    let fixed = 4 * pool.max_pk_peak() + MIB;
    Target {
        name,
        weight,
        bound: key_bound_text(PK_PER_ROW, fixed),
        gen: Box::new(move |rng| {
            let pk = rng.chance(1, 2);
            let model = (0..8).find_map(|_| random_model(rng, 96, 12));
            let mut bytes = match model {
                Some(m) => {
                    let mut committed = 0;
                    let list = (0..m.input_len)
                        .map(|_| match rng.below(3) {
                            0 => Visibility::Public,
                            2 if committed < 255 => {
                                committed += 1;
                                Visibility::Committed
                            }
                            _ => Visibility::Private,
                        })
                        .collect();
                    let magic = if pk { policy::files::PK_MAGIC } else { policy::files::VK_MAGIC };
                    key_file(magic, &m, &InputVisibility::from_list(list), POLICY_NAME)
                }
                None => rng.pick(&vk_seeds).bytes.clone(),
            };
            if rng.chance(1, 2) {
                let seed = key_seed(
                    &bytes,
                    &codec::decode(&bytes[10..10 + u32::from_le_bytes(bytes[6..10].try_into().unwrap()) as usize])
                        .unwrap(),
                );
                bytes = mutate(rng, &[seed], 6).0;
            }
            let mut c = Case::new(bytes, 0);
            c.note = if pk { format!("pk {}", rng.below(8)) } else { "vk".into() };
            c
        }),
        check: Box::new(move |case, probe| {
            let b = &case.bytes;
            if case.note == "vk" {
                let r = probe.measure_by(
                    "decode",
                    || VerifierKey::from_bytes(b),
                    |r| {
                        key_bound(b, fixed, VK_PER_ROW, r.as_ref().ok().map(|k| (k.num_constraints(), k.num_witness())))
                    },
                );
                if let Ok(vk) = &r {
                    if vk.to_bytes() != *b {
                        return Err(fail("accepted a non-canonical verifier key (re-encodes differently)"));
                    }
                }
                return Ok(outcome(&r));
            }
            let r = probe.measure_by(
                "decode",
                || ProvingKey::from_bytes(b),
                |r| {
                    let size =
                        r.as_ref().ok().map(|k| (k.verifier_key().num_constraints(), k.verifier_key().num_witness()));
                    key_bound(b, fixed, PK_PER_ROW, size)
                },
            );
            if let Ok(pk) = &r {
                if pk.to_bytes() != *b {
                    return Err(fail("accepted a non-canonical proving key (re-encodes differently)"));
                }
                // Completeness on a random model: prove a random in-range input, verify it.
                if case.note == "pk 0" && pk.verifier_key().num_constraints() < 20_000 {
                    let m = pk.model();
                    let mut rng = StdRng::seed_from_u64(b.len() as u64);
                    // Each input a value of its domain (a validated model's lie within ±2^40).
                    let input: Vec<i64> = (0..m.input_len)
                        .map(|i| {
                            let lattice = m.domain(i).lattice(m.scale_bits);
                            lattice.step * (lattice.start + rng.gen_range(0..=lattice.span) as i64)
                        })
                        .collect();
                    match try_prove(pk, &input, &mut rng) {
                        Ok(p) => {
                            if let Err(e) = verify(pk.verifier_key(), &p) {
                                return Err(fail(format!("a proof for a generated model does not verify: {e}")));
                            }
                        }
                        Err(e) => return Err(fail(format!("a generated model cannot prove an in-range input: {e}"))),
                    }
                }
            }
            Ok(outcome(&r))
        }),
    }
}
