//! Hyrax: commitments open to the polynomial's evaluations, in zero knowledge.

use super::*;
use crate::snark::error::FormatError;
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
        let key = HyraxKey::new(num_vars, Profile::Small);
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
    assert!(HyraxKey::new(4, Profile::Small)
        .combination(&HyraxCommitment { row_commitments: vec![] }, &[Fr::ONE; 2])
        .is_err());
}

#[test]
fn zero_polynomial_commits_to_identity() {
    let key = HyraxKey::new(4, Profile::Small);
    let com = key.commit(&[Fr::zero(); 16], &vec![Fr::zero(); key.num_rows()]);
    assert!(com.row_commitments.iter().all(|c| *c == G1Affine::zero()));
}

#[test]
fn profiles_split_as_documented() {
    // (num_vars, small's row variables, fast's): whitelist has 12, simple_velocity 9.
    for (n, small, fast) in [(1, 0, 0), (2, 0, 1), (3, 1, 2), (9, 4, 5), (12, 5, 6), (13, 6, 7), (14, 7, 7), (15, 7, 8)]
    {
        assert_eq!((Profile::Small.row_vars(n), Profile::Fast.row_vars(n)), (small, fast), "n = {n}");
        let key = HyraxKey::new(n, Profile::Fast);
        assert_eq!(key.num_rows() * key.row_len(), 1 << n);
        assert!(key.row_len() >= 2 && key.num_rows() >= key.row_len() / 2);
    }
    for p in Profile::ALL {
        assert_eq!((Profile::from_code(p.code()), Profile::from_name(p.name())), (Some(p), Some(p)));
    }
    assert_eq!((Profile::from_code(2), Profile::from_name("medium")), (None, None));
}

#[test]
fn profile_bytes_are_read_by_name() {
    let mut input: &[u8] = &[Profile::Fast.code(), 7];
    assert_eq!(Profile::read(&mut input), Ok(Profile::Fast));
    assert_eq!(input, [7]);
    assert_eq!(Profile::read(&mut &[2u8][..]), Err(FormatError::Invalid { what: "profile (unknown code)" }));
    assert_eq!(Profile::read(&mut &[][..]), Err(FormatError::Truncated { what: "profile" }));
}
