//! Policy-level forgeries from a malicious prover, for the native verifier and the wasm
//! one (issue 12: "the swap and every malicious-prover test are rejected in Rust and
//! in wasm").
//!
//! Each forgery is a real [`PolicyProof`] (format 3) for a real policy key, made by the
//! real Spartan prover driven through the hooks of `spartan::adversary` (the toolkit of
//! `spartan::adversary_tests`) on the policy key's own Spartan key: the cheating prover's
//! Fiat–Shamir transcript is consistent with every message it sends. A few forgeries
//! edit the policy layer's fields instead (context digest, key digest, public values),
//! which no transcript covers but the verifier's own statement does.
//!
//! `adversarial_policy_proofs_are_rejected_natively` checks every one against
//! `policy::verify`, with the exact error. `write_adversarial_fixtures` (ignored; run by
//! `scripts/test-wasm.sh` with `ZKP_ADVERSARIAL_DIR` set) also writes them, with the
//! keys and a `manifest.json`, for `verifier-wasm/test/adversarial.test.mjs`, which
//! checks that the wasm verifier gives the same `reason` and the expected `code`.
//!
//! The key: the `tiny` model of `policy::tests` (3 inputs, a sigmoid threshold), input 0
//! public, input 1 committed, input 2 private. With inputs 0 and 2 fixed, the committed
//! input decides: `APPROVE` (input 1 = 0) is approved, [`DENIED`] (input 1 = 768) is
//! denied.

use super::report::{Rejection, Step};
use super::tests::{model, APPROVE};
use super::*;
use crate::frontend::model::{EvalError, InputDomain};
use crate::snark::error::{FormatError, SumcheckKind, VerifyError};
use crate::snark::pedersen::random_scalar;
use crate::snark::r1cs::fr_from_i64;
use crate::snark::spartan::adversary::{
    bump, format2_verdict, gen, is_evaluation, prove_with_adversary, row_len, sigma_lie, swap_attack, Cheat, Recording,
    SigmaLie, SigmaStep, SwapStep6,
};
use ark_bn254::Fr;
use ark_ff::{BigInteger, Field, PrimeField};
use ark_serialize::CanonicalSerialize;
use rand::rngs::{OsRng, StdRng};
use rand::SeedableRng;
use serde_json::json;

/// Input 0 public, input 1 committed, input 2 private.
const VISIBILITY: &str = "public=0,committed=1";
/// The same model with input 1 private: another key, with the same public inputs.
const OTHER_VISIBILITY: &str = "public=0";
/// The request the committed-input value of [`DENIED`] makes the policy deny.
const DENIED: [i64; 3] = [APPROVE[0], 768, APPROVE[2]];
/// The committed input.
const COMMITTED_INPUT: usize = 1;
/// The request contexts the proofs are bound to.
const CONTEXT_A: &[u8] = b"payment 0001: 12.50 EUR to shop 7";
const CONTEXT_B: &[u8] = b"payment 0002: 12.50 EUR to shop 7";

/// The key a forgery is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    /// The key the proofs are made for ([`VISIBILITY`]).
    Policy,
    /// The same model under [`OTHER_VISIBILITY`].
    Other,
}

impl Key {
    fn file(self) -> &'static str {
        match self {
            Key::Policy => "policy.vk",
            Key::Other => "other-visibility.vk",
        }
    }
}

/// One proof, and what every verifier must say about it.
struct Forgery {
    name: &'static str,
    description: &'static str,
    bytes: Vec<u8>,
    key: Key,
    context: Option<&'static [u8]>,
    /// `Ok(verdict)` for the honest controls, else the exact error of `policy::verify`
    /// (of decoding, for a malformed proof).
    expected: Result<Verdict, PolicyError>,
}

impl Forgery {
    /// A proof checked against the policy key with context A.
    fn new(name: &'static str, description: &'static str, proof: &PolicyProof, expected: PolicyError) -> Self {
        Forgery {
            name,
            description,
            bytes: proof.to_bytes(),
            key: Key::Policy,
            context: Some(CONTEXT_A),
            expected: Err(expected),
        }
    }

    fn with_key(self, key: Key) -> Self {
        Forgery { key, ..self }
    }

    fn with_context(self, context: Option<&'static [u8]>) -> Self {
        Forgery { context, ..self }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The keys, the approved and denied assignments, and the issuer's blind for the
/// committed input.
struct Forger {
    pk: ProvingKey,
    other: VerifierKey,
    approved: Assignment,
    denied: Assignment,
    blinds: Vec<Fr>,
}

impl Forger {
    fn new() -> Self {
        // The public input is an integer count 0..=3 (scale 2^8: 0, 256, 512 or 768).
        let mut model = model(0);
        model.input_domains.insert(0, InputDomain::Integers { lo: 0, hi: 3 });
        let visibility = InputVisibility::parse(VISIBILITY, 3).unwrap();
        assert_eq!(visibility.as_slice(), [Visibility::Public, Visibility::Committed, Visibility::Private]);
        let (pk, vk) = setup(&model, &visibility, &Names::indexed("test", model.input_len)).unwrap();
        let (_, other) = setup(
            &model,
            &InputVisibility::parse(OTHER_VISIBILITY, 3).unwrap(),
            &Names::indexed("test", model.input_len),
        )
        .unwrap();
        // The committed input decides the request.
        let decide = |input: &[i64]| model.decide(model.eval(input).unwrap().output());
        assert_eq!((decide(&APPROVE), decide(&DENIED)), (Verdict::Approve, Verdict::Deny));
        assert!(APPROVE.iter().zip(&DENIED).enumerate().all(|(i, (a, d))| (a == d) == (i != COMMITTED_INPUT)));
        // Hidden input 0 (input 1) is witness index 0.
        assert_eq!(vk.committed_witness_indices(), [0]);
        let blinds = vec![random_scalar(&mut StdRng::seed_from_u64(0x155e12))];
        Forger { approved: pk.assign(&APPROVE).unwrap(), denied: pk.assign(&DENIED).unwrap(), pk, other, blinds }
    }

    fn vk(&self) -> &VerifierKey {
        &self.pk.vk
    }

    fn snark_vk(&self) -> &spartan::VerifyingKey {
        self.pk.snark.verifying_key()
    }

    /// The issuer's commitment to the committed input of `input`, with the blind the
    /// prover is given.
    fn issued(&self, input: &[i64; 3]) -> G1Affine {
        commit_input(input[COMMITTED_INPUT], self.blinds[0])
    }

    /// The honest proof of `a`.
    fn honest(&self, a: &Assignment, context: Option<&[u8]>) -> PolicyProof {
        self.pk.prove_assignment(a, &self.blinds, context).unwrap()
    }

    /// The Spartan statement `policy::verify` checks for `a`'s public values.
    fn statement<'a>(&self, a: &'a Assignment, committed: &'a [usize], context: &'a [u8]) -> spartan::Statement<'a> {
        spartan::Statement { public: &a.public, committed, context }
    }

    /// The cheating prover on the assignment `a` (whose trace gives the public inputs
    /// and logits the proof shows), bound to `context`, with the issuer's blinds.
    fn forge(&self, a: &Assignment, context: Option<&[u8]>, mut cheat: Cheat<'_>) -> PolicyProof {
        let committed = self.vk().committed_witness_indices();
        let digest = context.map(context_digest);
        let statement = self.statement(a, &committed, digest.as_ref().map_or(&[], |d| d.as_slice()));
        let snark = prove_with_adversary(
            &self.pk.snark,
            statement,
            &a.witness,
            &self.blinds,
            &mut cheat,
            &mut Recording::new(),
            &mut OsRng,
        )
        .expect("the cheating prover produces a proof");
        PolicyProof {
            key_digest: self.vk().digest(),
            context_digest: digest,
            input: self.pk.public_input(&a.trace.input),
            logits: a.trace.logits().to_vec(),
            snark,
        }
    }

    /// The committed-input swap of format 2 (`spartan::adversary::swap_attack`) on the
    /// approved request, its value commitment the issuer's commitment to the denied one.
    fn swap(&self, step6: SwapStep6) -> PolicyProof {
        let committed = self.vk().committed_witness_indices();
        let r = row_len(self.snark_vk());
        let mut rng = StdRng::seed_from_u64(2024);
        let mut shift: Vec<Fr> = (0..r).map(|_| random_scalar(&mut rng)).collect();
        // The shifted rows hold the denied value at the committed index.
        let j = committed[0];
        shift[j % r] = self.approved.witness[j] - fr_from_i64(DENIED[COMMITTED_INPUT]);
        let proof = self.forge(&self.approved, Some(CONTEXT_A), swap_attack(&committed, r, &shift, step6));
        assert_eq!(proof.snark.value_commitments(), [self.issued(&DENIED)], "{step6:?}: the issued commitment");
        proof
    }
}

/// Every forgery, and two honest controls. What bytes cannot carry is checked here in
/// memory: the swap with format 2's one-block step 6 passes format 2's verifier (a proof
/// that approves, showing the issuer's commitment to the denied value) and fails format 4's.
fn forgeries(f: &Forger) -> Vec<Forgery> {
    let final_checks = || PolicyError::Rejected(VerifyError::FinalEvaluations);
    let link = || PolicyError::CommittedInput { input: COMMITTED_INPUT };
    let digest_a = context_digest(CONTEXT_A);
    let (a, d) = (&f.approved, &f.denied);
    let committed = f.vk().committed_witness_indices();
    let r = row_len(f.snark_vk());
    let mut out = Vec::new();

    // Controls: the honest proofs of both requests, each showing the issuer's commitment.
    let approve = f.honest(a, Some(CONTEXT_A));
    let deny = f.honest(d, Some(CONTEXT_A));
    assert_eq!(deny.snark.value_commitments(), [f.issued(&DENIED)]);
    for (name, description, proof, verdict) in [
        ("honest-approve", "control: the honest proof of the approved request", &approve, Verdict::Approve),
        (
            "honest-deny",
            "control: the honest proof of the denied request (the issued commitment)",
            &deny,
            Verdict::Deny,
        ),
    ] {
        out.push(Forgery { expected: Ok(verdict), ..Forgery::new(name, description, proof, final_checks()) });
    }

    // (a) The committed-input swap of format 2, lifted to the policy key. With format 2's
    // step-6 proof (one segment opening C_u + C_p) format 2 accepts it: the proof approves
    // while showing the issuer's commitment to the denied value. Today's verifier opens
    // C_u + mu*C_p and rejects it.
    let merged = f.swap(SwapStep6::Merged);
    let statement = f.statement(a, &committed, &digest_a);
    assert_eq!(format2_verdict(f.snark_vk(), statement, &merged.snark), Ok(()), "format 2 accepts the swap");
    assert_eq!(f.vk().model().decide(&f.vk().model().eval_head(&merged.logits).unwrap()), Verdict::Approve);
    out.push(Forgery::new(
        "swap-format2-merged",
        "the committed-input swap with format 2's step 6 (one segment opening C_u + C_p), which format 2 accepts",
        &merged,
        final_checks(),
    ));
    out.push(Forgery::new(
        "swap-format2",
        "the committed-input swap: rows committed as W - c, C_p carrying +<c, G_row>, steps 1-6 on the approved \
         witness W, the link to W - c, the value commitment the issuer's commitment to the denied value; step 6 \
         in today's two segments at the honest openings (u, mu*p)",
        &f.swap(SwapStep6::Honest),
        final_checks(),
    ));
    out.push(Forgery::new(
        "swap-shifted",
        "the committed-input swap, step 6 opening what the rows commit to (u - c) on the row generators",
        &f.swap(SwapStep6::Shifted),
        final_checks(),
    ));
    out.push(
        Forgery::new("swap-format2-other-key", "the swap checked against another key", &f.swap(SwapStep6::Honest), {
            let (proof, key) = (hex_digest(&f.vk().digest()), hex_digest(&f.other.digest()));
            PolicyError::WrongKey { proof, key }
        })
        .with_key(Key::Other),
    );

    // (b) One deviation per protocol step.
    let mut other_public = a.public.clone();
    other_public[0] += Fr::ONE;
    let steps: Vec<(&'static str, &'static str, Cheat<'_>, PolicyError)> = vec![
        (
            "step0-public-values-bound",
            "step 0: the transcript binds other public values than the proof shows",
            Cheat { bound: Some((other_public, committed.clone(), digest_a.to_vec())), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step0-context-bound",
            "step 0: the transcript binds context B, the proof names context A",
            Cheat {
                bound: Some((a.public.clone(), committed.clone(), context_digest(CONTEXT_B).to_vec())),
                ..Cheat::default()
            },
            final_checks(),
        ),
        (
            "step0-committed-value",
            "step 0: the value commitment is the issuer's commitment to the denied value, the rows honest",
            Cheat {
                committed_values: Some(Box::new(|v| v[0] = fr_from_i64(DENIED[COMMITTED_INPUT]))),
                ..Cheat::default()
            },
            link(),
        ),
        (
            "step0-extra-value-commitment",
            "step 0: one value commitment more than the key commits to",
            Cheat { value_commitments: Some(Box::new(|c| c.push(c[0]))), ..Cheat::default() },
            PolicyError::Rejected(VerifyError::Malformed { what: "committed values", expected: 1, got: 2 }),
        ),
        (
            "step1-row-commitment",
            "step 1: row commitment 0 shifted by G_0",
            Cheat { row_commitments: Some(Box::new(|c| bump(&mut c[0], gen(0)))), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step1-mask-commitment",
            "step 1: the mask commitment shifted by G_R",
            Cheat { mask_commitment: Some(Box::new(move |c| bump(c, gen(r)))), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step2-outer-mask-sum",
            "step 2: S1 + 1",
            Cheat { outer_mask_sum: Some(Box::new(|s| *s += Fr::ONE)), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step2-outer-round",
            "step 2: round 0 of sumcheck #1, h(2) + 1",
            Cheat {
                round: Some(Box::new(|kind, round, msg| {
                    if (kind, round) == (SumcheckKind::Outer, 0) {
                        msg[1] += Fr::ONE;
                    }
                })),
                ..Cheat::default()
            },
            final_checks(),
        ),
        (
            "step3-outer-claims",
            "step 3: v_A + 1",
            Cheat { outer_claims: Some(Box::new(|c| c[0] += Fr::ONE)), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step4-inner-mask-sum",
            "step 4: S2 + 1",
            Cheat { inner_mask_sum: Some(Box::new(|s| *s += Fr::ONE)), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step4-inner-round",
            "step 4: round 1 of sumcheck #2, h(0) + 1",
            Cheat {
                round: Some(Box::new(|kind, round, msg| {
                    if (kind, round) == (SumcheckKind::Inner, 1) {
                        msg[0] += Fr::ONE;
                    }
                })),
                ..Cheat::default()
            },
            final_checks(),
        ),
        (
            "step5-witness-eval",
            "step 5: v_W + 1",
            Cheat { witness_eval: Some(Box::new(|v| *v += Fr::ONE)), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step6-first-message",
            "step 6: the final message delta shifted before it is absorbed",
            Cheat { dot_product: sigma_lie(is_evaluation, SigmaLie::Delta), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step6-response",
            "step 6: the response z + 1",
            Cheat { dot_product: sigma_lie(is_evaluation, SigmaLie::Z), ..Cheat::default() },
            final_checks(),
        ),
        (
            "step7-link-other-value",
            "step 7: an honest link proof for another value (C_y's blind off by one)",
            Cheat {
                dot_product: sigma_lie(|s| s == SigmaStep::Link { row: 0, position: 0 }, SigmaLie::BlindY),
                ..Cheat::default()
            },
            link(),
        ),
        (
            "step7-link-response",
            "step 7: the link proof's response z_blind + 1",
            Cheat {
                dot_product: sigma_lie(|s| s == SigmaStep::Link { row: 0, position: 0 }, SigmaLie::ZBlind),
                ..Cheat::default()
            },
            link(),
        ),
    ];
    for (name, description, cheat, expected) in steps {
        out.push(Forgery::new(name, description, &f.forge(a, Some(CONTEXT_A), cheat), expected));
    }
    // The denied request's witness proven (unchecked) for the approved request's logits.
    let claimed = Assignment { trace: a.trace.clone(), public: a.public.clone(), witness: d.witness.clone() };
    let unsatisfied = f.forge(&claimed, Some(CONTEXT_A), Cheat { unsatisfied: true, ..Cheat::default() });
    out.push(Forgery::new(
        "unsatisfied-denied-as-approved",
        "steps 1-7 honest on the denied request's witness, the statement the approved request's logits",
        &unsatisfied,
        final_checks(),
    ));

    // (c) Contexts.
    let wrong_context = |proof: Option<&[u8]>, given: Option<&[u8]>| PolicyError::WrongContext {
        proof: proof.map(|c| hex_digest(&context_digest(c))),
        given: given.map(|c| hex_digest(&context_digest(c))),
    };
    out.push(
        Forgery::new("context-a-checked-with-b", "bound to context A, checked with context B", &approve, {
            wrong_context(Some(CONTEXT_A), Some(CONTEXT_B))
        })
        .with_context(Some(CONTEXT_B)),
    );
    out.push(
        Forgery::new("context-a-checked-without", "bound to context A, checked without a context", &approve, {
            wrong_context(Some(CONTEXT_A), None)
        })
        .with_context(None),
    );
    out.push(Forgery::new(
        "context-none-checked-with-a",
        "bound to no context, checked with context A",
        &f.honest(a, None),
        wrong_context(None, Some(CONTEXT_A)),
    ));
    let mut relabelled = approve.clone();
    relabelled.context_digest = Some(context_digest(CONTEXT_B));
    out.push(
        Forgery::new(
            "context-relabelled-to-b",
            "bound to context A, its context digest field relabelled to B, checked with B",
            &relabelled,
            final_checks(),
        )
        .with_context(Some(CONTEXT_B)),
    );
    let mut stripped = approve.clone();
    stripped.context_digest = None;
    out.push(
        Forgery::new("context-stripped", "bound to context A, its context removed, checked without", &stripped, {
            final_checks()
        })
        .with_context(None),
    );

    // (d) Public values.
    // Beyond ±input_bound, and within it but not one of its domain's values (the
    // public input is an integer count: a multiple of 2^s).
    let model = f.vk().model();
    for (name, description, value) in [
        ("public-input-out-of-range", "the public input set to input_bound + 1", model.input_bound + 1),
        ("public-input-off-domain", "the public input (an integer count) set to its value plus 2^-s", APPROVE[0] + 1),
    ] {
        let mut forged = approve.clone();
        forged.input[0] = value;
        let (scale_bits, domain) = (model.scale_bits, "the integers 0..=3".to_owned());
        let expected = EvalError::InputRange { index: 0, value, scale_bits, domain };
        out.push(Forgery::new(name, description, &forged, PolicyError::PublicValues(expected)));
    }
    let mut extra_input = approve.clone();
    extra_input.input.push(0);
    out.push(Forgery::new(
        "public-input-count",
        "one public input more than the key makes public",
        &extra_input,
        PolicyError::PublicValues(EvalError::InputLength { expected: 1, got: 2 }),
    ));
    let mut extra_logit = approve.clone();
    extra_logit.logits.push(0);
    out.push(Forgery::new(
        "logits-count",
        "one logit more than the model has",
        &extra_logit,
        PolicyError::PublicValues(EvalError::InputLength { expected: 1, got: 2 }),
    ));
    let mut no_logits = approve.clone();
    no_logits.logits.clear();
    out.push(Forgery::new(
        "logits-none",
        "no logits",
        &no_logits,
        PolicyError::PublicValues(EvalError::InputLength { expected: 1, got: 0 }),
    ));
    let mut relabelled_logits = deny.clone();
    relabelled_logits.logits = approve.logits.clone();
    assert_ne!(deny.logits, approve.logits);
    out.push(Forgery::new(
        "denied-logits-relabelled",
        "the denied request's proof with the approved request's logits",
        &relabelled_logits,
        final_checks(),
    ));

    // Keys.
    let mut relabelled_key = approve.clone();
    relabelled_key.key_digest = f.other.digest();
    out.push(
        Forgery::new(
            "key-digest-relabelled",
            "the key digest relabelled to another key of the same model (input 1 private there)",
            &relabelled_key,
            PolicyError::Rejected(VerifyError::Malformed { what: "committed values", expected: 0, got: 1 }),
        )
        .with_key(Key::Other),
    );

    // Malformed: v_W written as v_W + p, the same value mod p, not canonical.
    let mut noncanonical = Forgery::new(
        "noncanonical-scalar",
        "v_W encoded as v_W + p (the same field element, not canonical)",
        &approve,
        PolicyError::ProofFormat(FormatError::Invalid { what: "Spartan proof" }),
    );
    let mut canonical = Vec::new();
    approve.snark.witness_eval.serialize_compressed(&mut canonical).unwrap();
    let mut shifted = approve.snark.witness_eval.into_bigint();
    assert!(!shifted.add_with_carry(&Fr::MODULUS));
    let at: Vec<usize> =
        (0..noncanonical.bytes.len() - 31).filter(|&i| noncanonical.bytes[i..i + 32] == canonical[..]).collect();
    assert_eq!(at.len(), 1, "v_W occurs once in the proof");
    noncanonical.bytes[at[0]..at[0] + 32].copy_from_slice(&shifted.to_bytes_le());
    out.push(noncanonical);
    out
}

/// Checks each forgery natively, from its bytes and the key's bytes, as the wasm
/// verifier will: the exact error (or verdict), and the code the error maps to.
/// Returns the manifest.
fn check_natively(f: &Forger, forgeries: &[Forgery]) -> serde_json::Value {
    let keys = [Key::Policy, Key::Other].map(|k| {
        let bytes = match k {
            Key::Policy => f.vk().to_bytes(),
            Key::Other => f.other.to_bytes(),
        };
        (k, VerifierKey::from_bytes(&bytes).unwrap())
    });
    let mut names = std::collections::HashSet::new();
    let entries: Vec<serde_json::Value> = forgeries
        .iter()
        .map(|forgery| {
            assert!(names.insert(forgery.name), "{} twice", forgery.name);
            let vk = &keys.iter().find(|(k, _)| *k == forgery.key).unwrap().1;
            let result = PolicyProof::from_bytes(&forgery.bytes)
                .map_err(|e| (e, Step::ReadProof(&forgery.bytes)))
                .and_then(|p| verify(vk, &p, forgery.context).map_err(|e| (e, Step::Check)));
            let name = forgery.name;
            let (valid, code, reason, decision) = match (&forgery.expected, result) {
                (Ok(verdict), Ok(v)) => {
                    assert_eq!(&v.verdict, verdict, "{name}");
                    (true, None, None, Some(verdict.to_string()))
                }
                (Err(expected), Err((err, step))) => {
                    assert_eq!(&err, expected, "{name}");
                    let rejection = Rejection::new(&err, step);
                    (false, Some(rejection.code), Some(rejection.reason), None)
                }
                (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
            };
            json!({
                "name": name,
                "description": forgery.description,
                "proof": format!("{name}.proof"),
                "vk": forgery.key.file(),
                "context": forgery.context.map(hex),
                "valid": valid,
                "code": code,
                "reason": reason,
                "decision": decision,
            })
        })
        .collect();
    json!({
        "format": "zkpolicy-adversarial-fixtures",
        "version": 1,
        "proof_format_version": crate::snark::encoding::FORMAT_VERSION,
        "model": f.vk().names().policy,
        "visibility": VISIBILITY,
        "other_visibility": OTHER_VISIBILITY,
        "fixtures": entries,
    })
}

/// Every forged policy proof is rejected by `policy::verify` with the exact error, from
/// its bytes; the controls verify.
#[test]
fn adversarial_policy_proofs_are_rejected_natively() {
    let f = Forger::new();
    let forgeries = forgeries(&f);
    assert!(forgeries.len() >= 30);
    check_natively(&f, &forgeries);
}

/// Writes the forgeries, the keys and `manifest.json` to `$ZKP_ADVERSARIAL_DIR` (for the
/// wasm tests; `scripts/test-wasm.sh` runs this), after checking them natively.
#[test]
#[ignore = "writes the wasm fixtures; run by scripts/test-wasm.sh with ZKP_ADVERSARIAL_DIR set"]
fn write_adversarial_fixtures() {
    let f = Forger::new();
    let forgeries = forgeries(&f);
    let manifest = check_natively(&f, &forgeries);
    let Some(dir) = std::env::var_os("ZKP_ADVERSARIAL_DIR") else {
        eprintln!("ZKP_ADVERSARIAL_DIR is not set: checked natively, nothing written");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(Key::Policy.file()), f.vk().to_bytes()).unwrap();
    std::fs::write(dir.join(Key::Other.file()), f.other.to_bytes()).unwrap();
    for forgery in &forgeries {
        std::fs::write(dir.join(format!("{}.proof", forgery.name)), &forgery.bytes).unwrap();
    }
    std::fs::write(dir.join("manifest.json"), serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    eprintln!("wrote {} adversarial fixtures to {}", forgeries.len(), dir.display());
}
