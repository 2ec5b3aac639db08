//! The witness-independent part of a proof (feature `prover`): every random scalar a
//! proof draws and the group work that depends on them alone, done before a request
//! arrives (`docs/PROTOCOL-zk.md` §8, "Precomputation").

use super::blinding;
use super::data_structures::{evaluation_segments, mask_block_len, INNER_DEGREE, OUTER_DEGREE};
use super::{link_rows, ProvingKey};
use crate::snark::error::ProveError;
use crate::snark::pedersen::generators::message_generators;
use crate::snark::pedersen::{blinding_terms, commit_vector, Randomness};
use crate::snark::poly::mask::{mask_len, MaskPolynomial};
use crate::snark::sigma::Prepared;
use ark_bn254::{Fr, G1Affine};
use ark_ec::CurveGroup;
use zeroize::Zeroize;

/// One proof's randomness, drawn ahead of its witness, with the commitments that
/// depend on nothing else: the gadget values `u_0..u_3`, the Hyrax row blinds `ρ_i` and
/// their terms `ρ_i·H`, the masks `p₁ ‖ p₂`, their blind and their commitment `C_p`,
/// and the randomness of the step-6 and link dot-product proofs (for the linear
/// argument with its commitment `⟨d, G⟩ + r_δ·H`).
///
/// The scalars are drawn in the order a proof draws them (`PROTOCOL-zk.md` §8), so
/// proving with `Precomputed::new(pk, committed, rng)` gives the same bytes as
/// [`super::prove_with_rng`] with the same `rng`.
///
/// **Single use.** It holds secret randomness: [`super::prove_precomputed`] takes it
/// by value and consumes it, it is neither `Clone` nor serialisable, its `Debug` shows
/// no scalar, and its scalars are overwritten with zeros when it is dropped. It is
/// bound to the key it was made for: proving with another key is an error.
pub struct Precomputed {
    digest: [u8; 32],
    pub(super) gadget: [Fr; blinding::COLUMNS],
    pub(super) row_blinds: Vec<Fr>,
    pub(super) row_blind_terms: Vec<G1Affine>,
    pub(super) outer_mask: MaskPolynomial,
    pub(super) inner_mask: MaskPolynomial,
    pub(super) mask_blind: Fr,
    pub(super) mask_commitment: G1Affine,
    pub(super) evaluation: Prepared,
    pub(super) links: Vec<Prepared>,
}

impl Precomputed {
    /// Draws one proof's randomness from `rng` and computes the commitments that depend
    /// on it alone, for proofs with `pk` exposing the witness entries `committed` (as
    /// the [`super::Statement`] will).
    pub fn new(
        pk: &ProvingKey,
        committed: &[usize],
        rng: &mut (impl ark_std::rand::RngCore + ark_std::rand::CryptoRng),
    ) -> Self {
        Self::draw(pk, link_rows(committed, pk.vk.data.hyrax.row_len()).count(), rng)
    }

    /// [`Precomputed::new`] for `num_links` link proofs (rows holding committed values).
    pub(super) fn draw(pk: &ProvingKey, num_links: usize, rng: &mut impl Randomness) -> Self {
        let data = &pk.vk.data;
        let (s, m) = (data.shape.row_vars, data.shape.witness_vars);
        let hyrax = &data.hyrax;
        let argument = data.profile.argument();
        let (row_len, mask_block) = (hyrax.row_len(), mask_block_len(argument, s, m));
        let gadget = core::array::from_fn(|_| rng.scalar());
        let row_blinds: Vec<Fr> = (0..hyrax.num_rows()).map(|_| rng.scalar()).collect();
        let outer_mask = MaskPolynomial::from_draws(s, OUTER_DEGREE, || rng.scalar());
        let inner_mask = MaskPolynomial::from_draws(m + 1, INNER_DEGREE, || rng.scalar());
        let mask_blind = rng.scalar();
        let gens = message_generators(row_len + mask_block);
        let (row_gens, mask_gens) = gens[..row_len + mask_block].split_at(row_len);
        let evaluation = Prepared::draw(argument, &[row_gens, mask_gens], rng);
        let links = (0..num_links).map(|_| Prepared::draw(argument, &[row_gens], rng)).collect();
        let row_blind_terms = blinding_terms(&row_blinds);
        let mask_commitment = commit_mask(row_len, mask_block, &outer_mask, &inner_mask, mask_blind);
        Precomputed {
            digest: data.digest,
            gadget,
            row_blinds,
            row_blind_terms,
            outer_mask,
            inner_mask,
            mask_blind,
            mask_commitment,
            evaluation,
            links,
        }
    }

    /// Checks that this was made for `pk` and for `num_links` link proofs.
    pub(super) fn check(&self, pk: &ProvingKey, num_links: usize) -> Result<(), ProveError> {
        let data = &pk.vk.data;
        let argument = data.profile.argument();
        let (s, m) = (data.shape.row_vars, data.shape.witness_vars);
        if self.digest != data.digest
            || self.row_blinds.len() != data.hyrax.num_rows()
            || self.outer_mask.coeffs().len() != mask_len(s, OUTER_DEGREE)
            || self.inner_mask.coeffs().len() != mask_len(m + 1, INNER_DEGREE)
            || !self.evaluation.fits(argument, &evaluation_segments(argument, data.hyrax.row_len(), s, m))
        {
            return Err(ProveError::PrecomputedKey);
        }
        if self.links.len() != num_links || !self.links.iter().all(|l| l.fits(argument, &[data.hyrax.row_len()])) {
            return Err(ProveError::PrecomputedLinks { expected: num_links, got: self.links.len() });
        }
        Ok(())
    }
}

/// `C_p = ⟨p₁ ‖ p₂, G_mask⟩ + ρ_p·H`, on the mask generators (those after the rows' `row_len`).
fn commit_mask(
    row_len: usize,
    mask_block: usize,
    outer: &MaskPolynomial,
    inner: &MaskPolynomial,
    blind: Fr,
) -> G1Affine {
    let gens = message_generators(row_len + mask_block);
    let coeffs: Vec<Fr> = outer.coeffs().iter().chain(inner.coeffs()).copied().collect();
    let commitment = commit_vector(&gens[row_len..], &coeffs, blind).into_affine();
    let mut coeffs = coeffs;
    coeffs.zeroize();
    commitment
}

impl Drop for Precomputed {
    fn drop(&mut self) {
        self.gadget.zeroize();
        self.row_blinds.zeroize();
        // ρ_i·H would strip the rows' commitments of their hiding.
        self.row_blind_terms.zeroize();
        self.mask_blind.zeroize();
    }
}

impl core::fmt::Debug for Precomputed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Precomputed")
            .field("rows", &self.row_blinds.len())
            .field("links", &self.links.len())
            .finish_non_exhaustive()
    }
}
