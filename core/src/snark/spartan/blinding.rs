//! The blinding gadget: three constraints and four witness columns appended to
//! every instance, so that the evaluations the verifier learns in the clear —
//! `Ãz(r_x), B̃z(r_x), C̃z(r_x)` and `w̃(r_y[1..])` — are uniformly random
//! (`docs/PROTOCOL-zk.md`, "Masked evaluations").
//!
//! With `n` the instance's constraints and `u_0..u_3` the new witness columns
//! (uniform values drawn by the prover for each proof):
//!
//! ```text
//! row n:      u_0 · 0 = 0        (A gets u_0)
//! row n + 1:  0 · u_1 = 0        (B gets u_1)
//! row n + 2:  u_2 · 1 = u_2      (A and C get u_2)
//! u_3:        in no constraint   (w̃ gets u_3)
//! ```
//!
//! Every assignment of the `u`'s satisfies these rows, and at a random point the
//! evaluations are `Ãz = a + e_0·u_0 + e_2·u_2`, `B̃z = b + e_1·u_1`,
//! `C̃z = c + e_2·u_2`, `w̃ = w + Σ_j f_j·u_j` with nonzero (w.h.p.) `eq` weights
//! `e_i, f_3`: a triangular map of the uniform `u`'s, hence jointly uniform.

use crate::snark::r1cs::R1cs;
use ark_bn254::Fr;
use ark_ff::Field;

/// Constraints the gadget appends.
pub(crate) const ROWS: usize = 3;
/// Witness columns the gadget appends.
pub(crate) const COLUMNS: usize = 4;

/// Appends the gadget to `r1cs` (rows and witness columns at the end).
pub(crate) fn append(r1cs: &mut R1cs) {
    let (n, first) = (r1cs.num_constraints, r1cs.num_columns());
    r1cs.num_constraints += ROWS;
    r1cs.num_witness += COLUMNS;
    r1cs.a.push(n, first, Fr::ONE);
    r1cs.b.push(n + 1, first + 1, Fr::ONE);
    r1cs.a.push(n + 2, first + 2, Fr::ONE);
    r1cs.b.push(n + 2, 0, Fr::ONE);
    r1cs.c.push(n + 2, first + 2, Fr::ONE);
}

/// Removes the gadget appended by [`append`] from a canonical `r1cs`.
pub(crate) fn strip(r1cs: &R1cs) -> R1cs {
    let mut base = r1cs.clone();
    base.num_constraints -= ROWS;
    base.num_witness -= COLUMNS;
    for m in [&mut base.a, &mut base.b, &mut base.c] {
        m.entries.retain(|e| e.row < base.num_constraints);
    }
    base
}
