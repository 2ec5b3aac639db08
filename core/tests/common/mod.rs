//! Random satisfiable R1CS instances for tests and benchmarks.
#![allow(dead_code)]

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, UniformRand};
use rand::{rngs::StdRng, Rng, SeedableRng};
use zkpolicy_core::snark::r1cs::{fr_from_i64, R1cs};
use zkpolicy_core::snark::spartan::Statement;

/// The statement with public values `public` and no committed values.
pub(crate) fn st(public: &[Fr]) -> Statement<'_> {
    Statement { public, committed: &[], context: &[] }
}

/// How the free variables (public values and the first half of the witness) are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Values {
    /// All zero (and no constant terms): the all-zero witness satisfies the instance.
    Zero,
    /// Bits, like the bit decompositions that dominate compiled policy circuits.
    Bits,
    /// Small signed integers in `[-128, 127]`.
    Small,
    /// Uniform field elements.
    Full,
}

/// A satisfiable instance with its assignment.
pub(crate) struct Instance {
    pub r1cs: R1cs,
    pub public: Vec<Fr>,
    pub witness: Vec<Fr>,
}

fn draw(rng: &mut StdRng, values: Values) -> Fr {
    match values {
        Values::Zero => Fr::ZERO,
        Values::Bits => Fr::from(rng.gen_range(0..2u64)),
        Values::Small => fr_from_i64(rng.gen_range(-128..128)),
        Values::Full => Fr::rand(rng),
    }
}

/// A random instance with `num_constraints` constraints that `(public, witness)` satisfies.
///
/// The first half of the witness (and the public values) is free; each of the first
/// constraints defines one further witness value as a product `x·y` or a small linear
/// combination of free values; the remaining constraints re-check products of free
/// values against constants (`x·y = c·1`).
pub(crate) fn random_instance(
    seed: u64,
    num_constraints: usize,
    num_public: usize,
    num_witness: usize,
    values: Values,
) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut r = R1cs { num_constraints, num_public, num_witness, ..Default::default() };
    let num_free = num_witness.div_ceil(2);
    let public: Vec<Fr> = (0..num_public).map(|_| draw(&mut rng, values)).collect();
    let mut witness: Vec<Fr> = (0..num_free).map(|_| draw(&mut rng, values)).collect();
    let mut z: Vec<Fr> =
        core::iter::once(Fr::ONE).chain(public.iter().copied()).chain(witness.iter().copied()).collect();
    // Columns the constraints may read: the constant (unless all-zero), public, free witness.
    let first_readable = if values == Values::Zero { 1 } else { 0 };
    let readable = 1 + num_public + num_free;
    assert!(readable > first_readable, "the all-zero mode needs a public or witness value");
    let pick = |rng: &mut StdRng| rng.gen_range(first_readable..readable);
    for row in 0..num_constraints {
        if witness.len() < num_witness {
            let new_col = 1 + num_public + witness.len();
            let value = if row % 2 == 0 {
                // Product: x · y = w_new.
                let (x, y) = (pick(&mut rng), pick(&mut rng));
                r.a.push(row, x, Fr::ONE);
                r.b.push(row, y, Fr::ONE);
                z[x] * z[y]
            } else {
                // Linear: (Σ c_j·x_j) · 1 = w_new.
                let mut acc = Fr::ZERO;
                for _ in 0..rng.gen_range(1..4) {
                    let (x, c) = (pick(&mut rng), fr_from_i64(rng.gen_range(-3..4)));
                    r.a.push(row, x, c);
                    acc += c * z[x];
                }
                r.b.push(row, 0, Fr::ONE);
                acc
            };
            r.c.push(row, new_col, Fr::ONE);
            witness.push(value);
            z.push(value);
        } else {
            // Re-check: x · y = (x·y) · 1.
            let (x, y) = (pick(&mut rng), pick(&mut rng));
            r.a.push(row, x, Fr::ONE);
            r.b.push(row, y, Fr::ONE);
            r.c.push(row, 0, z[x] * z[y]);
        }
    }
    assert_eq!(r.is_satisfied(&public, &witness), Ok(()));
    Instance { r1cs: r, public, witness }
}
