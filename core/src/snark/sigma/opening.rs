//! The two dot-product arguments behind one type: which one a proof uses, its proof,
//! and (prover side) its randomness drawn ahead of the statement.

use super::linear::LinearProof;
use super::schedule::Layout;
use super::verifier::Equation;
use super::{DotProductProof, SegmentStatement};
use crate::snark::pedersen::{Combination, GeneratorTables};
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine};

/// Which argument proves a dot product: the trade between proof size and prover time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Argument {
    /// [`DotProductProof`]: `2⌈log₂ n⌉ + 2` points and two scalars; its prover runs
    /// multi-scalar multiplications over the vector in every round.
    Logarithmic,
    /// [`LinearProof`]: one point and `n + 1` scalars; its prover's group work is all
    /// witness-independent (one fixed-base multiplication is left).
    Linear,
}

impl Argument {
    /// The number of points and of scalars of a proof by this argument for segments
    /// of these lengths, or `None` if it cannot prove over them (the logarithmic
    /// argument takes one or two segments of power-of-two lengths).
    pub(crate) fn counts(self, lens: &[usize]) -> Option<(usize, usize)> {
        match self {
            Argument::Logarithmic => Layout::new(lens).map(|layout| (2 * layout.rounds() + 2, 2)),
            Argument::Linear => Some((1, lens.iter().sum::<usize>() + 1)),
        }
    }
}

/// A proof of a dot product by either argument: the one a key's profile chooses
/// (`Profile::argument`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opening {
    /// By the logarithmic argument.
    Logarithmic(DotProductProof),
    /// By the linear argument.
    Linear(LinearProof),
}

impl Opening {
    /// The argument it was made with.
    pub(crate) fn argument(&self) -> Argument {
        match self {
            Opening::Logarithmic(_) => Argument::Logarithmic,
            Opening::Linear(_) => Argument::Linear,
        }
    }

    /// The proof by `argument` with these points and scalars, in encoding order, as
    /// many as [`Argument::counts`] gives (the decoder reads them so).
    pub(crate) fn from_parts(argument: Argument, points: &[G1Affine], scalars: &[Fr]) -> Self {
        match argument {
            Argument::Logarithmic => {
                let rounds = (points.len() - 2) / 2;
                Opening::Logarithmic(DotProductProof {
                    l: points[..2 * rounds].iter().step_by(2).copied().collect(),
                    r: points[1..2 * rounds].iter().step_by(2).copied().collect(),
                    delta: points[2 * rounds],
                    beta: points[2 * rounds + 1],
                    z: scalars[0],
                    z_blind: scalars[1],
                })
            }
            Argument::Linear => {
                let (z_blind, z) = scalars.split_last().expect("z_blind");
                Opening::Linear(LinearProof { delta: points[0], z: z.to_vec(), z_blind: *z_blind })
            }
        }
    }

    /// Whether it is a proof by `argument` with the lengths [`Argument::counts`] gives
    /// for segments of `lens`.
    pub(crate) fn fits(&self, argument: Argument, lens: &[usize]) -> bool {
        match (self, argument) {
            (Opening::Logarithmic(p), Argument::Logarithmic) => {
                Layout::new(lens).is_some_and(|layout| p.l.len() == layout.rounds() && p.r.len() == layout.rounds())
            }
            (Opening::Linear(p), Argument::Linear) => p.z.len() == lens.iter().sum::<usize>(),
            _ => false,
        }
    }

    /// The logarithmic proof it is (tests that change one of its elements).
    ///
    /// # Panics
    /// If it is a linear proof.
    #[cfg(test)]
    pub(crate) fn logarithmic_mut(&mut self) -> &mut DotProductProof {
        match self {
            Opening::Logarithmic(p) => p,
            Opening::Linear(_) => panic!("a logarithmic proof"),
        }
    }

    /// The linear proof it is (tests that change one of its elements).
    ///
    /// # Panics
    /// If it is a logarithmic proof.
    #[cfg(test)]
    pub(crate) fn linear_mut(&mut self) -> &mut LinearProof {
        match self {
            Opening::Linear(p) => p,
            Opening::Logarithmic(_) => panic!("a linear proof"),
        }
    }

    /// Its points, in encoding order.
    pub(crate) fn points(&self) -> Box<dyn Iterator<Item = &G1Affine> + '_> {
        match self {
            Opening::Logarithmic(p) => Box::new(p.points()),
            Opening::Linear(p) => Box::new(p.points()),
        }
    }

    /// Its scalars, in encoding order.
    pub(crate) fn scalars(&self) -> Box<dyn Iterator<Item = &Fr> + '_> {
        match self {
            Opening::Logarithmic(p) => Box::new(p.scalars()),
            Opening::Linear(p) => Box::new(p.scalars()),
        }
    }

    /// Its encoded size: `points` and `scalars` of 32 bytes each.
    pub(crate) fn encoded_len(&self) -> usize {
        32 * (self.points().count() + self.scalars().count())
    }

    /// Replays its transcript and returns its check as one multi-scalar multiplication,
    /// or `None` for a wrong length ([`DotProductProof::equation`],
    /// [`LinearProof::equation`]).
    pub(crate) fn equation(
        &self,
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> Option<Equation> {
        match self {
            Opening::Logarithmic(p) => p.equation(segments, cy, a, transcript),
            Opening::Linear(p) => p.equation(segments, cy, a, transcript),
        }
    }

    /// Whether it proves the statement ([`Opening::equation`], then
    /// [`Equation::holds`] on `tables` if given).
    pub(crate) fn verify(
        &self,
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
        tables: Option<&GeneratorTables>,
    ) -> bool {
        super::equation_holds(self.equation(segments, cy, a, transcript), tables)
    }
}

#[cfg(feature = "prover")]
pub(crate) use prepared::Prepared;

#[cfg(feature = "prover")]
mod prepared {
    use super::super::linear::{LinearProof, Nonce};
    use super::super::{randomness_len, DotProductProof, Message, Segment};
    use super::{Argument, Opening};
    use crate::snark::pedersen::{Drawn, Randomness};
    use crate::snark::transcript::FiatShamir;
    use ark_bn254::{Fr, G1Affine};

    /// One dot-product proof's randomness, drawn before its statement is known: the
    /// logarithmic argument's scalars, or the linear argument's [`Nonce`] with its
    /// commitment.
    pub(crate) enum Prepared {
        /// For [`Argument::Logarithmic`].
        Logarithmic(Drawn),
        /// For [`Argument::Linear`].
        Linear(Nonce),
    }

    impl Prepared {
        /// Draws the randomness of a proof by `argument` for segments on `gens` (the
        /// segments' generators, in order).
        pub(crate) fn draw(argument: Argument, gens: &[&[G1Affine]], rng: &mut impl Randomness) -> Self {
            match argument {
                Argument::Logarithmic => {
                    let lens: Vec<usize> = gens.iter().map(|g| g.len()).collect();
                    Prepared::Logarithmic(Drawn::draw(randomness_len(&lens), rng))
                }
                Argument::Linear => Prepared::Linear(Nonce::draw(gens, rng)),
            }
        }

        /// Whether it was drawn by `argument` for segments of these lengths.
        pub(crate) fn fits(&self, argument: Argument, lens: &[usize]) -> bool {
            match (self, argument) {
                (Prepared::Logarithmic(drawn), Argument::Logarithmic) => drawn.remaining() == randomness_len(lens),
                (Prepared::Linear(nonce), Argument::Linear) => nonce.len() == lens.iter().sum::<usize>(),
                _ => false,
            }
        }

        /// Proves `⟨x, a⟩ = y` for the segments with this randomness
        /// ([`DotProductProof::prove_with_hook`], [`LinearProof::prove_with_hook`]),
        /// using it up: a second call panics (too few scalars drawn, or no nonce left).
        pub(crate) fn prove_with_hook(
            &mut self,
            segments: &[Segment<'_>],
            a: &[Fr],
            blind_y: Fr,
            transcript: &mut impl FiatShamir,
            hook: impl FnMut(Message, &mut [G1Affine]),
        ) -> Opening {
            match self {
                Prepared::Logarithmic(drawn) => Opening::Logarithmic(DotProductProof::prove_with_hook(
                    segments, a, blind_y, transcript, drawn, hook,
                )),
                // Taken out, so that a second proof with it fails (`a` longer than no entry).
                Prepared::Linear(nonce) => {
                    let nonce = core::mem::replace(nonce, Nonce::spent());
                    Opening::Linear(LinearProof::prove_with_hook(segments, a, blind_y, transcript, nonce, hook))
                }
            }
        }

        /// [`Prepared::prove_with_hook`] without a hook.
        pub(crate) fn prove(
            &mut self,
            segments: &[Segment<'_>],
            a: &[Fr],
            blind_y: Fr,
            transcript: &mut impl FiatShamir,
        ) -> Opening {
            self.prove_with_hook(segments, a, blind_y, transcript, |_, _| {})
        }
    }
}
