//! The size of a model's circuit, computed from the model alone, before anything
//! is built.
//!
//! A key holds only the model and the visibility; the verifier compiles the
//! circuit from them. A parameter-free layer (a `ReLU`) costs one byte of key but
//! a decomposition per neuron in the circuit, so the key's length says little
//! about the circuit's size. [`circuit_size`] walks the model layer by layer in
//! `O(layers + parameters)` time and `O(layers)` memory, mirroring the builder
//! gadget by gadget, and [`CircuitSize::check_limits`] refuses a circuit the proof
//! system cannot take (or that would cost a verifier too much) before a single
//! row is allocated. The builder checks the same limits as it goes (defence in
//! depth), and a test compares the estimate with the compiled circuit.
//!
//! The counts of constraints, public values and witness values are exact. The
//! nonzero entries are an upper bound: the count of entries the builder pushes,
//! where a constant term is counted whenever it may be nonzero (the builder skips
//! the zero ones); merging never happens because no row names a column twice.

use super::builder::softmax::{exp_range, remainder_bits};
use super::builder::thresholds::{interval_bits, interval_ends};
use super::builder::trees::LeafSums;
use super::CircuitError;
use crate::frontend::model::bounds::{signed_bits, Interval, LayerBounds};
use crate::frontend::model::lanes::LaneOp;
use crate::frontend::model::piecewise::Piecewise;
use crate::frontend::model::trees::{Child, TreeEnsemble};
use crate::frontend::model::{Layer, Model};
use crate::frontend::visibility::InputVisibility;
use crate::snark::spartan::LIMITS;

/// Largest number of constraints of a circuit (Spartan's [`LIMITS`]).
pub const MAX_CONSTRAINTS: usize = LIMITS.constraints;
/// Largest number of witness values (Spartan's [`LIMITS`]).
pub const MAX_WITNESS: usize = LIMITS.witness;
/// Largest number of public values, public inputs and logits (Spartan's [`LIMITS`]).
pub const MAX_PUBLIC: usize = LIMITS.public;
/// Largest number of nonzero entries of `A`, `B` and `C` together (2^23). The
/// verifier holds every entry (48 bytes natively, 40 in wasm32) and sorts each
/// matrix; this limit keeps a key's cost below about 1 GiB (see
/// `docs/SECURITY.md` §5). It admits every model within the product's key limit
/// of weights (`policy::MAX_KEY_PARAMS`) whose rows and columns fit: each weight
/// is one entry of `A`.
pub const MAX_NONZEROS: usize = 1 << 23;

/// The size of the circuit of a model for a visibility.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CircuitSize {
    /// Constraints (rows), exact, without the blinding gadget.
    pub constraints: u64,
    /// Public values (public inputs, then logits), exact.
    pub public: u64,
    /// Witness values (columns after `(1, io)`), exact, without the blinding gadget.
    pub witness: u64,
    /// Nonzero entries of `A`, `B`, `C`: an upper bound (see the module docs).
    pub nonzeros: [u64; 3],
}

impl CircuitSize {
    /// Nonzero entries of the three matrices together (upper bound).
    pub fn total_nonzeros(&self) -> u64 {
        self.nonzeros.iter().fold(0u64, |a, n| a.saturating_add(*n))
    }

    /// Refuses a circuit above [`MAX_CONSTRAINTS`], [`MAX_WITNESS`], [`MAX_PUBLIC`]
    /// or [`MAX_NONZEROS`].
    pub fn check_limits(&self) -> Result<(), CircuitError> {
        let check = |what: &'static str, value: u64, limit: usize| {
            if value > limit as u64 {
                Err(CircuitError::TooLarge { what, value, limit: limit as u64 })
            } else {
                Ok(())
            }
        };
        check("constraints", self.constraints, MAX_CONSTRAINTS)?;
        check("witness values", self.witness, MAX_WITNESS)?;
        check("public values", self.public, MAX_PUBLIC)?;
        check("nonzero matrix entries", self.total_nonzeros(), MAX_NONZEROS)
    }

    fn add(&mut self, rows: u64, cols: u64, a: u64, b: u64, c: u64) {
        self.constraints = self.constraints.saturating_add(rows);
        self.witness = self.witness.saturating_add(cols);
        for (n, d) in self.nonzeros.iter_mut().zip([a, b, c]) {
            *n = n.saturating_add(d);
        }
    }

    /// `times` copies of `(rows, cols, a, b, c)`.
    fn add_times(&mut self, times: u64, rows: u64, cols: u64, a: u64, b: u64, c: u64) {
        let m = |v: u64| v.saturating_mul(times);
        self.add(m(rows), m(cols), m(a), m(b), m(c));
    }

    /// A decomposition of a value with `terms` terms into `width` bits: `width` bit
    /// columns, `width` booleanity rows (one entry in each matrix) and the sum row
    /// (the value and its constant in `A`, the constant 1 in `B`, the bits in `C`).
    fn decompose(&mut self, times: u64, terms: u64, width: u32) {
        let w = u64::from(width);
        self.add_times(times, w + 1, w, w + terms + 1, w + 1, 2 * w);
    }
}

/// The shape every wire of a layer shares: all wires of one layer are built by
/// the same gadget, so they have the same number of terms, the same kind of
/// constant and the same sign-bit availability.
#[derive(Clone, Copy, Debug)]
struct WireShape {
    /// Terms of the wire's linear combination.
    terms: u64,
    /// Whether its constant may be nonzero.
    constant: bool,
    /// Whether a sign bit is known (no sign decomposition needed).
    sign: bool,
}

/// The exact constraint, public and witness counts and an upper bound on the
/// nonzero entries of the circuit [`super::compile_with`] builds for `model` and
/// `visibility`, without building it. Validates the model and the visibility
/// first. Does not check the limits: see [`CircuitSize::check_limits`].
pub fn circuit_size(model: &Model, visibility: &InputVisibility) -> Result<CircuitSize, CircuitError> {
    let layer_bounds = model.validate_with_bounds()?;
    visibility.check_len(model.input_len).map_err(|e| CircuitError::Trace(e.to_string()))?;
    Ok(size_with_bounds(model, visibility, &layer_bounds))
}

/// [`circuit_size`] for a validated model, its bounds and a visibility of the right length.
pub(super) fn size_with_bounds(
    model: &Model,
    visibility: &InputVisibility,
    layer_bounds: &[LayerBounds],
) -> CircuitSize {
    let s = model.scale_bits;
    let num_public_inputs = visibility.num_public() as u64;
    let hidden = model.input_len as u64 - num_public_inputs;
    let mut size = CircuitSize { public: num_public_inputs + model.logits_len() as u64, ..Default::default() };
    // Hidden inputs: one column each and, unless the first layer bounds it, the check
    // of its domain: for two values `a`, `b`, the row `(x − a)·(x − b) = 0`; else the
    // range check `x/step − start = Σ bits`, whose value (the column, and the
    // constant unless `start = 0`) is in A; its top bit's weight is nonzero.
    size.add_times(hidden, 0, 1, 0, 0, 0);
    let checks = super::input_checks(model, layer_bounds);
    for lattice in visibility.hidden_indices().filter_map(|i| checks[i]) {
        let (lo, _) = lattice.ends();
        if lattice.span == 1 {
            let hi = lo + lattice.step;
            size.add(1, 0, 1 + u64::from(lo != 0), 1 + u64::from(hi != 0), 0);
        } else {
            let w = u64::from(super::domain_bits(lattice.span));
            size.add(w + 1, w, w + 1 + u64::from(lattice.start != 0), w + 1, 2 * w);
        }
    }
    // Every input wire, public or hidden, is one column with no constant and no sign.
    let mut wire = WireShape { terms: 1, constant: false, sign: false };
    let mut width = model.input_len as u64;
    for (layer, lb) in model.body().iter().zip(layer_bounds) {
        wire = match layer {
            Layer::Dense { weights, bias, .. } => {
                let out = bias.len() as u64;
                wire = copied(&mut size, width, wire);
                // Neuron j: the requantization of `b_j + 2^(s-1) + Σ_{w≠0} w·x`, whose
                // terms are the nonzero weights times the input terms.
                let n = signed_bits(lb.output);
                let nonzero_weights = weights.iter().filter(|w| **w != 0).count() as u64;
                size.decompose(out, 0, s + n);
                size.add(0, 0, nonzero_weights.saturating_mul(wire.terms), 0, 0);
                width = out;
                WireShape { terms: u64::from(n), constant: true, sign: true }
            }
            Layer::Relu => {
                sign_of(&mut size, width, wire, lb.input);
                // `sign · x = y`: the sign bit in A, the wire in B, y in C.
                size.add_times(width, 1, 1, 1, wire.terms + u64::from(wire.constant), 1);
                WireShape { terms: 1, constant: false, sign: false }
            }
            Layer::LeakyRelu { alpha } => {
                sign_of(&mut size, width, wire, lb.input);
                // q = requant(alpha·x + 2^(s-1)) into n bits; q has n terms and a constant.
                let scaled_bound = alpha.unsigned_abs() as i128 * lb.input;
                let n = signed_bits(super::builder::requant_bound(scaled_bound, s));
                size.decompose(width, wire.terms, s + n);
                // `sign · (x − q) = y − q`.
                let n = u64::from(n);
                size.add_times(width, 1, 1, 1, wire.terms + n + 1, n + 2);
                WireShape { terms: 1, constant: false, sign: false }
            }
            Layer::Clip { min, max } => clip(&mut size, width, wire, lb.input, *min, *max),
            Layer::Lanes { ops } => lanes(&mut size, ops, wire, lb.input),
            Layer::Piecewise(p) => piecewise(&mut size, width, wire, p, lb.input, s, signed_bits(lb.output)),
            Layer::PiecewiseSoftmax(p) => softmax(&mut size, width, wire, p, lb.input, s),
            Layer::Trees(ensemble) => {
                width = ensemble.outputs as u64;
                trees(&mut size, ensemble, wire, lb.input)
            }
            // Not provable: `compile_with` refuses these; they add nothing here.
            Layer::Sigmoid | Layer::Tanh | Layer::Softmax | Layer::ArgMax => wire,
        };
    }
    // Logits: `q · 1 = io_j`.
    size.add_times(width, 1, 0, wire.terms + u64::from(wire.constant), 1, 1);
    size
}

/// The sign decomposition of `width` wires bounded by `bound`, unless they have a sign bit.
fn sign_of(size: &mut CircuitSize, width: u64, wire: WireShape, bound: i128) {
    if !wire.sign {
        size.decompose(width, wire.terms, signed_bits(bound));
    }
}

/// The `Lanes` gadgets (see `builder/lanes.rs`): inputs with several terms are
/// copied first; then per lane nothing (pass), a ReLU product, a decomposition
/// of `x − c` (order comparisons) or the two is-zero rows (equalities).
fn lanes(size: &mut CircuitSize, ops: &[LaneOp], mut wire: WireShape, bound: i128) -> WireShape {
    wire = copied(size, ops.len() as u64, wire);
    let x = wire.terms + u64::from(wire.constant);
    for op in ops {
        match op {
            LaneOp::Pass => {}
            LaneOp::Relu => {
                sign_of(size, 1, wire, bound);
                size.add(1, 1, 1, x, 1);
            }
            LaneOp::AtLeast(c) | LaneOp::Below(c) => {
                size.decompose(1, wire.terms, signed_bits(bound + c.unsigned_abs() as i128));
            }
            // `(x − c)·inv = 1 − e` and `(x − c)·e = 0`; `x − c` has the wire's terms and a constant.
            LaneOp::Equal(_) | LaneOp::NotEqual(_) => size.add(2, 2, 2 * (wire.terms + 1), 2, 2),
        }
    }
    let negated = ops.iter().any(|op| matches!(op, LaneOp::Below(_) | LaneOp::NotEqual(_)));
    WireShape { terms: 1, constant: wire.constant || negated, sign: false }
}

/// The `Trees` gadget (see `builder/trees.rs`): per compared feature a copy of a
/// multi-term input, the comparison bits with their thermometer rows and the two
/// interval decompositions; per split below the root one path product; per output
/// one column and its sum row.
fn trees(size: &mut CircuitSize, ensemble: &TreeEnsemble, wire: WireShape, bound: i128) -> WireShape {
    for (_, ts) in &ensemble.thresholds_by_feature() {
        let x = copied(size, 1, wire);
        threshold_bits(size, 1, x, ts, Interval::symmetric(bound));
    }
    // Per split below the root one path product `I·b = p`, `I` the split's indicator:
    // a left child's is `p` of its parent (1 term), a right child's its parent's minus
    // `p` (one term more; `1 − b` below the root). Per output, the base and each
    // tree's leaf sum.
    let mut sums = vec![1u64; ensemble.outputs];
    for tree in &ensemble.trees {
        let mut entries = vec![1u64; tree.splits.len()];
        for (i, split) in tree.splits.iter().enumerate() {
            if i > 0 {
                size.add(1, 1, entries[i], 1, 1);
            }
            if let Child::Split(c) = split.left {
                entries[c as usize] = 1;
            }
            if let Child::Split(c) = split.right {
                entries[c as usize] = entries[i] + 1;
            }
        }
        let leaf_sums = LeafSums::of(tree);
        for (k, sum) in sums.iter_mut().enumerate() {
            // The trees' constants merge with the base into the row's one constant.
            *sum = sum.saturating_add(leaf_sums.coefficients(tree, ensemble.outputs, k).count() as u64);
        }
    }
    let n = ensemble.outputs as u64;
    size.add(n, n, sums.iter().fold(0u64, |a, s| a.saturating_add(*s)), n, n);
    WireShape { terms: 1, constant: false, sign: false }
}

/// A wire with several terms is first copied into one column (`times` wires):
/// `copy · 1 = x` (1 entry in A and B, the wire in C).
fn copied(size: &mut CircuitSize, times: u64, wire: WireShape) -> WireShape {
    if wire.terms <= 1 {
        return wire;
    }
    size.add_times(times, 1, 1, 1, 1, wire.terms + u64::from(wire.constant));
    WireShape { terms: 1, constant: false, ..wire }
}

/// `Builder::threshold_bits` of `times` values against the thresholds `ts` (at
/// least one): the bits, the booleanity of the first and (if another) the last, the
/// step rows `d·d = d` of the others (2 entries in each matrix), and the two interval
/// decompositions of `x − lo(b)`, `hi(b) − x`: the value's terms, a constant, and a
/// bit wherever the interval end changes from one interval to the next
/// (`Builder::by_interval`).
fn threshold_bits(size: &mut CircuitSize, times: u64, x: WireShape, ts: &[i64], range: Interval) {
    let k = ts.len() as u64;
    let ends = if k > 1 { 2 } else { 1 };
    size.add_times(times, ends, k, ends, ends, ends);
    size.add_times(times, k - 1, 0, 2 * (k - 1), 2 * (k - 1), 2 * (k - 1));
    let intervals = interval_ends(ts, range);
    let changes = |end: fn(&(i128, i128)) -> i128| intervals.windows(2).filter(|p| end(&p[0]) != end(&p[1])).count();
    let w = interval_bits(&intervals);
    size.decompose(times, x.terms + changes(|e| e.0) as u64, w);
    size.decompose(times, x.terms + changes(|e| e.1) as u64, w);
}

/// The `Piecewise` gadget (see `builder/piecewise.rs`): per element a copy of a
/// multi-term input, [`piecewise_acc`] and the requantization of `acc + 2^(s−1)`
/// into `s + n` bits.
fn piecewise(
    size: &mut CircuitSize,
    width: u64,
    wire: WireShape,
    p: &Piecewise,
    bound: i128,
    s: u32,
    n: u32,
) -> WireShape {
    let x = copied(size, width, wire);
    let acc = piecewise_acc(size, width, x, p, Interval::symmetric(bound));
    size.decompose(width, acc, s + n);
    WireShape { terms: u64::from(n), constant: true, sign: true }
}

/// Terms and constant of `Builder::by_interval` of `values`: one term wherever the
/// value changes from one interval to the next, and the constant (counted always).
fn by_interval(values: &[i64]) -> u64 {
    1 + values.windows(2).filter(|w| w[0] != w[1]).count() as u64
}

/// `Builder::piecewise_acc` of `times` values `x` within `range`: the threshold bits of
/// the breakpoints and the product `x·a(b) = m`. Returns the terms of the LC
/// `m + c(b)` it gives, without its constant.
fn piecewise_acc(size: &mut CircuitSize, times: u64, x: WireShape, p: &Piecewise, range: Interval) -> u64 {
    threshold_bits(size, times, x, &p.breakpoints, range);
    size.add_times(times, 1, 1, x.terms + u64::from(x.constant), by_interval(&p.slopes), 1);
    by_interval(&p.offsets)
}

/// The body softmax gadget (see `builder/softmax.rs`) on `n` inputs bounded by
/// `bound`: copies of multi-term inputs, the maximum's column, per element
/// [`piecewise_acc`] of `x_i − m` over `[−2·bound, 0]`, the product chain
/// `Π (x_i − m) = 0`, the sum's column and row, and per output `s + 1` bits, the
/// product `y·S = P` and the two remainder decompositions.
fn softmax(size: &mut CircuitSize, n: u64, wire: WireShape, p: &Piecewise, bound: i128, s: u32) -> WireShape {
    let x = copied(size, n, wire);
    size.add(0, 1, 0, 0, 0);
    let d = WireShape { terms: x.terms + 1, ..x };
    let acc = piecewise_acc(size, n, d, p, exp_range(bound));
    let dt = d.terms + u64::from(d.constant);
    if n == 1 {
        // `d_0·1 = 0`.
        size.add(1, 0, dt, 1, 0);
    } else {
        // `d_0·d_1 = c_1`, `c_{k−1}·d_k = c_k`, …, `c_{n−2}·d_{n−1} = 0`.
        size.add(n - 1, n - 2, dt + (n - 2), (n - 1) * dt, n - 2);
    }
    // `S·1 = Σ A_i`: the terms of each `A_i` and one constant.
    size.add(1, 1, 1, 1, n.saturating_mul(acc) + 1);
    let (y, k) = (u64::from(s + 1), remainder_bits(p, n as usize));
    size.add_times(n, y, y, y, y, y);
    size.add_times(n, 1, 1, y, 1, 1);
    // r and 2S − 1 − r: A's terms, S and P.
    size.decompose(n, acc + 2, k);
    size.decompose(n, acc + 2, k);
    WireShape { terms: y, constant: false, sign: false }
}

/// The `Clip` gadget (see `Builder::clip`): an upper side when `max` can bind, a
/// lower side when `min` can, each a decomposition and one product.
fn clip(size: &mut CircuitSize, width: u64, mut wire: WireShape, bound: i128, min: i64, max: i64) -> WireShape {
    let (min, max) = (min as i128, max as i128);
    let upper = max < bound;
    let lower = min > -bound;
    let u_bound = if upper { bound.max(max.abs()) } else { bound };
    if upper {
        // diff = max − x; `sign · diff = excess`; u = max − excess.
        size.decompose(width, wire.terms, signed_bits(max.abs() + bound));
        size.add_times(width, 1, 1, 1, wire.terms + 1, 1);
        wire = WireShape { terms: 1, constant: max != 0, sign: false };
    }
    if lower {
        // diff = u − min; `sign · diff = y − min`.
        size.decompose(width, wire.terms, signed_bits(u_bound + min.abs()));
        size.add_times(width, 1, 1, 1, wire.terms + 1, 1 + u64::from(min != 0));
        wire = WireShape { terms: 1, constant: false, sign: false };
    }
    wire
}
