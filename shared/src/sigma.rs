//! Σ-protocols over Pedersen commitments, made non-interactive with the transcript.
//!
//! Notation: `G_0, G_1, …` are the message generators, `V` the value generator and
//! `H` the blinding generator of [`crate::pcs::generators`]. A vector commitment is
//! `⟨x, G⟩ + ρ·H`, a value commitment `v·V + ρ·H`; both are perfectly hiding when
//! `ρ` is uniform.
//!
//! * [`DotProductProof`] (Hyrax, Wahby et al. 2018, §4): given `C_x = ⟨x, G⟩ + ρ_x·H`,
//!   `C_y = y·V + ρ_y·H` and a public vector `a`, proves knowledge of openings with
//!   `⟨x, a⟩ = y`. The vector may come in blocks, each committed on generators of its
//!   own and opened separately ([`Block`], [`BlockStatement`]).
//!
//! It is special-sound (two accepting transcripts with distinct challenges yield
//! the openings) and special honest-verifier zero-knowledge: for any challenge `c`,
//! uniform responses determine the first messages, distributed exactly as in a real
//! run. `docs/PROTOCOL-zk.md` gives the simulators; the tests in
//! `crate::spartan::zk_tests` run them.

use crate::pcs::generators::{blinding_generator, value_generator};
use crate::transcript::{FiatShamir, Transcript};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::{Field, Zero};

#[cfg(feature = "prover")]
use ark_ec::CurveGroup;
#[cfg(feature = "prover")]
use ark_ff::UniformRand;
#[cfg(feature = "prover")]
use ark_std::rand::{CryptoRng, RngCore};

/// A group element as a linear combination `Σ_j s_j·P_j` of known points, so that a
/// verifier can fold it into one multi-scalar multiplication.
pub(crate) type Combination = Vec<(G1Affine, Fr)>;

/// Protocol label of the hash that batches a dot-product proof's two equations.
const DOT_BATCHING: &[u8] = b"zkpolicy/dot-product-batching/v2";

/// Transcript labels of the Σ-protocol messages and challenges.
const DOT_FIRST: &[u8] = b"dot-product/first-message";
const DOT_CHALLENGE: &[u8] = b"dot-product/challenge";

/// `v·V + ρ·H`.
#[cfg(feature = "prover")]
pub(crate) fn commit_value(v: Fr, blind: Fr) -> G1Projective {
    G1Projective::from(value_generator()) * v + G1Projective::from(blinding_generator()) * blind
}

/// `⟨x, G⟩ + ρ·H` over the first `x.len()` generators of `gens`.
#[cfg(feature = "prover")]
pub(crate) fn commit_vector(gens: &[G1Affine], x: &[Fr], blind: Fr) -> G1Projective {
    // One MSM over (G_0, …, G_{n-1}, H): cheaper than a separate multiplication by H.
    let mut bases = Vec::with_capacity(x.len() + 1);
    bases.extend_from_slice(&gens[..x.len()]);
    bases.push(blinding_generator());
    let mut scalars = Vec::with_capacity(x.len() + 1);
    scalars.extend_from_slice(x);
    scalars.push(blind);
    crate::parallel::msm(&bases, &scalars)
}

/// A uniformly random scalar (a blind or a Σ-protocol mask).
#[cfg(feature = "prover")]
pub(crate) fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Fr {
    Fr::rand(rng)
}

fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// One block of a dot-product statement, prover side: the vector `x_k`, its own
/// generators `G^(k)` (exactly `x_k.len()` of them) and the blind of
/// `C_k = ⟨x_k, G^(k)⟩ + ρ_k·H`.
#[cfg(feature = "prover")]
pub(crate) struct Block<'a> {
    /// The generators this block is committed on.
    pub gens: &'a [G1Affine],
    /// The committed vector.
    pub x: &'a [Fr],
    /// Its blind `ρ_k`.
    pub blind: Fr,
}

/// One block of a dot-product statement, verifier side: the generators the block
/// must open on and its commitment as a [`Combination`].
pub(crate) struct BlockStatement<'a> {
    /// The generators `G^(k)`; their number is the block's length.
    pub gens: &'a [G1Affine],
    /// The commitment `C_k`.
    pub commitment: &'a Combination,
}

/// Proof that vectors `x_0, …, x_{K−1}`, each committed on its **own** generators
/// (`C_k = ⟨x_k, G^(k)⟩ + ρ_k·H`), have inner product `y` with a public vector
/// `a = (a_0 ‖ … ‖ a_{K−1})`, `y` being committed in `C_y`. With one block this is
/// the dot-product proof of Hyrax (Wahby et al. 2018, §4).
///
/// Each block is opened separately: an accepting proof shows that every `C_k` is a
/// commitment on `G^(k)` and `H` alone. Blocks summed into one commitment would not
/// show that: a prover could move part of one block's vector into another's
/// commitment and still open the sum (see `docs/PROTOCOL-zk.md`, step 6).
///
/// Messages: `δ_k = ⟨d_k, G^(k)⟩ + ρ_{δ,k}·H` per block and `β = ⟨d, a⟩·V + ρ_β·H`
/// for random `d = (d_0 ‖ …)`, `ρ_{δ,k}`, `ρ_β`; challenge `c`; responses
/// `z = c·x + d`, `z_{δ,k} = c·ρ_k + ρ_{δ,k}`, `z_β = c·ρ_y + ρ_β`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotProductProof {
    /// `δ_k`, the commitment to block `k` of the mask vector `d`.
    pub(crate) deltas: Vec<G1Affine>,
    /// `β`, the commitment to `⟨d, a⟩`.
    pub(crate) beta: G1Affine,
    /// `z = c·x + d`, all blocks concatenated.
    pub(crate) z: Vec<Fr>,
    /// `z_{δ,k} = c·ρ_k + ρ_{δ,k}`, one per block.
    pub(crate) z_deltas: Vec<Fr>,
    /// `z_β = c·ρ_y + ρ_β`.
    pub(crate) z_beta: Fr,
}

impl DotProductProof {
    /// Proves `⟨x, a⟩ = y` for the blocks `x = (x_0 ‖ …)` and `C_y = ⟨x, a⟩·V + blind_y·H`
    /// (`a.len()` must be the blocks' total length). The statement (every `C_k`, `C_y`
    /// and `a`) must already be bound by the transcript.
    #[cfg(feature = "prover")]
    pub(crate) fn prove<R: RngCore + CryptoRng>(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
    ) -> Self {
        Self::prove_with_hook(blocks, a, blind_y, transcript, rng, |_| {})
    }

    /// [`DotProductProof::prove`], passing the first messages `(δ_0, …, δ_{K−1}, β)` to
    /// `hook` just before they are absorbed: a cheating prover's deviation, consistent
    /// with the transcript (`spartan::adversary_tests`). The responses are computed
    /// from the honest masks whatever the hook does.
    #[cfg(feature = "prover")]
    pub(crate) fn prove_with_hook<R: RngCore + CryptoRng>(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
        hook: impl FnOnce(&mut [G1Affine]),
    ) -> Self {
        let d: Vec<Vec<Fr>> = blocks.iter().map(|b| (0..b.x.len()).map(|_| random_scalar(rng)).collect()).collect();
        let r_deltas: Vec<Fr> = blocks.iter().map(|_| random_scalar(rng)).collect();
        let r_beta = random_scalar(rng);
        let d_all: Vec<Fr> = d.iter().flatten().copied().collect();
        let mut first: Vec<G1Projective> =
            blocks.iter().zip(&d).zip(&r_deltas).map(|((b, d), r)| commit_vector(b.gens, d, *r)).collect();
        first.push(commit_value(inner_product(&d_all, a), r_beta));
        let mut first = G1Projective::normalize_batch(&first);
        hook(&mut first);
        transcript.append_points(DOT_FIRST, &first);
        let c = transcript.challenge_scalar(DOT_CHALLENGE);
        let x_all = blocks.iter().flat_map(|b| b.x);
        DotProductProof {
            deltas: first[..blocks.len()].to_vec(),
            beta: first[blocks.len()],
            z: x_all.zip(&d_all).map(|(x, d)| c * x + d).collect(),
            z_deltas: blocks.iter().zip(&r_deltas).map(|(b, r)| c * b.blind + r).collect(),
            z_beta: c * blind_y + r_beta,
        }
    }

    /// Checks the proof for the blocks' commitments, `C_y` and `a` (`a.len()` must
    /// equal the blocks' total length, which callers fix from the key), the
    /// commitments given as linear combinations `Σ_j s_j·P_j` of points (see
    /// [`Combination`]). Returns whether every equation holds:
    /// `c·C_k + δ_k = ⟨z_k, G^(k)⟩ + z_{δ,k}·H` for each block `k` and
    /// `c·C_y + β = ⟨z, a⟩·V + z_β·H`.
    ///
    /// They are checked as one multi-scalar multiplication: `Σ_k ρ^k·E_k + ρ^K·E_y = 0`
    /// for the differences `E_k`, `E_y` of the two sides and `ρ` hashed from the
    /// first messages, `c` and the responses, which determine the differences (the
    /// statement being bound by `c`). If any difference is nonzero, the sum is zero
    /// for at most `K` values of `ρ`.
    pub(crate) fn verify(
        &self,
        blocks: &[BlockStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> bool {
        let mut first = self.deltas.clone();
        first.push(self.beta);
        transcript.append_points(DOT_FIRST, &first);
        let c = transcript.challenge_scalar(DOT_CHALLENGE);
        let total: usize = blocks.iter().map(|b| b.gens.len()).sum();
        if self.deltas.len() != blocks.len()
            || self.z_deltas.len() != blocks.len()
            || self.z.len() != total
            || a.len() != total
        {
            return false;
        }
        let mut batching = Transcript::new(DOT_BATCHING);
        batching.append_points(b"first-message", &first);
        batching.append_scalars(b"challenge", &[c]);
        batching.append_scalars(b"response", &self.z);
        batching.append_scalars(b"response-blinds", &self.z_deltas);
        batching.append_scalars(b"response-blinds", &[self.z_beta]);
        let rho = batching.challenge_scalar(b"rho");
        // ρ^k for block k, ρ^K for the value equation.
        let powers: Vec<Fr> = core::iter::successors(Some(Fr::ONE), |p| Some(*p * rho)).take(blocks.len() + 1).collect();
        let rho_y = powers[blocks.len()];
        let capacity = total + 3 + 2 * blocks.len() + cy.len() + blocks.iter().map(|b| b.commitment.len()).sum::<usize>();
        let mut bases = Vec::with_capacity(capacity);
        let mut scalars = Vec::with_capacity(capacity);
        let mut z_rest = &self.z[..];
        let mut h_scalar = rho_y * self.z_beta;
        for (((block, delta), z_delta), p) in blocks.iter().zip(&self.deltas).zip(&self.z_deltas).zip(&powers) {
            let (z_k, rest) = z_rest.split_at(block.gens.len());
            z_rest = rest;
            bases.extend_from_slice(block.gens);
            scalars.extend(z_k.iter().map(|z| *p * z));
            h_scalar += *p * z_delta;
            bases.push(*delta);
            scalars.push(-*p);
            for (point, s) in block.commitment {
                bases.push(*point);
                scalars.push(-c * p * s);
            }
        }
        let fixed = [
            (blinding_generator(), h_scalar),
            (value_generator(), rho_y * inner_product(&self.z, a)),
            (self.beta, -rho_y),
        ];
        for (point, s) in fixed.into_iter().chain(cy.iter().map(|(p, s)| (*p, -rho_y * c * s))) {
            bases.push(point);
            scalars.push(s);
        }
        crate::parallel::msm(&bases, &scalars).is_zero()
    }
}

/// The honest-verifier zero-knowledge simulators: for a challenge `c` fixed in
/// advance, uniform responses and the first messages they determine.
#[cfg(all(test, feature = "prover"))]
pub(crate) mod simulate {
    use super::*;

    /// The sum of a [`Combination`].
    pub(crate) fn combine(terms: &Combination) -> G1Projective {
        terms.iter().map(|(p, s)| *p * s).sum()
    }

    /// An accepting [`DotProductProof`] for the blocks `(G^(k), C_k)`, `C_y`, `a` and
    /// challenge `c`, without any opening.
    pub(crate) fn dot_product<R: RngCore + CryptoRng>(
        blocks: &[(&[G1Affine], G1Projective)],
        cy: G1Projective,
        a: &[Fr],
        c: Fr,
        rng: &mut R,
    ) -> DotProductProof {
        let z: Vec<Fr> = a.iter().map(|_| random_scalar(rng)).collect();
        let z_deltas: Vec<Fr> = blocks.iter().map(|_| random_scalar(rng)).collect();
        let z_beta = random_scalar(rng);
        let mut z_rest = &z[..];
        let mut deltas = Vec::new();
        for ((gens, cx), z_delta) in blocks.iter().zip(&z_deltas) {
            let (z_k, rest) = z_rest.split_at(gens.len());
            z_rest = rest;
            deltas.push((commit_vector(gens, z_k, *z_delta) - *cx * c).into_affine());
        }
        let beta = (commit_value(inner_product(&z, a), z_beta) - cy * c).into_affine();
        DotProductProof { deltas, beta, z, z_deltas, z_beta }
    }
}

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use crate::pcs::generators::message_generators;
    use crate::transcript::Transcript;
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
}
