//! Sumcheck: exact interpolation, completeness and the final claim.

use super::verifier::{interpolate, lagrange_weights};
use super::*;
use crate::snark::error::VerifyError;
use crate::snark::poly::mask::evaluation_weights;
use crate::snark::poly::mask::MaskPolynomial;
use crate::snark::poly::{eq_table, evaluate};
use crate::snark::transcript::Transcript;
use ark_ff::UniformRand;
use ark_ff::{AdditiveGroup, Field};
use proptest::prelude::*;
use rand::{rngs::StdRng, SeedableRng};

fn rand_vec(rng: &mut StdRng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::rand(rng)).collect()
}

#[test]
fn interpolation_is_exact_for_cubics() {
    let mut rng = StdRng::seed_from_u64(7);
    let coeffs = rand_vec(&mut rng, 4);
    let g = |x: Fr| coeffs.iter().rev().fold(Fr::ZERO, |acc, c| acc * x + c);
    let ys: Vec<Fr> = (0..4u64).map(|i| g(Fr::from(i))).collect();
    let r = Fr::rand(&mut rng);
    assert_eq!(interpolate(&ys, &lagrange_weights(3), r), g(r));
}

proptest! {
    #[test]
    fn outer_sumcheck_complete_and_final_claim_correct(seed in any::<u64>(), n in 1usize..7) {
        let mut rng = StdRng::seed_from_u64(seed);
        let len = 1 << n;
        let tau = rand_vec(&mut rng, n);
        let (a, b, c) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len), rand_vec(&mut rng, len));
        let eq = eq_table(&tau);
        let mask = MaskPolynomial::random(n, 3, &mut rng);
        let rho = Fr::rand(&mut rng);
        let claim: Fr = (0..len).map(|i| eq[i] * (a[i] * b[i] - c[i])).sum::<Fr>() + rho * mask.hypercube_sum();
        let mut tp = Transcript::new(b"test");
        let (proof, rp, finals) = prove_outer(eq, a.clone(), b.clone(), c.clone(), Masking { mask: &mask, rho }, &mut tp);
        let mut tv = Transcript::new(b"test");
        let (fin, rv) = verify(SumcheckKind::Outer, claim, n, 3, &proof, &mut tv).unwrap();
        prop_assert_eq!(&rp, &rv);
        prop_assert_eq!(finals, [evaluate(&a, &rv), evaluate(&b, &rv), evaluate(&c, &rv)]);
        let mask_eval: Fr = mask.coeffs().iter().zip(evaluation_weights(&rv, 3)).map(|(c, w)| *c * w).sum();
        prop_assert_eq!(fin, crate::snark::poly::eq_eval(&tau, &rv) * (finals[0] * finals[1] - finals[2]) + rho * mask_eval);
        // A wrong claim leads to a wrong final claim.
        let mut tw = Transcript::new(b"test");
        let (fin_bad, _) = verify(SumcheckKind::Outer, claim + Fr::ONE, n, 3, &proof, &mut tw).unwrap();
        prop_assert_ne!(fin_bad, fin);
    }

    #[test]
    fn inner_sumcheck_complete_and_final_claim_correct(seed in any::<u64>(), n in 1usize..7) {
        let mut rng = StdRng::seed_from_u64(seed);
        let len = 1 << n;
        let (m, z) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len));
        let mask = MaskPolynomial::random(n, 2, &mut rng);
        let rho = Fr::rand(&mut rng);
        let claim: Fr = m.iter().zip(&z).map(|(x, y)| *x * y).sum::<Fr>() + rho * mask.hypercube_sum();
        let mut tp = Transcript::new(b"test");
        let (proof, _, finals) = prove_inner(m.clone(), z.clone(), Masking { mask: &mask, rho }, &mut tp);
        let mut tv = Transcript::new(b"test");
        let (fin, rv) = verify(SumcheckKind::Inner, claim, n, 2, &proof, &mut tv).unwrap();
        prop_assert_eq!(finals, [evaluate(&m, &rv), evaluate(&z, &rv)]);
        let mask_eval: Fr = mask.coeffs().iter().zip(evaluation_weights(&rv, 2)).map(|(c, w)| *c * w).sum();
        prop_assert_eq!(fin, finals[0] * finals[1] + rho * mask_eval);
    }
}

#[test]
fn wrong_shapes_are_rejected() {
    let proof = SumcheckProof { rounds: vec![vec![Fr::ZERO; 2], vec![Fr::ZERO; 3]] };
    let mut t = Transcript::new(b"test");
    assert_eq!(
        verify(SumcheckKind::Inner, Fr::ZERO, 2, 2, &proof, &mut t),
        Err(VerifyError::SumcheckRound { sumcheck: SumcheckKind::Inner, round: 1 })
    );
    let mut t = Transcript::new(b"test");
    assert!(matches!(verify(SumcheckKind::Inner, Fr::ZERO, 3, 2, &proof, &mut t), Err(VerifyError::Malformed { .. })));
}
