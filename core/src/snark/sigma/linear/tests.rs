//! The linear dot-product proof: completeness over any segment lengths, rejection of
//! wrong claims and of every altered element or length, separate openings of the
//! vector and the value, single use of its randomness, and the simulator.

use super::super::tests::{point, scalars};
use super::super::{inner_product, simulate, Segment, SegmentStatement};
use super::{LinearProof, Nonce};
use crate::snark::pedersen::fixed_base::message_tables;
use crate::snark::pedersen::generators::{blinding_generator, message_generators, value_generator};
use crate::snark::pedersen::{commit_value, commit_vector, random_scalar, Combination};
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::Field;
use rand::{rngs::StdRng, SeedableRng};
use std::collections::VecDeque;

/// Segments of the given lengths on consecutive generators, their commitments, a
/// value commitment to `⟨x, a⟩` and a proof.
struct Case {
    gens: Vec<G1Affine>,
    lens: Vec<usize>,
    a: Vec<Fr>,
    cx: Vec<Combination>,
    cy: Combination,
    proof: LinearProof,
}

impl Case {
    fn new(lens: &[usize], rng: &mut StdRng) -> Self {
        let n: usize = lens.iter().sum();
        let gens = message_generators(n)[..n].to_vec();
        let (x, a, by) = (scalars(n, rng), scalars(n, rng), random_scalar(rng));
        let mut start = 0;
        let (mut cx, mut segments) = (Vec::new(), Vec::new());
        for &len in lens {
            let (g, x, blind) = (&gens[start..start + len], &x[start..start + len], random_scalar(rng));
            cx.push(point(commit_vector(g, x, blind)));
            segments.push(Segment { gens: g, x, blind });
            start += len;
        }
        let cy = point(commit_value(inner_product(&x, &a), by));
        let split: Vec<&[G1Affine]> = segments.iter().map(|s| s.gens).collect();
        let nonce = Nonce::draw(&split, rng);
        let proof = LinearProof::prove(&segments, &a, by, &mut Transcript::new(b"t"), nonce);
        Case { gens, lens: lens.to_vec(), a, cx, cy, proof }
    }

    fn check(&self, proof: &LinearProof) -> bool {
        self.check_on(proof, &self.gens, &self.cx, &self.cy, &self.a)
    }

    /// The verdict for segments of `self.lens` cut from `gens`, with and without the
    /// generators' fixed-base tables (which must agree).
    fn check_on(&self, proof: &LinearProof, gens: &[G1Affine], cx: &[Combination], cy: &Combination, a: &[Fr]) -> bool {
        let mut start = 0;
        let statement: Vec<SegmentStatement<'_>> = self
            .lens
            .iter()
            .zip(cx)
            .map(|(&len, c)| {
                let segment = SegmentStatement { gens: &gens[start..(start + len).min(gens.len())], commitment: c };
                start += len;
                segment
            })
            .collect();
        let verdict = |tables| {
            let equation = proof.equation(&statement, cy, a, &mut Transcript::new(b"t"));
            super::super::equation_holds(equation, tables)
        };
        let tables = message_tables(gens.len());
        let plain = verdict(None);
        assert_eq!(plain, verdict(Some(&tables)), "the verdict on the generators' tables differs");
        plain
    }
}

#[test]
fn complete_for_any_lengths_and_sound_for_wrong_claims() {
    let mut rng = StdRng::seed_from_u64(1);
    let layouts: [&[usize]; 6] = [&[1], &[5], &[8], &[1, 1], &[64, 37], &[3, 128]];
    for lens in layouts {
        let t = Case::new(lens, &mut rng);
        assert!(t.check(&t.proof), "{lens:?}");
        assert_eq!(t.proof.z.len(), lens.iter().sum::<usize>());
        let wrong_y = point(simulate::combine(&t.cy) + value_generator());
        assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &wrong_y, &t.a), "{lens:?}");
        for k in 0..lens.len() {
            let mut wrong_x = t.cx.clone();
            wrong_x[k] = point(simulate::combine(&t.cx[k]) + blinding_generator());
            assert!(!t.check_on(&t.proof, &t.gens, &wrong_x, &t.cy, &t.a), "{lens:?}, segment {k}");
        }
        for i in [0, t.a.len() - 1] {
            let mut a = t.a.clone();
            a[i] += Fr::ONE;
            assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &t.cy, &a), "{lens:?}, weight {i}");
        }
    }
}

/// Changing `δ`, any response, or the verifier's generators makes the proof fail.
#[test]
fn every_element_is_checked() {
    let mut rng = StdRng::seed_from_u64(2);
    let t = Case::new(&[8, 5], &mut rng);
    let bump = |p: &mut G1Affine| *p = (*p + G1Affine::generator()).into_affine();
    let mut edits: Vec<(String, LinearProof)> = Vec::new();
    let mut bad = t.proof.clone();
    bump(&mut bad.delta);
    edits.push(("δ".into(), bad));
    let mut bad = t.proof.clone();
    bad.delta = G1Affine::zero();
    edits.push(("δ the identity".into(), bad));
    for i in 0..t.proof.z.len() {
        let mut bad = t.proof.clone();
        bad.z[i] += Fr::ONE;
        edits.push((format!("z_{i}"), bad));
    }
    let mut bad = t.proof.clone();
    bad.z.swap(0, 12);
    edits.push(("z_0 and z_12 swapped".into(), bad));
    let mut bad = t.proof.clone();
    bad.z_blind += Fr::ONE;
    edits.push(("z_blind".into(), bad));
    for (what, bad) in &edits {
        assert!(!t.check(bad), "{what} altered, still accepted");
    }
    let n = t.gens.len();
    let mut gens = t.gens.clone();
    gens.swap(0, n - 1);
    assert!(!t.check_on(&t.proof, &gens, &t.cx, &t.cy, &t.a));
    let others = &message_generators(2 * n)[n..2 * n];
    assert!(!t.check_on(&t.proof, others, &t.cx, &t.cy, &t.a));
}

/// The number of responses is the statement's: a response more or fewer, or weights
/// of another length, are rejected (never indexed out of range).
#[test]
fn lengths_are_checked() {
    let mut rng = StdRng::seed_from_u64(3);
    let t = Case::new(&[8], &mut rng);
    let mut fewer = t.proof.clone();
    fewer.z.pop();
    let mut more = t.proof.clone();
    more.z.push(Fr::ONE);
    assert!(!t.check(&fewer) && !t.check(&more));
    assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &t.cy, &t.a[..7]));
    assert!(t.proof.equation(&[], &t.cy, &[], &mut Transcript::new(b"t")).is_none());
}

/// The vector commitment and the value commitment open separately (the scale `w` of
/// `U = w·V`): moving part of the value into `C_x` on `V`, keeping `C_x + C_y`, fails.
#[test]
fn vector_and_value_commitments_open_separately() {
    let mut rng = StdRng::seed_from_u64(4);
    let n = 4;
    let gens = message_generators(n)[..n].to_vec();
    let (x, a) = (scalars(n, &mut rng), scalars(n, &mut rng));
    let (bx, by) = (random_scalar(&mut rng), random_scalar(&mut rng));
    let five = Fr::from(5u64);
    let cx = point(commit_vector(&gens, &x, bx) + G1Projective::from(value_generator()) * five);
    let cy = point(commit_value(inner_product(&x, &a) - five, by));
    let segment = [Segment { gens: &gens, x: &x, blind: bx }];
    let proof = LinearProof::prove(&segment, &a, by, &mut Transcript::new(b"t"), Nonce::draw(&[&gens], &mut rng));
    let statement = [SegmentStatement { gens: &gens, commitment: &cx }];
    let equation = proof.equation(&statement, &cy, &a, &mut Transcript::new(b"t"));
    assert!(!super::super::equation_holds(equation, None));
}

/// Its randomness serves one proof: a second proof from the same [`Prepared`] panics
/// instead of reusing `d` (two responses with one `d` would give away `x`).
///
/// [`Prepared`]: super::super::Prepared
#[test]
#[should_panic(expected = "one weight and one nonce per entry")]
fn prepared_randomness_serves_one_proof() {
    let mut rng = StdRng::seed_from_u64(5);
    let gens = message_generators(4)[..4].to_vec();
    let x = scalars(4, &mut rng);
    let segment = [Segment { gens: &gens, x: &x, blind: Fr::ONE }];
    let mut prepared = super::super::Prepared::draw(super::super::Argument::Linear, &[&gens], &mut rng);
    prepared.prove(&segment, &x, Fr::ONE, &mut Transcript::new(b"t"));
    prepared.prove(&segment, &x, Fr::ONE, &mut Transcript::new(b"t"));
}

/// The simulator's proofs are accepted with its challenges, for any statement, and
/// rejected with hash-derived ones.
#[test]
fn simulated_proofs_are_accepted_with_programmed_challenges() {
    struct Programmed(VecDeque<Fr>);
    impl FiatShamir for Programmed {
        fn append_bytes(&mut self, _label: &[u8], _data: &[u8]) {}
        fn challenge_scalar(&mut self, _label: &[u8]) -> Fr {
            self.0.pop_front().expect("a programmed challenge")
        }
    }
    let mut rng = StdRng::seed_from_u64(6);
    let gens = message_generators(24);
    for lengths in [vec![1], vec![7], vec![16, 5]] {
        let a = scalars(lengths.iter().sum(), &mut rng);
        let mut start = 0;
        let commitments: Vec<(Combination, &[G1Affine])> = lengths
            .iter()
            .map(|&n| {
                start += n;
                (point(commit_value(random_scalar(&mut rng), random_scalar(&mut rng))), &gens[start - n..start])
            })
            .collect();
        let cy = point(commit_value(random_scalar(&mut rng), random_scalar(&mut rng)));
        let sim: Vec<(&[G1Affine], G1Projective)> =
            commitments.iter().map(|(c, g)| (*g, simulate::combine(c))).collect();
        let (proof, challenges) = simulate::linear(&sim, simulate::combine(&cy), &a, &mut rng);
        let statement: Vec<SegmentStatement<'_>> =
            commitments.iter().map(|(c, g)| SegmentStatement { gens: g, commitment: c }).collect();
        let programmed = proof.equation(&statement, &cy, &a, &mut Programmed(challenges.into()));
        assert!(programmed.is_some_and(|e| e.holds(None)), "{lengths:?}");
        let hashed = proof.equation(&statement, &cy, &a, &mut Transcript::new(b"t"));
        assert!(!hashed.is_some_and(|e| e.holds(None)), "{lengths:?}");
    }
}
