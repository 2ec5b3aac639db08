//! Checking the dot-product proof.

use super::{
    folding_coefficients, inner_product, labels, BlockStatement, DotProductProof, InnerProductProof, DOT_BATCHING,
};
use crate::snark::pedersen::generators::{blinding_generator, value_generator};
use crate::snark::pedersen::Combination;
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_bn254::{Fr, G1Affine};
use ark_ff::{AdditiveGroup, Field, Zero};

/// Whether an equation of [`DotProductProof::equation`] holds: its multi-scalar
/// multiplication is zero. `None` (a wrong length) never holds.
pub(crate) fn equation_holds(equation: Option<(Vec<G1Affine>, Vec<Fr>)>) -> bool {
    equation.is_some_and(|(bases, scalars)| crate::snark::parallel::msm(&bases, &scalars).is_zero())
}

/// The challenges of one block's inner-product argument.
struct BlockChallenges {
    rounds: Vec<Fr>,
    c: Fr,
}

impl DotProductProof {
    /// Checks the proof for the blocks' commitments, `C_y` and `a`, the commitments
    /// given as linear combinations `Σ_j s_j·P_j` of points (see [`Combination`]).
    /// `a.len()` must equal the blocks' total length and each block's length must be a
    /// power of two; callers fix both from the key. Returns whether every equation of
    /// [`DotProductProof::equation`] holds, as one multi-scalar multiplication.
    pub(crate) fn verify(
        &self,
        blocks: &[BlockStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> bool {
        equation_holds(self.equation(blocks, cy, a, transcript))
    }

    /// Replays the proof's transcript and returns its check as the bases and scalars
    /// of one multi-scalar multiplication that is zero iff the proof is accepted
    /// (except with probability `(K − 1)/|F|` over the batching `ρ`), or `None` if a
    /// length is wrong: the number of splits (`K − 1`) and of blocks (`K`), each
    /// block's number of rounds (`log₂ |G^(k)|`), `a`'s length, and each block's
    /// length (a power of two).
    ///
    /// Block `k`'s equation is `E_k = c·Γ̂ + â·β + δ − z·(ĝ + â·U) − z_blind·H`, with
    /// `U = w·V`, `Γ̂ = P·(C_k + w·C_{y,k}) + Σ_j Q_j·(L_j + e_j²·R_j)`, `P = Π_j e_j`,
    /// `Q_j = Π_{i>j} e_i`, `ĝ = Σ_i s_i·G_i` and `â = Σ_i s_i·a_i` for the folding
    /// coefficients `s`: the generators are folded in the MSM itself. The blocks are
    /// checked as `Σ_k ρ^k·E_k = 0` for `ρ` hashed from every message, challenge and
    /// response (the statement being bound by the challenges): if some `E_k ≠ 0`, the
    /// sum vanishes for at most `K − 1` values of `ρ`. Distinct powers matter: equal
    /// weights would check only the sum of the blocks' equations, which a prover
    /// could meet by moving part of one block into another (`docs/PROTOCOL-zk.md` §4).
    pub(crate) fn equation(
        &self,
        blocks: &[BlockStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> Option<(Vec<G1Affine>, Vec<Fr>)> {
        let total: usize = blocks.iter().map(|b| b.gens.len()).sum();
        let shapes_agree = !blocks.is_empty()
            && self.blocks.len() == blocks.len()
            && self.splits.len() == blocks.len() - 1
            && a.len() == total
            && blocks.iter().zip(&self.blocks).all(|(b, p)| {
                b.gens.len().is_power_of_two()
                    && p.l.len() == b.gens.len().trailing_zeros() as usize
                    && p.r.len() == p.l.len()
            });
        if !shapes_agree {
            return None;
        }
        transcript.append_points(labels::VALUE_SPLIT, &self.splits);
        let w = transcript.challenge_scalar(labels::VALUE_WEIGHT);
        let challenges: Vec<BlockChallenges> = self.blocks.iter().map(|p| p.challenges(transcript)).collect();

        let mut batching = Transcript::new(DOT_BATCHING);
        batching.append_points(b"value-split", &self.splits);
        batching.append_scalars(b"value-weight", &[w]);
        for (p, ch) in self.blocks.iter().zip(&challenges) {
            batching.append_points(b"block", &p.points().copied().collect::<Vec<_>>());
            batching.append_scalars(b"challenges", &ch.rounds);
            batching.append_scalars(b"challenges", &[ch.c]);
            batching.append_scalars(b"responses", &[p.z, p.z_blind]);
        }
        let rho = batching.challenge_scalar(b"rho");

        let capacity = total
            + self.splits.len()
            + cy.len()
            + blocks.iter().zip(&self.blocks).map(|(b, p)| b.commitment.len() + 2 * p.rounds() + 2).sum::<usize>()
            + 2;
        let mut bases = Vec::with_capacity(capacity);
        let mut scalars = Vec::with_capacity(capacity);
        let (mut v_scalar, mut h_scalar) = (Fr::ZERO, Fr::ZERO);
        let mut a_rest = a;
        let mut weight = Fr::ONE; // ρ^k
        let last = blocks.len() - 1;
        for (k, ((block, p), ch)) in blocks.iter().zip(&self.blocks).zip(&challenges).enumerate() {
            let (a_k, rest) = a_rest.split_at(block.gens.len());
            a_rest = rest;
            let s = folding_coefficients(&ch.rounds);
            let a_hat = inner_product(&s, a_k);
            // Q_j = Π_{i>j} e_i, and P = Q_{−1} = Π_j e_j.
            let mut suffix = vec![Fr::ONE; ch.rounds.len() + 1];
            for j in (0..ch.rounds.len()).rev() {
                suffix[j] = suffix[j + 1] * ch.rounds[j];
            }
            let cp = weight * ch.c * suffix[0];
            // c·P·C_k and c·P·w·C_{y,k}; C_{y,K−1} = C_y − Σ_{k<K−1} C_{y,k}.
            for (point, x) in block.commitment {
                bases.push(*point);
                scalars.push(cp * x);
            }
            if k < last {
                bases.push(self.splits[k]);
                scalars.push(cp * w);
            } else {
                for (point, x) in cy {
                    bases.push(*point);
                    scalars.push(cp * w * x);
                }
                bases.extend_from_slice(&self.splits);
                scalars.extend(self.splits.iter().map(|_| -cp * w));
            }
            // c·Q_j·(L_j + e_j²·R_j).
            for (j, e) in ch.rounds.iter().enumerate() {
                let q = weight * ch.c * suffix[j + 1];
                bases.extend([p.l[j], p.r[j]]);
                scalars.extend([q, q * e * e]);
            }
            // â·β + δ − z·ĝ − z·â·w·V − z_blind·H.
            bases.extend([p.beta, p.delta]);
            scalars.extend([weight * a_hat, weight]);
            bases.extend_from_slice(block.gens);
            scalars.extend(s.iter().map(|s_i| -weight * p.z * s_i));
            v_scalar -= weight * p.z * a_hat * w;
            h_scalar -= weight * p.z_blind;
            weight *= rho;
        }
        bases.extend([value_generator(), blinding_generator()]);
        scalars.extend([v_scalar, h_scalar]);
        Some((bases, scalars))
    }
}

impl InnerProductProof {
    /// Absorbs the rounds and the final message, drawing each challenge after its message.
    fn challenges(&self, transcript: &mut impl FiatShamir) -> BlockChallenges {
        let rounds = self
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
        BlockChallenges { rounds, c }
    }
}
