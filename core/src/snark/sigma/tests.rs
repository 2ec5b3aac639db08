//! The dot-product proof: completeness over one or two segments, rejection of wrong
//! claims and of every malformed or altered message, what two segments do not show,
//! and the simulator.

use super::*;
use crate::snark::pedersen::fixed_base::message_tables;
use crate::snark::pedersen::generators::{blinding_generator, message_generators, value_generator};
use crate::snark::pedersen::{commit_value, commit_vector, random_scalar};
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_bn254::G1Projective;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{Field, Zero};
use rand::{rngs::StdRng, SeedableRng};
use std::collections::VecDeque;

pub(super) fn scalars(n: usize, rng: &mut StdRng) -> Vec<Fr> {
    (0..n).map(|_| random_scalar(rng)).collect()
}

pub(super) fn point(p: G1Projective) -> Combination {
    vec![(p.into_affine(), Fr::ONE)]
}

/// A statement over segments of the given lengths (on consecutive generators) and its proof.
struct Case {
    gens: Vec<G1Affine>,
    lens: Vec<usize>,
    a: Vec<Fr>,
    /// Per segment, its commitment.
    cx: Vec<Combination>,
    cy: Combination,
    proof: DotProductProof,
}

impl Case {
    fn new(lens: &[usize], rng: &mut StdRng) -> Self {
        let n: usize = lens.iter().sum();
        let gens = message_generators(n)[..n].to_vec();
        let (x, a) = (scalars(n, rng), scalars(n, rng));
        let blinds = scalars(lens.len(), rng);
        let by = random_scalar(rng);
        let mut start = 0;
        let mut cx = Vec::new();
        let mut segments = Vec::new();
        for (&len, blind) in lens.iter().zip(&blinds) {
            let (g, x) = (&gens[start..start + len], &x[start..start + len]);
            cx.push(point(commit_vector(g, x, *blind)));
            segments.push(Segment { gens: g, x, blind: *blind });
            start += len;
        }
        let cy = point(commit_value(inner_product(&x, &a), by));
        let proof = DotProductProof::prove(&segments, &a, by, &mut Transcript::new(b"t"), rng);
        Case { gens, lens: lens.to_vec(), a, cx, cy, proof }
    }

    fn check(&self, proof: &DotProductProof) -> bool {
        self.check_on(proof, &self.gens, &self.cx, &self.cy, &self.a)
    }

    /// Checks `proof` for segments of `self.lens` cut from `gens` with commitments `cx`,
    /// with and without the message generators' fixed-base tables: the verdicts must agree
    /// (the tables serve only segments on `G_0, G_1, …` in order; others fall back).
    fn check_on(
        &self,
        proof: &DotProductProof,
        gens: &[G1Affine],
        cx: &[Combination],
        cy: &Combination,
        a: &[Fr],
    ) -> bool {
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
        let plain = proof.verify(&statement, cy, a, &mut Transcript::new(b"t"), None);
        let tables = message_tables(gens.len());
        let on_tables = proof.verify(&statement, cy, a, &mut Transcript::new(b"t"), Some(&tables));
        assert_eq!(plain, on_tables, "the verdict on the generators' tables differs");
        plain
    }
}

#[test]
fn complete_for_every_layout_and_sound_for_wrong_claims() {
    let mut rng = StdRng::seed_from_u64(1);
    let layouts: [&[usize]; 10] = [&[1], &[2], &[4], &[8], &[32], &[1, 1], &[4, 2], &[2, 8], &[8, 8], &[16, 4]];
    for lens in layouts {
        let t = Case::new(lens, &mut rng);
        assert!(t.check(&t.proof), "{lens:?}");
        let longest = lens.iter().max().unwrap().trailing_zeros() as usize;
        assert_eq!(t.proof.rounds(), longest + lens.len() - 1, "{lens:?}");
        // The same commitments written as other combinations of points.
        let half = Fr::from(2u64).inverse().unwrap();
        let mut split = t.cx.clone();
        split[0] = vec![(t.cx[0][0].0, half), (t.cx[0][0].0, half)];
        assert!(t.check_on(&t.proof, &t.gens, &split, &t.cy, &t.a), "{lens:?}");
        // Another claimed value, another C_x, other weights: rejected.
        let wrong_y = point(simulate::combine(&t.cy) + value_generator());
        assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &wrong_y, &t.a));
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

/// Every message and response is checked: changing any one of them, or the
/// generators the verifier folds, makes the proof fail.
#[test]
fn every_element_is_checked() {
    let mut rng = StdRng::seed_from_u64(2);
    for lens in [&[8][..], &[4, 2]] {
        let t = Case::new(lens, &mut rng);
        let g = G1Affine::generator();
        let bump = |p: &mut G1Affine| *p = (*p + g).into_affine();
        let mut edits: Vec<(String, DotProductProof)> = Vec::new();
        for j in 0..3 {
            let mut bad = t.proof.clone();
            bump(&mut bad.l[j]);
            edits.push((format!("L_{j}"), bad));
            let mut bad = t.proof.clone();
            bump(&mut bad.r[j]);
            edits.push((format!("R_{j}"), bad));
            // L and R swapped in one round.
            let mut bad = t.proof.clone();
            (bad.l[j], bad.r[j]) = (bad.r[j], bad.l[j]);
            edits.push((format!("L_{j} and R_{j} swapped"), bad));
        }
        let mut bad = t.proof.clone();
        bump(&mut bad.delta);
        edits.push(("δ".into(), bad));
        let mut bad = t.proof.clone();
        bump(&mut bad.beta);
        edits.push(("β".into(), bad));
        let mut bad = t.proof.clone();
        bad.z += Fr::ONE;
        edits.push(("z".into(), bad));
        let mut bad = t.proof.clone();
        bad.z_blind += Fr::ONE;
        edits.push(("z_blind".into(), bad));
        // An identity point in place of a message.
        let mut bad = t.proof.clone();
        bad.l[0] = G1Affine::zero();
        edits.push(("L_0 the identity".into(), bad));
        let mut bad = t.proof.clone();
        bad.delta = G1Affine::zero();
        edits.push(("δ the identity".into(), bad));
        for (what, bad) in &edits {
            assert!(!t.check(bad), "{lens:?}: {what} altered, still accepted");
        }
        // The verifier's own generators: a different order or other generators.
        let n = t.gens.len();
        let mut gens = t.gens.clone();
        gens.swap(0, n - 1);
        assert!(!t.check_on(&t.proof, &gens, &t.cx, &t.cy, &t.a));
        let others = &message_generators(2 * n)[n..2 * n];
        assert!(!t.check_on(&t.proof, others, &t.cx, &t.cy, &t.a));
    }
    // The same generators, commitments and weights cut as (2 ‖ 4), not (4 ‖ 2): as many
    // rounds, the same sum of commitments, but another schedule.
    let t = Case::new(&[4, 2], &mut rng);
    let recut = Case { lens: vec![2, 4], ..Case::new(&[4, 2], &mut rng) };
    assert!(!recut.check_on(&t.proof, &t.gens, &t.cx, &t.cy, &t.a));
}

/// Lengths are derived from the statement: a proof with a round more or fewer, or L
/// and R of different lengths, is rejected (never indexed out of range); so are
/// segments that are not one or two of power-of-two lengths, and weights of the
/// wrong length.
#[test]
fn lengths_are_checked() {
    let mut rng = StdRng::seed_from_u64(3);
    let t = Case::new(&[8], &mut rng);
    let p = G1Affine::generator();
    let mut edits: Vec<(&str, DotProductProof)> = Vec::new();
    let mut bad = t.proof.clone();
    bad.l.pop();
    bad.r.pop();
    edits.push(("a round fewer", bad));
    let mut bad = t.proof.clone();
    bad.l.push(p);
    bad.r.push(p);
    edits.push(("a round more", bad));
    let mut bad = t.proof.clone();
    bad.r.pop();
    edits.push(("R shorter than L", bad));
    let mut bad = t.proof.clone();
    bad.l.push(p);
    edits.push(("L longer than R", bad));
    for (what, bad) in &edits {
        assert!(!t.check(bad), "{what}: accepted");
    }
    assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &t.cy, &t.a[..7]));
    // Six generators (not a power of two) with the proof's three rounds.
    assert!(!t.check_on(&t.proof, &t.gens[..6], &t.cx, &t.cy, &t.a[..6]));
    assert!(!t.proof.verify(&[], &t.cy, &[], &mut Transcript::new(b"t"), None));
    // Three segments (4 + 2 + 2 = 8 entries, three rounds): not a layout.
    let c = &t.cx[0];
    let three = [
        SegmentStatement { gens: &t.gens[..4], commitment: c },
        SegmentStatement { gens: &t.gens[4..6], commitment: c },
        SegmentStatement { gens: &t.gens[6..], commitment: c },
    ];
    assert!(!t.proof.verify(&three, &t.cy, &t.a, &mut Transcript::new(b"t"), None));
    // Two segments of 4 fold exactly as one of 8 (a merge, then halvings): the same proof.
    let halves = [
        SegmentStatement { gens: &t.gens[..4], commitment: c },
        SegmentStatement { gens: &t.gens[4..], commitment: &vec![] },
    ];
    assert!(t.proof.verify(&halves, &t.cy, &t.a, &mut Transcript::new(b"t"), None));
}

/// The inner-product argument opens the vector commitment and the value commitment
/// separately (the scale `w` of `U = w·V`): a prover that moves part of the value
/// into `C_x` (on `V`), keeping `C_x + C_y`, is rejected.
#[test]
fn vector_and_value_commitments_open_separately() {
    let mut rng = StdRng::seed_from_u64(4);
    let n = 4;
    let gens = message_generators(n)[..n].to_vec();
    let (x, a) = (scalars(n, &mut rng), scalars(n, &mut rng));
    let (bx, by) = (random_scalar(&mut rng), random_scalar(&mut rng));
    let y = inner_product(&x, &a);
    // C_x carries 5·V, C_y commits to y − 5: the sum is the honest C_x + C_y.
    let five = Fr::from(5u64);
    let cx = point(commit_vector(&gens, &x, bx) + G1Projective::from(value_generator()) * five);
    let cy = point(commit_value(y - five, by));
    let segment = [Segment { gens: &gens, x: &x, blind: bx }];
    let proof = DotProductProof::prove(&segment, &a, by, &mut Transcript::new(b"t"), &mut rng);
    let statement = [SegmentStatement { gens: &gens, commitment: &cx }];
    assert!(!proof.verify(&statement, &cy, &a, &mut Transcript::new(b"t"), None));
}

/// Two segments are one vector: the argument opens the sum of their commitments on
/// all their generators, and nothing more. A prover that moves part of one segment's
/// vector into the other segment's commitment, keeping the sum, is accepted (the
/// forgery of issue 12 §1, in small); a caller that needs each commitment opened on its
/// own generators must get it from its weights and claims (`spartan`, step 6).
#[test]
fn segments_open_only_as_one_vector() {
    let mut rng = StdRng::seed_from_u64(5);
    let gens = message_generators(12);
    let (g0, g1) = (&gens[..8], &gens[8..12]);
    let (x0, x1, a) = (scalars(8, &mut rng), scalars(4, &mut rng), scalars(12, &mut rng));
    let (b0, b1, by) = (random_scalar(&mut rng), random_scalar(&mut rng), random_scalar(&mut rng));
    let x: Vec<Fr> = x0.iter().chain(&x1).copied().collect();
    let cy = point(commit_value(inner_product(&x, &a), by));
    let segments = [Segment { gens: g0, x: &x0, blind: b0 }, Segment { gens: g1, x: &x1, blind: b1 }];
    let proof = DotProductProof::prove(&segments, &a, by, &mut Transcript::new(b"t"), &mut rng);
    let check = |c0: &Combination, c1: &Combination| {
        let segments = [SegmentStatement { gens: g0, commitment: c0 }, SegmentStatement { gens: g1, commitment: c1 }];
        proof.verify(&segments, &cy, &a, &mut Transcript::new(b"t"), None)
    };
    let (c0, c1) = (point(commit_vector(g0, &x0, b0)), point(commit_vector(g1, &x1, b1)));
    assert!(check(&c0, &c1));
    // Shift t on G^(0) carried by segment 1's commitment: C_0 + C_1 is the same point.
    let t = scalars(8, &mut rng);
    let x0_shifted: Vec<Fr> = x0.iter().zip(&t).map(|(x, t)| *x - t).collect();
    let c0_shifted = point(commit_vector(g0, &x0_shifted, b0));
    let c1_shifted = point(commit_vector(g1, &x1, b1) + commit_vector(g0, &t, Fr::zero()));
    assert!(check(&c0_shifted, &c1_shifted));
}

/// The simulator: with the challenges it chose, its proofs are accepted, for any
/// statement (no opening is used); with hash-derived challenges they are not.
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
    for lengths in [vec![1], vec![8], vec![16, 8], vec![2, 8]] {
        let total: usize = lengths.iter().sum();
        let a = scalars(total, &mut rng);
        let mut start = 0;
        let commitments: Vec<(Combination, &[G1Affine])> = lengths
            .iter()
            .map(|&n| {
                let g = &gens[start..start + n];
                start += n;
                (point(commit_value(random_scalar(&mut rng), random_scalar(&mut rng))), g)
            })
            .collect();
        let cy = point(commit_value(random_scalar(&mut rng), random_scalar(&mut rng)));
        let sim_segments: Vec<(&[G1Affine], G1Projective)> =
            commitments.iter().map(|(c, g)| (*g, simulate::combine(c))).collect();
        let (proof, challenges) = simulate::dot_product(&sim_segments, simulate::combine(&cy), &a, &mut rng);
        let statement: Vec<SegmentStatement<'_>> =
            commitments.iter().map(|(c, g)| SegmentStatement { gens: g, commitment: c }).collect();
        assert!(proof.verify(&statement, &cy, &a, &mut Programmed(challenges.into()), None), "{lengths:?}");
        assert!(!proof.verify(&statement, &cy, &a, &mut Transcript::new(b"t"), None), "{lengths:?}");
    }
}
