//! The sumcheck prover (feature `prover`): masked rounds for Spartan's two sums.

use super::{labels, SumcheckProof};
use crate::snark::error::SumcheckKind;
use crate::snark::parallel::{join_if, on_halves};
use crate::snark::poly::mask::{MaskPolynomial, MaskRounds};
use crate::snark::poly::wide::ProductSum;
use crate::snark::poly::{eq_table, HALF};
use crate::snark::transcript::FiatShamir;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, MontFp, Zero};
use core::ops::Range;

/// `ρ·p`, the masking summand of a sumcheck (see the module docs).
pub struct Masking<'a> {
    /// The committed mask `p`.
    pub mask: &'a MaskPolynomial,
    /// The challenge `ρ`, drawn after `Σ_x p(x)` was absorbed.
    pub rho: Fr,
}

/// Adds `ρ·p_k(t)` to each value of a round message (`t = 0, 2, …, d`), passes it to
/// `hook` (the identity for the honest prover), absorbs it, draws `r_k` and binds the
/// mask's round variable to it.
fn masked_round(
    kind: SumcheckKind,
    mut msg: Vec<Fr>,
    mask_rounds: &mut MaskRounds<'_>,
    rho: Fr,
    transcript: &mut impl FiatShamir,
    hook: impl FnOnce(&mut Vec<Fr>),
) -> (Vec<Fr>, Fr) {
    let (round_label, challenge_label) = labels(kind);
    for (value, t) in msg.iter_mut().zip(core::iter::once(0u64).chain(2..)) {
        *value += rho * mask_rounds.value(Fr::from(t));
    }
    hook(&mut msg);
    transcript.append_scalars(round_label, &msg);
    let r = transcript.challenge_scalar(challenge_label);
    mask_rounds.bind(r);
    (msg, r)
}

/// Prover for sumcheck #1: `Σ_x eq(τ, x)·(a(x)·b(x) − c(x)) + ρ·p(x)`, degree 3.
/// Consumes the three tables (equal lengths `2^τ.len()`) and returns the proof, the
/// challenge point `r_x` and the final values `(ã(r_x), b̃(r_x), c̃(r_x))`.
/// `rows_hold`: the caller checked `a·b = c` on every row, so round 0's sums at 0 and
/// 1 vanish and are not computed (the messages are the same either way).
pub fn prove_outer(
    tau: &[Fr],
    a: Vec<Fr>,
    b: Vec<Fr>,
    c: Vec<Fr>,
    rows_hold: bool,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
) -> (SumcheckProof, Vec<Fr>, [Fr; 3]) {
    prove_outer_with_hook(tau, a, b, c, rows_hold, masking, transcript, |_, _| {})
}

/// [`prove_outer`], passing each round message `(round, message)` to `hook` just
/// before it is absorbed: a cheating prover's deviation, consistent with the
/// transcript (`spartan::adversary_tests`).
///
/// The `eq` factor of the round's variable is taken out of the sum (Gruen's trick):
/// with `P_k = Π_{j<k} eq(τ_j, r_j)` and `e_k = eq(τ_{k+1..}, ·)`, the round polynomial
/// is `g_k(t) = P_k·eq(τ_k, t)·q_k(t)` with `q_k(t) = Σ_i e_k[i]·(A_t·B_t − C_t)[i]` of
/// degree 2. The prover sums `q_k(0)` and `q_k(2)` over the table and takes `q_k(1)`
/// from the previous round, `q_{k−1}(r_{k−1}) = (1 − τ_k)·q_k(0) + τ_k·q_k(1)` (the
/// round's claim `g_k(0) + g_k(1) = g_{k−1}(r_{k−1})` divided by `P_k`), with all the
/// `1/τ_k` from one inversion; the values sent are those of the direct sum, exactly.
/// `e_k` is kept as two tables of about `√|e_k|` entries (`SplitEq`), so no round
/// builds an `eq` table of its size.
#[allow(clippy::too_many_arguments)]
pub(crate) fn prove_outer_with_hook(
    tau: &[Fr],
    mut a: Vec<Fr>,
    mut b: Vec<Fr>,
    mut c: Vec<Fr>,
    rows_hold: bool,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
    mut hook: impl FnMut(usize, &mut Vec<Fr>),
) -> (SumcheckProof, Vec<Fr>, [Fr; 3]) {
    let num_rounds = tau.len();
    debug_assert!(a.len() == 1 << num_rounds && b.len() == a.len() && c.len() == a.len());
    let mut mask_rounds = masking.mask.rounds();
    let mut rounds = Vec::with_capacity(num_rounds);
    let mut point = Vec::with_capacity(num_rounds);
    // 1/τ_k, one inversion for all (a τ_k = 0 stays 0 and its q(1) is summed).
    let mut tau_inverses = tau.to_vec();
    ark_ff::batch_inversion(&mut tau_inverses);
    // e_0 = eq(τ_1.., ·); e_{k+1} is e_k with its first variable summed out (Σ_t eq(τ, t) = 1).
    let mut e = SplitEq::new(tau.get(1..).unwrap_or_default());
    // P_k, and q_{k−1}(r_{k−1}) = (1 − τ_k)·q_k(0) + τ_k·q_k(1) (round k ≥ 1).
    let (mut prefix, mut previous) = (Fr::ONE, None);
    for (k, (tau_k, tau_inverse)) in tau.iter().zip(&tau_inverses).enumerate() {
        if k > 0 {
            e.sum_out_first_var();
        }
        let vanish = k == 0 && rows_hold;
        let from_previous = previous.filter(|_| !tau_k.is_zero());
        // Round 0 sees Az, Bz, Cz themselves, mostly small (bits, ±1): their products
        // skip the multiplications by 0, ±1 and 2.
        let with_q1 = from_previous.is_none();
        let pairs = Pairs::of(&[&a, &b, &c]);
        let [q0, mut q1, q2] = if k == 0 {
            outer_sums([&a, &b, &c], &e, pairs, vanish, with_q1, &small_factor_mul)
        } else {
            outer_sums([&a, &b, &c], &e, pairs, vanish, with_q1, &|x, y| x * y)
        };
        let one_minus_tau = Fr::ONE - tau_k;
        if let Some(previous) = from_previous {
            q1 = (previous - one_minus_tau * q0) * tau_inverse;
        }
        // q(3) = q(0) − 3·q(1) + 3·q(2) for a quadratic; eq(τ_k, t) = (1 − τ_k)(1 − t) + τ_k·t.
        let q3 = q0 + (q2 - q1) * THREE;
        let slope = tau_k.double() - Fr::ONE;
        let eq_at = |t: Fr| one_minus_tau + t * slope;
        let eq_2 = one_minus_tau + slope.double();
        let eq_3 = eq_2 + slope;
        let (msg, r) = masked_round(
            SumcheckKind::Outer,
            vec![prefix * one_minus_tau * q0, prefix * eq_2 * q2, prefix * eq_3 * q3],
            &mut mask_rounds,
            masking.rho,
            transcript,
            |msg| hook(rounds.len(), msg),
        );
        // q(r) by interpolation on 0, 1, 2; then P_{k+1} = P_k·eq(τ_k, r).
        let q_r = (q0 * (r - Fr::ONE) * (r - TWO) + q2 * r * (r - Fr::ONE)) * HALF - q1 * r * (r - TWO);
        prefix *= eq_at(r);
        previous = Some(q_r);
        for table in [&mut a, &mut b, &mut c] {
            if k == 0 {
                bind_first_var(table, r, pairs, &small_factor_mul);
            } else {
                bind_first_var(table, r, pairs, &|x, y| x * y);
            }
        }
        rounds.push(msg);
        point.push(r);
    }
    (SumcheckProof { rounds }, point, [a[0], b[0], c[0]])
}

/// `2` in `Fr`.
const TWO: Fr = MontFp!("2");
/// `3` in `Fr`.
const THREE: Fr = MontFp!("3");

/// `e_k = eq(τ_{k+1..}, ·)` of sumcheck #1 as two tables of about `√|e_k|` entries (the
/// first variables, the last ones), `e_k[i] = high[i / |low|]·low[i mod |low|]`: built
/// once for about `2·√|e_0|` multiplications, then one of them halved by additions each round.
struct SplitEq {
    high: Vec<Fr>,
    low: Vec<Fr>,
}

impl SplitEq {
    /// The tables of `eq(point, ·)`.
    fn new(point: &[Fr]) -> Self {
        let (high, low) = point.split_at(point.len() / 2);
        SplitEq { high: eq_table(high), low: eq_table(low) }
    }

    /// Sums out the first variable (`Σ_t eq(τ, t) = 1`): that of `high`, or of `low` once
    /// `high` has none.
    fn sum_out_first_var(&mut self) {
        if self.high.len() > 1 {
            sum_out_first_var(&mut self.high);
        } else {
            sum_out_first_var(&mut self.low);
        }
    }
}

/// `Σ_i e[i]·(mul(a_t, b_t) − c_t)[i]` at `t = 0, 1, 2` (see [`prove_outer_with_hook`])
/// over the halves of the tables `[a, b, c]`, as `Σ_h high[h]·Σ_l low[l]·(…)[h·|low| + l]`
/// over the pairs that are not zero ([`Pairs`]); `q(0)` and `q(1)` are left 0 when
/// `vanish` (round 0 of rows that hold), `q(1)` unless `with_q1`.
fn outer_sums(
    tables: [&[Fr]; 3],
    e: &SplitEq,
    pairs: Pairs,
    vanish: bool,
    with_q1: bool,
    mul: &(impl Fn(Fr, Fr) -> Fr + Sync),
) -> [Fr; 3] {
    let [a, b, c] = tables;
    let half = a.len() / 2;
    debug_assert_eq!(e.high.len() * e.low.len(), half);
    // The pairs in `range`, block by block of `e.low`.
    let sums = |range: Range<usize>| {
        let [mut q0, mut q1, mut q2] = [Fr::ZERO; 3];
        let mut start = range.start;
        while start < range.end {
            let block = start / e.low.len();
            let end = range.end.min((block + 1) * e.low.len());
            let lows = &e.low[start - block * e.low.len()..];
            // Σ_l low[l]·(…): products summed unreduced, reduced once per block.
            let [mut s0, mut s1, mut s2] = [ProductSum::ZERO; 3];
            let split = pairs.full.clamp(start, end);
            for (i, e_low) in (start..split).zip(lows) {
                let (a0, b0, c0, a1, b1, c1) = (a[i], b[i], c[i], a[i + half], b[i + half], c[i + half]);
                s2.add(e_low, &(mul(a1.double() - a0, b1.double() - b0) - (c1.double() - c0)));
                if !vanish {
                    s0.add(e_low, &(mul(a0, b0) - c0));
                    if with_q1 {
                        s1.add(e_low, &(mul(a1, b1) - c1));
                    }
                }
            }
            // The right entries are zero: the value at 2 is a₀·b₀ + c₀, at 1 zero, and
            // a₀·b₀ = c₀ on rows that hold.
            for (i, e_low) in (split..end).zip(&lows[split - start..]) {
                let (a0, b0, c0) = (a[i], b[i], c[i]);
                if vanish {
                    s2.add(e_low, &c0.double());
                } else {
                    let ab = mul(a0, b0);
                    s2.add(e_low, &(ab + c0));
                    s0.add(e_low, &(ab - c0));
                }
            }
            q2 += e.high[block] * s2.value();
            if !vanish {
                q0 += e.high[block] * s0.value();
                if with_q1 {
                    q1 += e.high[block] * s1.value();
                }
            }
            start = end;
        }
        [q0, q1, q2]
    };
    let ([p0, p1, p2], [r0, r1, r2]) = on_halves(pairs.left, SPLIT_AT, sums);
    [p0 + r0, p1 + r1, p2 + r2]
}

/// Which pairs `(i, i + half)` of a round's tables hold a nonzero entry: both entries
/// may be nonzero for `i < full`, only the left one for `full ≤ i < left`, and neither
/// from `left` on. Spartan's tables are zero beyond the constraints and the witness
/// (padding to powers of two), so the rounds skip those products.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pairs {
    full: usize,
    left: usize,
}

impl Pairs {
    /// The pairs of tables of one length (at least 2).
    fn of(tables: &[&[Fr]]) -> Self {
        let half = tables[0].len() / 2;
        // The length of the shortest prefix of each half outside which all tables are zero.
        let occupied = |range: Range<usize>| {
            let last = |t: &&[Fr]| t[range.clone()].iter().rposition(|x| !x.is_zero()).map_or(0, |i| i + 1);
            tables.iter().map(last).max().unwrap_or(0)
        };
        let full = occupied(half..2 * half);
        Pairs { full, left: occupied(0..half).max(full) }
    }
}

/// Below this many pairs a round runs on one thread.
const SPLIT_AT: usize = 1 << 12;

/// Binds the first variable of a table to `r` over the pairs that are not zero,
/// halving it: `t[i] ← t[i] + mul(r, t[i + half] − t[i])`.
fn bind_first_var(evals: &mut Vec<Fr>, r: Fr, pairs: Pairs, mul: &(impl Fn(Fr, Fr) -> Fr + Sync)) {
    let half = evals.len() / 2;
    let (lo, hi) = evals.split_at_mut(half);
    let (lo, hi) = (&mut lo[..pairs.left], &hi[..pairs.full]);
    let bind = |lo: &mut [Fr], hi: &[Fr]| {
        let (full, left) = lo.split_at_mut(hi.len());
        for (l, h) in full.iter_mut().zip(hi) {
            *l += mul(r, *h - *l);
        }
        for l in left {
            *l -= mul(r, *l);
        }
    };
    let (large, middle) = (lo.len() >= SPLIT_AT, lo.len() / 2);
    let (lo_first, lo_second) = lo.split_at_mut(middle);
    let (hi_first, hi_second) = hi.split_at(middle.min(hi.len()));
    join_if(large, || bind(lo_first, hi_first), || bind(lo_second, hi_second));
    evals.truncate(half);
}

/// Sums out the first variable of a table: `t[i] ← t[i] + t[i + half]`, halving it.
fn sum_out_first_var(table: &mut Vec<Fr>) {
    let half = table.len() / 2;
    let (lo, hi) = table.split_at_mut(half);
    for (l, h) in lo.iter_mut().zip(hi.iter()) {
        *l += h;
    }
    table.truncate(half);
}

/// Prover for sumcheck #2: `Σ_y m(y)·z(y) + ρ·p(y)`, degree 2.
/// Returns the proof, the challenge point `r_y` and `(m̃(r_y), z̃(r_y))`.
pub fn prove_inner(
    m: Vec<Fr>,
    z: Vec<Fr>,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
) -> (SumcheckProof, Vec<Fr>, [Fr; 2]) {
    prove_inner_with_hook(m, z, masking, transcript, |_, _| {})
}

/// [`prove_inner`] with the round-message hook of [`prove_outer_with_hook`].
pub(crate) fn prove_inner_with_hook(
    mut m: Vec<Fr>,
    mut z: Vec<Fr>,
    masking: Masking<'_>,
    transcript: &mut impl FiatShamir,
    mut hook: impl FnMut(usize, &mut Vec<Fr>),
) -> (SumcheckProof, Vec<Fr>, [Fr; 2]) {
    let num_rounds = m.len().trailing_zeros() as usize;
    let mut mask_rounds = masking.mask.rounds();
    let mut rounds = Vec::with_capacity(num_rounds);
    let mut point = Vec::with_capacity(num_rounds);
    for round in 0..num_rounds {
        // Round 0 sees z' itself, mostly bits and zeros (range-check decompositions, the
        // padding): its products skip the multiplications by 0, ±1 and 2.
        let pairs = Pairs::of(&[&m, &z]);
        let (g0, g2) = if round == 0 {
            inner_sums::<SmallFactorSum>(&m, &z, pairs)
        } else {
            inner_sums::<ProductSum>(&m, &z, pairs)
        };
        let (msg, r) =
            masked_round(SumcheckKind::Inner, vec![g0, g2], &mut mask_rounds, masking.rho, transcript, |msg| {
                hook(rounds.len(), msg)
            });
        bind_first_var(&mut m, r, pairs, &|x, y| x * y);
        if round == 0 {
            bind_first_var(&mut z, r, pairs, &small_factor_mul);
        } else {
            bind_first_var(&mut z, r, pairs, &|x, y| x * y);
        }
        rounds.push(msg);
        point.push(r);
    }
    (SumcheckProof { rounds }, point, [m[0], z[0]])
}

/// `(g(0), g(2))` of a round of sumcheck #2: `Σ_i m₀·z₀` and `Σ_i (2m₁ − m₀)·(2z₁ − z₀)`
/// over the halves of the tables (the pairs that are not zero, [`Pairs`]), summed as
/// `S` sums them.
fn inner_sums<S: Products>(m: &[Fr], z: &[Fr], pairs: Pairs) -> (Fr, Fr) {
    let half = m.len() / 2;
    let sums = |range: Range<usize>| {
        let (mut g0, mut g2, mut left) = (S::default(), S::default(), S::default());
        let split = pairs.full.clamp(range.start, range.end);
        for i in range.start..split {
            let (m0, z0) = (m[i], z[i]);
            g0.add(&m0, &z0);
            g2.add(&(m[i + half].double() - m0), &(z[i + half].double() - z0));
        }
        // The right entries are zero: the value at 2 is m₀·z₀ too.
        for i in split..range.end {
            left.add(&m[i], &z[i]);
        }
        let left = left.value();
        (g0.value() + left, g2.value() + left)
    };
    let ((g0, g2), (h0, h2)) = on_halves(pairs.left, SPLIT_AT, sums);
    (g0 + h0, g2 + h2)
}

/// A sum of products `x·y`.
trait Products: Default {
    /// Adds `x·y`.
    fn add(&mut self, x: &Fr, y: &Fr);
    /// The sum.
    fn value(&self) -> Fr;
}

/// Products of full field elements, summed unreduced and reduced once.
impl Products for ProductSum {
    #[inline(always)]
    fn add(&mut self, x: &Fr, y: &Fr) {
        ProductSum::add(self, x, y);
    }

    fn value(&self) -> Fr {
        ProductSum::value(self)
    }
}

/// Products whose `y` is often 0, ±1 or 2 (round 0 of sumcheck #2, on `z'` itself),
/// each reduced, without a multiplication for those ([`small_factor_mul`]).
#[derive(Default)]
struct SmallFactorSum(Fr);

impl Products for SmallFactorSum {
    #[inline]
    fn add(&mut self, x: &Fr, y: &Fr) {
        self.0 += small_factor_mul(*x, *y);
    }

    fn value(&self) -> Fr {
        self.0
    }
}

/// `−1` in `Fr`.
pub(super) const MINUS_ONE: Fr =
    MontFp!("21888242871839275222246405745257275088548364400416034343698204186575808495616");

/// `x·y`, without a field multiplication when `y` is 0, ±1 or 2.
#[inline]
fn small_factor_mul(x: Fr, y: Fr) -> Fr {
    if y.is_zero() {
        Fr::ZERO
    } else if y == Fr::ONE {
        x
    } else if y == MINUS_ONE {
        -x
    } else if y == TWO {
        x.double()
    } else {
        x * y
    }
}
