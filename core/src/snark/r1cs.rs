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

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, Zero};

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
        self.entries.sort_by_key(|e| (e.row, e.col));
        let mut merged: Vec<Entry> = Vec::with_capacity(self.entries.len());
        for e in self.entries.drain(..) {
            match merged.last_mut() {
                Some(last) if (last.row, last.col) == (e.row, e.col) => last.val += e.val,
                _ => merged.push(e),
            }
        }
        merged.retain(|e| !e.val.is_zero());
        self.entries = merged;
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
        Fr::from(v as u64)
    } else {
        -Fr::from(v.unsigned_abs())
    }
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
}
