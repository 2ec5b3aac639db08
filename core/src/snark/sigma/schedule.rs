//! The folding schedule of the inner-product argument ([`super::DotProductProof`]): which
//! halves each round pairs, for a vector of one or two segments of power-of-two lengths.
//!
//! A round pairs a left and a right half of equal length ([`Fold`]). While there are
//! two segments of different lengths, the longer one is halved and the other left
//! alone; two segments of equal length are merged, the first on the left; one segment
//! is halved until it has one entry. So `2^a` entries take `a` rounds and `2^a + 2^b`
//! entries `max(a, b) + 1`.

use ark_bn254::Fr;
use ark_ff::Field;

/// What one round pairs: a left and a right half of equal length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fold {
    /// The first half of segment `k` (left) and its second half (right).
    Halve(usize),
    /// Segment 0 (left) and segment 1 (right), which have the same length.
    Merge,
}

/// Where an entry of the original vector lies in a fold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// At this position of the left half.
    Left(usize),
    /// At this position of the right half.
    Right(usize),
    /// In a segment the fold leaves alone.
    Untouched,
}

/// The segments' lengths as the rounds fold them, and where each entry of the original
/// vector (the segments concatenated) lies in them.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    lens: Vec<usize>,
    /// Per original entry: its segment and its position in it.
    place: Vec<(usize, usize)>,
}

impl Layout {
    /// The layout of segments of these lengths, or `None` unless there are one or two
    /// segments, each of a power-of-two length.
    pub(crate) fn new(lens: &[usize]) -> Option<Self> {
        if lens.is_empty() || lens.len() > 2 || !lens.iter().all(|n| n.is_power_of_two()) {
            return None;
        }
        let place = lens.iter().enumerate().flat_map(|(k, &n)| (0..n).map(move |i| (k, i))).collect();
        Some(Layout { lens: lens.to_vec(), place })
    }

    /// Number of rounds: `a` for one segment of `2^a`, `max(a, b) + 1` for `2^a` and `2^b`.
    pub(crate) fn rounds(&self) -> usize {
        let longest = self.lens.iter().max().map_or(0, |n| n.trailing_zeros() as usize);
        longest + self.lens.len() - 1
    }

    /// The segments' current lengths.
    #[cfg(feature = "prover")]
    pub(crate) fn lens(&self) -> &[usize] {
        &self.lens
    }

    /// The number of positions left: the segments' lengths summed.
    #[cfg(feature = "prover")]
    pub(crate) fn len(&self) -> usize {
        self.lens.iter().sum()
    }

    /// Where original entry `t` now lies: its segment and its position in it.
    #[cfg(feature = "prover")]
    pub(crate) fn position(&self, t: usize) -> (usize, usize) {
        self.place[t]
    }

    /// The folding coefficients of the reduction from this layout: after the rounds
    /// with challenges `e_0 … e_{ν−1}`, the generator left is `ĝ = Σ_t s_t·G_t` and the
    /// weight left is `â = Σ_t s_t·a_t`, where `s_t` is the product of the `e_j` of the
    /// rounds in which entry `t` lay in the left half or in a segment left alone.
    /// `None` if the number of challenges is not the layout's rounds'.
    pub(crate) fn folding_coefficients(&self, challenges: &[Fr]) -> Option<Vec<Fr>> {
        if challenges.len() != self.rounds() {
            return None;
        }
        let mut layout = self.clone();
        let mut s = vec![Fr::ONE; layout.place.len()];
        for e in challenges {
            let fold = layout.next_fold()?;
            layout.fold_coefficients(fold, &mut s, *e);
            layout.fold(fold);
        }
        Some(s)
    }

    /// One round of the folding coefficients (before [`Layout::fold`]): `s_t` times
    /// `e` for every entry in the left half of `fold` or in a segment it leaves alone.
    pub(crate) fn fold_coefficients(&self, fold: Fold, s: &mut [Fr], e: Fr) {
        for (t, s_t) in s.iter_mut().enumerate() {
            if !matches!(self.side(fold, t), Side::Right(_)) {
                *s_t *= e;
            }
        }
    }

    /// The next round's fold, or `None` once one entry is left.
    pub(crate) fn next_fold(&self) -> Option<Fold> {
        match self.lens[..] {
            [a, b] if a == b => Some(Fold::Merge),
            [a, b] => Some(Fold::Halve(usize::from(b > a))),
            [a] if a > 1 => Some(Fold::Halve(0)),
            _ => None,
        }
    }

    /// Where original entry `t` lies in `fold`.
    pub(crate) fn side(&self, fold: Fold, t: usize) -> Side {
        let (k, i) = self.place[t];
        match fold {
            Fold::Halve(h) if h == k => {
                let half = self.lens[k] / 2;
                if i < half {
                    Side::Left(i)
                } else {
                    Side::Right(i - half)
                }
            }
            Fold::Halve(_) => Side::Untouched,
            Fold::Merge if k == 0 => Side::Left(i),
            Fold::Merge => Side::Right(i),
        }
    }

    /// The layout after `fold`: a halved segment keeps its left half's positions; the
    /// merged one is segment 0.
    pub(crate) fn fold(&mut self, fold: Fold) {
        match fold {
            Fold::Halve(k) => {
                let half = self.lens[k] / 2;
                self.lens[k] = half;
                for (seg, i) in &mut self.place {
                    if *seg == k {
                        *i %= half;
                    }
                }
            }
            Fold::Merge => {
                self.lens.truncate(1);
                for (seg, _) in &mut self.place {
                    *seg = 0;
                }
            }
        }
    }

    /// The halves `fold` pairs, as slices of per-segment vectors laid out as the
    /// segments now are.
    #[cfg(feature = "prover")]
    pub(crate) fn halves<'a, T>(&self, fold: Fold, segments: &'a [Vec<T>]) -> (&'a [T], &'a [T]) {
        match fold {
            Fold::Halve(k) => segments[k].split_at(self.lens[k] / 2),
            Fold::Merge => (&segments[0], &segments[1]),
        }
    }

    /// Folds per-segment vectors laid out as the segments now are (before
    /// [`Layout::fold`]): the halves `fold` pairs into `pair(left, right)` entry by entry,
    /// and the entries of a segment it leaves alone through `alone`.
    #[cfg(feature = "prover")]
    pub(crate) fn fold_vectors<T>(
        &self,
        fold: Fold,
        segments: &mut Vec<Vec<T>>,
        pair: impl Fn(&T, &T) -> T,
        alone: impl Fn(&mut T),
    ) {
        let (left, right) = self.halves(fold, segments);
        let merged: Vec<T> = left.iter().zip(right).map(|(l, r)| pair(l, r)).collect();
        match fold {
            Fold::Halve(k) => {
                segments[k] = merged;
                for (_, other) in segments.iter_mut().enumerate().filter(|(j, _)| *j != k) {
                    other.iter_mut().for_each(&alone);
                }
            }
            Fold::Merge => *segments = vec![merged],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folds(lens: &[usize]) -> Vec<Fold> {
        let mut layout = Layout::new(lens).unwrap();
        let mut folds = Vec::new();
        while let Some(fold) = layout.next_fold() {
            folds.push(fold);
            layout.fold(fold);
        }
        assert_eq!(folds.len(), Layout::new(lens).unwrap().rounds());
        folds
    }

    #[test]
    fn rounds_halve_the_longer_segment_then_merge() {
        use Fold::*;
        assert_eq!(folds(&[1]), vec![]);
        assert_eq!(folds(&[8]), vec![Halve(0); 3]);
        assert_eq!(folds(&[1, 1]), vec![Merge]);
        assert_eq!(folds(&[4, 2]), vec![Halve(0), Merge, Halve(0)]);
        assert_eq!(folds(&[2, 8]), vec![Halve(1), Halve(1), Merge, Halve(0)]);
        assert_eq!(Layout::new(&[128, 64]).unwrap().rounds(), 8);
        assert_eq!(Layout::new(&[32, 64]).unwrap().rounds(), 7);
        for bad in [&[][..], &[3], &[4, 6], &[0, 4], &[2, 2, 2]] {
            assert!(Layout::new(bad).is_none(), "{bad:?}");
        }
    }

    /// One segment: the coefficients of the textbook reduction, where round `j` splits
    /// on bit `ν − 1 − j` of the index and the left half (bit 0) gets `e_j`.
    #[test]
    fn one_segment_folds_on_the_index_bits() {
        let e: Vec<Fr> = (2..5u64).map(Fr::from).collect();
        let s = Layout::new(&[8]).unwrap().folding_coefficients(&e).unwrap();
        for (i, s_i) in s.iter().enumerate() {
            let expected: Fr = (0..3).filter(|j| (i >> (2 - j)) & 1 == 0).map(|j| e[j]).product();
            assert_eq!(*s_i, expected, "index {i}");
        }
        assert!(Layout::new(&[8]).unwrap().folding_coefficients(&e[..2]).is_none());
        assert!(Layout::new(&[6]).is_none());
    }

    /// Two segments `(4 ‖ 2)`: round 0 halves the first (the second gets `e_0`), round 1
    /// merges (the first gets `e_1`), round 2 halves what is left.
    #[test]
    fn two_segments_fold_as_scheduled() {
        let e: Vec<Fr> = (2..5u64).map(Fr::from).collect();
        let s = Layout::new(&[4, 2]).unwrap().folding_coefficients(&e).unwrap();
        let expected = [
            e[0] * e[1] * e[2], // segment 0, entry 0: left, left (merge), left
            e[0] * e[1],        // entry 1: left, left, right
            e[1] * e[2],        // entry 2: right, left, left
            e[1],               // entry 3: right, left, right
            e[0] * e[2],        // segment 1, entry 0: untouched, right, left
            e[0],               // entry 1: untouched, right, right
        ];
        assert_eq!(s, expected);
    }
}
