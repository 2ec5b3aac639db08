//! Comparisons and logic: `Greater`, `Less`, `Equal`, `GreaterOrEqual`,
//! `LessOrEqual`, `And`, `Or`, `Xor`, `Not`, `Where`, `Min`, `Max`, `Abs`, and
//! `Gather` from a constant table.
//!
//! A boolean is the real `1` or `0`. The operands are affine maps of the
//! activation (or constants); a nonlinear step appends `Lanes` to the activation
//! with [`Walker::append_lanes`], which keeps every other value of the graph
//! readable, so the branches of a rule graph (`a ≤ b ∧ c ∈ S ∧ …`) stay one chain.
//!
//! - A comparison with a constant is one lane `x cmp c` (quantized exactly, see
//!   `quantize::lane`); of two computed values, one lane `a − b cmp 0`.
//! - `Not a = 1 − a` and `Where(c, x, y) = y + c·(x − y)` with constant `x`, `y`
//!   are affine (no constraint); `And`, `Or`, `Xor` compare `a + b` with `1.5`,
//!   `0.5` and `1`.
//! - `Max(a, b) = b + relu(a − b)`, `Min(a, b) = a − relu(a − b)`,
//!   `Abs(a) = relu(a) + relu(−a)`.
//! - `Gather(table, Cast(x, int))` along axis 0 is `table[trunc(x)]`, exactly as
//!   ONNX computes it for every `x` with `trunc(x)` in `[−T, T)`, as a sum of steps
//!   `[x ≥ k]` (`k = 1..T−1`) and `[x ≤ −k]` (`k = 1..T`) weighted by the
//!   differences of consecutive rows (a step between equal rows is left out: an
//!   allowlist costs one step per edge of its runs); beyond that range ONNX
//!   refuses the index and the integer model takes the last row on that side.
//!   A `Gather` of constants is folded at import.

use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

use crate::onnx::chain::{Affine, Cmp, FloatLane};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{numel, NodeCtx, Value, Walker};

/// Largest table of a `Gather` (rows).
pub(super) const MAX_GATHER_ROWS: usize = 4096;

/// An operand: an affine map of the activation, or a constant.
enum Operand {
    Map(Affine, Vec<usize>),
    Const(ArrayD<f64>),
}

fn operand(w: &Walker, ctx: &NodeCtx, i: usize) -> Result<Operand, ImportError> {
    match w.value(ctx, i)? {
        Value::Const(_) => Ok(Operand::Const(w.constant(ctx, i, "operand")?)),
        Value::Act { .. } => {
            let (map, shape) = w.act_map(ctx, i)?;
            Ok(Operand::Map(map, shape))
        }
    }
}

/// `Σ k_i·A_i + bias` of maps with the same input and output widths.
fn combine(terms: &[(f64, &Affine)], bias: Vec<f64>) -> Affine {
    let (n, m) = (terms[0].1.in_dim, bias.len());
    let mut weights = vec![0.0; n * m];
    let mut b = bias;
    for (k, a) in terms {
        for (o, v) in weights.iter_mut().zip(a.dense_weights()) {
            *o += k * v;
        }
        for (o, v) in b.iter_mut().zip(&a.bias) {
            *o += k * v;
        }
    }
    Affine::full(n, m, weights, b)
}

/// The map `a` repeated to `len` outputs (from one output), or `a` itself.
fn broadcast(ctx: &NodeCtx, a: &Affine, len: usize) -> Result<Affine, ImportError> {
    if a.out_dim == len {
        return Ok(a.clone());
    }
    if a.out_dim != 1 {
        return Err(ctx.err(format!("operands of {} and {len} values do not broadcast", a.out_dim)));
    }
    let row = a.dense_weights();
    let weights = (0..len).flat_map(|_| row.iter().copied()).collect();
    Ok(Affine::full(a.in_dim, len, weights, vec![a.bias[0]; len]))
}

/// A constant broadcast to `shape` (without enlarging it), flattened.
fn const_to(ctx: &NodeCtx, c: &ArrayD<f64>, shape: &[usize]) -> Result<Vec<f64>, ImportError> {
    let b = c.broadcast(IxDyn(shape)).ok_or_else(|| {
        ctx.err(format!("constant of shape {:?} does not broadcast to the value's shape {shape:?}", c.shape()))
    })?;
    Ok(b.iter().copied().collect())
}

/// Two operands, at least one computed, as maps of the same output width with the
/// output shape; a constant becomes a map with zero weights.
fn pair(w: &Walker, ctx: &NodeCtx) -> Result<Option<(Affine, Affine, Vec<usize>)>, ImportError> {
    let (a, b) = (operand(w, ctx, 0)?, operand(w, ctx, 1)?);
    let (a, b, shape) = match (a, b) {
        (Operand::Const(_), Operand::Const(_)) => return Ok(None),
        (Operand::Map(a, sa), Operand::Map(b, sb)) => {
            let shape = if a.out_dim >= b.out_dim { sa } else { sb };
            let len = a.out_dim.max(b.out_dim);
            (broadcast(ctx, &a, len)?, broadcast(ctx, &b, len)?, shape)
        }
        (Operand::Map(a, shape), Operand::Const(c)) => {
            let c = const_to(ctx, &c, &shape)?;
            let zero = Affine::full(a.in_dim, c.len(), vec![0.0; a.in_dim * c.len()], c);
            (a, zero, shape)
        }
        (Operand::Const(c), Operand::Map(b, shape)) => {
            let c = const_to(ctx, &c, &shape)?;
            let zero = Affine::full(b.in_dim, c.len(), vec![0.0; b.in_dim * c.len()], c);
            (zero, b, shape)
        }
    };
    Ok(Some((a, b, shape)))
}

/// Two constants combined element-wise (numpy broadcasting) at import.
fn fold(w: &mut Walker, ctx: &NodeCtx, f: impl Fn(f64, f64) -> f64) -> Result<(), ImportError> {
    let (a, b) = (w.constant(ctx, 0, "operand")?, w.constant(ctx, 1, "operand")?);
    let shape = if a.len() >= b.len() { a.shape().to_vec() } else { b.shape().to_vec() };
    let (Some(x), Some(y)) = (a.broadcast(IxDyn(&shape)), b.broadcast(IxDyn(&shape))) else {
        return Err(ctx.err("constants do not broadcast"));
    };
    let out = ArrayD::from_shape_vec(IxDyn(&shape), x.iter().zip(y.iter()).map(|(p, q)| f(*p, *q)).collect())
        .map_err(|e| ctx.err(e.to_string()))?;
    w.set(ctx, Value::Const(out));
    Ok(())
}

fn truth(t: bool) -> f64 {
    if t {
        1.0
    } else {
        0.0
    }
}

/// Appends one comparison lane per output of `map` and records the booleans.
fn lanes_out(
    w: &mut Walker,
    ctx: &NodeCtx,
    map: &Affine,
    lanes: Vec<FloatLane>,
    shape: Vec<usize>,
) -> Result<(), ImportError> {
    let sel = w.append_lanes(ctx, map, lanes)?;
    w.set_map(ctx, sel, shape);
    Ok(())
}

/// `Greater`, `Less`, `Equal`, `GreaterOrEqual`, `LessOrEqual`.
pub(super) fn compare(w: &mut Walker, ctx: &NodeCtx, cmp: Cmp) -> Result<(), ImportError> {
    let real = move |a: f64, b: f64| truth(cmp.holds(a, b));
    let flipped = match cmp {
        Cmp::Gt => Cmp::Lt,
        Cmp::Ge => Cmp::Le,
        Cmp::Lt => Cmp::Gt,
        Cmp::Le => Cmp::Ge,
        c => c,
    };
    match (operand(w, ctx, 0)?, operand(w, ctx, 1)?) {
        (Operand::Const(_), Operand::Const(_)) => fold(w, ctx, real),
        // The constant stays in the lane, where it is quantized exactly (not in a bias).
        (Operand::Map(a, shape), Operand::Const(c)) => {
            let lanes = const_to(ctx, &c, &shape)?.into_iter().map(|c| FloatLane::Cmp(cmp, c)).collect();
            lanes_out(w, ctx, &a, lanes, shape)
        }
        (Operand::Const(c), Operand::Map(b, shape)) => {
            let lanes = const_to(ctx, &c, &shape)?.into_iter().map(|c| FloatLane::Cmp(flipped, c)).collect();
            lanes_out(w, ctx, &b, lanes, shape)
        }
        _ => {
            let (a, b, shape) = pair(w, ctx)?.ok_or_else(|| ctx.err("no operand"))?;
            let diff = combine(&[(1.0, &a), (-1.0, &b)], vec![0.0; a.out_dim]);
            lanes_out(w, ctx, &diff, vec![FloatLane::Cmp(cmp, 0.0); a.out_dim], shape)
        }
    }
}

/// `Cast(x, BOOL)` of a computed value: `x ≠ 0`.
pub(super) fn nonzero(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let (a, shape) = w.act_map(ctx, 0)?;
    let lanes = vec![FloatLane::Cmp(Cmp::Ne, 0.0); a.out_dim];
    lanes_out(w, ctx, &a, lanes, shape)
}

/// The binary logic ops on booleans.
#[derive(Clone, Copy)]
pub(super) enum Logic {
    /// Both.
    And,
    /// Either.
    Or,
    /// Exactly one.
    Xor,
}

/// `And`, `Or`, `Xor` of booleans: a comparison of their sum.
pub(super) fn logic(w: &mut Walker, ctx: &NodeCtx, op: Logic) -> Result<(), ImportError> {
    let Some((a, b, shape)) = pair(w, ctx)? else {
        return fold(w, ctx, move |a, b| {
            let (a, b) = (a != 0.0, b != 0.0);
            truth(match op {
                Logic::And => a && b,
                Logic::Or => a || b,
                Logic::Xor => a != b,
            })
        });
    };
    let sum = combine(&[(1.0, &a), (1.0, &b)], vec![0.0; a.out_dim]);
    let lane = match op {
        Logic::And => FloatLane::Cmp(Cmp::Ge, 1.5),
        Logic::Or => FloatLane::Cmp(Cmp::Ge, 0.5),
        Logic::Xor => FloatLane::Cmp(Cmp::Eq, 1.0),
    };
    lanes_out(w, ctx, &sum, vec![lane; a.out_dim], shape)
}

/// `Not a = 1 − a` (affine).
pub(super) fn not(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    match operand(w, ctx, 0)? {
        Operand::Const(c) => {
            w.set(ctx, Value::Const(c.mapv(|v| truth(v == 0.0))));
            Ok(())
        }
        Operand::Map(a, shape) => {
            let map = combine(&[(-1.0, &a)], vec![1.0; a.out_dim]);
            w.set_map(ctx, map, shape);
            Ok(())
        }
    }
}

/// `Where(cond, x, y)` with constant `x` and `y`: `y + cond·(x − y)` (affine).
pub(super) fn select(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let cond = operand(w, ctx, 0)?;
    let (x, y) = match (operand(w, ctx, 1)?, operand(w, ctx, 2)?) {
        (Operand::Const(x), Operand::Const(y)) => (x, y),
        _ => {
            return Err(ctx.err(
                "a branch computed from the input is not supported (a product of two computed values); \
                 Where with constant branches is, and Max/Min select between computed values",
            ))
        }
    };
    let Operand::Map(c, shape) = cond else {
        let c = w.constant(ctx, 0, "condition")?;
        let shape = c.shape().to_vec();
        let (xs, ys) = (const_to(ctx, &x, &shape)?, const_to(ctx, &y, &shape)?);
        let out = c.iter().zip(xs.iter().zip(ys)).map(|(c, (x, y))| if *c != 0.0 { *x } else { y }).collect();
        let out = ArrayD::from_shape_vec(IxDyn(&shape), out).map_err(|e| ctx.err(e.to_string()))?;
        w.set(ctx, Value::Const(out));
        return Ok(());
    };
    let (xs, ys) = (const_to(ctx, &x, &shape)?, const_to(ctx, &y, &shape)?);
    let scale: Vec<f64> = xs.iter().zip(&ys).map(|(x, y)| x - y).collect();
    let map = c.then(&Affine::diagonal(scale, ys));
    w.set_map(ctx, map, shape);
    Ok(())
}

/// `Max` and `Min` of two values (or the identity of one).
pub(super) fn extremum(w: &mut Walker, ctx: &NodeCtx, max: bool) -> Result<(), ImportError> {
    let n = ctx.node.input.iter().filter(|i| !i.is_empty()).count();
    if n == 1 {
        let v = w.value(ctx, 0)?.clone();
        w.set(ctx, v);
        return Ok(());
    }
    if n != 2 {
        return Err(ctx.err(format!("{n} operands; Max and Min of one or two are supported (nest two-operand ones)")));
    }
    let Some((a, b, shape)) = pair(w, ctx)? else {
        return fold(w, ctx, move |a, b| if max { a.max(b) } else { a.min(b) });
    };
    // Max = b + relu(a − b), Min = a − relu(a − b): lanes [relu(a − b); b] or [relu(a − b); a].
    let len = a.out_dim;
    let diff = combine(&[(1.0, &a), (-1.0, &b)], vec![0.0; len]);
    let kept = if max { &b } else { &a };
    let both = diff.stacked(kept);
    let mut lanes = vec![FloatLane::Relu; len];
    lanes.extend(vec![FloatLane::Pass; len]);
    let r = w.append_lanes(ctx, &both, lanes)?;
    let sign = if max { 1.0 } else { -1.0 };
    let map = sum_halves(&r, len, sign);
    w.set_map(ctx, map, shape);
    Ok(())
}

/// From a selection `r` of `2·len` values, the map `k·r_i + r_{len+i}`.
fn sum_halves(r: &Affine, len: usize, k: f64) -> Affine {
    let (n, sel) = (r.in_dim, r.dense_weights());
    let weights =
        (0..len).flat_map(|i| (0..n).map(move |j| (i, j))).map(|(i, j)| k * sel[i * n + j] + sel[(i + len) * n + j]);
    Affine::full(n, len, weights.collect(), vec![0.0; len])
}

/// `Abs a = relu(a) + relu(−a)`.
pub(super) fn abs(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let (a, shape) = match operand(w, ctx, 0)? {
        Operand::Const(c) => {
            w.set(ctx, Value::Const(c.mapv(f64::abs)));
            return Ok(());
        }
        Operand::Map(a, shape) => (a, shape),
    };
    let m = a.out_dim;
    let negated = combine(&[(-1.0, &a)], vec![0.0; m]);
    let r = w.append_lanes(ctx, &a.stacked(&negated), vec![FloatLane::Relu; 2 * m])?;
    w.set_map(ctx, sum_halves(&r, m, 1.0), shape);
    Ok(())
}

/// `Gather(table, indices)`: of two constants, folded at import (any axis);
/// along axis 0 of a constant table with computed indices, a sum of steps.
pub(super) fn gather(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    if let (Value::Const(_), Value::Const(_)) = (w.value(ctx, 0)?, w.value(ctx, 1)?) {
        return gather_constants(w, ctx);
    }
    let table = w.constant(ctx, 0, "table")?;
    if ctx.attr_i("axis", 0) != 0 {
        return Err(ctx.err("only axis 0 is supported (a lookup of table rows)"));
    }
    let t = table.shape().first().copied().unwrap_or(0);
    if table.ndim() == 0 || t == 0 || t > MAX_GATHER_ROWS {
        return Err(ctx.err(format!("the table has {t} rows; 1..={MAX_GATHER_ROWS} are supported")));
    }
    let row_len = table.len() / t;
    let flat: Vec<f64> = table.iter().copied().collect();
    let rows: Vec<&[f64]> = flat.chunks(row_len).collect();
    let row_of = |j: i64| rows[j.rem_euclid(t as i64) as usize];
    // The steps [x ≥ j] (j = 1..t−1) and [x ≤ −j] (j = 1..t), each weighted by the
    // difference of the rows it moves between; a step between equal rows is left out.
    let diff = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p - q).collect::<Vec<f64>>();
    let up = (1..t as i64).map(|j| (FloatLane::Cmp(Cmp::Ge, j as f64), diff(row_of(j), row_of(j - 1))));
    let down = (1..=t as i64).map(|j| (FloatLane::Cmp(Cmp::Le, -j as f64), diff(row_of(-j), row_of(1 - j))));
    let steps: Vec<(FloatLane, Vec<f64>)> = up.chain(down).filter(|(_, d)| d.iter().any(|v| *v != 0.0)).collect();
    let (idx, ishape) = w.act_map(ctx, 1)?;
    let k = idx.out_dim;
    let mut shape = ishape;
    shape.extend_from_slice(&table.shape()[1..]);
    if steps.is_empty() {
        // Every row is the same: the result does not depend on the index.
        let out = rows[0].iter().copied().cycle().take(k * row_len).collect();
        let out = ArrayD::from_shape_vec(IxDyn(&shape), out).map_err(|e| ctx.err(e.to_string()))?;
        w.set(ctx, Value::Const(out));
        return Ok(());
    }
    let per = steps.len();
    let n = idx.in_dim;
    if numel(&[k, per, n]).is_none() || numel(&[k, row_len, n + k * per]).is_none() {
        return Err(ImportError::TooLarge { what: format!("the lookup `{}`", ctx.name), count: (k * per) as u128 });
    }
    // Each index value repeated once per step, then the steps' lanes.
    let repeated = {
        let wts = idx.dense_weights();
        let weights = (0..k).flat_map(|i| (0..per).flat_map(move |_| i * n..(i + 1) * n)).map(|p| wts[p]).collect();
        let bias = (0..k).flat_map(|i| std::iter::repeat_n(idx.bias[i], per)).collect();
        Affine::full(n, k * per, weights, bias)
    };
    let lanes = (0..k).flat_map(|_| steps.iter().map(|(lane, _)| *lane)).collect();
    let sel = w.append_lanes(ctx, &repeated, lanes)?;
    // Output (i, d) = row_0[d] + Σ_steps difference[d]·step(x_i).
    let wide = sel.in_dim;
    let first = wide - k * per;
    let mut weights = vec![0.0; k * row_len * wide];
    for i in 0..k {
        for d in 0..row_len {
            let out = (i * row_len + d) * wide + first + i * per;
            for (p, (_, delta)) in steps.iter().enumerate() {
                weights[out + p] = delta[d];
            }
        }
    }
    let bias = (0..k).flat_map(|_| rows[0].iter().copied()).collect();
    w.set_map(ctx, Affine::full(wide, k * row_len, weights, bias), shape);
    Ok(())
}

/// `Gather` of a constant table with constant indices (ONNX semantics: negative
/// indices count from the end, an index outside `[−len, len)` is refused).
fn gather_constants(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let (table, indices) = (w.constant(ctx, 0, "table")?, w.constant(ctx, 1, "indices")?);
    if table.ndim() == 0 {
        return Err(ctx.err("the table is a scalar; Gather needs rank ≥ 1"));
    }
    let axis = ctx.axis(ctx.attr_i("axis", 0), table.ndim())?;
    let len = table.shape()[axis] as i64;
    let picked = indices
        .iter()
        .map(|i| {
            let j = *i as i64;
            if (-len..len).contains(&j) && j as f64 == *i {
                Ok(j.rem_euclid(len) as usize)
            } else {
                Err(ctx.err(format!("index {i} is outside [{}, {len}) of axis {axis}", -len)))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut shape = table.shape()[..axis].to_vec();
    shape.extend_from_slice(indices.shape());
    shape.extend_from_slice(&table.shape()[axis + 1..]);
    if numel(&shape).is_none() {
        let count = shape.iter().map(|d| *d as u128).product();
        return Err(ImportError::TooLarge { what: format!("the result of `{}`", ctx.name), count });
    }
    let selected = table.select(tract_onnx::prelude::tract_ndarray::Axis(axis), &picked);
    // The selection's row-major order is the result's (its axis `axis` unfolded to the indices' shape).
    let out = ArrayD::from_shape_vec(IxDyn(&shape), selected.iter().copied().collect())
        .map_err(|e| ctx.err(e.to_string()))?;
    w.set(ctx, Value::Const(out));
    Ok(())
}
