//! Constraint building: linear combinations, bit decompositions and the layer gadgets.
//! The comparison gadgets of `Lanes` layers are in [`lanes`], the tree-ensemble
//! gadget in [`trees`], the piecewise-linear one in [`piecewise`], the body softmax
//! in [`softmax`], and the threshold intervals they share in [`thresholds`].

mod lanes;
pub(super) mod piecewise;
pub(super) mod softmax;
pub(super) mod thresholds;
pub(super) mod trees;

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

use super::size::{CircuitSize, MAX_CONSTRAINTS, MAX_NONZEROS, MAX_WITNESS};
use super::{Circuit, CircuitError, Column, Constraint, Decomposition, Label};
use crate::frontend::model::bounds::signed_bits;
use crate::frontend::model::domain::Lattice;
use crate::snark::r1cs::{fr_from_i128, fr_from_i64, R1cs, SparseMatrix};

/// A linear combination `constant + Σ coeff·z[col]`.
#[derive(Clone, Debug)]
pub(super) struct Lc {
    constant: Fr,
    terms: Vec<(usize, Fr)>,
}

impl Lc {
    fn constant(constant: Fr) -> Self {
        Lc { constant, terms: Vec::new() }
    }

    fn column(col: usize) -> Self {
        Lc { constant: Fr::ZERO, terms: vec![(col, Fr::ONE)] }
    }

    /// `self += k·other`. Multiplies only where neither factor is `0` or `±1`: a key's
    /// circuit is compiled on every load, in wasm too, where a field multiplication is
    /// slow, and most factors are one of those (a weight times a column's `1`, a zero
    /// constant).
    fn add_scaled(&mut self, other: &Lc, k: Fr) {
        let times_k = |c: Fr| {
            if c == Fr::ONE {
                k
            } else if k == Fr::ONE {
                c
            } else if k == -Fr::ONE {
                -c
            } else {
                k * c
            }
        };
        if other.constant != Fr::ZERO {
            self.constant += times_k(other.constant);
        }
        self.terms.extend(other.terms.iter().map(|&(col, c)| (col, times_k(c))));
    }

    /// `k·self + constant`.
    fn scaled_plus(&self, k: Fr, constant: Fr) -> Lc {
        let mut out = Lc::constant(constant);
        out.add_scaled(self, k);
        out
    }

    /// `self - other`.
    fn minus(&self, other: &Lc) -> Lc {
        let mut out = self.clone();
        out.add_scaled(other, -Fr::ONE);
        out
    }

    fn push_row(&self, m: &mut SparseMatrix, row: usize) {
        m.push(row, 0, self.constant);
        for &(col, c) in &self.terms {
            m.push(row, col, c);
        }
    }
}

/// A value of the circuit: its LC and, when known, a bit column that is 1 iff the value is ≥ 0.
#[derive(Clone, Debug)]
pub(super) struct Wire {
    lc: Lc,
    sign: Option<usize>,
}

/// Accumulates rows, columns and labels. Refuses (with [`CircuitError::TooLarge`])
/// to go past [`MAX_CONSTRAINTS`] rows, [`MAX_WITNESS`] columns or [`MAX_NONZEROS`]
/// entries, whatever the caller's size estimate said.
pub(super) struct Builder {
    s: u32,
    num_public: usize,
    /// `2^k` for `k < 128`.
    pow2: Vec<Fr>,
    /// `2^(s-1)`, the rounding offset of requantization.
    half: Fr,
    a: SparseMatrix,
    b: SparseMatrix,
    c: SparseMatrix,
    rows: Vec<Label<Constraint>>,
    columns: Vec<Label<Column>>,
}

impl Builder {
    /// A builder for a circuit with `num_public` public values; `size` (the estimate
    /// of [`super::size`], already checked against the limits) sizes the vectors.
    pub(super) fn new(s: u32, num_public: usize, size: &CircuitSize) -> Self {
        // The estimate is within the limits, so these capacities are bounded.
        let cap = |n: u64, limit: usize| n.min(limit as u64) as usize;
        let mut pow2 = Vec::with_capacity(128);
        let mut p = Fr::ONE;
        for _ in 0..128 {
            pow2.push(p);
            p.double_in_place();
        }
        let half = pow2[(s - 1) as usize];
        Builder {
            s,
            num_public,
            pow2,
            half,
            a: SparseMatrix { entries: Vec::with_capacity(cap(size.nonzeros[0], MAX_NONZEROS)) },
            b: SparseMatrix { entries: Vec::with_capacity(cap(size.nonzeros[1], MAX_NONZEROS)) },
            c: SparseMatrix { entries: Vec::with_capacity(cap(size.nonzeros[2], MAX_NONZEROS)) },
            rows: Vec::with_capacity(cap(size.constraints, MAX_CONSTRAINTS)),
            columns: Vec::with_capacity(cap(size.witness, MAX_WITNESS)),
        }
    }

    /// The wire of public value `i`.
    pub(super) fn public_wire(&self, i: usize) -> Wire {
        Wire { lc: Lc::column(1 + i), sign: None }
    }

    /// Hidden inputs: one witness column each (the first columns, in `indices`
    /// order), then for each input with a progression in `checks` the proof that it
    /// lies in it (see the module docs): the row `(x − a)·(x − b) = 0` for two
    /// values, else the range check `x/step − start = Σ_{k<w−1} b_k·2^k + b_{w−1}·D`.
    /// (`None`: the first layer's gadget proves `|x_i| ≤ input_bound` itself.)
    /// Returns `(index, wire)` pairs.
    pub(super) fn private_inputs(
        &mut self,
        indices: &[usize],
        checks: &[Option<Lattice>],
    ) -> Result<Vec<(usize, Wire)>, CircuitError> {
        let cols: Vec<usize> =
            indices.iter().map(|&i| self.alloc(0, i as u32, Column::Input)).collect::<Result<_, _>>()?;
        for (&i, &col) in indices.iter().zip(&cols) {
            let Some(lattice) = checks[i] else { continue };
            let (neuron, x) = (i as u32, Lc::column(col));
            let (lo, _) = lattice.ends();
            if lattice.span == 1 {
                let (a, b) =
                    (x.scaled_plus(Fr::ONE, -fr_from_i64(lo)), x.scaled_plus(Fr::ONE, -fr_from_i64(lo + lattice.step)));
                self.constrain(
                    Label { layer: 0, neuron, role: Constraint::InputChoice },
                    &a,
                    &b,
                    &Lc::constant(Fr::ZERO),
                )?;
            } else {
                let inverse = fr_from_i64(lattice.step).inverse().expect("a step 2^k is invertible in the field");
                let value = x.scaled_plus(inverse, -fr_from_i64(lattice.start));
                let (width, top) =
                    (super::domain_bits(lattice.span), fr_from_i128(super::domain_top_weight(lattice.span)));
                self.decompose_with_top(0, neuron, Decomposition::InputRange, value, width, top)?;
            }
        }
        Ok(indices.iter().zip(cols).map(|(&i, col)| (i, Wire { lc: Lc::column(col), sign: None })).collect())
    }

    pub(super) fn finish(self) -> Circuit {
        Circuit {
            r1cs: R1cs {
                num_constraints: self.rows.len(),
                num_public: self.num_public,
                num_witness: self.columns.len(),
                a: self.a,
                b: self.b,
                c: self.c,
            },
            rows: self.rows,
            columns: self.columns,
        }
    }

    fn alloc(&mut self, layer: u32, neuron: u32, role: Column) -> Result<usize, CircuitError> {
        if self.columns.len() >= MAX_WITNESS {
            return Err(too_large("witness values", self.columns.len() + 1, MAX_WITNESS));
        }
        self.columns.push(Label { layer, neuron, role });
        Ok(self.num_public + self.columns.len())
    }

    /// Appends a row label, refusing to pass [`MAX_CONSTRAINTS`]; returns the row index.
    fn push_label(&mut self, label: Label<Constraint>) -> Result<usize, CircuitError> {
        let row = self.rows.len();
        if row >= MAX_CONSTRAINTS {
            return Err(too_large("constraints", row + 1, MAX_CONSTRAINTS));
        }
        self.rows.push(label);
        Ok(row)
    }

    /// Refuses once the matrices hold more than [`MAX_NONZEROS`] entries.
    fn check_nonzeros(&self) -> Result<(), CircuitError> {
        let n = self.a.entries.len() + self.b.entries.len() + self.c.entries.len();
        if n > MAX_NONZEROS {
            return Err(too_large("nonzero matrix entries", n, MAX_NONZEROS));
        }
        Ok(())
    }

    /// Adds the row `a·b = c`.
    fn constrain(&mut self, label: Label<Constraint>, a: &Lc, b: &Lc, c: &Lc) -> Result<(), CircuitError> {
        let row = self.push_label(label)?;
        a.push_row(&mut self.a, row);
        b.push_row(&mut self.b, row);
        c.push_row(&mut self.c, row);
        self.check_nonzeros()
    }

    /// `Σ_{k<n} 2^k·z[first + k] + constant`.
    fn weighted_bits(&self, first: usize, n: u32, constant: Fr) -> Lc {
        Lc { constant, terms: (0..n as usize).map(|k| (first + k, self.pow2[k])).collect() }
    }

    /// Decomposes `value + 2^(width-1)` into `width` fresh bit columns and returns
    /// the first one: `width` booleanity rows and one sum row. Satisfiable iff
    /// `-2^(width-1) ≤ value < 2^(width-1)` (for `|value| ≪ p`); the top bit is then
    /// 1 iff `value ≥ 0`.
    fn decompose(
        &mut self,
        layer: u32,
        neuron: u32,
        of: Decomposition,
        mut value: Lc,
        width: u32,
    ) -> Result<usize, CircuitError> {
        let top = self.pow2[(width - 1) as usize];
        value.constant += top;
        self.decompose_with_top(layer, neuron, of, value, width, top)
    }

    /// `width` fresh bit columns of `of` with their booleanity rows `b·b = b`;
    /// returns the first one's column (the others follow).
    fn bits(&mut self, layer: u32, neuron: u32, of: Decomposition, width: u32) -> Result<usize, CircuitError> {
        let first = self.alloc(layer, neuron, Column::Bit { of, k: 0, width })?;
        for k in 1..width {
            self.alloc(layer, neuron, Column::Bit { of, k, width })?;
        }
        for k in 0..width {
            let row = self.push_label(Label { layer, neuron, role: Constraint::Boolean { of, k } })?;
            let bit = first + k as usize;
            for m in [&mut self.a, &mut self.b, &mut self.c] {
                m.push(row, bit, Fr::ONE);
            }
        }
        Ok(first)
    }

    /// Bits `b_0..b_{width−1}` (booleanity rows) and the row
    /// `value = Σ_{k<width−1} b_k·2^k + b_{width−1}·top`. Returns the first bit's column.
    fn decompose_with_top(
        &mut self,
        layer: u32,
        neuron: u32,
        of: Decomposition,
        value: Lc,
        width: u32,
        top: Fr,
    ) -> Result<usize, CircuitError> {
        let first = self.bits(layer, neuron, of, width)?;
        let mut sum = self.weighted_bits(first, width - 1, Fr::ZERO);
        sum.terms.push((first + width as usize - 1, top));
        self.constrain(Label { layer, neuron, role: Constraint::Sum { of } }, &value, &Lc::constant(Fr::ONE), &sum)?;
        Ok(first)
    }

    /// Requantizes `acc` (already including the `2^(s-1)` rounding offset) into
    /// `n` signed bits: returns the wire of `q` with its sign bit.
    fn requantize(
        &mut self,
        layer: u32,
        neuron: u32,
        of: Decomposition,
        acc: Lc,
        n: u32,
    ) -> Result<Wire, CircuitError> {
        let width = self.s + n;
        let first = self.decompose(layer, neuron, of, acc, width)?;
        let q = self.weighted_bits(first + self.s as usize, n, -self.pow2[(n - 1) as usize]);
        Ok(Wire { lc: q, sign: Some(first + width as usize - 1) })
    }

    /// The sign bit of `x` (bounded by `bound`), decomposing it if no decomposition has one.
    fn sign_of(&mut self, layer: u32, neuron: u32, x: &Wire, bound: i128) -> Result<usize, CircuitError> {
        match x.sign {
            Some(sign) => Ok(sign),
            None => {
                let width = signed_bits(bound);
                Ok(self.decompose(layer, neuron, Decomposition::Sign, x.lc.clone(), width)? + width as usize - 1)
            }
        }
    }

    /// `Dense`: one requantization per neuron, the accumulator an LC of the inputs.
    /// Inputs that are LCs of several columns are first copied into one column each.
    pub(super) fn dense(
        &mut self,
        layer: u32,
        in_dim: usize,
        weights: &[i64],
        bias: &[i64],
        inputs: Vec<Wire>,
        n: u32,
    ) -> Result<Vec<Wire>, CircuitError> {
        let inputs: Vec<Wire> = inputs
            .into_iter()
            .enumerate()
            .map(|(i, x)| self.one_column(layer, i as u32, x))
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(bias.len());
        for (j, (row, b)) in weights.chunks(in_dim).zip(bias).enumerate() {
            let mut acc = Lc { constant: fr_from_i64(*b) + self.half, terms: Vec::with_capacity(in_dim) };
            for (w, x) in row.iter().zip(&inputs) {
                if *w != 0 {
                    acc.add_scaled(&x.lc, fr_from_i64(*w));
                }
            }
            out.push(self.requantize(layer, j as u32, Decomposition::Requantize, acc, n)?);
        }
        Ok(out)
    }

    /// `x` as a wire of at most one column: a multi-term LC is copied first.
    fn one_column(&mut self, layer: u32, neuron: u32, x: Wire) -> Result<Wire, CircuitError> {
        if x.lc.terms.len() > 1 {
            self.copy(layer, neuron, x)
        } else {
            Ok(x)
        }
    }

    /// Copies a multi-term LC into one fresh column (keeping its sign bit).
    fn copy(&mut self, layer: u32, neuron: u32, x: Wire) -> Result<Wire, CircuitError> {
        let col = self.alloc(layer, neuron, Column::Copy)?;
        let copy = Lc::column(col);
        self.constrain(Label { layer, neuron, role: Constraint::Copy }, &copy, &Lc::constant(Fr::ONE), &x.lc)?;
        Ok(Wire { lc: copy, sign: x.sign })
    }

    /// `ReLU`: `y = sign·x`, one product per neuron.
    pub(super) fn relu(&mut self, layer: u32, inputs: Vec<Wire>, bound: i128) -> Result<Vec<Wire>, CircuitError> {
        let mut out = Vec::with_capacity(inputs.len());
        for (j, x) in inputs.iter().enumerate() {
            let j = j as u32;
            let sign = self.sign_of(layer, j, x, bound)?;
            let y = Lc::column(self.alloc(layer, j, Column::Relu)?);
            self.constrain(Label { layer, neuron: j, role: Constraint::Relu }, &Lc::column(sign), &x.lc, &y)?;
            out.push(Wire { lc: y, sign: None });
        }
        Ok(out)
    }

    /// `LeakyReLU`: `q = requant(alpha·x)` always, then `y - q = sign·(x - q)`.
    pub(super) fn leaky_relu(
        &mut self,
        layer: u32,
        inputs: Vec<Wire>,
        bound: i128,
        alpha: i64,
    ) -> Result<Vec<Wire>, CircuitError> {
        // |alpha·x| ≤ |alpha|·bound < 2^63·2^60: no overflow.
        let scaled_bound = alpha.unsigned_abs() as i128 * bound;
        let n = signed_bits(requant_bound(scaled_bound, self.s));
        let alpha = fr_from_i64(alpha);
        let mut out = Vec::with_capacity(inputs.len());
        for (j, x) in inputs.iter().enumerate() {
            let j = j as u32;
            let sign = self.sign_of(layer, j, x, bound)?;
            let scaled = x.lc.scaled_plus(alpha, self.half);
            let q = self.requantize(layer, j, Decomposition::LeakyRequantize, scaled, n)?.lc;
            let y = Lc::column(self.alloc(layer, j, Column::LeakyRelu)?);
            let label = Label { layer, neuron: j, role: Constraint::LeakyRelu };
            self.constrain(label, &Lc::column(sign), &x.lc.minus(&q), &y.minus(&q))?;
            out.push(Wire { lc: y, sign: None });
        }
        Ok(out)
    }

    /// `Clip`: `u = max - sign₁·(max - x)`, then `y = min + sign₂·(u - min)`. A side
    /// whose bound can never bind given `|x| ≤ bound` costs nothing.
    pub(super) fn clip(
        &mut self,
        layer: u32,
        inputs: Vec<Wire>,
        bound: i128,
        min: i64,
        max: i64,
    ) -> Result<Vec<Wire>, CircuitError> {
        let (min_i, max_i) = (min as i128, max as i128);
        let upper = max_i < bound;
        // After the upper clamp, u ≥ min(-bound, max) ≥ min when min ≤ -bound (min ≤ max).
        let lower = min_i > -bound;
        let u_bound = if upper { bound.max(max_i.abs()) } else { bound };
        let (min_f, max_f) = (fr_from_i64(min), fr_from_i64(max));
        let mut out = Vec::with_capacity(inputs.len());
        for (j, x) in inputs.into_iter().enumerate() {
            let j = j as u32;
            let mut u = x;
            if upper {
                let diff = u.lc.scaled_plus(-Fr::ONE, max_f);
                let width = signed_bits(max_i.abs() + bound);
                let sign =
                    self.decompose(layer, j, Decomposition::ClipUpper, diff.clone(), width)? + width as usize - 1;
                let excess = self.alloc(layer, j, Column::ClipExcess)?;
                let label = Label { layer, neuron: j, role: Constraint::ClipExcess };
                self.constrain(label, &Lc::column(sign), &diff, &Lc::column(excess))?;
                u = Wire { lc: Lc::column(excess).scaled_plus(-Fr::ONE, max_f), sign: None };
            }
            if lower {
                let diff = u.lc.scaled_plus(Fr::ONE, -min_f);
                let width = signed_bits(u_bound + min_i.abs());
                let sign =
                    self.decompose(layer, j, Decomposition::ClipLower, diff.clone(), width)? + width as usize - 1;
                let y = Lc::column(self.alloc(layer, j, Column::Clip)?);
                let label = Label { layer, neuron: j, role: Constraint::Clip };
                self.constrain(label, &Lc::column(sign), &diff, &y.scaled_plus(Fr::ONE, -min_f))?;
                u = Wire { lc: y, sign: None };
            }
            out.push(u);
        }
        Ok(out)
    }

    /// `q·1 = z[1 + public]`: a last-layer output equals its public logit.
    pub(super) fn logit(&mut self, layer: u32, neuron: u32, x: &Wire, public: usize) -> Result<(), CircuitError> {
        let label = Label { layer, neuron, role: Constraint::Logit };
        self.constrain(label, &x.lc, &Lc::constant(Fr::ONE), &Lc::column(1 + public))
    }
}

/// The builder's refusal: `count` (the count it reached) is above `limit`.
fn too_large(what: &'static str, count: usize, limit: usize) -> CircuitError {
    CircuitError::TooLarge { what, value: count as u64, limit: limit as u64 }
}

/// Bound on `|requant(v)|` for `|v| ≤ acc_bound`: the same formula as
/// [`crate::frontend::model::bounds::analyze`] uses for `Dense` outputs.
pub(super) fn requant_bound(acc_bound: i128, s: u32) -> i128 {
    (acc_bound + (1i128 << (s - 1))) / (1i128 << s) + 1
}
