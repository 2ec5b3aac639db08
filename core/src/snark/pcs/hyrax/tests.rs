//! Hyrax: commitments open to the polynomial's evaluations, in zero knowledge.

use super::*;
use crate::snark::pedersen::generators::value_generator;
use crate::snark::pedersen::{commit_vector, random_scalar};
use crate::snark::poly::evaluate;
use crate::snark::sigma::{DotProductProof, Segment, SegmentStatement};
use crate::snark::transcript::Transcript;
use ark_bn254::{Fr, G1Affine};
use ark_ec::AffineRepr;
use ark_ff::{Field, Zero};
use rand::{rngs::StdRng, SeedableRng};

#[test]
fn commit_open_prove_roundtrip_and_wrong_values_rejected() {
    let mut rng = StdRng::seed_from_u64(3);
    for num_vars in 1..8 {
        let key = HyraxKey::new(num_vars);
        let n = (1 << num_vars) - 1; // unpadded: the last entry is implicitly zero
        let evals: Vec<Fr> =
            (0..n).map(|i| if i % 3 == 0 { random_scalar(&mut rng) } else { Fr::from((i % 2) as u64) }).collect();
        let mut padded = evals.clone();
        padded.resize(1 << num_vars, Fr::zero());
        let point: Vec<Fr> = (0..num_vars).map(|_| random_scalar(&mut rng)).collect();
        let blinds: Vec<Fr> = (0..key.num_rows()).map(|_| random_scalar(&mut rng)).collect();
        let com = key.commit(&evals, &blinds);
        let opening = key.open(&evals, &blinds, &point);
        assert_eq!(opening.value, evaluate(&padded, &point));
        let (r_row, _) = point.split_at(key.row_vars());
        let combined = key.combination(&com, r_row).unwrap();
        // The combination commits to u with the combined blind.
        let u = commit_vector(key.message_generators(), &opening.combined_row, opening.combined_blind);
        assert_eq!(crate::snark::sigma::simulate::combine(&combined), u);
        let gens = key.message_generators();
        let weights = &opening.col_weights;
        let segment = [Segment { gens, x: &opening.combined_row, blind: opening.combined_blind }];
        let proof = DotProductProof::prove(&segment, weights, Fr::zero(), &mut Transcript::new(b"t"), &mut rng);
        let v = |value| vec![(value_generator(), value)];
        let statement = [SegmentStatement { gens, commitment: &combined }];
        assert!(proof.verify(&statement, &v(opening.value), weights, &mut Transcript::new(b"t"), None));
        assert!(!proof.verify(&statement, &v(opening.value + Fr::ONE), weights, &mut Transcript::new(b"t"), None));
    }
    assert!(HyraxKey::new(4).combination(&HyraxCommitment { row_commitments: vec![] }, &[Fr::ONE; 2]).is_err());
}

#[test]
fn zero_polynomial_commits_to_identity() {
    let key = HyraxKey::new(4);
    let com = key.commit(&[Fr::zero(); 16], &vec![Fr::zero(); key.num_rows()]);
    assert!(com.row_commitments.iter().all(|c| *c == G1Affine::zero()));
}
