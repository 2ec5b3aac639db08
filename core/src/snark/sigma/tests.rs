//! The dot-product proof: completeness, and rejection of wrong claims and of
//! blocks that do not open separately.

use super::*;
use crate::snark::pedersen::generators::message_generators;
use crate::snark::pedersen::{commit_value, commit_vector, random_scalar};
use crate::snark::transcript::Transcript;
use ark_bn254::G1Projective;
use ark_ec::CurveGroup;
use ark_ff::{Field, Zero};
use rand::{rngs::StdRng, SeedableRng};

fn scalars(n: usize, rng: &mut StdRng) -> Vec<Fr> {
    (0..n).map(|_| random_scalar(rng)).collect()
}

fn point(p: G1Projective) -> Combination {
    vec![(p.into_affine(), Fr::ONE)]
}

#[test]
fn dot_product_proof_complete_and_sound_for_wrong_claims() {
    let mut rng = StdRng::seed_from_u64(1);
    let gens = message_generators(8);
    let gens = &gens[..8];
    let (x, a) = (scalars(8, &mut rng), scalars(8, &mut rng));
    let (bx, by) = (random_scalar(&mut rng), random_scalar(&mut rng));
    let cx = point(commit_vector(gens, &x, bx));
    let cy = point(commit_value(inner_product(&x, &a), by));
    let block = [Block { gens, x: &x, blind: bx }];
    let proof = DotProductProof::prove(&block, &a, by, &mut Transcript::new(b"t"), &mut rng);
    let check = |proof: &DotProductProof, cx: &Combination, cy: &Combination, a: &[Fr]| {
        proof.verify(&[BlockStatement { gens, commitment: cx }], cy, a, &mut Transcript::new(b"t"))
    };
    assert!(check(&proof, &cx, &cy, &a));
    // The same commitments written as other combinations of points.
    let half = Fr::from(2u64).inverse().unwrap();
    let split = vec![(cx[0].0, half), (cx[0].0, half)];
    assert!(check(&proof, &split, &cy, &a));
    let wrong_y = point(commit_value(inner_product(&x, &a) + Fr::from(1u64), by));
    assert!(!check(&proof, &cx, &wrong_y, &a));
    assert!(!check(&proof, &cx, &cy, &a[..7]));
    // A wrong C_x, or a proof with a wrong first message or response, is rejected
    // although the other equation still holds.
    let wrong_x = point(commit_vector(gens, &x, bx + Fr::ONE));
    assert!(!check(&proof, &wrong_x, &cy, &a));
    let mut bad = proof.clone();
    bad.z_beta += Fr::ONE;
    assert!(!check(&bad, &cx, &cy, &a));
    let mut bad = proof.clone();
    bad.z_deltas[0] += Fr::ONE;
    assert!(!check(&bad, &cx, &cy, &a));
    // A proof with the wrong number of blocks is rejected, not indexed out of range.
    let mut bad = proof.clone();
    bad.deltas.push(bad.beta);
    assert!(!check(&bad, &cx, &cy, &a));
    let mut bad = proof;
    bad.z_deltas.clear();
    assert!(!check(&bad, &cx, &cy, &a));
}

/// Two blocks on disjoint generators: complete, and a prover that moves part of
/// one block's vector into the other block's commitment is rejected, although the
/// sum of the two commitments is unchanged (the forgery of issue 12 §1, in small).
#[test]
fn blocks_open_separately() {
    let mut rng = StdRng::seed_from_u64(2);
    let gens = message_generators(10);
    let (g0, g1) = (&gens[..6], &gens[6..10]);
    let (x0, x1, a) = (scalars(6, &mut rng), scalars(4, &mut rng), scalars(10, &mut rng));
    let (b0, b1, by) = (random_scalar(&mut rng), random_scalar(&mut rng), random_scalar(&mut rng));
    let x: Vec<Fr> = x0.iter().chain(&x1).copied().collect();
    let cy = point(commit_value(inner_product(&x, &a), by));
    let prove = |x0: &[Fr], rng: &mut StdRng| {
        let blocks = [Block { gens: g0, x: x0, blind: b0 }, Block { gens: g1, x: &x1, blind: b1 }];
        DotProductProof::prove(&blocks, &a, by, &mut Transcript::new(b"t"), rng)
    };
    let check = |proof: &DotProductProof, c0: &Combination, c1: &Combination| {
        let blocks = [BlockStatement { gens: g0, commitment: c0 }, BlockStatement { gens: g1, commitment: c1 }];
        proof.verify(&blocks, &cy, &a, &mut Transcript::new(b"t"))
    };
    let (c0, c1) = (point(commit_vector(g0, &x0, b0)), point(commit_vector(g1, &x1, b1)));
    assert!(check(&prove(&x0, &mut rng), &c0, &c1));
    // Shift t on G^(0) carried by block 1's commitment: C_0 + C_1 is the same point.
    let t = scalars(6, &mut rng);
    let x0_shifted: Vec<Fr> = x0.iter().zip(&t).map(|(x, t)| *x - t).collect();
    let c0_shifted = point(commit_vector(g0, &x0_shifted, b0));
    let c1_shifted = point(commit_vector(g1, &x1, b1) + commit_vector(g0, &t, Fr::zero()));
    assert_eq!(
        simulate::combine(&c0_shifted) + simulate::combine(&c1_shifted),
        simulate::combine(&c0) + simulate::combine(&c1)
    );
    assert!(!check(&prove(&x0, &mut rng), &c0_shifted, &c1_shifted));
    assert!(!check(&prove(&x0_shifted, &mut rng), &c0_shifted, &c1_shifted));
}
