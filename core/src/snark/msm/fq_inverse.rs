//! Inversion in the base field `Fq` by Bernstein–Yang divsteps ("safegcd", variable time),
//! 62 divsteps per pass over the full-width numbers: several times faster than arkworks'
//! binary extended Euclid, which the affine bucket additions ([`super::batch_affine`]) pay
//! once per level of affine additions (natively: the prover's fixed-base MSM and the
//! verifier's MSM). Variable time: the time depends on the value.
//!
//! With `δ = 1, f = p, g = a`, each divstep maps `(δ, f, g)` to `(1 − δ, g, (g − f)/2)`
//! if `δ > 0` and `g` is odd, to `(1 + δ, f, (g + f)/2)` if `g` is odd otherwise, and to
//! `(1 + δ, f, g/2)` if `g` is even. For `d`-bit inputs (`d ≥ 46`), `g` reaches 0 within
//! `⌊(49d + 57)/17⌋` divsteps, 735 for the 254-bit `p` (Bernstein and Yang, "Fast
//! constant-time gcd computation and modular inversion", 2019), leaving
//! `f = ±gcd(p, a) = ±1`. Alongside, `d` and `e` with `d·a ≡ f` and `e·a ≡ g (mod p)`
//! follow the same linear maps, so `a⁻¹ = ±d`.

use ark_bn254::Fq;
use ark_ff::{BigInt, PrimeField};

/// Bits per limb.
const LIMB_BITS: u32 = 62;
/// The low [`LIMB_BITS`] bits.
const MASK: u64 = (1 << LIMB_BITS) - 1;
/// Batches of 62 divsteps that bring `g` to 0 (`⌈735 / 62⌉`).
const MAX_BATCHES: usize = 12;

/// A signed integer `Σ l_i·2^(62i)`: limbs 0 to 3 in `[0, 2^62)`, limb 4 signed.
type Limbs = [i64; 5];

/// The transition matrix of 62 divsteps: `2^62·(f', g') = (u·f + v·g, q·f + r·g)`.
struct Transition {
    u: i64,
    v: i64,
    q: i64,
    r: i64,
}

/// `a⁻¹`, or `None` for 0.
pub(crate) fn inverse(a: &Fq) -> Option<Fq> {
    let modulus = limbs(Fq::MODULUS.0);
    let (mut f, mut g) = (modulus, limbs(a.into_bigint().0));
    let (mut d, mut e): (Limbs, Limbs) = ([0; 5], [1, 0, 0, 0, 0]);
    // η = −δ.
    let mut eta = -1;
    for _ in 0..MAX_BATCHES {
        if g == [0; 5] {
            break;
        }
        let t;
        (eta, t) = divsteps(eta, low_bits(&f), low_bits(&g));
        update_de(&mut d, &mut e, &t, &modulus);
        update_fg(&mut f, &mut g, &t);
    }
    let inverse = match (g == [0; 5], f) {
        (true, [1, 0, 0, 0, 0]) => d,
        (true, f) if f == negate(&[1, 0, 0, 0, 0]) => normalize(negate(&d), &modulus),
        _ => return None,
    };
    Fq::from_bigint(BigInt(words(&inverse)))
}

/// 62 divsteps on the low 64 bits of `f` and `g` (enough to decide them), from `η`:
/// the new `η` and the transition matrix. Runs of even `g` are taken at once.
fn divsteps(mut eta: i64, mut f: u64, mut g: u64) -> (i64, Transition) {
    // Scaled by 2^(divsteps done): f·2^s = u·f₀ + v·g₀, g·2^s = q·f₀ + r·g₀.
    let (mut u, mut v, mut q, mut r) = (1i64, 0i64, 0i64, 1i64);
    let mut left = LIMB_BITS;
    loop {
        // Halve g over its trailing zeros (at most the divsteps left): each is a divstep.
        let zeros = (g | (u64::MAX << left)).trailing_zeros();
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= i64::from(zeros);
        left -= zeros;
        if left == 0 {
            return (eta, Transition { u, v, q, r });
        }
        // g is odd: with δ > 0, (f, g) becomes (g, −f) first; then g += f (halved next).
        if eta < 0 {
            eta = -eta;
            (f, g) = (g, f.wrapping_neg());
            (u, q) = (q, -u);
            (v, r) = (r, -v);
        }
        g = g.wrapping_add(f);
        q += u;
        r += v;
    }
}

/// `(f, g) ← (u·f + v·g, q·f + r·g) / 2^62` (exact divisions, by the matrix's construction).
fn update_fg(f: &mut Limbs, g: &mut Limbs, t: &Transition) {
    let (u, v, q, r) = (i128::from(t.u), i128::from(t.v), i128::from(t.q), i128::from(t.r));
    let (mut cf, mut cg) = (u * i128::from(f[0]) + v * i128::from(g[0]), q * i128::from(f[0]) + r * i128::from(g[0]));
    debug_assert!(cf as u64 & MASK == 0 && cg as u64 & MASK == 0, "the low limbs cancel");
    (cf, cg) = (cf >> LIMB_BITS, cg >> LIMB_BITS);
    for i in 1..5 {
        cf += u * i128::from(f[i]) + v * i128::from(g[i]);
        cg += q * i128::from(f[i]) + r * i128::from(g[i]);
        (f[i - 1], g[i - 1]) = (low_limb(cf), low_limb(cg));
        (cf, cg) = (cf >> LIMB_BITS, cg >> LIMB_BITS);
    }
    (f[4], g[4]) = (cf as i64, cg as i64);
}

/// `(d, e) ← (u·d + v·e, q·d + r·e) / 2^62 mod p`, both kept in `[0, p)`: a multiple of
/// `p` below `2^62·p` makes each sum divisible by `2^62` (so the results lie in `(−p, 2p)`).
fn update_de(d: &mut Limbs, e: &mut Limbs, t: &Transition, modulus: &Limbs) {
    let (u, v, q, r) = (i128::from(t.u), i128::from(t.v), i128::from(t.q), i128::from(t.r));
    let (mut cd, mut ce) = (u * i128::from(d[0]) + v * i128::from(e[0]), q * i128::from(d[0]) + r * i128::from(e[0]));
    // Fq::INV is −p⁻¹ mod 2^64: md ≡ −cd·p⁻¹ (mod 2^62).
    let md = i128::from((cd as u64).wrapping_mul(Fq::INV) & MASK);
    let me = i128::from((ce as u64).wrapping_mul(Fq::INV) & MASK);
    cd += md * i128::from(modulus[0]);
    ce += me * i128::from(modulus[0]);
    debug_assert!(cd as u64 & MASK == 0 && ce as u64 & MASK == 0, "the low limbs cancel");
    (cd, ce) = (cd >> LIMB_BITS, ce >> LIMB_BITS);
    for i in 1..5 {
        cd += u * i128::from(d[i]) + v * i128::from(e[i]) + md * i128::from(modulus[i]);
        ce += q * i128::from(d[i]) + r * i128::from(e[i]) + me * i128::from(modulus[i]);
        (d[i - 1], e[i - 1]) = (low_limb(cd), low_limb(ce));
        (cd, ce) = (cd >> LIMB_BITS, ce >> LIMB_BITS);
    }
    (d[4], e[4]) = (cd as i64, ce as i64);
    *d = normalize(*d, modulus);
    *e = normalize(*e, modulus);
}

/// `x` in `(−p, 2p)` brought into `[0, p)`.
fn normalize(x: Limbs, modulus: &Limbs) -> Limbs {
    if x[4] < 0 {
        return add_multiple(&x, modulus, 1);
    }
    let reduced = add_multiple(&x, modulus, -1);
    if reduced[4] < 0 {
        x
    } else {
        reduced
    }
}

/// `x + k·m` for `k = ±1`.
fn add_multiple(x: &Limbs, m: &Limbs, k: i64) -> Limbs {
    let mut out = [0; 5];
    let mut carry = 0i128;
    for i in 0..5 {
        carry += i128::from(x[i]) + i128::from(k) * i128::from(m[i]);
        out[i] = if i < 4 { low_limb(carry) } else { carry as i64 };
        carry >>= LIMB_BITS;
    }
    out
}

/// `−x`.
fn negate(x: &Limbs) -> Limbs {
    add_multiple(&[0; 5], x, -1)
}

/// The low 62 bits of `c`, as a limb.
fn low_limb(c: i128) -> i64 {
    (c as u64 & MASK) as i64
}

/// The low 64 bits of `x` (two's complement).
fn low_bits(x: &Limbs) -> u64 {
    (x[0] as u64) | ((x[1] as u64) << LIMB_BITS)
}

/// The limbs of a 256-bit number (little-endian 64-bit words).
fn limbs(w: [u64; 4]) -> Limbs {
    [
        (w[0] & MASK) as i64,
        ((w[0] >> 62 | w[1] << 2) & MASK) as i64,
        ((w[1] >> 60 | w[2] << 4) & MASK) as i64,
        ((w[2] >> 58 | w[3] << 6) & MASK) as i64,
        (w[3] >> 56) as i64,
    ]
}

/// The 64-bit words of `x` in `[0, 2^256)`.
fn words(x: &Limbs) -> [u64; 4] {
    let l = x.map(|l| l as u64);
    [l[0] | l[1] << 62, l[1] >> 2 | l[2] << 60, l[2] >> 4 | l[3] << 58, l[3] >> 6 | l[4] << 56]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{Field, One, UniformRand, Zero};
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn inverses_match_arkworks() {
        let mut rng = StdRng::seed_from_u64(5);
        let edges =
            [Fq::one(), -Fq::one(), Fq::from(2u64), -Fq::from(2u64), Fq::from(u64::MAX), Fq::from(2u64).pow([253])];
        let random = (0..20_000).map(|_| Fq::rand(&mut rng));
        for a in edges.into_iter().chain(random) {
            assert_eq!(inverse(&a), a.inverse(), "{a}");
        }
        assert_eq!(inverse(&Fq::zero()), None);
    }

    #[test]
    fn limbs_and_words_round_trip() {
        let w = [u64::MAX, 0x0123_4567_89ab_cdef, 1 << 63, (1 << 62) + 5];
        assert_eq!(words(&limbs(w)), w);
        assert_eq!(words(&limbs(Fq::MODULUS.0)), Fq::MODULUS.0);
    }
}
