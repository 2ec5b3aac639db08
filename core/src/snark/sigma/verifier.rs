//! Checking the dot-product proof.

use super::schedule::Layout;
use super::{inner_product, labels, DotProductProof, SegmentStatement};
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use crate::snark::pedersen::fixed_base;
use crate::snark::pedersen::generators::{blinding_generator, value_generator};
use crate::snark::pedersen::Combination;
use crate::snark::pedersen::GeneratorTables;
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine};
use ark_ff::{Field, Zero};

/// The check of a dot-product proof ([`DotProductProof::equation`]): the multi-scalar
/// multiplication `Σ_i scalars_i·bases_i`, zero iff the proof is accepted. Its last
/// bases are fixed points: the segments' generators in order, then `V` and `H`.
pub(crate) struct Equation {
    bases: Vec<G1Affine>,
    scalars: Vec<Fr>,
    /// Where the fixed points start in `bases` (for the generator tables, which the wasm
    /// verifier has none of).
    #[cfg_attr(not(any(feature = "prover", not(target_arch = "wasm32"))), allow(dead_code))]
    fixed: usize,
}

impl Equation {
    /// The terms `scale·(Σ_k C_k + w·C_y)` of a check on `Γ = Σ_k C_k + w·C_y`, with
    /// room for `more` terms.
    pub(crate) fn on_statement(
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        scale: Fr,
        w: Fr,
        more: usize,
    ) -> Self {
        let capacity = segments.iter().map(|s| s.commitment.len()).sum::<usize>() + cy.len() + more;
        let mut equation =
            Equation { bases: Vec::with_capacity(capacity), scalars: Vec::with_capacity(capacity), fixed: 0 };
        for (point, x) in segments.iter().flat_map(|s| s.commitment) {
            equation.push(*point, scale * x);
        }
        let scale_y = scale * w;
        for (point, x) in cy {
            equation.push(*point, scale_y * x);
        }
        equation
    }

    /// Adds the term `scalar·base` (before the fixed points).
    pub(crate) fn push(&mut self, base: G1Affine, scalar: Fr) {
        self.bases.push(base);
        self.scalars.push(scalar);
    }

    /// Ends the equation with the fixed points: the segments' generators in order, one
    /// scalar each from `generators`, then `v·V` and `h·H`.
    pub(crate) fn with_fixed(
        mut self,
        segments: &[SegmentStatement<'_>],
        generators: impl IntoIterator<Item = Fr>,
        [v, h]: [Fr; 2],
    ) -> Self {
        self.fixed = self.bases.len();
        self.bases.extend(segments.iter().flat_map(|s| s.gens));
        self.scalars.extend(generators);
        self.bases.extend([value_generator(), blinding_generator()]);
        self.scalars.extend([v, h]);
        self
    }

    /// Whether the multi-scalar multiplication is zero, on `tables` if given and the
    /// segments' generators are theirs ([`Equation::holds_on_tables`]). The sum is the
    /// same either way.
    pub(crate) fn holds(&self, tables: Option<&GeneratorTables>) -> bool {
        tables
            .and_then(|tables| self.holds_on_tables(tables))
            .unwrap_or_else(|| crate::snark::msm::msm(&self.bases, &self.scalars).is_zero())
    }

    /// With the segments on `G_0, G_1, …` in order (as every proof of Spartan's is,
    /// compared point by point with the tables), the fixed points' terms computed on the
    /// tables ([`fixed_base::msm`]; `V` and `H` on theirs) and only the others by a
    /// variable-base MSM, concurrently with the `parallel` feature; `None` for other
    /// generators.
    #[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
    fn holds_on_tables(&self, tables: &GeneratorTables) -> Option<bool> {
        let (points, generators) = self.bases.split_at(self.fixed);
        let (point_scalars, generator_scalars) = self.scalars.split_at(self.fixed);
        // The segments' generators, then V and H.
        let count = generators.len().saturating_sub(2);
        if tables.len() < count || generators[..count].iter().enumerate().any(|(i, g)| tables.shifts(i)[0] != *g) {
            return None;
        }
        let value_and_blinding = fixed_base::value_and_blinding();
        // The fixed terms are most of the work: with the `parallel` feature, in two halves
        // (the generators below `half`, then the others and V and H), so that the two
        // threads share them and the variable-base MSM (which splits its windows).
        let half = if cfg!(feature = "parallel") { count / 2 } else { 0 };
        let (gens, value_and_blind) = generator_scalars.split_at(count);
        let low_gens = || fixed_base::msm(gens[..half].iter().enumerate().map(|(i, x)| (tables.shifts(i), *x)));
        let high_gens = || {
            let gens = gens[half..].iter().enumerate().map(|(i, x)| (tables.shifts(half + i), *x));
            let value_and_blind = value_and_blind.iter().enumerate().map(|(i, x)| (value_and_blinding.shifts(i), *x));
            fixed_base::msm(gens.chain(value_and_blind))
        };
        let ((low, high), variable) = crate::snark::parallel::join(
            || crate::snark::parallel::join(low_gens, high_gens),
            || crate::snark::msm::msm(points, point_scalars),
        );
        Some((low + high + variable).is_zero())
    }

    /// No tables exist in the wasm verifier ([`GeneratorTables`]).
    #[cfg(not(any(feature = "prover", not(target_arch = "wasm32"))))]
    fn holds_on_tables(&self, tables: &GeneratorTables) -> Option<bool> {
        match *tables {}
    }
}

/// Whether an equation of [`DotProductProof::equation`] holds (see [`Equation::holds`]):
/// `None` (a wrong length) never holds.
pub(crate) fn equation_holds(equation: Option<Equation>, tables: Option<&GeneratorTables>) -> bool {
    equation.is_some_and(|equation| equation.holds(tables))
}

impl DotProductProof {
    /// Checks the proof for the segments' commitments, `C_y` and `a`, the commitments
    /// given as linear combinations `Σ_j s_j·P_j` of points (see [`Combination`]).
    /// `a.len()` must equal the segments' total length and each segment's length must
    /// be a power of two; callers fix both from the key. Returns whether the equation of
    /// [`DotProductProof::equation`] holds ([`Equation::holds`], on `tables` if given).
    #[cfg(test)]
    pub(crate) fn verify(
        &self,
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
        tables: Option<&GeneratorTables>,
    ) -> bool {
        equation_holds(self.equation(segments, cy, a, transcript), tables)
    }

    /// Replays the proof's transcript and returns its check as one multi-scalar
    /// multiplication that is zero iff the proof is accepted ([`Equation`]), or
    /// `None` if a length is wrong: the segments (one or two, each of a power-of-two
    /// length, [`Layout::new`]), `a`'s length and the number of rounds
    /// ([`Layout::rounds`]).
    ///
    /// The equation is `c·Γ̂ + â·β + δ − z·(ĝ + â·U) − z_blind·H`, with `U = w·V`,
    /// `Γ̂ = P·(Σ_k C_k + w·C_y) + Σ_j Q_j·(L_j + e_j²·R_j)`, `P = Π_j e_j`,
    /// `Q_j = Π_{i>j} e_i`, `ĝ = Σ_t s_t·G_t` and `â = Σ_t s_t·a_t` for the folding
    /// coefficients `s` ([`Layout::folding_coefficients`]): the generators are folded in the
    /// MSM itself.
    pub(crate) fn equation(
        &self,
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> Option<Equation> {
        let lens: Vec<usize> = segments.iter().map(|s| s.gens.len()).collect();
        let layout = Layout::new(&lens)?;
        let rounds = layout.rounds();
        if a.len() != lens.iter().sum::<usize>() || self.l.len() != rounds || self.r.len() != rounds {
            return None;
        }
        let w = transcript.challenge_scalar(labels::VALUE_WEIGHT);
        let challenges: Vec<Fr> = self
            .l
            .iter()
            .zip(&self.r)
            .map(|(l, r)| {
                transcript.append_points(labels::ROUND, &[*l, *r]);
                transcript.challenge_scalar(labels::ROUND_CHALLENGE)
            })
            .collect();
        transcript.append_points(labels::FINAL, &[self.delta, self.beta]);
        let c = transcript.challenge_scalar(labels::FINAL_CHALLENGE);

        let s = layout.folding_coefficients(&challenges)?;
        let a_hat = inner_product(&s, a);
        // Q_j = Π_{i>j} e_i, and P = Q_{−1} = Π_j e_j.
        let mut suffix = vec![Fr::ONE; rounds + 1];
        for j in (0..rounds).rev() {
            suffix[j] = suffix[j + 1] * challenges[j];
        }
        // c·P·(Σ_k C_k + w·C_y).
        let mut equation = Equation::on_statement(segments, cy, c * suffix[0], w, 2 * rounds + 2 + s.len() + 2);
        // c·Q_j·(L_j + e_j²·R_j).
        for (j, e) in challenges.iter().enumerate() {
            let q = c * suffix[j + 1];
            equation.push(self.l[j], q);
            equation.push(self.r[j], q * e * e);
        }
        // â·β + δ − z·ĝ − z·â·w·V − z_blind·H.
        equation.push(self.beta, a_hat);
        equation.push(self.delta, Fr::ONE);
        let generators = s.iter().map(|s_t| -self.z * s_t);
        Some(equation.with_fixed(segments, generators, [-self.z * a_hat * w, -self.z_blind]))
    }
}
