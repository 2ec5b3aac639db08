//! Committing (prover only): the commitment forms of [`super`] and their blinds, on the
//! fixed-base tables of [`super::fixed_base`].

use super::fixed_base;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::{UniformRand, Zero};
use ark_std::rand::{CryptoRng, RngCore};
use std::sync::OnceLock;
use zeroize::Zeroize;

/// `v·V + ρ·H`.
pub(crate) fn commit_value(v: Fr, blind: Fr) -> G1Projective {
    let fixed = fixed_base::value_and_blinding();
    fixed_base::msm([(fixed.shifts(0), v), (fixed.shifts(1), blind)])
}

/// `⟨x, G⟩ + ρ·H` over the first `x.len()` generators of `gens`.
pub(crate) fn commit_vector(gens: &[G1Affine], x: &[Fr], blind: Fr) -> G1Projective {
    let (tables, first) = fixed_base::tables_for(&gens[..x.len()]);
    let h = fixed_base::value_and_blinding().shifts(1);
    fixed_base::msm(x.iter().enumerate().map(|(i, x_i)| (tables.shifts(first + i), *x_i)).chain([(h, blind)]))
}

/// `ρ_i·H` for every blind, in affine form, on a table of `H`'s multiples built once per
/// process ([`fixed_base::Multiples`]: at most 32 affine additions per blind, all the
/// blinds' terms made together).
pub(crate) fn blinding_terms(blinds: &[Fr]) -> Vec<G1Affine> {
    static TABLE: OnceLock<fixed_base::Multiples> = OnceLock::new();
    TABLE.get_or_init(|| fixed_base::Multiples::new(fixed_base::value_and_blinding().shifts(1))).times(blinds)
}

/// A uniformly random scalar (a blind or a Σ-protocol mask).
pub(crate) fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Fr {
    Fr::rand(rng)
}

/// Where a prover takes its uniform scalars from: a CSPRNG ([`random_scalar`]), or
/// [`Drawn`], scalars drawn from one in advance and handed out in the same order.
pub(crate) trait Randomness {
    /// The next uniform scalar.
    fn scalar(&mut self) -> Fr;
}

impl<R: RngCore + CryptoRng> Randomness for R {
    fn scalar(&mut self) -> Fr {
        random_scalar(self)
    }
}

/// Scalars drawn in advance from a CSPRNG, handed out in order, each once. They are
/// secret (blinds and masks): overwritten with zeros when dropped, never printed.
pub(crate) struct Drawn {
    scalars: Vec<Fr>,
    next: usize,
}

impl Drawn {
    /// `n` scalars from `rng`, in the order a prover would draw them.
    pub(crate) fn draw(n: usize, rng: &mut impl Randomness) -> Self {
        Drawn { scalars: (0..n).map(|_| rng.scalar()).collect(), next: 0 }
    }

    /// How many scalars are left.
    pub(crate) fn remaining(&self) -> usize {
        self.scalars.len() - self.next
    }
}

impl Randomness for Drawn {
    /// # Panics
    /// If all were handed out: the caller drew as many as the proof it makes takes
    /// (checked against the key before proving).
    fn scalar(&mut self) -> Fr {
        let scalar = *self.scalars.get(self.next).expect("as many scalars drawn as the proof takes");
        self.scalars[self.next] = Fr::zero();
        self.next += 1;
        scalar
    }
}

impl Drop for Drawn {
    fn drop(&mut self) {
        self.scalars.zeroize();
    }
}

impl core::fmt::Debug for Drawn {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Drawn({} scalars left, redacted)", self.remaining())
    }
}
