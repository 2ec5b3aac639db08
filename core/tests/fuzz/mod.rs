//! A small, dependency-free fuzzing engine for the decoder fuzz tests
//! (`core/tests/fuzz_decoders.rs`, `prover-cli/tests/fuzz_inputs.rs`, which
//! includes this module by path). `cargo-fuzz` needs a nightly toolchain; this
//! runs on stable, inside the ordinary test harness.
//!
//! * **Reproducible.** Case `i` of target `T` is generated from an RNG seeded with
//!   `(ZKPOLICY_FUZZ_SEED, T, i)` only, so any failing case can be rerun alone:
//!   `ZKPOLICY_FUZZ_SEED=s ZKPOLICY_FUZZ_ONLY=T ZKPOLICY_FUZZ_CASE=i`.
//! * **Structure-aware.** Inputs are valid encodings built at run time through the
//!   public APIs ([`Seed`]s, with the offsets of their length fields, varints,
//!   points and scalars), mutated by bit flips, truncation, extension, splicing,
//!   crossover with other seeds and overwriting fields with huge or boundary
//!   values; a few percent are pure random bytes.
//! * **Checked.** A decoder must return `Ok` or `Err`, never panic (every case runs
//!   under `catch_unwind`; the panic message and location are reported), and its
//!   peak of live heap bytes, counted by the [`Counting`] global allocator, must stay
//!   under the target's stated bound. Targets add semantic checks (canonical
//!   re-encoding, mutated proofs never verify, ...).
//!
//! Environment: `ZKPOLICY_FUZZ_CASES` (inputs for the whole binary, split among
//! targets by weight), `ZKPOLICY_FUZZ_SEED`, `ZKPOLICY_FUZZ_ONLY` (comma-separated
//! target names), `ZKPOLICY_FUZZ_CASE`, `ZKPOLICY_FUZZ_OUT` (directory for failing
//! inputs), `ZKPOLICY_FUZZ_MEM_CAP`
//! (bytes; beyond it the process aborts naming the case).

// A global allocator must implement the unsafe `GlobalAlloc` trait, and the
// crash report reads the registered input through a raw pointer.
#![allow(unsafe_code)]
#![allow(dead_code)]

/// Hand-built key files, shared with the other tests (`support/key_file.rs`).
#[path = "../support/key_file.rs"]
pub(crate) mod key_file;
pub(crate) mod targets;
/// The decoder dispatch shared with the wasm32 replay (`wasm32/`, `scripts/fuzz.sh --wasm32`).
#[path = "wasm32/src/dispatch.rs"]
pub(crate) mod wasm_dispatch;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Instant;

// ---------------------------------------------------------------------------
// Counting allocator
// ---------------------------------------------------------------------------

/// A global allocator that counts live heap bytes (all threads) and their peak.
/// A `realloc` counts old and new block as live at once (a moving realloc needs
/// both), so Vec growth is charged its true worst case.
pub(crate) struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CAP: AtomicUsize = AtomicUsize::new(usize::MAX);
static CAP_HIT: AtomicBool = AtomicBool::new(false);
/// The input being decoded, for the message printed when [`CAP`] is exceeded.
static CUR_PTR: AtomicUsize = AtomicUsize::new(0);
static CUR_LEN: AtomicUsize = AtomicUsize::new(0);
static CUR_CASE: AtomicUsize = AtomicUsize::new(0);
static CUR_TARGET: Mutex<&'static str> = Mutex::new("");

#[inline]
fn charge(size: usize) {
    let now = LIVE.fetch_add(size, Relaxed) + size;
    PEAK.fetch_max(now, Relaxed);
    if now > CAP.load(Relaxed) {
        cap_exceeded(now);
    }
}

#[cold]
fn cap_exceeded(now: usize) {
    if CAP_HIT.swap(true, Relaxed) {
        return;
    }
    // No allocation from here on: format into stack buffers.
    let mut err = std::io::stderr();
    let _ = err.write_all(b"\nFUZZ ALLOCATION CAP EXCEEDED: ");
    write_num(&mut err, now as u64);
    let _ = err.write_all(b" live bytes in target ");
    if let Ok(t) = CUR_TARGET.try_lock() {
        let _ = err.write_all(t.as_bytes());
    }
    let _ = err.write_all(b" case ");
    write_num(&mut err, CUR_CASE.load(Relaxed) as u64);
    let _ = err.write_all(b"; input (");
    let (ptr, len) = (CUR_PTR.load(Relaxed), CUR_LEN.load(Relaxed));
    write_num(&mut err, len as u64);
    let _ = err.write_all(b" bytes, hex): ");
    if ptr != 0 {
        // SAFETY: the runner keeps the input alive while it is registered here.
        let input = unsafe { std::slice::from_raw_parts(ptr as *const u8, len) };
        let mut buf = [0u8; 128];
        for chunk in input.chunks(64) {
            for (i, b) in chunk.iter().enumerate() {
                buf[2 * i] = b"0123456789abcdef"[(b >> 4) as usize];
                buf[2 * i + 1] = b"0123456789abcdef"[(b & 15) as usize];
            }
            let _ = err.write_all(&buf[..2 * chunk.len()]);
        }
    }
    let _ = err.write_all(b"\n");
    std::process::abort();
}

fn write_num(w: &mut impl Write, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let _ = w.write_all(&buf[i..]);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            charge(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            charge(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        charge(new_size);
        let p = System.realloc(ptr, layout, new_size);
        if p.is_null() {
            LIVE.fetch_sub(new_size, Relaxed);
        } else {
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        p
    }
}

/// Runs `f` and returns its result with the peak of extra live heap bytes while it ran
/// (the result included).
pub(crate) fn measure<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let r = f();
    (r, PEAK.load(Relaxed).saturating_sub(base))
}

// ---------------------------------------------------------------------------
// RNG
// ---------------------------------------------------------------------------

/// xoshiro256** seeded by splitmix64.
#[derive(Clone)]
pub(crate) struct Rng([u64; 4]);

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a name, to derive per-target streams.
pub(crate) fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        let mut x = seed;
        Rng([splitmix(&mut x), splitmix(&mut x), splitmix(&mut x), splitmix(&mut x)])
    }
    /// The RNG of case `case` of `target` under the run seed.
    pub(crate) fn for_case(seed: u64, target: &str, case: u64) -> Self {
        Rng::new(seed ^ name_hash(target).rotate_left(17) ^ case.wrapping_mul(0x2545_f491_4f6c_dd1d))
    }
    pub(crate) fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((self.next() as u128 * n as u128) >> 64) as usize
    }
    /// True with probability `num/den`.
    pub(crate) fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    /// A length biased towards small values: 0..=max, log-uniform-ish.
    pub(crate) fn small_len(&mut self, max: usize) -> usize {
        let bits = self.below(usize::BITS as usize - max.leading_zeros() as usize + 1);
        self.below((1usize << bits).min(max) + 1)
    }
    /// Picks an index by weight.
    pub(crate) fn weighted(&mut self, weights: &[usize]) -> usize {
        let total: usize = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        unreachable!()
    }
}

// ---------------------------------------------------------------------------
// Encodings used by the harness (hex, base64, LEB128)
// ---------------------------------------------------------------------------

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard padded base64 (the harness's own output only).
pub(crate) fn unbase64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim().as_bytes();
    if s.len() % 4 != 0 {
        return None;
    }
    let val = |c: u8| B64.iter().position(|x| *x == c).map(|v| v as u32);
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for chunk in s.chunks(4) {
        let pad = chunk.iter().rev().take_while(|c| **c == b'=').count();
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= if *c == b'=' { 0 } else { val(*c)? } << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    Some(out)
}

pub(crate) fn uvar(v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut v = v;
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
    out
}

pub(crate) fn svar(v: i64) -> Vec<u8> {
    uvar(((v << 1) ^ (v >> 63)) as u64)
}

/// Reads a (possibly non-canonical) LEB128 varint at `at`: `(value, length)`.
pub(crate) fn read_varint_at(bytes: &[u8], at: usize) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for i in 0..10 {
        let b = *bytes.get(at + i)?;
        v |= ((b & 0x7f) as u64).checked_shl(7 * i as u32).unwrap_or(0);
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// BN254 scalar field modulus `r`, little-endian.
pub(crate) fn scalar_modulus_le() -> [u8; 32] {
    let mut b: [u8; 32] = unhex("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001").try_into().unwrap();
    b.reverse();
    b
}

/// BN254 base field modulus `q`, little-endian.
pub(crate) fn base_modulus_le() -> [u8; 32] {
    let mut b: [u8; 32] = unhex("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47").try_into().unwrap();
    b.reverse();
    b
}

fn le_add_small(bytes: &mut [u8], v: i64) {
    let mut carry = v as i128;
    for b in bytes.iter_mut() {
        let x = *b as i128 + carry;
        *b = x.rem_euclid(256) as u8;
        carry = x.div_euclid(256);
    }
}

// ---------------------------------------------------------------------------
// Seeds and mutations
// ---------------------------------------------------------------------------

/// What lives at a known offset of a seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    U8,
    /// Little-endian `u16` (format versions).
    U16,
    /// Little-endian `u32` (lengths and counts).
    U32,
    /// A LEB128 varint (signed or not).
    Varint,
    /// A compressed G1 point (32 bytes).
    Point,
    /// A canonical scalar (32 bytes little-endian).
    Scalar,
    /// A 32-byte digest.
    Digest,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    pub at: usize,
    pub kind: Kind,
}

/// A valid encoding and the fields a structure-aware mutation may target.
#[derive(Clone, Debug, Default)]
pub(crate) struct Seed {
    pub bytes: Vec<u8>,
    pub fields: Vec<Field>,
}

impl Seed {
    pub(crate) fn plain(bytes: Vec<u8>) -> Self {
        Seed { bytes, fields: Vec::new() }
    }
    pub(crate) fn field(mut self, at: usize, kind: Kind) -> Self {
        self.fields.push(Field { at, kind });
        self
    }
    /// Marks every varint of a region that is a plain sequence of varints.
    pub(crate) fn varints(mut self, from: usize, to: usize) -> Self {
        let mut at = from;
        while at < to {
            let Some((_, n)) = read_varint_at(&self.bytes, at) else { break };
            self.fields.push(Field { at, kind: Kind::Varint });
            at += n;
        }
        self
    }
    /// Marks `count` consecutive 32-byte elements of `kind` from `at`.
    pub(crate) fn run(mut self, at: usize, count: usize, kind: Kind) -> Self {
        self.fields.extend((0..count).map(|i| Field { at: at + 32 * i, kind }));
        self
    }
}

/// Interesting unsigned values for length fields and varints.
fn interesting_u64(rng: &mut Rng, v: u64, remaining: usize) -> u64 {
    match rng.below(18) {
        0 => 0,
        1 => 1,
        2 => v.wrapping_add(1),
        3 => v.wrapping_sub(1),
        4 => v.wrapping_mul(2),
        5 => 1 << 20,
        6 => (1 << 20) + 1,
        7 => 1 << 22,
        8 => 1 << 26,
        9 => (1 << 28) + 1,
        10 => u32::MAX as u64,
        11 => 1 << 32,
        12 => 1 << 63,
        13 => u64::MAX,
        14 => remaining as u64,
        15 => remaining as u64 + 1,
        16 => rng.next() >> rng.below(64),
        _ => 255 + rng.below(2) as u64,
    }
}

/// Overwrites the field `f` of `b` in place (length-changing for varints).
fn mutate_field(rng: &mut Rng, b: &mut Vec<u8>, f: Field, seed: &Seed) {
    let at = f.at;
    let remaining = b.len().saturating_sub(at);
    match f.kind {
        Kind::U8 => {
            if let Some(x) = b.get_mut(at) {
                *x = match rng.below(9) {
                    0 => 0,
                    1 => 1,
                    2 => 2,
                    3 => 3,
                    4 => 0x7f,
                    5 => 0x80,
                    6 => 0xff,
                    7 => x.wrapping_add(if rng.chance(1, 2) { 1 } else { 255 }),
                    _ => rng.next() as u8,
                };
            }
        }
        Kind::U16 => {
            if at + 2 <= b.len() {
                let v = u16::from_le_bytes([b[at], b[at + 1]]);
                let r = rng.next() as u16;
                let n = *rng.pick(&[0, 1, 3, v.wrapping_add(1), v.wrapping_sub(1), 0xffff, r]);
                b[at..at + 2].copy_from_slice(&n.to_le_bytes());
            }
        }
        Kind::U32 => {
            if at + 4 <= b.len() {
                let v = u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as u64;
                let n = interesting_u64(rng, v, remaining.saturating_sub(4)) as u32;
                b[at..at + 4].copy_from_slice(&n.to_le_bytes());
            }
        }
        Kind::Varint => {
            let Some((v, len)) = read_varint_at(b, at) else { return };
            let new = match rng.below(10) {
                // Over-long form of the same value.
                0 => {
                    let mut e = uvar(v);
                    let last = e.len() - 1;
                    e[last] |= 0x80;
                    e.push(0);
                    e
                }
                // Ten bytes, above u64::MAX.
                1 => vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
                // A varint cut at the end of the input.
                2 => {
                    b.truncate(at);
                    b.push(0x80 | rng.next() as u8);
                    return;
                }
                // Signed reinterpretation: the zigzag of a boundary value.
                3 => svar(*rng.pick(&[i64::MIN, i64::MAX, -1, 1 << 40, -(1 << 40), (1 << 60) + 1])),
                _ => uvar(interesting_u64(rng, v, remaining)),
            };
            b.splice(at..at + len, new);
        }
        Kind::Point | Kind::Scalar | Kind::Digest => {
            if at + 32 > b.len() {
                return;
            }
            let others: Vec<usize> = seed.fields.iter().filter(|g| g.kind == f.kind).map(|g| g.at).collect();
            let slot = &mut b[at..at + 32];
            match (f.kind, rng.below(8)) {
                // Another element of the same kind from the seed (swap-like).
                (_, 0) => {
                    let o = *rng.pick(&others);
                    if o + 32 <= seed.bytes.len() {
                        slot.copy_from_slice(&seed.bytes[o..o + 32]);
                    }
                }
                (_, 1) => slot.iter_mut().for_each(|x| *x = rng.next() as u8),
                (_, 2) => slot[rng.below(32)] ^= 1 << rng.below(8),
                // Point: the negation (y-sign flag), or the infinity flag.
                (Kind::Point, 3) => slot[31] ^= 0x80,
                (Kind::Point, 4) => slot[31] ^= 0x40,
                (Kind::Point, 5) => {
                    slot.fill(0);
                    slot[31] = *rng.pick(&[0x40, 0x00, 0xc0, 0x80]);
                    if rng.chance(1, 2) {
                        slot[0] = 1;
                    }
                }
                (Kind::Point, _) => {
                    let q = base_modulus_le();
                    slot.copy_from_slice(&q);
                    le_add_small(slot, rng.below(3) as i64);
                    slot[31] |= (rng.next() as u8) & 0x80;
                }
                // Scalar: r, r ± small, 0, 1, 2^256 − 1.
                (Kind::Scalar, 3) => {
                    slot.copy_from_slice(&scalar_modulus_le());
                    le_add_small(slot, rng.below(5) as i64 - 2);
                }
                (Kind::Scalar, 4) => {
                    slot.fill(0);
                    slot[0] = rng.below(2) as u8;
                }
                (Kind::Scalar, 5) => slot.fill(0xff),
                (Kind::Scalar, _) => le_add_small(slot, if rng.chance(1, 2) { 1 } else { -1 }),
                (_, _) => slot.fill(0),
            }
        }
    }
}

const INTERESTING_BYTES: [u8; 10] = [0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, b'{', b'"'];

/// One mutation of `b` (a copy of `seed.bytes`, maybe already mutated).
fn mutate_once(rng: &mut Rng, b: &mut Vec<u8>, seed: &Seed, pool: &[Seed]) {
    let has_fields = !seed.fields.is_empty();
    let choice = rng.weighted(&[20, 6, if has_fields { 24 } else { 0 }, 8, 8, 5, 5, 5, 3, 6, 5, 3, 3]);
    let len = b.len();
    let pos = |rng: &mut Rng, n: usize| if n == 0 { 0 } else { rng.below(n) };
    match choice {
        // Flip one bit.
        0 => {
            if len > 0 {
                let i = pos(rng, len);
                b[i] ^= 1 << rng.below(8);
            }
        }
        // Set a byte to an interesting value.
        1 => {
            if len > 0 {
                let i = pos(rng, len);
                b[i] = *rng.pick(&INTERESTING_BYTES);
            }
        }
        // Structure-aware: a known field.
        2 => {
            let f = *rng.pick(&seed.fields);
            mutate_field(rng, b, f, seed);
        }
        // Treat the bytes at a random place as a varint and overwrite it.
        3 => {
            if len > 0 {
                let at = pos(rng, len);
                mutate_field(rng, b, Field { at, kind: Kind::Varint }, seed);
            }
        }
        // Truncate (often close to the end).
        4 => {
            let n = if rng.chance(1, 2) { len.saturating_sub(1 + rng.small_len(64)) } else { pos(rng, len + 1) };
            b.truncate(n);
        }
        // Extend with random or copied bytes.
        5 => {
            let n = 1 + rng.small_len(256);
            if rng.chance(1, 2) || len == 0 {
                let extra = rng.bytes(n);
                b.extend(extra);
            } else {
                let s = pos(rng, len);
                let e = (s + n).min(len);
                let copy = b[s..e].to_vec();
                b.extend(copy);
            }
        }
        // Insert random bytes.
        6 => {
            let at = pos(rng, len + 1);
            let n = 1 + rng.small_len(64);
            let extra = rng.bytes(n);
            b.splice(at..at, extra);
        }
        // Delete a range.
        7 => {
            if len > 0 {
                let at = pos(rng, len);
                let n = (1 + rng.small_len(64)).min(len - at);
                b.drain(at..at + n);
            }
        }
        // Duplicate a range in place.
        8 => {
            if len > 0 {
                let at = pos(rng, len);
                let n = (1 + rng.small_len(256)).min(len - at);
                let copy = b[at..at + n].to_vec();
                b.splice(at..at, copy);
            }
        }
        // Splice: our prefix, another seed's suffix.
        9 => {
            let other = &rng.pick(pool).bytes;
            let i = pos(rng, len + 1);
            let j = if rng.chance(1, 2) { i.min(other.len()) } else { pos(rng, other.len() + 1) };
            b.truncate(i);
            b.extend_from_slice(&other[j..]);
        }
        // Crossover: overwrite a chunk with the other seed's bytes at the same offset.
        10 => {
            let other = &rng.pick(pool).bytes;
            let n = len.min(other.len());
            if n > 0 {
                let at = pos(rng, n);
                let k = (1 + rng.small_len(512)).min(n - at);
                b[at..at + k].copy_from_slice(&other[at..at + k]);
            }
        }
        // Swap two 32-byte chunks (points and scalars).
        11 => {
            if len >= 64 {
                let (i, j) = (pos(rng, len - 31), pos(rng, len - 31));
                let (x, y) = (b[i..i + 32].to_vec(), b[j..j + 32].to_vec());
                b[j..j + 32].copy_from_slice(&x);
                b[i..i + 32].copy_from_slice(&y);
            }
        }
        // A huge little-endian u32 anywhere.
        _ => {
            if len >= 4 {
                let at = pos(rng, len - 3);
                let v = interesting_u64(rng, 0, len - at) as u32;
                b[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
        }
    }
}

/// A mutated input from `pool`, with the index of the seed it came from.
/// `header` is the length of the envelope (magic and version) for "valid header,
/// random body" inputs, 0 if the format has none.
pub(crate) fn mutate(rng: &mut Rng, pool: &[Seed], header: usize) -> (Vec<u8>, usize) {
    let idx = rng.below(pool.len());
    let seed = &pool[idx];
    let r = rng.below(100);
    if r < 2 {
        let n = rng.small_len(4096);
        return (rng.bytes(n), idx);
    }
    if r < 4 && header > 0 {
        let mut b = seed.bytes[..header.min(seed.bytes.len())].to_vec();
        let n = rng.small_len(4096);
        b.extend(rng.bytes(n));
        return (b, idx);
    }
    let mut b = seed.bytes.clone();
    let rounds = match rng.below(10) {
        0..=5 => 1,
        6..=7 => 2,
        _ => 3 + rng.below(6),
    };
    for _ in 0..rounds {
        mutate_once(rng, &mut b, seed, pool);
    }
    (b, idx)
}

// ---------------------------------------------------------------------------
// Text and JSON mutations
// ---------------------------------------------------------------------------

/// Replacement texts for numbers in text formats.
pub(crate) const NUMBER_SNIPPETS: &[&str] = &[
    "0",
    "1",
    "-1",
    "-0",
    "+1",
    "1.0",
    "1e3",
    "0.5",
    "255",
    "256",
    "65535",
    "1048575",
    "1048576",
    "1048577",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "1e308",
    "-1e308",
    "1e400",
    "5e-324",
    "1e-400",
    "1_0",
    " 1 ",
    "0x10",
    "١",
];

/// A digit run of `text` replaced by a number snippet, or a snippet inserted.
pub(crate) fn mutate_number_token(rng: &mut Rng, text: &mut Vec<u8>) {
    let runs: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if text[i].is_ascii_digit() {
                let s = i;
                while i < text.len() && (text[i].is_ascii_digit() || b".eE+-".contains(&text[i])) {
                    i += 1;
                }
                v.push((s, i));
            } else {
                i += 1;
            }
        }
        v
    };
    let snippet = rng.pick(NUMBER_SNIPPETS).as_bytes().to_vec();
    if let Some(&(s, e)) = (!runs.is_empty()).then(|| rng.pick(&runs)) {
        text.splice(s..e, snippet);
    } else {
        let at = rng.below(text.len() + 1);
        text.splice(at..at, snippet);
    }
}

/// Raw JSON values that decoders should reject or handle: wrong types, extreme
/// numbers, bad strings, deep nesting.
pub(crate) fn weird_json(rng: &mut Rng) -> String {
    match rng.below(16) {
        0 => "null".into(),
        1 => "true".into(),
        2 => "[]".into(),
        3 => "{}".into(),
        4 => format!("\"{}\"", "A".repeat(rng.small_len(300))),
        5 => "\"\\u0000\"".into(),
        6 => "\"\\ud800\"".into(),
        7 => "\"é\"".into(),
        8 => {
            let d = 1 + rng.small_len(600);
            format!("{}1{}", "[".repeat(d), "]".repeat(d))
        }
        9 => {
            let d = 1 + rng.small_len(600);
            format!("{}{}", "{\"a\":".repeat(d), "1".to_owned() + &"}".repeat(d))
        }
        10 => format!("[{}]", vec!["1"; rng.small_len(2000)].join(",")),
        _ => rng.pick(NUMBER_SNIPPETS).to_string(),
    }
}

/// Writes a JSON object from `(key, raw value)` pairs, applying object-level
/// mutations: drop, duplicate or add a key, reorder, odd whitespace.
pub(crate) fn write_object(rng: &mut Rng, mut fields: Vec<(String, String)>, mutate: bool) -> String {
    if mutate {
        match rng.below(8) {
            0 if !fields.is_empty() => {
                let i = rng.below(fields.len());
                fields.remove(i);
            }
            1 if !fields.is_empty() => {
                let f = fields[rng.below(fields.len())].clone();
                fields.push(f);
            }
            2 => fields.push(("unknown".into(), weird_json(rng))),
            3 if fields.len() > 1 => {
                let (i, j) = (rng.below(fields.len()), rng.below(fields.len()));
                fields.swap(i, j);
            }
            _ => {}
        }
    }
    let sep = if mutate && rng.chance(1, 8) { " \n\t" } else { " " };
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{sep}{v}")).collect();
    format!("{{{}}}", body.join(&format!(",{sep}")))
}

/// JSON string literal.
pub(crate) fn jstr(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Byte-level mutation of a text seed plus number-token mutations.
pub(crate) fn mutate_text(rng: &mut Rng, pool: &[Seed]) -> (Vec<u8>, usize) {
    if rng.chance(1, 3) {
        let idx = rng.below(pool.len());
        let mut b = pool[idx].bytes.clone();
        for _ in 0..1 + rng.below(2) {
            mutate_number_token(rng, &mut b);
        }
        return (b, idx);
    }
    mutate(rng, pool, 0)
}

// ---------------------------------------------------------------------------
// Runner
// ---------------------------------------------------------------------------

/// A generated input and which seed (or key) it came from.
pub(crate) struct Case {
    pub bytes: Vec<u8>,
    pub meta: usize,
    /// Extra parameters needed to reproduce the case by hand (e.g. a mode).
    pub note: String,
}

impl Case {
    pub(crate) fn new(bytes: Vec<u8>, meta: usize) -> Self {
        Case { bytes, meta, note: String::new() }
    }
    pub(crate) fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// How a decoder answered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Accepted,
    Rejected,
}

/// A failed check: every one fails the run.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    pub msg: String,
}

pub(crate) fn fail(msg: impl Into<String>) -> Failure {
    Failure { msg: msg.into() }
}

/// Collects per-case allocation figures and failures that do not stop a check.
#[derive(Default)]
pub(crate) struct Probe {
    pub failures: Vec<Failure>,
    /// Largest peak seen in this case per phase: (phase, peak, bound).
    pub peaks: Vec<(&'static str, usize, usize)>,
}

impl Probe {
    /// Runs `f` measured; records a failure if its peak exceeds `bound` bytes.
    pub(crate) fn measure<R>(&mut self, phase: &'static str, bound: usize, f: impl FnOnce() -> R) -> R {
        self.measure_by(phase, f, |_| bound)
    }

    /// [`Probe::measure`] with a bound that depends on the result (e.g. on the size
    /// of the circuit a key legitimately compiles to).
    pub(crate) fn measure_by<R>(
        &mut self,
        phase: &'static str,
        f: impl FnOnce() -> R,
        bound: impl FnOnce(&R) -> usize,
    ) -> R {
        let (r, peak) = measure(f);
        let bound = bound(&r);
        self.peaks.push((phase, peak, bound));
        if peak > bound {
            self.failures.push(fail(format!("{phase}: peak allocation {peak} bytes exceeds the bound {bound}")));
        }
        r
    }
}

pub(crate) type Gen<'a> = Box<dyn Fn(&mut Rng) -> Case + 'a>;
pub(crate) type Check<'a> = Box<dyn Fn(&Case, &mut Probe) -> Result<Outcome, Failure> + 'a>;

/// One decoder under test.
pub(crate) struct Target<'a> {
    pub name: &'static str,
    /// Share of the binary's cases.
    pub weight: u64,
    /// The allocation bound, in words, for the report.
    pub bound: String,
    pub gen: Gen<'a>,
    pub check: Check<'a>,
}

/// Run parameters from the environment.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub cases: u64,
    pub seed: u64,
    pub only: Option<Vec<String>>,
    pub case: Option<u64>,
    pub out: std::path::PathBuf,
    /// Where to append the inputs of the decoders the wasm32 replay knows, with the
    /// native answers (`ZKPOLICY_FUZZ_DUMP`).
    pub dump: Option<std::path::PathBuf>,
}

impl Config {
    pub(crate) fn from_env(default_cases: u64) -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let num = |k: &str| {
            var(k).map(|v| {
                let v = v.replace('_', "");
                v.strip_prefix("0x")
                    .map(|h| u64::from_str_radix(h, 16))
                    .unwrap_or_else(|| v.parse())
                    .unwrap_or_else(|_| panic!("{k} must be a number"))
            })
        };
        if let Some(cap) = num("ZKPOLICY_FUZZ_MEM_CAP") {
            CAP.store(cap as usize, Relaxed);
        } else {
            CAP.store(6 << 30, Relaxed);
        }
        Config {
            cases: num("ZKPOLICY_FUZZ_CASES").unwrap_or(default_cases),
            seed: num("ZKPOLICY_FUZZ_SEED").unwrap_or(1),
            only: var("ZKPOLICY_FUZZ_ONLY").map(|v| v.split(',').map(|s| s.trim().to_owned()).collect()),
            case: num("ZKPOLICY_FUZZ_CASE"),
            dump: var("ZKPOLICY_FUZZ_DUMP").map(Into::into),
            out: var("ZKPOLICY_FUZZ_OUT")
                .map(Into::into)
                .unwrap_or_else(|| std::env::temp_dir().join("zkpolicy-fuzz-findings")),
        }
    }
}

/// What the panic hook saw.
struct PanicSeen {
    msg: String,
    location: String,
    backtrace: String,
}

static IN_CASE: AtomicBool = AtomicBool::new(false);
static LAST_PANIC: Mutex<Option<PanicSeen>> = Mutex::new(None);

fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_CASE.load(Relaxed) {
            return default(info);
        }
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "<non-string panic payload>".into());
        let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
        // The frames inside this project, for the report.
        let bt = std::backtrace::Backtrace::force_capture().to_string();
        let backtrace = bt
            .lines()
            .filter(|l| l.contains("zkpolicy") || l.contains("/core/src/") || l.contains("/prover-cli/src/"))
            .take(12)
            .collect::<Vec<_>>()
            .join("\n");
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(PanicSeen { msg, location, backtrace });
    }));
}

/// Per-target figures.
#[derive(Default, Clone)]
pub(crate) struct Stats {
    pub name: &'static str,
    pub cases: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub failed: u64,
    pub secs: f64,
    /// Largest decode peak, the input length it was seen at, and the bound then.
    pub peak: usize,
    pub peak_len: usize,
    pub peak_bound: usize,
    /// Largest peak per input byte (amplification), with its case and input length.
    pub ratio: f64,
    pub ratio_case: u64,
    pub ratio_len: usize,
    /// Slowest case (seconds) and its index: CPU-time outliers.
    pub slowest: f64,
    pub slowest_case: u64,
    pub bound: String,
}

/// A recorded failure.
struct Finding {
    target: &'static str,
    case: u64,
    failure: Failure,
    input: Vec<u8>,
    note: String,
}

/// Runs every target, prints the report and returns whether the run passed.
pub(crate) fn run(label: &str, targets: &[Target<'_>], cfg: &Config) -> bool {
    install_panic_hook();
    let total_weight: u64 = targets.iter().map(|t| t.weight).sum();
    let selected = |t: &Target| cfg.only.as_ref().is_none_or(|o| o.iter().any(|n| n == t.name));
    let sel_weight: u64 = targets.iter().filter(|t| selected(t)).map(|t| t.weight).sum::<u64>().max(1);
    let _ = total_weight;
    let mut all_stats = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let started = Instant::now();
    eprintln!(
        "[{label}] seed {} ({} inputs requested{})",
        cfg.seed,
        cfg.cases,
        cfg.case.map(|c| format!(", only case {c}")).unwrap_or_default(),
    );
    let mut dump = cfg.dump.as_ref().map(|p| {
        std::io::BufWriter::new(std::fs::OpenOptions::new().create(true).append(true).open(p).expect("dump file"))
    });
    for t in targets.iter().filter(|t| selected(t)) {
        let replay_id = wasm_dispatch::TARGETS
            .iter()
            .find(|(n, _)| t.name.strip_prefix("seed_").unwrap_or(t.name) == *n)
            .map(|(_, id)| *id);
        let count = match cfg.case {
            Some(_) => 1,
            // Rounded up: the run makes at least the requested number of inputs.
            None => (cfg.cases * t.weight).div_ceil(sel_weight).max(1),
        };
        let mut st = Stats { name: t.name, bound: t.bound.clone(), ..Default::default() };
        *CUR_TARGET.lock().unwrap() = t.name;
        let t0 = Instant::now();
        for k in 0..count {
            let i = cfg.case.unwrap_or(k);
            let mut rng = Rng::for_case(cfg.seed, t.name, i);
            let case = (t.gen)(&mut rng);
            if let (Some(w), Some(id)) = (dump.as_mut(), replay_id) {
                dump_case(w, id, &case);
            }
            CUR_CASE.store(i as usize, Relaxed);
            CUR_PTR.store(case.bytes.as_ptr() as usize, Relaxed);
            CUR_LEN.store(case.bytes.len(), Relaxed);
            let mut probe = Probe::default();
            IN_CASE.store(true, Relaxed);
            let t1 = Instant::now();
            let res = catch_unwind(AssertUnwindSafe(|| (t.check)(&case, &mut probe)));
            let took = t1.elapsed().as_secs_f64();
            IN_CASE.store(false, Relaxed);
            if took > st.slowest {
                (st.slowest, st.slowest_case) = (took, i);
            }
            CUR_PTR.store(0, Relaxed);
            st.cases += 1;
            let mut case_failures = probe.failures;
            match res {
                Ok(Ok(Outcome::Accepted)) => st.accepted += 1,
                Ok(Ok(Outcome::Rejected)) => st.rejected += 1,
                Ok(Err(f)) => case_failures.push(f),
                Err(_) => {
                    let seen = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
                    let (msg, location, bt) = seen.map(|s| (s.msg, s.location, s.backtrace)).unwrap_or_default();
                    case_failures.push(fail(format!("PANIC: {msg}\n    at {location}\n{bt}")));
                }
            }
            if cfg.case.is_some() {
                eprintln!("[{label}] {} case {i}: input ({} bytes) {}", t.name, case.bytes.len(), hex(&case.bytes));
                for (phase, peak, bound) in &probe.peaks {
                    eprintln!("    {phase}: peak {peak} bytes (bound {bound})");
                }
            }
            for (_, peak, bound) in &probe.peaks {
                if *peak > st.peak {
                    (st.peak, st.peak_len, st.peak_bound) = (*peak, case.bytes.len(), *bound);
                }
                let ratio = *peak as f64 / case.bytes.len().max(1) as f64;
                if ratio > st.ratio {
                    (st.ratio, st.ratio_case, st.ratio_len) = (ratio, i, case.bytes.len());
                }
            }
            if !case_failures.is_empty() {
                st.failed += 1;
                for failure in case_failures {
                    findings.push(Finding {
                        target: t.name,
                        case: i,
                        failure,
                        input: case.bytes.clone(),
                        note: case.note.clone(),
                    });
                }
            }
        }
        st.secs = t0.elapsed().as_secs_f64();
        eprintln!(
            "[{label}] {:<24} {:>8} inputs {:>8.1} s  ok {:>7}  err {:>8}  fail {}",
            st.name, st.cases, st.secs, st.accepted, st.rejected, st.failed
        );
        all_stats.push(st);
    }
    report(label, cfg, &all_stats, &findings, started.elapsed().as_secs_f64())
}

/// Appends `u8 id ‖ u32 arg ‖ u32 len ‖ bytes ‖ i32 native answer` (see `wasm32/run.mjs`).
fn dump_case(w: &mut impl Write, id: u8, case: &Case) {
    let arg = match id {
        1 => {
            case.note.strip_prefix("max ").and_then(|m| m.parse::<u64>().ok()).unwrap_or(0).min(u32::MAX as u64) as u32
        }
        2 => (case.note == "spartan-limits") as u32,
        _ => 0,
    };
    // Only the ZKPF envelope of the Spartan proof modes, and verifier keys of the generated-keys target.
    if (id == 4 && case.note != "from_bytes") || (id == 7 && case.note.starts_with("pk")) {
        return;
    }
    let was_in_case = IN_CASE.swap(true, Relaxed);
    let answer = catch_unwind(AssertUnwindSafe(|| wasm_dispatch::run(id, arg, &case.bytes)));
    IN_CASE.store(was_in_case, Relaxed);
    // A native panic is reported by the target itself; mark it so the replay skips the comparison.
    let answer: i32 = match answer {
        Ok(None) => -1,
        Ok(Some(h)) => (h & 0x7fff_ffff) as i32,
        Err(_) => -2,
    };
    let _ = w.write_all(&[id]);
    let _ = w.write_all(&arg.to_le_bytes());
    let _ = w.write_all(&(case.bytes.len() as u32).to_le_bytes());
    let _ = w.write_all(&case.bytes);
    let _ = w.write_all(&answer.to_le_bytes());
}

fn human(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
    } else if bytes >= 1 << 10 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

fn report(label: &str, cfg: &Config, stats: &[Stats], findings: &[Finding], secs: f64) -> bool {
    let mut out = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(out, "\n=== fuzz report: {label} (seed {}) ===", cfg.seed);
    let _ = writeln!(
        out,
        "{:<24} {:>9} {:>8} {:>9} {:>5} {:>8} {:>10} {:>8} {:>10}  bound",
        "target", "inputs", "ok", "err", "fail", "time s", "max peak", "at len", "bound there"
    );
    for s in stats {
        let _ = writeln!(
            out,
            "{:<24} {:>9} {:>8} {:>9} {:>5} {:>8.1} {:>10} {:>8} {:>10}  {}",
            s.name,
            s.cases,
            s.accepted,
            s.rejected,
            s.failed,
            s.secs,
            human(s.peak),
            s.peak_len,
            human(s.peak_bound),
            s.bound
        );
    }
    let _ = writeln!(out, "largest peak per input byte (amplification) and slowest case, per target:");
    for s in stats {
        let _ = writeln!(
            out,
            "  {:<24} {:>10.0} B/byte ({} bytes, case {})   slowest {:>8.1} ms (case {})",
            s.name,
            s.ratio,
            s.ratio_len,
            s.ratio_case,
            s.slowest * 1e3,
            s.slowest_case
        );
    }
    let total: u64 = stats.iter().map(|s| s.cases).sum();
    let failed: u64 = stats.iter().map(|s| s.failed).sum();
    let _ = writeln!(out, "total: {total} inputs in {secs:.1} s, {failed} failing");
    // Machine-readable lines for scripts/fuzz.sh.
    for s in stats {
        let _ = writeln!(
            out,
            "FUZZ-STAT {} {} {} {} {} {:.3} {}",
            s.name, s.cases, s.accepted, s.rejected, s.failed, s.secs, s.peak
        );
    }
    // Findings: the first few of each target in full, all inputs to files.
    let _ = std::fs::create_dir_all(&cfg.out);
    let mut shown: Vec<(&str, usize)> = Vec::new();
    for f in findings {
        let entry = match shown.iter_mut().find(|(t, _)| *t == f.target) {
            Some(e) => e,
            None => {
                shown.push((f.target, 0));
                shown.last_mut().unwrap()
            }
        };
        entry.1 += 1;
        let file = cfg.out.join(format!("{}-seed{}-case{}.hex", f.target, cfg.seed, f.case));
        let _ = std::fs::write(&file, hex(&f.input));
        if entry.1 <= 3 {
            let shown_hex = if f.input.len() <= 2048 {
                hex(&f.input)
            } else {
                format!("{}… (full input in {})", hex(&f.input[..2048]), file.display())
            };
            let _ = writeln!(
                out,
                "\nFAIL [{}] case {}{}: {}\n  reproduce: ZKPOLICY_FUZZ_SEED={} ZKPOLICY_FUZZ_ONLY={} ZKPOLICY_FUZZ_CASE={}\n  input ({} bytes): {}",
                f.target,
                f.case,
                if f.note.is_empty() { String::new() } else { format!(" ({})", f.note) },
                f.failure.msg,
                cfg.seed,
                f.target,
                f.case,
                f.input.len(),
                shown_hex
            );
        }
    }
    for (t, n) in &shown {
        if *n > 3 {
            let _ = writeln!(out, "... {} more findings in [{t}]", n - 3);
        }
    }
    if !findings.is_empty() {
        let _ = writeln!(out, "failing inputs (hex) written to {}", cfg.out.display());
    }
    eprintln!("{out}");
    failed == 0
}

/// Makes the generators cache, rayon's pool and similar one-time allocations happen
/// before anything is measured.
pub(crate) fn warm_up() {
    let _ = RefCell::new(0);
}
