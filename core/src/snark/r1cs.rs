//! Rank-1 constraint systems: `(A·z) ∘ (B·z) = C·z` over the BN254 scalar field.
//!
//! The assignment vector has a fixed *logical* layout shared by the circuit
//! compiler and the proof system:
//!
//! ```text
//! z = (1, io_0, …, io_{num_public-1}, w_0, …, w_{num_witness-1})
//!      ^ column 0       ^ columns 1..=num_public      ^ then the witness
//! ```
//!
//! The proof system may permute and pad `z` internally (Spartan places the
//! witness first and pads to a power of two); that mapping is its own business
//! and is documented in `docs/PROTOCOL.md`.

use ark_bn254::{Fr, FrConfig};
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Field, MontConfig, MontFp, Zero};

/// One nonzero entry of a sparse matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Constraint (row) index.
    pub row: usize,
    /// Column index into the logical `z` layout described in the module docs.
    pub col: usize,
    /// The coefficient.
    pub val: Fr,
}

/// A sparse matrix as a list of nonzero entries (row-major order is not required,
/// but duplicates of one `(row, col)` are summed by every consumer).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SparseMatrix {
    /// The nonzero entries.
    pub entries: Vec<Entry>,
}

impl SparseMatrix {
    /// Adds `val` at `(row, col)`; zero coefficients are skipped.
    pub fn push(&mut self, row: usize, col: usize, val: Fr) {
        if !val.is_zero() {
            self.entries.push(Entry { row, col, val });
        }
    }

    /// Puts the matrix in canonical form: entries sorted by `(row, col)`, duplicates
    /// summed, zero coefficients removed. The matrix it represents is unchanged.
    pub fn canonicalize(&mut self) {
        let position = |e: &Entry| (e.row, e.col);
        let canonical = self.entries.windows(2).all(|pair| position(&pair[0]) < position(&pair[1]));
        if canonical && self.entries.iter().all(|e| !e.val.is_zero()) {
            return;
        }
        // Duplicates are summed, so their order among themselves does not matter.
        self.entries.sort_unstable_by_key(position);
        self.entries.dedup_by(|e, kept| {
            let duplicate = position(e) == position(kept);
            if duplicate {
                kept.val += e.val;
            }
            duplicate
        });
        self.entries.retain(|e| !e.val.is_zero());
    }

    /// `M·z`, a vector of `num_rows` field elements.
    pub fn mul_vec(&self, num_rows: usize, z: &[Fr]) -> Vec<Fr> {
        let mut out = vec![Fr::ZERO; num_rows];
        for e in &self.entries {
            out[e.row] += e.val * z[e.col];
        }
        out
    }
}

/// An R1CS instance: `num_constraints` rows over `1 + num_public + num_witness` columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct R1cs {
    /// Number of constraints (rows).
    pub num_constraints: usize,
    /// Number of public values (`io`), columns `1..=num_public`.
    pub num_public: usize,
    /// Number of private witness values, columns `num_public+1..`.
    pub num_witness: usize,
    /// The left matrix.
    pub a: SparseMatrix,
    /// The right matrix.
    pub b: SparseMatrix,
    /// The output matrix.
    pub c: SparseMatrix,
}

impl R1cs {
    /// Total number of columns: `1 + num_public + num_witness`.
    pub fn num_columns(&self) -> usize {
        1 + self.num_public + self.num_witness
    }

    /// Column of the `i`-th public value.
    pub fn public_col(&self, i: usize) -> usize {
        1 + i
    }

    /// Column of the `i`-th witness value.
    pub fn witness_col(&self, i: usize) -> usize {
        1 + self.num_public + i
    }

    /// Builds the full assignment `z = (1, io, w)`.
    pub fn assignment(&self, public: &[Fr], witness: &[Fr]) -> Vec<Fr> {
        let mut z = Vec::with_capacity(self.num_columns());
        z.push(Fr::ONE);
        z.extend_from_slice(public);
        z.extend_from_slice(witness);
        z
    }

    /// Puts all three matrices in canonical form (see [`SparseMatrix::canonicalize`]).
    pub fn canonicalize(&mut self) {
        for m in [&mut self.a, &mut self.b, &mut self.c] {
            m.canonicalize();
        }
    }

    /// Checks the instance is well formed: every entry is inside the matrix.
    pub fn check_shape(&self) -> Result<(), String> {
        let cols = self.num_columns();
        for (name, m) in [("A", &self.a), ("B", &self.b), ("C", &self.c)] {
            if let Some(e) = m.entries.iter().find(|e| e.row >= self.num_constraints || e.col >= cols) {
                return Err(format!(
                    "matrix {name} has an entry at ({}, {}) outside {}x{}",
                    e.row, e.col, self.num_constraints, cols
                ));
            }
        }
        Ok(())
    }

    /// Returns `Err(row)` for the first unsatisfied constraint, or an error row of
    /// `usize::MAX` when the assignment has the wrong length.
    pub fn is_satisfied(&self, public: &[Fr], witness: &[Fr]) -> Result<(), usize> {
        if public.len() != self.num_public || witness.len() != self.num_witness {
            return Err(usize::MAX);
        }
        let z = self.assignment(public, witness);
        let az = self.a.mul_vec(self.num_constraints, &z);
        let bz = self.b.mul_vec(self.num_constraints, &z);
        let cz = self.c.mul_vec(self.num_constraints, &z);
        match (0..self.num_constraints).find(|&i| az[i] * bz[i] != cz[i]) {
            Some(row) => Err(row),
            None => Ok(()),
        }
    }
}

/// Helper: the field element of a signed integer.
pub fn fr_from_i64(v: i64) -> Fr {
    if v >= 0 {
        fr_from_u64(v as u64)
    } else {
        -fr_from_u64(v.unsigned_abs())
    }
}

/// `v` as a field element, as `Fr::from(v)` gives it, for a quarter of the limb products.
///
/// Arkworks keeps `v` as its Montgomery form `v·2^256 mod p` and computes it by a whole
/// Montgomery multiplication of `v` by `2^512 mod p` (sixteen 64×64-bit products and
/// sixteen more to reduce). Here `x = v·C` with `C = 2^320 mod p` (the Montgomery form of
/// `2^64`, below `p`) takes four products, and one word of Montgomery reduction four
/// more: `y = (x + m·p)/2^64` with `m = −x_0·p⁻¹ mod 2^64` is `v·2^256 (mod p)`, and
/// `x + m·p < 2^64·p + 2^64·p`, so `y < 2p` and one subtraction of `p` reduces it.
/// The circuit compiler converts every weight of a key this way, on every key load;
/// in wasm, which emulates 64×64→128-bit products, a multiplication is the slow part.
pub fn fr_from_u64(v: u64) -> Fr {
    const TWO_TO_64: Fr = MontFp!("18446744073709551616");
    const C: [u64; 4] = TWO_TO_64.0 .0;
    const P: [u64; 4] = <FrConfig as MontConfig<4>>::MODULUS.0;
    const P_INV: u64 = <FrConfig as MontConfig<4>>::INV;
    let wide = |a: u64, b: u64, c: u64, d: u128| u128::from(a) * u128::from(b) + u128::from(c) + d;
    // x = v·C, five words (each step below 2^128: (2^64 − 1)² + 2·(2^64 − 1)).
    let mut x = [0u64; 5];
    let mut carry = 0u128;
    for i in 0..4 {
        let t = wide(v, C[i], 0, carry);
        x[i] = t as u64;
        carry = t >> 64;
    }
    x[4] = carry as u64;
    // y = (x + m·p)/2^64: the low word of x + m·p is zero, only its carry moves on.
    let m = x[0].wrapping_mul(P_INV);
    let mut carry = wide(m, P[0], x[0], 0) >> 64;
    let mut y = [0u64; 4];
    for i in 1..4 {
        let t = wide(m, P[i], x[i], carry);
        y[i - 1] = t as u64;
        carry = t >> 64;
    }
    // y < 2p < 2^255: the top word takes the last carry without overflow.
    y[3] = x[4] + carry as u64;
    let mut reduced = BigInt(y);
    if reduced >= BigInt(P) {
        reduced.sub_with_borrow(&BigInt(P));
    }
    Fr::new_unchecked(reduced)
}

/// Helper: the field element of a signed 128-bit integer.
pub fn fr_from_i128(v: i128) -> Fr {
    if v >= 0 {
        Fr::from(v as u128)
    } else {
        -Fr::from(v.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_constraint() {
        // x * x = y with x public, y witness.
        let mut r = R1cs { num_constraints: 1, num_public: 1, num_witness: 1, ..Default::default() };
        r.a.push(0, 1, Fr::ONE);
        r.b.push(0, 1, Fr::ONE);
        r.c.push(0, 2, Fr::ONE);
        assert!(r.check_shape().is_ok());
        assert_eq!(r.is_satisfied(&[fr_from_i64(-3)], &[fr_from_i64(9)]), Ok(()));
        assert_eq!(r.is_satisfied(&[fr_from_i64(3)], &[fr_from_i64(8)]), Err(0));
        assert_eq!(r.is_satisfied(&[], &[]), Err(usize::MAX));
    }

    #[test]
    fn canonical_form_sorts_sums_duplicates_and_drops_zeros() {
        let entries = |m: &SparseMatrix| m.entries.iter().map(|e| (e.row, e.col, e.val)).collect::<Vec<_>>();
        let (one, two) = (Fr::ONE, fr_from_i64(2));
        let mut m = SparseMatrix::default();
        for (row, col, val) in [(2, 0, one), (0, 3, two), (0, 1, one), (2, 0, two), (1, 1, one), (1, 1, -one)] {
            m.push(row, col, val);
        }
        m.canonicalize();
        // (1, 1) summed to zero and is dropped; (2, 0) is summed.
        assert_eq!(entries(&m), [(0, 1, one), (0, 3, two), (2, 0, fr_from_i64(3))]);
        let canonical = m.clone();
        m.canonicalize();
        assert_eq!(m, canonical);
        // Sorted without duplicates, but holding a zero: not canonical yet.
        m.entries.insert(1, Entry { row: 0, col: 2, val: Fr::ZERO });
        m.canonicalize();
        assert_eq!(m, canonical);
    }

    #[test]
    fn small_integers_convert_as_arkworks_converts_them() {
        let mut values = vec![0, 1, 2, 3, 4096, (1 << 32) - 1, 1 << 32, 1 << 63, u64::MAX - 1, u64::MAX];
        values.extend((0..64).map(|k| 1u64 << k).chain((1..64).map(|k| (1u64 << k) - 1)));
        for v in values {
            assert_eq!(fr_from_u64(v), Fr::from(v), "{v}");
        }
        for v in [i64::MIN, i64::MIN + 1, -4096, -1, 0, 1, i64::MAX] {
            let magnitude = Fr::from(v.unsigned_abs());
            assert_eq!(fr_from_i64(v), if v < 0 { -magnitude } else { magnitude }, "{v}");
        }
    }

    proptest::proptest! {
        #[test]
        fn random_integers_convert_as_arkworks_converts_them(v in proptest::prelude::any::<u64>()) {
            proptest::prop_assert_eq!(fr_from_u64(v), Fr::from(v));
        }
    }
}
