//! The dot-product proof: completeness, rejection of wrong claims, of every
//! malformed or altered message and of blocks that do not open separately, and the
//! simulator.

use super::*;
use crate::snark::pedersen::generators::{blinding_generator, message_generators, value_generator};
use crate::snark::pedersen::{commit_value, commit_vector, random_scalar};
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_bn254::G1Projective;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::Zero;
use rand::{rngs::StdRng, SeedableRng};
use std::collections::VecDeque;

fn scalars(n: usize, rng: &mut StdRng) -> Vec<Fr> {
    (0..n).map(|_| random_scalar(rng)).collect()
}

fn point(p: G1Projective) -> Combination {
    vec![(p.into_affine(), Fr::ONE)]
}

/// A one-block statement of length `n` and its proof.
struct OneBlock {
    gens: Vec<G1Affine>,
    a: Vec<Fr>,
    cx: Combination,
    cy: Combination,
    proof: DotProductProof,
}

impl OneBlock {
    fn new(n: usize, rng: &mut StdRng) -> Self {
        let gens = message_generators(n)[..n].to_vec();
        let (x, a) = (scalars(n, rng), scalars(n, rng));
        let (bx, by) = (random_scalar(rng), random_scalar(rng));
        let cx = point(commit_vector(&gens, &x, bx));
        let cy = point(commit_value(inner_product(&x, &a), by));
        let block = [Block { gens: &gens, x: &x, blind: bx }];
        let proof = DotProductProof::prove(&block, &a, by, &mut Transcript::new(b"t"), rng);
        OneBlock { gens, a, cx, cy, proof }
    }

    fn check(&self, proof: &DotProductProof) -> bool {
        self.check_on(proof, &self.gens, &self.cx, &self.cy, &self.a)
    }

    fn check_on(
        &self,
        proof: &DotProductProof,
        gens: &[G1Affine],
        cx: &Combination,
        cy: &Combination,
        a: &[Fr],
    ) -> bool {
        proof.verify(&[BlockStatement { gens, commitment: cx }], cy, a, &mut Transcript::new(b"t"))
    }
}

#[test]
fn complete_for_every_length_and_sound_for_wrong_claims() {
    let mut rng = StdRng::seed_from_u64(1);
    for n in [1, 2, 4, 8, 32] {
        let t = OneBlock::new(n, &mut rng);
        assert!(t.check(&t.proof), "n = {n}");
        assert_eq!(t.proof.blocks[0].rounds(), n.trailing_zeros() as usize);
        assert!(t.proof.splits.is_empty());
        // The same commitments written as other combinations of points.
        let half = Fr::from(2u64).inverse().unwrap();
        let split = vec![(t.cx[0].0, half), (t.cx[0].0, half)];
        assert!(t.check_on(&t.proof, &t.gens, &split, &t.cy, &t.a));
        // Another claimed value, another C_x, other weights: rejected.
        let wrong_y = point(simulate::combine(&t.cy) + value_generator());
        assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &wrong_y, &t.a));
        let wrong_x = point(simulate::combine(&t.cx) + blinding_generator());
        assert!(!t.check_on(&t.proof, &t.gens, &wrong_x, &t.cy, &t.a));
        let mut a = t.a.clone();
        a[n - 1] += Fr::ONE;
        assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &t.cy, &a));
    }
}

/// Every message and response is checked: changing any one of them, or the
/// generators the verifier folds, makes the proof fail.
#[test]
fn every_element_is_checked() {
    let mut rng = StdRng::seed_from_u64(2);
    let t = OneBlock::new(8, &mut rng);
    let g = G1Affine::generator();
    let bump = |p: &mut G1Affine| *p = (*p + g).into_affine();
    let mut edits: Vec<(String, DotProductProof)> = Vec::new();
    for j in 0..3 {
        let mut bad = t.proof.clone();
        bump(&mut bad.blocks[0].l[j]);
        edits.push((format!("L_{j}"), bad));
        let mut bad = t.proof.clone();
        bump(&mut bad.blocks[0].r[j]);
        edits.push((format!("R_{j}"), bad));
        // L and R swapped in one round.
        let mut bad = t.proof.clone();
        let b = &mut bad.blocks[0];
        (b.l[j], b.r[j]) = (b.r[j], b.l[j]);
        edits.push((format!("L_{j} and R_{j} swapped"), bad));
    }
    let mut bad = t.proof.clone();
    bump(&mut bad.blocks[0].delta);
    edits.push(("δ".into(), bad));
    let mut bad = t.proof.clone();
    bump(&mut bad.blocks[0].beta);
    edits.push(("β".into(), bad));
    let mut bad = t.proof.clone();
    bad.blocks[0].z += Fr::ONE;
    edits.push(("z".into(), bad));
    let mut bad = t.proof.clone();
    bad.blocks[0].z_blind += Fr::ONE;
    edits.push(("z_blind".into(), bad));
    // An identity point in place of a message.
    let mut bad = t.proof.clone();
    bad.blocks[0].l[0] = G1Affine::zero();
    edits.push(("L_0 the identity".into(), bad));
    let mut bad = t.proof.clone();
    bad.blocks[0].delta = G1Affine::zero();
    edits.push(("δ the identity".into(), bad));
    for (what, bad) in &edits {
        assert!(!t.check(bad), "{what} altered, still accepted");
    }
    // The verifier's own generators: a different order or other generators.
    let mut gens = t.gens.clone();
    gens.swap(0, 7);
    assert!(!t.check_on(&t.proof, &gens, &t.cx, &t.cy, &t.a));
    let others = &message_generators(16)[8..16];
    assert!(!t.check_on(&t.proof, others, &t.cx, &t.cy, &t.a));
}

/// Lengths are derived from the statement: a proof with a round more or fewer, L and
/// R of different lengths, a split it should not have, or a block too many is
/// rejected (never indexed out of range); so is a block of a length that is not a
/// power of two, or weights of the wrong length.
#[test]
fn lengths_are_checked() {
    let mut rng = StdRng::seed_from_u64(3);
    let t = OneBlock::new(8, &mut rng);
    let p = G1Affine::generator();
    let mut edits: Vec<(&str, DotProductProof)> = Vec::new();
    let mut bad = t.proof.clone();
    bad.blocks[0].l.pop();
    bad.blocks[0].r.pop();
    edits.push(("a round fewer", bad));
    let mut bad = t.proof.clone();
    bad.blocks[0].l.push(p);
    bad.blocks[0].r.push(p);
    edits.push(("a round more", bad));
    let mut bad = t.proof.clone();
    bad.blocks[0].r.pop();
    edits.push(("R shorter than L", bad));
    let mut bad = t.proof.clone();
    bad.blocks[0].l.push(p);
    edits.push(("L longer than R", bad));
    let mut bad = t.proof.clone();
    bad.splits.push(p);
    edits.push(("a split for one block", bad));
    let mut bad = t.proof.clone();
    bad.blocks.push(bad.blocks[0].clone());
    edits.push(("two blocks for one", bad));
    let mut bad = t.proof.clone();
    bad.blocks.clear();
    edits.push(("no block", bad));
    for (what, bad) in &edits {
        assert!(!t.check(bad), "{what}: accepted");
    }
    assert!(!t.check_on(&t.proof, &t.gens, &t.cx, &t.cy, &t.a[..7]));
    // Six generators (not a power of two) with the proof's three rounds.
    assert!(!t.check_on(&t.proof, &t.gens[..6], &t.cx, &t.cy, &t.a[..6]));
    assert!(!t.proof.verify(&[], &t.cy, &[], &mut Transcript::new(b"t")));
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
    let block = [Block { gens: &gens, x: &x, blind: bx }];
    let proof = DotProductProof::prove(&block, &a, by, &mut Transcript::new(b"t"), &mut rng);
    let statement = [BlockStatement { gens: &gens, commitment: &cx }];
    assert!(!proof.verify(&statement, &cy, &a, &mut Transcript::new(b"t")));
}

/// Two blocks on disjoint generators: complete, and a prover that moves part of
/// one block's vector into the other block's commitment is rejected, although the
/// sum of the two commitments is unchanged (the forgery of issue 12 §1, in small);
/// so is a proof whose value splits do not add up, or whose blocks trade the split.
#[test]
fn blocks_open_separately() {
    let mut rng = StdRng::seed_from_u64(5);
    let gens = message_generators(12);
    let (g0, g1) = (&gens[..8], &gens[8..12]);
    let (x0, x1, a) = (scalars(8, &mut rng), scalars(4, &mut rng), scalars(12, &mut rng));
    let (b0, b1, by) = (random_scalar(&mut rng), random_scalar(&mut rng), random_scalar(&mut rng));
    let x: Vec<Fr> = x0.iter().chain(&x1).copied().collect();
    let cy = point(commit_value(inner_product(&x, &a), by));
    let prove = |x0: &[Fr], rng: &mut StdRng, hook: &mut dyn FnMut(Message, &mut [G1Affine])| {
        let blocks = [Block { gens: g0, x: x0, blind: b0 }, Block { gens: g1, x: &x1, blind: b1 }];
        DotProductProof::prove_with_hook(&blocks, &a, by, &mut Transcript::new(b"t"), rng, hook)
    };
    let check = |proof: &DotProductProof, c0: &Combination, c1: &Combination| {
        let blocks = [BlockStatement { gens: g0, commitment: c0 }, BlockStatement { gens: g1, commitment: c1 }];
        proof.verify(&blocks, &cy, &a, &mut Transcript::new(b"t"))
    };
    let (c0, c1) = (point(commit_vector(g0, &x0, b0)), point(commit_vector(g1, &x1, b1)));
    let honest = prove(&x0, &mut rng, &mut |_, _| {});
    assert!(check(&honest, &c0, &c1));
    assert_eq!(honest.splits.len(), 1);
    // The split moved by V: both blocks' value equations fail.
    let shifted = prove(&x0, &mut rng, &mut |m, p| {
        if m == Message::Splits {
            p[0] = (p[0] + value_generator()).into_affine();
        }
    });
    assert!(!check(&shifted, &c0, &c1));
    // Shift t on G^(0) carried by block 1's commitment: C_0 + C_1 is the same point.
    let t = scalars(8, &mut rng);
    let x0_shifted: Vec<Fr> = x0.iter().zip(&t).map(|(x, t)| *x - t).collect();
    let c0_shifted = point(commit_vector(g0, &x0_shifted, b0));
    let c1_shifted = point(commit_vector(g1, &x1, b1) + commit_vector(g0, &t, Fr::zero()));
    assert_eq!(
        simulate::combine(&c0_shifted) + simulate::combine(&c1_shifted),
        simulate::combine(&c0) + simulate::combine(&c1)
    );
    assert!(!check(&prove(&x0, &mut rng, &mut |_, _| {}), &c0_shifted, &c1_shifted));
    assert!(!check(&prove(&x0_shifted, &mut rng, &mut |_, _| {}), &c0_shifted, &c1_shifted));
    // δ_0 + P and δ_1 − P: each block's equation is off, their sum is not. The
    // distinct batching weights ρ^k catch it (equal weights would accept).
    let p = G1Affine::generator();
    let traded = prove(&x0, &mut rng, &mut |m, points| match m {
        Message::Final { block: 0 } => points[0] = (points[0] + p).into_affine(),
        Message::Final { block: 1 } => points[0] = (points[0] - p).into_affine(),
        _ => {}
    });
    assert!(!check(&traded, &c0, &c1));
    // The blocks' proofs in the other order.
    let mut swapped = honest.clone();
    swapped.blocks.swap(0, 1);
    assert!(!check(&swapped, &c0, &c1));
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
    for lengths in [vec![1], vec![8], vec![16, 8], vec![4, 2, 1]] {
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
        let sim_blocks: Vec<(&[G1Affine], G1Projective)> =
            commitments.iter().map(|(c, g)| (*g, simulate::combine(c))).collect();
        let (proof, challenges) = simulate::dot_product(&sim_blocks, simulate::combine(&cy), &a, &mut rng);
        let statement: Vec<BlockStatement<'_>> =
            commitments.iter().map(|(c, g)| BlockStatement { gens: g, commitment: c }).collect();
        assert!(proof.verify(&statement, &cy, &a, &mut Programmed(challenges.into())), "{lengths:?}");
        assert!(!proof.verify(&statement, &cy, &a, &mut Transcript::new(b"t")), "{lengths:?}");
    }
}
