//! Sumcheck: exact interpolation, completeness and the final claim.

use super::verifier::{interpolate, lagrange_weights};
use super::*;
use crate::snark::error::VerifyError;
use crate::snark::poly::mask::evaluation_weights;
use crate::snark::poly::mask::MaskPolynomial;
use crate::snark::poly::{eq_table, evaluate};
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_ff::UniformRand;
use ark_ff::{AdditiveGroup, Field};
use proptest::prelude::*;
use rand::{rngs::StdRng, Rng, SeedableRng};

fn rand_vec(rng: &mut StdRng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::rand(rng)).collect()
}

#[test]
fn the_small_factor_constants_are_those_numbers() {
    assert_eq!(super::prover::MINUS_ONE, -Fr::ONE);
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
    fn outer_sumcheck_complete_and_final_claim_correct(seed in any::<u64>(), n in 1usize..7, bits in any::<bool>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let len = 1 << n;
        let tau = rand_vec(&mut rng, n);
        let (mut a, mut b, mut c) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len), rand_vec(&mut rng, len));
        if bits {
            mostly_small(&mut a, 1);
            mostly_small(&mut b, 2);
            mostly_small(&mut c, 3);
        }
        let eq = eq_table(&tau);
        let mask = MaskPolynomial::random(n, 3, &mut rng);
        let rho = Fr::rand(&mut rng);
        let claim: Fr = (0..len).map(|i| eq[i] * (a[i] * b[i] - c[i])).sum::<Fr>() + rho * mask.hypercube_sum();
        let mut tp = Transcript::new(b"test");
        let (proof, rp, finals) =
            prove_outer(&tau, a.clone(), b.clone(), c.clone(), false, Masking { mask: &mask, rho }, &mut tp);
        // The direct sum of every round's values at 0, 2, 3 gives the same messages.
        prop_assert_eq!(&proof, &direct_outer(&tau, &a, &b, &c, &mask, rho));
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
    fn inner_sumcheck_complete_and_final_claim_correct(seed in any::<u64>(), n in 1usize..7, bits in any::<bool>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let len = 1 << n;
        let (m, mut z) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len));
        if bits {
            mostly_small(&mut z, 0);
        }
        let mask = MaskPolynomial::random(n, 2, &mut rng);
        let rho = Fr::rand(&mut rng);
        let claim: Fr = m.iter().zip(&z).map(|(x, y)| *x * y).sum::<Fr>() + rho * mask.hypercube_sum();
        let mut tp = Transcript::new(b"test");
        let (proof, _, finals) = prove_inner(m.clone(), z.clone(), Masking { mask: &mask, rho }, &mut tp);
        // The direct sum of every round's values at 0 and 2 gives the same messages.
        prop_assert_eq!(&proof, &direct_inner(&m, &z, &mask, rho));
        let mut tv = Transcript::new(b"test");
        let (fin, rv) = verify(SumcheckKind::Inner, claim, n, 2, &proof, &mut tv).unwrap();
        prop_assert_eq!(finals, [evaluate(&m, &rv), evaluate(&z, &rv)]);
        let mask_eval: Fr = mask.coeffs().iter().zip(evaluation_weights(&rv, 2)).map(|(c, w)| *c * w).sum();
        prop_assert_eq!(fin, finals[0] * finals[1] + rho * mask_eval);
    }
}

proptest! {
    /// Tables that are zero beyond a prefix of each half, a different one per table (as
    /// Spartan's are beyond its constraints and witness): the provers skip those pairs
    /// and send the direct messages.
    #[test]
    fn zero_tails_give_the_direct_messages(seed in any::<u64>(), n in 1usize..8, rows_hold in any::<bool>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let len = 1 << n;
        let tau = rand_vec(&mut rng, n);
        let mut tables: Vec<Vec<Fr>> = (0..5).map(|_| rand_vec(&mut rng, len)).collect();
        for table in &mut tables {
            zero_tails(table, &mut rng);
        }
        let [a, b, c, m, z] = <[Vec<Fr>; 5]>::try_from(tables).unwrap();
        let c = if rows_hold { a.iter().zip(&b).map(|(x, y)| *x * y).collect() } else { c };
        let mask = MaskPolynomial::random(n, 3, &mut rng);
        let rho = Fr::rand(&mut rng);
        let (proof, point, finals) = prove_outer(
            &tau, a.clone(), b.clone(), c.clone(), rows_hold, Masking { mask: &mask, rho }, &mut Transcript::new(b"test"),
        );
        prop_assert_eq!(proof, direct_outer(&tau, &a, &b, &c, &mask, rho));
        prop_assert_eq!(finals, [evaluate(&a, &point), evaluate(&b, &point), evaluate(&c, &point)]);
        let mask = MaskPolynomial::random(n, 2, &mut rng);
        let (proof, point, finals) =
            prove_inner(m.clone(), z.clone(), Masking { mask: &mask, rho }, &mut Transcript::new(b"test"));
        prop_assert_eq!(proof, direct_inner(&m, &z, &mask, rho));
        prop_assert_eq!(finals, [evaluate(&m, &point), evaluate(&z, &point)]);
    }
}

/// Zeroes each half of `values` from a random position on (possibly none, possibly all).
fn zero_tails(values: &mut [Fr], rng: &mut StdRng) {
    let half = values.len() / 2;
    for start in [0, half] {
        let keep = rng.gen_range(0..=half);
        values[start + keep..start + half].fill(Fr::ZERO);
    }
}

/// Replaces four in five values by 0, ±1 or 2, as in the provers' first-round tables
/// (`z'`, `Az`, `Bz`, `Cz`), whose products skip those multiplications.
fn mostly_small(values: &mut [Fr], shift: usize) {
    let small = [Fr::ZERO, Fr::ONE, -Fr::ONE, Fr::from(2u64)];
    for (i, v) in values.iter_mut().enumerate() {
        if let Some(s) = small.get((i * 7 + shift) % 5) {
            *v = *s;
        }
    }
}

/// Sumcheck #1's messages by the direct sum `Σ_i eq_t[i]·(a_t·b_t − c_t)[i]` at
/// `t = 0, 2, 3`, binding all four tables (the prover before Gruen's trick).
fn direct_outer(tau: &[Fr], a: &[Fr], b: &[Fr], c: &[Fr], mask: &MaskPolynomial, rho: Fr) -> SumcheckProof {
    let tables = [eq_table(tau), a.to_vec(), b.to_vec(), c.to_vec()];
    direct(tables, &[0, 2, 3], b"outer-sumcheck", |[e, a, b, c]| e * (a * b - c), mask, rho)
}

/// Sumcheck #2's messages by the direct sums `Σ_i (m_t·z_t)[i]` at `t = 0, 2`.
fn direct_inner(m: &[Fr], z: &[Fr], mask: &MaskPolynomial, rho: Fr) -> SumcheckProof {
    direct([m.to_vec(), z.to_vec()], &[0, 2], b"inner-sumcheck", |[m, z]| m * z, mask, rho)
}

/// The messages of a masked sumcheck of `Σ_i term(tables_t[i])` by direct sums at the
/// `points` `t` of each round (the tables bound to the round's challenge after it),
/// under the transcript labels `{name}/round` and `{name}/challenge`.
fn direct<const K: usize>(
    mut tables: [Vec<Fr>; K],
    points: &[u64],
    name: &[u8],
    term: impl Fn([Fr; K]) -> Fr,
    mask: &MaskPolynomial,
    rho: Fr,
) -> SumcheckProof {
    let label = |suffix: &[u8]| [name, suffix].concat();
    let mut mask_rounds = mask.rounds();
    let mut transcript = Transcript::new(b"test");
    let mut rounds = Vec::new();
    while tables[0].len() > 1 {
        let half = tables[0].len() / 2;
        let at = |t: u64, table: &[Fr], i: usize| table[i] + Fr::from(t) * (table[i + half] - table[i]);
        let msg: Vec<Fr> = points
            .iter()
            .map(|&t| {
                let sum: Fr = (0..half).map(|i| term(core::array::from_fn(|j| at(t, &tables[j], i)))).sum();
                sum + rho * mask_rounds.value(Fr::from(t))
            })
            .collect();
        transcript.append_scalars(&label(b"/round"), &msg);
        let r = transcript.challenge_scalar(&label(b"/challenge"));
        mask_rounds.bind(r);
        for table in &mut tables {
            crate::snark::poly::bind_first_var(table, r);
        }
        rounds.push(msg);
    }
    SumcheckProof { rounds }
}

/// Tables of 14 variables (sumcheck #1's split `eq` table then has 6 and 7; the first
/// rounds run on two threads), zero in the last fifth of their second half, and
/// challenges `τ_k = 0`, whose round sums `q(1)` instead of taking it from the previous
/// round: the same messages and final values as the direct sums.
#[test]
fn large_tables_and_zero_challenges_give_the_direct_messages() {
    crate::snark::parallel::on_two_threads(large_tables_and_zero_challenges);
}

fn large_tables_and_zero_challenges() {
    let mut rng = StdRng::seed_from_u64(23);
    let n = 14;
    let len = 1 << n;
    for zeros in [&[][..], &[0, 5], &[3, 11]] {
        let mut tau = rand_vec(&mut rng, n);
        for &k in zeros {
            tau[k] = Fr::ZERO;
        }
        let (mut a, mut b, mut c) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len), rand_vec(&mut rng, len));
        mostly_small(&mut a, 1);
        mostly_small(&mut b, 2);
        mostly_small(&mut c, 3);
        for table in [&mut a, &mut b, &mut c] {
            table[len - len / 10..].fill(Fr::ZERO);
        }
        let mask = MaskPolynomial::random(n, 3, &mut rng);
        let rho = Fr::rand(&mut rng);
        let masking = Masking { mask: &mask, rho };
        let (proof, point, finals) =
            prove_outer(&tau, a.clone(), b.clone(), c.clone(), false, masking, &mut Transcript::new(b"test"));
        assert_eq!(proof, direct_outer(&tau, &a, &b, &c, &mask, rho), "zeros at {zeros:?}");
        assert_eq!(finals, [evaluate(&a, &point), evaluate(&b, &point), evaluate(&c, &point)]);
    }
    let (mut m, mut z) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len));
    mostly_small(&mut z, 0);
    for table in [&mut m, &mut z] {
        table[len - len / 10..].fill(Fr::ZERO);
    }
    let mask = MaskPolynomial::random(n, 2, &mut rng);
    let rho = Fr::rand(&mut rng);
    let (proof, point, finals) =
        prove_inner(m.clone(), z.clone(), Masking { mask: &mask, rho }, &mut Transcript::new(b"test"));
    assert_eq!(proof, direct_inner(&m, &z, &mask, rho));
    assert_eq!(finals, [evaluate(&m, &point), evaluate(&z, &point)]);
}

#[test]
fn rows_that_hold_give_the_same_outer_messages() {
    let mut rng = StdRng::seed_from_u64(17);
    for n in 1..6 {
        let len = 1 << n;
        let tau = rand_vec(&mut rng, n);
        let (a, b) = (rand_vec(&mut rng, len), rand_vec(&mut rng, len));
        let c: Vec<Fr> = a.iter().zip(&b).map(|(x, y)| *x * y).collect();
        let mask = MaskPolynomial::random(n, 3, &mut rng);
        let masking = || Masking { mask: &mask, rho: Fr::from(5u64) };
        let prove = |rows_hold| {
            prove_outer(&tau, a.clone(), b.clone(), c.clone(), rows_hold, masking(), &mut Transcript::new(b"test"))
        };
        assert_eq!(prove(true), prove(false));
        assert_eq!(prove(true).0, direct_outer(&tau, &a, &b, &c, &mask, Fr::from(5u64)));
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
