//! A malicious-prover harness (issue 12 §6). The real prover, driven through the
//! [`Adversary`] hooks of `prover.rs`, deviates at one step, and each test checks that
//! the verifier rejects the proof with the exact [`VerifyError`] of the check that step
//! answers to (`docs/PROTOCOL-zk.md` §5, "Checks and errors").
//!
//! A deviation is made before its message is absorbed. The cheating prover's transcript
//! and every later challenge follow from it, as for a real cheating prover. Bytes are
//! not changed after the fact. [`Recording`] makes this checkable: the verifier must draw
//! exactly the cheating prover's challenges up to the check that fails.
//!
//! * [`Cheat`]: the hooks as optional closures, all honest by default (the toolkit is
//!   `spartan::adversary`, shared with the policy-level forgeries of
//!   `policy::adversary_fixtures`, which the wasm verifier is tested on too).
//! * One test per check: the length checks, then steps 0 to 7.
//! * The committed-input swap of issue 12 §1 ([`swap_attack`]). Formats 3 and 4 reject it,
//!   and a re-creation of format 2's step 6 ([`format2_verdict`]) accepts it, so the
//!   test would catch the bug coming back.
//! * Siblings of the swap, where two checks see the same commitments on different
//!   generators or in different combinations, and deviations that are harmless and
//!   rightly accepted.

use super::adversary::*;
use super::data_structures::{mask_len, Proof, INNER_DEGREE, OUTER_DEGREE};
use super::tests::common::{random_instance, Values};
use super::verifier::verify_with;
use super::*;
use crate::snark::error::{SumcheckKind, VerifyError};
use crate::snark::pedersen::generators::{blinding_generator, message_generators, value_generator};
use crate::snark::pedersen::{commit_value, commit_vector, random_scalar};
use crate::snark::sigma::labels as sigma;
use crate::snark::sigma::{Argument, Segment};
use crate::snark::transcript::Transcript;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::Zero;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand::rngs::{OsRng, StdRng};
use rand::SeedableRng;
use std::cell::RefCell;

// ---------------------------------------------------------------------------------
// The instance, and running a cheating prover against the verifier.
// ---------------------------------------------------------------------------------

/// The context every statement of these tests is bound to.
const CONTEXT: &[u8] = b"request 42";

struct Fixture {
    pk: ProvingKey,
    vk: VerifyingKey,
    public: Vec<Fr>,
    witness: Vec<Fr>,
    committed: Vec<usize>,
    blinds: Vec<Fr>,
}

/// A random instance of 70 witness values (with the gadget's, 8 Hyrax rows of
/// `R = 16`) with three committed values: two in row 0 (indices 0 and 2) and one in
/// row 1 (index 17). One added constraint pins the first committed value up to sign,
/// `w_0 · w_0 = W_0²·1`, so a committed input other than `±W_0` is one the "policy"
/// denies: no satisfying witness has it.
fn fixture() -> Fixture {
    fixture_with(Profile::Small)
}

/// [`fixture`] under a key of `profile`: `small` has 8 rows of 16, `fast` 16 rows of 8
/// (the committed values then lie in rows 0 and 2) and the linear argument.
fn fixture_with(profile: Profile) -> Fixture {
    let inst = random_instance(8, 60, 3, 70, Values::Small);
    let mut r1cs = inst.r1cs;
    let (pin, w0) = (r1cs.num_constraints, r1cs.witness_col(0));
    r1cs.num_constraints += 1;
    r1cs.a.push(pin, w0, Fr::ONE);
    r1cs.b.push(pin, w0, Fr::ONE);
    r1cs.c.push(pin, 0, inst.witness[0].square());
    assert_eq!(r1cs.is_satisfied(&inst.public, &inst.witness), Ok(()));
    let (pk, vk) = preprocess(r1cs, profile, None).unwrap();
    let split = if profile == Profile::Small { (8, 16) } else { (16, 8) };
    assert_eq!((vk.data.hyrax.num_rows(), vk.data.hyrax.row_len()), split);
    let mut rng = StdRng::seed_from_u64(12);
    let blinds = (0..3).map(|_| random_scalar(&mut rng)).collect();
    Fixture { pk, vk, public: inst.public, witness: inst.witness, committed: vec![0, 2, 17], blinds }
}

impl Fixture {
    fn statement(&self) -> Statement<'_> {
        Statement { public: &self.public, committed: &self.committed, context: CONTEXT }
    }

    fn row_len(&self) -> usize {
        self.vk.data.hyrax.row_len()
    }

    fn num_rows(&self) -> usize {
        self.vk.data.hyrax.num_rows()
    }

    /// `L`, the number of mask coefficients.
    fn mask_len(&self) -> usize {
        let shape = self.vk.data.shape;
        mask_len(shape.row_vars, shape.witness_vars)
    }

    /// Runs the cheating prover on this fixture's statement (which `cheat` may bind
    /// differently) and returns its proof and challenges.
    fn prove(&self, cheat: &mut Cheat<'_>) -> (Proof, Recording) {
        self.prove_for(self.statement(), cheat)
    }

    fn prove_for(&self, statement: Statement<'_>, cheat: &mut Cheat<'_>) -> (Proof, Recording) {
        let mut transcript = Recording::new();
        let proof =
            prove_with_adversary(&self.pk, statement, &self.witness, &self.blinds, cheat, &mut transcript, &mut OsRng)
                .expect("the cheating prover produces a proof");
        (proof, transcript)
    }

    /// The real verifier on this fixture's statement, with its challenges.
    fn verify(&self, proof: &Proof) -> (Result<(), VerifyError>, Recording) {
        verify_recorded(&self.vk, self.statement(), proof)
    }
}

/// [`format2_verdict`](super::adversary::format2_verdict) on the fixture's statement.
fn format2_verdict(fx: &Fixture, proof: &Proof) -> Result<(), VerifyError> {
    super::adversary::format2_verdict(&fx.vk, fx.statement(), proof)
}

/// [`link_verdict`](super::adversary::link_verdict) on the fixture's statement.
fn link_verdict(
    fx: &Fixture,
    proof: &Proof,
    transcript: &mut Transcript,
    weights: LinkWeights,
) -> Result<(), VerifyError> {
    super::adversary::link_verdict(&fx.vk, &fx.committed, proof, transcript, weights)
}

/// [`swap_attack`](super::adversary::swap_attack) on the fixture's committed indices.
fn swap_attack<'a>(fx: &'a Fixture, shift: &'a [Fr], step6: SwapStep6) -> Cheat<'a> {
    super::adversary::swap_attack(&fx.committed, fx.row_len(), shift, step6)
}

/// How the verifier's challenges relate to the cheating prover's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Challenges {
    /// The verifier drew exactly the prover's challenges, up to where it stopped: the
    /// deviation went through the transcript.
    Agree,
    /// The prover bound another statement: the verifier's very first challenge differs.
    Diverge,
}

/// Checks that the verifier rejects `proof` with `expected`, and rejects its bytes
/// the same way when the deviation left the proof encodable. Also checks that its
/// challenges relate to the prover's as `challenges` says, and that it stopped at the
/// check the error names: a step-6 or step-7 error comes right after that Σ-proof's challenge.
fn assert_verdict(
    fx: &Fixture,
    proof: &Proof,
    prover: &Recording,
    expected: &VerifyError,
    challenges: Challenges,
    what: &str,
) {
    let (verdict, verifier) = fx.verify(proof);
    assert_eq!(verdict.as_ref(), Err(expected), "{what}");
    let mut body = Vec::new();
    if proof.serialize_compressed(&mut body).is_ok() {
        let decoded = Proof::deserialize_compressed(&body[..]).expect("an encodable proof decodes");
        assert_eq!(fx.verify(&decoded).0.as_ref(), Err(expected), "{what}, decoded");
    }
    let n = verifier.drawn.len();
    match challenges {
        Challenges::Agree => {
            assert!(n <= prover.drawn.len(), "{what}: the verifier drew more challenges than the prover");
            for (v, p) in verifier.drawn.iter().zip(&prover.drawn) {
                assert!(v.label == p.label && v.value == p.value, "{what}: transcripts diverge");
            }
        }
        Challenges::Diverge => {
            assert_ne!(verifier.drawn[0].value, prover.drawn[0].value, "{what}: the statements should differ");
        }
    }
    // The last challenge before the Σ-proof's own (w, the round challenges, c; or w, c).
    let before_sigma = || {
        let sigma_labels =
            [sigma::VALUE_WEIGHT, sigma::ROUND_CHALLENGE, sigma::FINAL_CHALLENGE, sigma::LINEAR_CHALLENGE];
        verifier.drawn.iter().rev().map(|d| &d.label[..]).find(|l| !sigma_labels.contains(l))
    };
    let last = match fx.vk.data.profile.argument() {
        Argument::Logarithmic => sigma::FINAL_CHALLENGE,
        Argument::Linear => sigma::LINEAR_CHALLENGE,
    };
    match expected {
        VerifyError::FinalEvaluations => {
            assert_eq!(verifier.last_label(), Some(last), "{what}");
            assert_eq!(before_sigma(), Some(labels::MASK_SCALE), "{what}");
        }
        VerifyError::CommitmentLink { .. } => {
            assert_eq!(verifier.last_label(), Some(last), "{what}");
            assert_eq!(before_sigma(), Some(labels::LINK_BATCHING), "{what}");
        }
        VerifyError::PublicInputLength { .. } => assert_eq!(n, 0, "{what}"),
        _ => {}
    }
}

/// Runs `cheat` and checks that the verifier rejects it with `expected` (see [`assert_verdict`]).
fn rejects(fx: &Fixture, mut cheat: Cheat<'_>, expected: VerifyError, what: &str) {
    let (proof, prover) = fx.prove(&mut cheat);
    assert_verdict(fx, &proof, &prover, &expected, Challenges::Agree, what);
}

/// Runs `cheat` and checks that the verifier accepts its proof, also decoded from bytes.
fn accepts(fx: &Fixture, mut cheat: Cheat<'_>, what: &str) -> Proof {
    let (proof, _) = fx.prove(&mut cheat);
    assert_eq!(fx.verify(&proof).0, Ok(()), "{what}");
    assert_eq!(fx.verify(&Proof::from_bytes(&proof.to_bytes()).unwrap()).0, Ok(()), "{what}, decoded");
    proof
}

fn malformed(what: &'static str, expected: usize, got: usize) -> VerifyError {
    VerifyError::Malformed { what, expected, got }
}

const FINAL: VerifyError = VerifyError::FinalEvaluations;

fn link(position: usize) -> VerifyError {
    VerifyError::CommitmentLink { position }
}

/// The position of the first committed value in committed value `t`'s Hyrax row (the
/// position a failed link reports): 0 for `t = 0, 1` (row 0), 2 for `t = 2` (row 1).
fn link_position(t: usize) -> usize {
    [0, 0, 2][t]
}

// ---------------------------------------------------------------------------------
// The harness itself.
// ---------------------------------------------------------------------------------

/// Without deviations the harness is the honest prover: with the same randomness it
/// produces the same proof as `prove_with_rng`, which is accepted.
#[test]
fn harness_without_deviations_is_the_honest_prover() {
    let fx = fixture();
    let mut transcript = Recording::new();
    let mut rng = StdRng::seed_from_u64(3);
    let proof = prove_with_adversary(
        &fx.pk,
        fx.statement(),
        &fx.witness,
        &fx.blinds,
        &mut Cheat::default(),
        &mut transcript,
        &mut rng,
    )
    .unwrap();
    let honest = prove_with_rng(&fx.pk, fx.statement(), &fx.witness, &fx.blinds, &mut StdRng::seed_from_u64(3));
    assert_eq!(proof, honest.unwrap());
    let (verdict, verifier) = fx.verify(&proof);
    assert_eq!(verdict, Ok(()));
    // The verifier drew every challenge the prover drew, in order.
    let values = |r: &Recording| r.drawn.iter().map(|d| (d.label.clone(), d.value)).collect::<Vec<_>>();
    assert_eq!(values(&verifier), values(&transcript));
    accepts(&fx, Cheat::default(), "no deviation");
}

// ---------------------------------------------------------------------------------
// The length checks (before anything is absorbed, and per sumcheck).
// ---------------------------------------------------------------------------------

/// `PublicInputLength`: a proof for one public value fewer than the key has (the
/// prover's `z` then holds 0 for the missing value, so it skips the satisfiability check).
#[test]
fn length_check_public_values() {
    let fx = fixture();
    let short = Statement { public: &fx.public[..2], ..fx.statement() };
    let (proof, prover) = fx.prove_for(short, &mut Cheat { unsatisfied: true, ..Cheat::default() });
    let mut verifier = Recording::new();
    assert_eq!(
        verify_with(&fx.vk, short, &proof, &mut verifier, &mut |_| {}),
        Err(VerifyError::PublicInputLength { expected: 3, got: 2 })
    );
    assert!(verifier.drawn.is_empty() && !prover.drawn.is_empty());
}

/// `Malformed { what: "committed index" }`: a commitment to a blinding-gadget column
/// (witness index `num_witness`, which the prover can commit to and open), and a
/// repeated index.
#[test]
fn length_check_committed_indices() {
    let fx = fixture();
    let n = fx.vk.num_witness();
    for (committed, bad) in [(vec![0, 2, 17, n], n), (vec![0, 0, 17], 0)] {
        let statement = Statement { committed: &committed, ..fx.statement() };
        let blinds = vec![Fr::ONE; committed.len()];
        let mut transcript = Recording::new();
        let proof = prove_with_adversary(
            &fx.pk,
            statement,
            &fx.witness,
            &blinds,
            &mut Cheat::default(),
            &mut transcript,
            &mut OsRng,
        )
        .unwrap();
        assert_eq!(verify(&fx.vk, statement, &proof), Err(malformed("committed index", n, bad)), "{committed:?}");
    }
}

/// `Malformed` for the number of value commitments, row commitments, the evaluation
/// proof's responses and the link proofs.
#[test]
fn length_check_components() {
    let fx = fixture();
    let (rows, row_len, l) = (fx.num_rows(), fx.row_len(), fx.mask_len());
    rejects(
        &fx,
        Cheat { value_commitments: Some(Box::new(|c| c.push(c[0]))), ..Cheat::default() },
        malformed("committed values", 3, 4),
        "one value commitment more",
    );
    rejects(
        &fx,
        Cheat { row_commitments: Some(Box::new(|c| c.push(c[0]))), ..Cheat::default() },
        malformed("witness commitment", rows, rows + 1),
        "one row commitment more",
    );
    rejects(
        &fx,
        Cheat {
            row_commitments: Some(Box::new(|c| {
                c.pop();
            })),
            ..Cheat::default()
        },
        malformed("witness commitment", rows, rows - 1),
        "one row commitment fewer",
    );
    // Each inner-product argument's rounds, checked against the key: the evaluation
    // proof folds the segments R and 2^ν_L (max(ν_R, ν_L) + 1 rounds), a link a row.
    let row_rounds = row_len.trailing_zeros() as usize;
    let rounds = row_rounds.max(l.next_power_of_two().trailing_zeros() as usize) + 1;
    type Edit = Box<dyn Fn(&mut Proof)>;
    let edits: Vec<(&str, Edit, VerifyError)> = vec![
        (
            "evaluation: a round fewer",
            Box::new(|p| {
                p.evaluation.logarithmic_mut().l.pop();
                p.evaluation.logarithmic_mut().r.pop();
            }),
            malformed("evaluation proof L rounds", rounds, rounds - 1),
        ),
        (
            "evaluation: an R more",
            Box::new(|p| {
                let extra = p.evaluation.logarithmic_mut().r[0];
                p.evaluation.logarithmic_mut().r.push(extra);
            }),
            malformed("evaluation proof R rounds", rounds, rounds + 1),
        ),
        (
            "evaluation: a round more",
            Box::new(|p| {
                let e = p.evaluation.logarithmic_mut();
                e.l.push(e.l[0]);
                e.r.push(e.r[0]);
            }),
            malformed("evaluation proof L rounds", rounds, rounds + 1),
        ),
        (
            "link: a round fewer",
            Box::new(|p| {
                p.links[1].logarithmic_mut().l.pop();
            }),
            malformed("link proof L rounds", row_rounds, row_rounds - 1),
        ),
        (
            "link: an R more",
            Box::new(|p| {
                let extra = p.links[0].logarithmic_mut().beta;
                p.links[0].logarithmic_mut().r.push(extra);
            }),
            malformed("link proof R rounds", row_rounds, row_rounds + 1),
        ),
    ];
    for (what, edit, expected) in edits {
        rejects(&fx, Cheat { proof: Some(Box::new(move |p| edit(p))), ..Cheat::default() }, expected, what);
    }
    rejects(
        &fx,
        Cheat {
            proof: Some(Box::new(|p| {
                p.links.pop();
            })),
            ..Cheat::default()
        },
        malformed("link proofs", 2, 1),
        "one link proof fewer",
    );
    rejects(
        &fx,
        Cheat { proof: Some(Box::new(|p| p.links.push(p.links[0].clone()))), ..Cheat::default() },
        malformed("link proofs", 2, 3),
        "one link proof more",
    );
}

/// `Malformed` for the number of rounds of each sumcheck, and `SumcheckRound` for a
/// round message of the wrong width (sent and absorbed as such by the prover).
#[test]
fn length_check_sumcheck_rounds() {
    let fx = fixture();
    let shape = fx.vk.data.shape;
    let (s, m) = (shape.row_vars, shape.witness_vars);
    rejects(
        &fx,
        Cheat {
            proof: Some(Box::new(|p| {
                p.outer.rounds.pop();
            })),
            ..Cheat::default()
        },
        malformed("outer sumcheck rounds", s, s - 1),
        "outer sumcheck without its last round",
    );
    rejects(
        &fx,
        Cheat { proof: Some(Box::new(|p| p.inner.rounds.push(vec![Fr::ZERO; 2]))), ..Cheat::default() },
        malformed("inner sumcheck rounds", m + 1, m + 2),
        "inner sumcheck with a round more",
    );
    for (kind, round, widen) in
        [(SumcheckKind::Outer, 0, true), (SumcheckKind::Outer, s - 1, false), (SumcheckKind::Inner, 2, true)]
    {
        rejects(
            &fx,
            Cheat {
                round: Some(Box::new(move |k, r, msg| {
                    if (k, r) == (kind, round) {
                        if widen {
                            msg.push(Fr::ONE)
                        } else {
                            msg.truncate(1)
                        }
                    }
                })),
                ..Cheat::default()
            },
            VerifyError::SumcheckRound { sumcheck: kind, round },
            &format!("{kind} round {round} of the wrong width"),
        );
    }
}

// ---------------------------------------------------------------------------------
// Step 0: the statement.
// ---------------------------------------------------------------------------------

/// The prover binds another statement than the verifier's (public values, context,
/// committed indices): every challenge differs, and the step-6 proof fails.
#[test]
fn step0_a_statement_bound_differently_is_rejected() {
    let fx = fixture();
    let mut other_public = fx.public.clone();
    other_public[1] += Fr::ONE;
    let cases = [
        ("public values", (other_public, fx.committed.clone(), CONTEXT.to_vec())),
        ("context", (fx.public.clone(), fx.committed.clone(), b"request 43".to_vec())),
        ("empty context", (fx.public.clone(), fx.committed.clone(), Vec::new())),
        ("committed indices", (fx.public.clone(), vec![0, 2, 18], CONTEXT.to_vec())),
    ];
    for (what, bound) in cases {
        let (proof, prover) = fx.prove(&mut Cheat { bound: Some(bound), ..Cheat::default() });
        assert_verdict(&fx, &proof, &prover, &FINAL, Challenges::Diverge, what);
    }
}

/// The prover binds the verifier's public values but computes with others (as it
/// would with a witness for other public values): the io part of `z̃'(r_y)` the
/// verifier computes no longer matches sumcheck #2.
#[test]
fn step0_public_values_used_differ_from_those_bound() {
    let fx = fixture();
    let mut other = fx.public.clone();
    other[0] += Fr::ONE;
    let computed = Statement { public: &other, ..fx.statement() };
    let mut cheat = Cheat {
        unsatisfied: true,
        bound: Some((fx.public.clone(), fx.committed.clone(), CONTEXT.to_vec())),
        ..Cheat::default()
    };
    let (proof, prover) = fx.prove_for(computed, &mut cheat);
    assert_verdict(&fx, &proof, &prover, &FINAL, Challenges::Agree, "public values used");
}

/// A commitment to another value than the witness entry: the link of its row fails.
#[test]
fn step0_a_commitment_to_another_value_fails_its_link() {
    let fx = fixture();
    for t in 0..3 {
        rejects(
            &fx,
            Cheat { committed_values: Some(Box::new(move |v| v[t] += Fr::ONE)), ..Cheat::default() },
            link(link_position(t)),
            &format!("committed value {t} + 1"),
        );
    }
}

// ---------------------------------------------------------------------------------
// Step 1: the row and mask commitments.
// ---------------------------------------------------------------------------------

/// Row commitments the prover cannot open as it claims: a row plus a generator, a
/// nonzero row sent as the identity, a row sent twice, two rows shifted in opposite
/// directions. Also a row committed to another vector, with its opening known. The
/// step-6 proof fails for each.
#[test]
fn step1_row_commitments() {
    let fx = fixture();
    let rows = fx.num_rows();
    for i in 0..rows {
        rejects(
            &fx,
            Cheat { row_commitments: Some(Box::new(move |c| bump(&mut c[i], gen(0)))), ..Cheat::default() },
            FINAL,
            &format!("row {i} + G_0"),
        );
    }
    let cases: Vec<(&str, Hook<'_, Vec<G1Affine>>)> = vec![
        ("row 0 (nonzero) as the identity", Some(Box::new(|c| c[0] = G1Affine::zero()))),
        ("row 1 as a copy of row 0", Some(Box::new(|c| c[1] = c[0]))),
        ("rows 0 and 1 swapped", Some(Box::new(|c| c.swap(0, 1)))),
        (
            "row 0 + G_3, row 1 − G_3",
            Some(Box::new(|c| {
                bump(&mut c[0], gen(3));
                bump(&mut c[1], -gen(3));
            })),
        ),
    ];
    for (what, hook) in cases {
        rejects(&fx, Cheat { row_commitments: hook, ..Cheat::default() }, FINAL, what);
    }
    // Row 2 committed to another vector, with the prover knowing that opening, and
    // the same for a padding row, which no constraint reads.
    for index in [2 * fx.row_len() + 5, 7 * fx.row_len()] {
        rejects(
            &fx,
            Cheat { committed_rows: Some(Box::new(move |w| w[index] += Fr::ONE)), ..Cheat::default() },
            FINAL,
            &format!("entry {index} committed + 1"),
        );
    }
}

/// A mask commitment other than the commitment to the masks used: a generator added
/// (on the mask, row or value generators), or other coefficients committed than the
/// sumchecks use. The step-6 proof fails.
#[test]
fn step1_mask_commitment_and_coefficients() {
    let fx = fixture();
    let (r, s) = (fx.row_len(), fx.vk.data.shape.row_vars);
    for (what, point) in [
        ("C_p + G_R", gen(r)),
        ("C_p + G_0", gen(0)),
        ("C_p + V", value_generator()),
        ("C_p + H", blinding_generator()),
    ] {
        rejects(
            &fx,
            Cheat { mask_commitment: Some(Box::new(move |c| bump(c, point))), ..Cheat::default() },
            FINAL,
            what,
        );
    }
    // p₁'s constant, p₁'s first coefficient, p₂'s constant, p₂'s last coefficient.
    let outer_len = 1 + 3 * s;
    for k in [0, 1, outer_len, fx.mask_len() - 1] {
        rejects(
            &fx,
            Cheat { mask_coefficients: Some(Box::new(move |c| c[k] += Fr::ONE)), ..Cheat::default() },
            FINAL,
            &format!("mask coefficient {k} committed + 1"),
        );
    }
}

// ---------------------------------------------------------------------------------
// Steps 2 to 5: the values sent in the clear.
// ---------------------------------------------------------------------------------

/// Step 2: a wrong `S₁`, any wrong round value of sumcheck #1, or an unsatisfied
/// constraint proven honestly otherwise. The γ and γ² terms of step 6 fail.
#[test]
fn step2_outer_sumcheck() {
    let fx = fixture();
    rejects(&fx, Cheat { outer_mask_sum: Some(Box::new(|s| *s += Fr::ONE)), ..Cheat::default() }, FINAL, "S₁ + 1");
    let s = fx.vk.data.shape.row_vars;
    for round in 0..s {
        for value in 0..OUTER_DEGREE {
            rejects(
                &fx,
                Cheat {
                    round: Some(Box::new(move |k, r, msg| {
                        if (k, r) == (SumcheckKind::Outer, round) {
                            msg[value] += Fr::ONE;
                        }
                    })),
                    ..Cheat::default()
                },
                FINAL,
                &format!("outer round {round} value {value} + 1"),
            );
        }
    }
    // The honest prover on a witness breaking one constraint (the pin w_0² = W_0²).
    let mut bad = fx.witness.clone();
    bad[0] += Fr::ONE;
    let mut cheat = Cheat { unsatisfied: true, ..Cheat::default() };
    let mut transcript = Recording::new();
    let proof = prove_with_adversary(&fx.pk, fx.statement(), &bad, &fx.blinds, &mut cheat, &mut transcript, &mut OsRng)
        .unwrap();
    assert_verdict(&fx, &proof, &transcript, &FINAL, Challenges::Agree, "unsatisfied witness");
}

/// Step 3: a wrong `v_A`, `v_B` or `v_C`, also a lie that keeps sumcheck #1's final
/// relation (`v_A + δ`, `v_C + δ·v_B`). The γ⁰ (via sumcheck #2) or γ terms fail.
#[test]
fn step3_outer_claims() {
    let fx = fixture();
    for k in 0..3 {
        rejects(
            &fx,
            Cheat { outer_claims: Some(Box::new(move |c| c[k] += Fr::ONE)), ..Cheat::default() },
            FINAL,
            &format!("claim {k} + 1"),
        );
    }
    rejects(
        &fx,
        Cheat {
            outer_claims: Some(Box::new(|c| {
                let delta = Fr::from(5u64);
                c[0] += delta;
                c[2] += delta * c[1];
            })),
            ..Cheat::default()
        },
        FINAL,
        "v_A + δ, v_C + δ·v_B",
    );
}

/// Step 4: a wrong `S₂` or any wrong round value of sumcheck #2. The γ³ and γ⁴ terms fail.
#[test]
fn step4_inner_sumcheck() {
    let fx = fixture();
    rejects(&fx, Cheat { inner_mask_sum: Some(Box::new(|s| *s += Fr::ONE)), ..Cheat::default() }, FINAL, "S₂ + 1");
    for round in 0..=fx.vk.data.shape.witness_vars {
        for value in 0..INNER_DEGREE {
            rejects(
                &fx,
                Cheat {
                    round: Some(Box::new(move |k, r, msg| {
                        if (k, r) == (SumcheckKind::Inner, round) {
                            msg[value] += Fr::ONE;
                        }
                    })),
                    ..Cheat::default()
                },
                FINAL,
                &format!("inner round {round} value {value} + 1"),
            );
        }
    }
}

/// Step 5: a wrong `v_W`. The Hyrax opening (γ⁰ term) fails.
#[test]
fn step5_witness_evaluation() {
    let fx = fixture();
    rejects(&fx, Cheat { witness_eval: Some(Box::new(|v| *v += Fr::ONE)), ..Cheat::default() }, FINAL, "v_W + 1");
}

// ---------------------------------------------------------------------------------
// Steps 6 and 7: the Σ-proofs.
// ---------------------------------------------------------------------------------

/// Step 6: a wrong message of the inner-product argument (any `L_j` or `R_j`, `L_j` and
/// `R_j` swapped, `δ`, `β`; before it is absorbed) or a wrong response, an honest proof
/// of another value, the vector cut into segments other than (rows ‖ masks), or the
/// mask segment unscaled (an opening of `C_u + C_p`). Rejected with `FinalEvaluations`.
#[test]
fn step6_evaluation_proof() {
    let fx = fixture();
    let (r, l) = (fx.row_len(), fx.mask_len().next_power_of_two());
    let rounds = r.max(l).trailing_zeros() as usize + 1;
    let mut lies = vec![SigmaLie::BlindY, SigmaLie::Delta, SigmaLie::Beta, SigmaLie::Z, SigmaLie::ZBlind];
    for round in [0, 1, rounds - 1] {
        lies.extend([SigmaLie::L(round), SigmaLie::R(round), SigmaLie::SwapLR(round)]);
    }
    for lie in lies {
        rejects(
            &fx,
            Cheat { dot_product: sigma_lie(is_evaluation, lie), ..Cheat::default() },
            FINAL,
            &format!("{lie:?}"),
        );
    }
    // Other cuts of (u ‖ μ·p̄) with as many rounds: the segments swapped, one segment of
    // 2·max(R, L) (format 2's layout). Their schedules fold other generators together.
    let cuts = [("segments L, R", vec![l, r]), ("one segment", vec![2 * r.max(l)])];
    for (what, lengths) in cuts {
        rejects(
            &fx,
            Cheat {
                dot_product: Some(Box::new(move |step, argument, segments, a, blind_y, t| {
                    is_evaluation(step).then(|| {
                        let x: Vec<Fr> = segments.iter().flat_map(|s| s.x.iter().copied()).collect();
                        let blind: Fr = segments.iter().map(|s| s.blind).sum();
                        let mut blinds = vec![Fr::ZERO; lengths.len()];
                        blinds[0] = blind;
                        recut(argument, &x, &lengths, &blinds, a, blind_y, t)
                    })
                })),
                ..Cheat::default()
            },
            FINAL,
            what,
        );
    }
    // The honest segments with the mask unscaled: an opening of C_u + C_p, not C_u + μ·C_p.
    rejects(
        &fx,
        Cheat {
            dot_product: Some(Box::new(|step, argument, segments, a, blind_y, t| match step {
                SigmaStep::Evaluation { mask_scale } => {
                    let unscale = mask_scale.inverse().unwrap();
                    let p: Vec<Fr> = segments[1].x.iter().map(|x| *x * unscale).collect();
                    let unscaled = [
                        Segment { ..segments[0] },
                        Segment { x: &p, blind: segments[1].blind * unscale, ..segments[1] },
                    ];
                    Some(sigma(argument, &unscaled, a, blind_y, t, |_, _| {}))
                }
                _ => None,
            })),
            ..Cheat::default()
        },
        FINAL,
        "mask segment unscaled",
    );
}

/// Step 7: per link row, a wrong message or response, an honest proof of another
/// value, the row opened on other generators or as another row. Rejected with
/// `CommitmentLink` naming the row's first committed position.
#[test]
fn step7_link_proofs() {
    let fx = fixture();
    let r = fx.row_len();
    let rounds = r.trailing_zeros() as usize;
    for (row, position) in [(0, 0), (1, 2)] {
        let target = SigmaStep::Link { row, position };
        let mut lies = vec![SigmaLie::BlindY, SigmaLie::Delta, SigmaLie::Beta, SigmaLie::Z, SigmaLie::ZBlind];
        for round in [0, rounds - 1] {
            lies.extend([SigmaLie::L(round), SigmaLie::R(round), SigmaLie::SwapLR(round)]);
        }
        let at_target: fn(SigmaStep) -> bool = match (row, position) {
            (0, 0) => |s| s == SigmaStep::Link { row: 0, position: 0 },
            _ => |s| s == SigmaStep::Link { row: 1, position: 2 },
        };
        for lie in lies {
            rejects(
                &fx,
                Cheat { dot_product: sigma_lie(at_target, lie), ..Cheat::default() },
                link(position),
                &format!("row {row}: {lie:?}"),
            );
        }
        // The row opened on the mask generators G_R..G_{2R−1} (committed on G_0..G_{R−1}).
        let on_mask_gens: SigmaHook<'_> = Some(Box::new(move |step, argument, segments, a, blind_y, t| {
            (step == target).then(|| {
                let gens = message_generators(2 * r);
                let segment = [Segment { gens: &gens[r..2 * r], x: segments[0].x, blind: segments[0].blind }];
                sigma(argument, &segment, a, blind_y, t, |_, _| {})
            })
        }));
        // Another row (row 3) opened in its place.
        let witness = fx.witness.clone();
        let other_row: SigmaHook<'_> = Some(Box::new(move |step, argument, segments, a, blind_y, t| {
            (step == target).then(|| {
                let x = &witness[3 * r..4 * r];
                sigma(
                    argument,
                    &[Segment { gens: segments[0].gens, x, blind: segments[0].blind }],
                    a,
                    blind_y,
                    t,
                    |_, _| {},
                )
            })
        }));
        for (what, hook) in [("on the mask generators", on_mask_gens), ("row 3", other_row)] {
            rejects(
                &fx,
                Cheat { dot_product: hook, ..Cheat::default() },
                link(position),
                &format!("row {row}: {what}"),
            );
        }
    }
}

/// THE regression test for the committed-input swap (issue 12 §1, fixed in format 3).
///
/// The prover knows a witness `W` for an input the policy approves, and the issuer's
/// commitments to an input it denies (`x'_0 = W_0 − c_0` with `x'_0² ≠ W_0²`,
/// violating the pin constraint). (a) Today's verifier rejects every variant with
/// `FinalEvaluations`: it opens `C_u + μ·C_p` for a challenge `μ` drawn after `v_W`,
/// so the shift that `C_p` carries on the row generators comes back as
/// `(μ − 1)·⟨c, eq(r_col)⟩` in the γ⁰ term, which must be `v_W`. (b) The same forged
/// data passes format 2's step 6 and today's step 7 ([`format2_verdict`]): the test
/// fails if the swap works again.
///
/// `Merged` sends format 2's one-segment proof, `Honest` today's two segments at the
/// true openings `u` and `μ·p`, `Shifted` what the rows commit to.
/// The linear argument of `fast` keys (format 10) in steps 6 and 7: `δ` changed before it
/// is absorbed, a response changed, an honest proof of another value, a response more or
/// fewer; and the committed-input swap, in all three of its step-6 forms (format 2's
/// verifier, re-created, accepts the merged one). The honest prover passes.
#[test]
fn fast_keys_linear_argument() {
    let fx = fixture_with(Profile::Fast);
    accepts(&fx, Cheat::default(), "honest, fast");
    let (r, l) = (fx.row_len(), fx.mask_len());
    for lie in [SigmaLie::BlindY, SigmaLie::Delta, SigmaLie::Z, SigmaLie::ZBlind] {
        let what = format!("step 6, {lie:?}");
        rejects(&fx, Cheat { dot_product: sigma_lie(is_evaluation, lie), ..Cheat::default() }, FINAL, &what);
        // The committed values lie in rows 0 (positions 0, 1) and 2 (position 2).
        let second: fn(SigmaStep) -> bool = |s| s == SigmaStep::Link { row: 2, position: 2 };
        let what = format!("step 7, {lie:?}");
        rejects(&fx, Cheat { dot_product: sigma_lie(second, lie), ..Cheat::default() }, link(2), &what);
    }
    for (change, got) in [(1usize, r + l + 1), (usize::MAX, r + l - 1)] {
        let edit = move |p: &mut Proof| {
            let z = &mut p.evaluation.linear_mut().z;
            if change == 1 {
                z.push(Fr::ONE);
            } else {
                z.pop();
            }
        };
        let expected = malformed("evaluation proof responses", r + l, got);
        rejects(&fx, Cheat { proof: Some(Box::new(edit)), ..Cheat::default() }, expected, "responses");
    }
    let edit = |p: &mut Proof| {
        p.links[1].linear_mut().z.pop();
    };
    let expected = malformed("link proof responses", r, r - 1);
    rejects(&fx, Cheat { proof: Some(Box::new(edit)), ..Cheat::default() }, expected, "link responses");
    let mut rng = StdRng::seed_from_u64(2025);
    let shift: Vec<Fr> = (0..r).map(|_| random_scalar(&mut rng)).collect();
    for step6 in [SwapStep6::Merged, SwapStep6::Honest, SwapStep6::Shifted] {
        let (proof, prover) = fx.prove(&mut swap_attack(&fx, &shift, step6));
        assert_verdict(&fx, &proof, &prover, &FINAL, Challenges::Agree, &format!("fast, swap, {step6:?}"));
        // Format 2's step 6, re-created with the linear argument, accepts the merged proof.
        let old = format2_verdict(&fx, &proof);
        assert_eq!(old, if let SwapStep6::Merged = step6 { Ok(()) } else { Err(FINAL) }, "fast, {step6:?}");
    }
}

#[test]
fn committed_input_swap_is_rejected_and_would_pass_format_2() {
    let fx = fixture();
    let mut rng = StdRng::seed_from_u64(2024);
    let shift: Vec<Fr> = (0..fx.row_len()).map(|_| random_scalar(&mut rng)).collect();
    let (r, w0) = (fx.row_len(), fx.witness[0]);

    // The forged committed values are the issuer's commitments to a denied input.
    let denied: Vec<Fr> = fx.committed.iter().map(|&j| fx.witness[j] - shift[j % r]).collect();
    assert_ne!(denied[0].square(), w0.square(), "x'_0 must break the pin w_0² = W_0²");
    let mut denied_witness = fx.witness.clone();
    for (&j, x) in fx.committed.iter().zip(&denied) {
        denied_witness[j] = *x;
    }
    let r1cs = blinding::strip(&fx.vk.data.r1cs);
    assert!(r1cs.is_satisfied(&fx.public, &denied_witness).is_err());

    for step6 in [SwapStep6::Merged, SwapStep6::Honest, SwapStep6::Shifted] {
        let (proof, prover) = fx.prove(&mut swap_attack(&fx, &shift, step6));
        let issued: Vec<G1Affine> =
            denied.iter().zip(&fx.blinds).map(|(x, b)| commit_value(*x, *b).into_affine()).collect();
        assert_eq!(proof.value_commitments, issued, "{step6:?}: the proof shows the issuer's commitments");
        // (a) Rejected by step 6. The transcript is the cheating prover's.
        assert_verdict(&fx, &proof, &prover, &FINAL, Challenges::Agree, &format!("swap, {step6:?}"));
        // (b) Format 2's step 6 accepts the proof it was built for.
        let old = format2_verdict(&fx, &proof);
        match step6 {
            SwapStep6::Merged => assert_eq!(old, Ok(()), "format 2 accepts the swap"),
            _ => assert_eq!(old, Err(FINAL), "{step6:?} is not format 2's proof"),
        }
    }
}

/// The re-created format-2 verifier is a verifier, not a rubber stamp. It accepts the
/// honest witness proven with format 2's step 6, and rejects that proof when it
/// lies (a wrong `v_W`, an unsatisfied constraint, a commitment to another value) or
/// when the swap's shift is missing from `C_p`.
#[test]
fn format2_recreation_accepts_honest_and_rejects_false_proofs() {
    let fx = fixture();
    let format2 = || -> SigmaHook<'_> {
        Some(Box::new(|step, argument, segments, a, blind_y, t| match step {
            SigmaStep::Evaluation { mask_scale } => Some(merged(argument, segments, mask_scale, a, blind_y, t)),
            SigmaStep::Link { .. } => None,
        }))
    };
    let (proof, _) = fx.prove(&mut Cheat { dot_product: format2(), ..Cheat::default() });
    assert_eq!(format2_verdict(&fx, &proof), Ok(()));
    assert_eq!(fx.verify(&proof).0, Err(FINAL), "today's verifier wants two segments and μ");

    let (proof, _) = fx.prove(&mut Cheat {
        dot_product: format2(),
        witness_eval: Some(Box::new(|v| *v += Fr::ONE)),
        ..Cheat::default()
    });
    assert_eq!(format2_verdict(&fx, &proof), Err(FINAL));
    let mut bad = fx.witness.clone();
    bad[0] += Fr::ONE;
    let mut cheat = Cheat { unsatisfied: true, dot_product: format2(), ..Cheat::default() };
    let proof =
        prove_with_adversary(&fx.pk, fx.statement(), &bad, &fx.blinds, &mut cheat, &mut Recording::new(), &mut OsRng)
            .unwrap();
    assert_eq!(format2_verdict(&fx, &proof), Err(FINAL));
    let (proof, _) = fx.prove(&mut Cheat {
        dot_product: format2(),
        committed_values: Some(Box::new(|v| v[2] += Fr::ONE)),
        ..Cheat::default()
    });
    assert_eq!(format2_verdict(&fx, &proof), Err(link(2)));

    let mut rng = StdRng::seed_from_u64(5);
    let shift: Vec<Fr> = (0..fx.row_len()).map(|_| random_scalar(&mut rng)).collect();
    let (proof, _) = fx.prove(&mut Cheat { mask_commitment: None, ..swap_attack(&fx, &shift, SwapStep6::Merged) });
    assert_eq!(format2_verdict(&fx, &proof), Err(FINAL));
}

// ---------------------------------------------------------------------------------
// Siblings of the swap: the same commitments in two checks, on other generators or
// in other combinations.
// ---------------------------------------------------------------------------------

/// Every row carries the same extra point `X` off the row generators and `C_p`
/// carries `−X`, so that `Σ eq·C_i + C_p` is unchanged (the swap's trick with `X` on
/// the mask generators or on `V`). Today's step 6 rejects each: it opens
/// `Σ eq·C_i + μ·C_p`, where `(1 − μ)·X` is left over. Format 2's step 6 would pass.
/// Its step 7 caught `X = G_R` and `X = V` on the linked rows only.
#[test]
fn sibling_rows_and_mask_trading_a_component() {
    let fx = fixture();
    for (what, x, old) in [
        ("G_R", gen(fx.row_len()), Err(link(0))),
        ("G_{R+L−1}", gen(fx.row_len() + fx.mask_len() - 1), Err(link(0))),
        ("V", value_generator(), Err(link(0))),
    ] {
        let mut cheat = Cheat {
            row_commitments: Some(Box::new(move |rows| rows.iter_mut().for_each(|c| bump(c, x)))),
            mask_commitment: Some(Box::new(move |cp| bump(cp, -x))),
            dot_product: Some(Box::new(|step, argument, segments, a, blind_y, t| match step {
                SigmaStep::Evaluation { mask_scale } => Some(merged(argument, segments, mask_scale, a, blind_y, t)),
                SigmaStep::Link { .. } => None,
            })),
            ..Cheat::default()
        };
        let (proof, prover) = fx.prove(&mut cheat);
        assert_verdict(&fx, &proof, &prover, &FINAL, Challenges::Agree, what);
        assert_eq!(format2_verdict(&fx, &proof), old, "{what} under format 2");
        // With today's two segments, at the honest openings: rejected too.
        cheat.dot_product = None;
        let (proof, prover) = fx.prove(&mut cheat);
        assert_verdict(&fx, &proof, &prover, &FINAL, Challenges::Agree, what);
    }
}

/// Value commitments carrying a component other than `x·V + r·H` (a row generator,
/// the generator of the value's own column, a mask generator, `H` with the blind not
/// adjusted): the link's value equation fails. So does a row committed on the mask
/// generators, which the prover can open there (step 6 first).
#[test]
fn sibling_value_commitments_and_link_generators() {
    let fx = fixture();
    let r = fx.row_len();
    for t in 0..3 {
        let column = fx.committed[t] % r;
        for (what, point) in
            [("G_0", gen(0)), ("its column's generator", gen(column)), ("G_R", gen(r)), ("H", blinding_generator())]
        {
            rejects(
                &fx,
                Cheat { value_commitments: Some(Box::new(move |c| bump(&mut c[t], point))), ..Cheat::default() },
                link(link_position(t)),
                &format!("value commitment {t} + {what}"),
            );
        }
    }
    // Row 1 (holding index 17) committed on G_R..G_{2R−1}, known opening, and its link
    // proof on those generators: step 6 fails first.
    let blinds = RefCell::new(Vec::new());
    let witness = &fx.witness;
    let row = |i: usize| witness[i * r..(i + 1) * r].to_vec();
    let cheat = Cheat {
        row_blinds: Some(Box::new(|b| *blinds.borrow_mut() = b.to_vec())),
        row_commitments: Some(Box::new(|c| {
            c[1] = commit_vector(&message_generators(2 * r)[r..2 * r], &row(1), blinds.borrow()[1]).into_affine();
        })),
        dot_product: Some(Box::new(|step, argument, segments, a, blind_y, t| {
            (step == (SigmaStep::Link { row: 1, position: 2 })).then(|| {
                let gens = message_generators(2 * r);
                sigma(argument, &[Segment { gens: &gens[r..2 * r], ..segments[0] }], a, blind_y, t, |_, _| {})
            })
        })),
        ..Cheat::default()
    };
    rejects(&fx, cheat, FINAL, "row 1 on the mask generators");
}

/// The link batching `γ_ℓ`: two committed values of one row that keep their sum
/// (`x_0 + δ, x_1 − δ`) or are swapped. Each link proof is built for all-ones weights,
/// which the values satisfy. The real verifier rejects it (`CommitmentLink { 0 }`).
/// A step 7 that weighted by ones would accept it, so the batching is what catches it.
#[test]
fn sibling_link_batching() {
    let fx = fixture();
    let ones_link = |blinds: [Fr; 2]| -> SigmaHook<'_> {
        Some(Box::new(move |step, argument, segments, a, _, t| {
            (step == (SigmaStep::Link { row: 0, position: 0 })).then(|| {
                let ones: Vec<Fr> = a.iter().map(|w| if w.is_zero() { Fr::ZERO } else { Fr::ONE }).collect();
                sigma(argument, segments, &ones, blinds[0] + blinds[1], t, |_, _| {})
            })
        }))
    };
    let (w0, w2) = (fx.witness[0], fx.witness[2]);
    let blinds = [fx.blinds[0], fx.blinds[1]];
    let cases: [(&str, Hook<'_, [Fr]>); 2] = [
        (
            "sum kept",
            Some(Box::new(|v| {
                v[0] += Fr::from(7u64);
                v[1] -= Fr::from(7u64);
            })),
        ),
        ("swapped", Some(Box::new(move |v| (v[0], v[1]) = (w2, w0)))),
    ];
    assert_ne!(w0, w2);
    for (what, values) in cases {
        let mut cheat = Cheat { committed_values: values, dot_product: ones_link(blinds), ..Cheat::default() };
        let (proof, prover) = fx.prove(&mut cheat);
        assert_verdict(&fx, &proof, &prover, &link(0), Challenges::Agree, what);
        // A step 7 weighting by ones, from the real verifier's transcript after step 6.
        let (_, recorded) = fx.verify(&proof);
        // After step 6: its final challenge.
        let (_, mut transcript) = recorded.first(sigma::FINAL_CHALLENGE);
        assert_eq!(link_verdict(&fx, &proof, &mut transcript, LinkWeights::Ones), Ok(()), "{what}, unbatched");
        // The same values with an honest link proof for the real weights: rejected.
        cheat.dot_product = None;
        let (proof, prover) = fx.prove(&mut cheat);
        assert_verdict(&fx, &proof, &prover, &link(0), Challenges::Agree, what);
    }
}

/// Identity and duplicate row commitments, for rows that are not zero or not equal
/// (with the prover's true blinds, or blinds of zero): rejected at step 6.
#[test]
fn sibling_identity_and_duplicate_rows() {
    let fx = fixture();
    // Rows 0 and 1 are nonzero and differ. With zero blinds for both, the identity and
    // the copy are still wrong.
    let cases: Vec<(&str, Hook<'_, Vec<G1Affine>>)> = vec![
        ("row 0 as the identity", Some(Box::new(|c| c[0] = G1Affine::zero()))),
        ("row 1 as row 0", Some(Box::new(|c| c[1] = c[0]))),
        (
            "every row as row 0",
            Some(Box::new(|c| {
                let first = c[0];
                c.iter_mut().for_each(|x| *x = first)
            })),
        ),
    ];
    for (what, hook) in cases {
        rejects(
            &fx,
            Cheat {
                row_blinds: Some(Box::new(|b| b.iter_mut().for_each(|x| *x = Fr::ZERO))),
                row_commitments: hook,
                ..Cheat::default()
            },
            FINAL,
            what,
        );
    }
}

/// Harmless deviations, rightly accepted. Each is an honest proof under other
/// randomness, so the statement proven is true and nothing is forged. Zero
/// knowledge, which only the prover can give up, is what they cost.
///
/// * all row blinds zero;
/// * a padding row (all zero) committed with blind 0, which is the identity, and two
///   equal padding rows with one blind, which are duplicates;
/// * a value commitment with `H` added and its blind adjusted: another commitment to
///   the same value, which the relying party would not find among the issued ones.
#[test]
fn harmless_deviations_are_accepted() {
    let fx = fixture();
    accepts(
        &fx,
        Cheat { row_blinds: Some(Box::new(|b| b.iter_mut().for_each(|x| *x = Fr::ZERO))), ..Cheat::default() },
        "zero blinds",
    );
    let proof = accepts(
        &fx,
        Cheat {
            row_blinds: Some(Box::new(|b| {
                b[5] = Fr::ZERO;
                b[7] = b[6];
            })),
            ..Cheat::default()
        },
        "identity and duplicate padding rows",
    );
    let rows = &proof.witness_commitment.row_commitments;
    assert!(rows[5].is_zero() && rows[6] == rows[7]);
    let blind = fx.blinds[2];
    let proof = accepts(
        &fx,
        Cheat {
            value_commitments: Some(Box::new(|c| bump(&mut c[2], blinding_generator()))),
            dot_product: Some(Box::new(move |step, argument, segments, a, _, t| {
                (step == (SigmaStep::Link { row: 1, position: 2 }))
                    .then(|| sigma(argument, segments, a, blind + Fr::ONE, t, |_, _| {}))
            })),
            ..Cheat::default()
        },
        "value commitment re-blinded",
    );
    assert_eq!(proof.value_commitments[2], commit_value(fx.witness[17], blind + Fr::ONE).into_affine());
}
