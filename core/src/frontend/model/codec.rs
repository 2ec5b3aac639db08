//! Compact, canonical binary encoding of a [`Model`].
//!
//! This is the part of a verifier key that pins the policy: the key's digest
//! is a hash over these bytes. Integers are LEB128 varints (signed ones
//! zigzag-encoded), so small quantized weights cost one or two bytes each.
//! Decoding checks every length against the model limits and against the
//! remaining input (every element takes at least one byte) before allocating,
//! rejects non-canonical varints, unknown tags and trailing bytes, and finally
//! runs [`Model::validate`], which enforces the same limits on models built in
//! memory, so every valid model encodes to bytes this decoder accepts. Encoding then decoding is the identity, and the
//! encoding of a decoded model is byte-identical to its input.
//!
//! ```text
//! model    := u8(scale_bits) uvar(input_len) uvar(input_bound)
//!             uvar(#runs) domain* uvar(#layers) layer* decision
//! domains  := a run per maximal range of consecutive inputs with the same domain,
//!             inputs increasing (adjacent runs of one domain are not canonical)
//! domain   := uvar(first input) uvar(count − 1) kind svar(lo) svar(hi)
//! kind     := 0 Interval | 1 Integers
//! layer    := 0 uvar(in) uvar(out) svar(w)*(in*out) svar(b)*out   Dense
//!           | 1 Relu | 2 svar(alpha) LeakyRelu | 3 svar(min) svar(max) Clip
//!           | 4 Sigmoid | 5 Tanh | 6 Softmax | 7 ArgMax
//!           | 8 uvar(#lanes) lane*                             Lanes
//!           | 9 uvar(outputs) uvar(#trees) tree* svar(base)*outputs   Trees
//!           | 10 piecewise                                      Piecewise
//!           | 11 piecewise                                      PiecewiseSoftmax
//! piecewise:= uvar(K) svar(t)*K svar(slope)*(K+1) svar(offset)*(K+1)
//! lane     := 0 Pass | 1 Relu | 2 svar(c) AtLeast | 3 svar(c) Below
//!           | 4 svar(c) Equal | 5 svar(c) NotEqual
//! tree     := uvar(#splits) split* svar(leaf value)*((#splits+1)·outputs)
//! split    := uvar(feature) svar(threshold) child(left) child(right)
//! child    := uvar(2·i) split i | uvar(2·i+1) leaf i
//! decision := 0 uvar(index) svar(threshold)           Threshold
//!           | 1 uvar(#labels) str(label)*             ArgMax
//! str      := uvar(len ≤ 256) utf8-bytes
//! ```

use super::domain::{InputDomain, InputDomains};
use super::lanes::LaneOp;
use super::piecewise::{Piecewise, MAX_BREAKPOINTS};
use super::trees::{Child, Split, Tree, TreeEnsemble};
use super::{Decision, Layer, Model, ModelError, MAX_LAYERS, MAX_PARAMS, MAX_WIDTH};
use crate::snark::varint::{read_svar, read_uvar, write_svar as put_svar, write_uvar as put_uvar, VarintError};

/// Longest class label, in bytes.
pub const MAX_STR: usize = 256;

/// Why model bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// The bytes end before the model does.
    #[error("model encoding is truncated while reading {0}")]
    Truncated(&'static str),
    /// A field holds a value the format does not allow.
    #[error("model encoding has an invalid {0}")]
    Invalid(&'static str),
    /// Bytes remain after the model.
    #[error("model encoding has {0} trailing bytes")]
    Trailing(usize),
    /// The decoded model breaks a structural rule.
    #[error(transparent)]
    Model(#[from] ModelError),
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uvar(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_piecewise(out: &mut Vec<u8>, p: &Piecewise) {
    put_uvar(out, p.breakpoints.len() as u64);
    p.breakpoints.iter().chain(&p.slopes).chain(&p.offsets).for_each(|v| put_svar(out, *v));
}

/// Encodes a model canonically.
pub fn encode(model: &Model) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(model.scale_bits as u8);
    put_uvar(&mut out, model.input_len as u64);
    put_uvar(&mut out, model.input_bound as u64);
    put_uvar(&mut out, model.input_domains.runs().len() as u64);
    for (inputs, domain) in model.input_domains.runs() {
        put_uvar(&mut out, inputs.start as u64);
        put_uvar(&mut out, inputs.len() as u64 - 1);
        let (kind, lo, hi) = match *domain {
            InputDomain::Interval { lo, hi } => (0, lo, hi),
            InputDomain::Integers { lo, hi } => (1, lo, hi),
        };
        out.push(kind);
        put_svar(&mut out, lo);
        put_svar(&mut out, hi);
    }
    put_uvar(&mut out, model.layers.len() as u64);
    for layer in &model.layers {
        match layer {
            Layer::Dense { in_dim, out_dim, weights, bias } => {
                out.push(0);
                put_uvar(&mut out, *in_dim as u64);
                put_uvar(&mut out, *out_dim as u64);
                weights.iter().chain(bias).for_each(|v| put_svar(&mut out, *v));
            }
            Layer::Relu => out.push(1),
            Layer::LeakyRelu { alpha } => {
                out.push(2);
                put_svar(&mut out, *alpha);
            }
            Layer::Clip { min, max } => {
                out.push(3);
                put_svar(&mut out, *min);
                put_svar(&mut out, *max);
            }
            Layer::Sigmoid => out.push(4),
            Layer::Tanh => out.push(5),
            Layer::Softmax => out.push(6),
            Layer::ArgMax => out.push(7),
            Layer::Lanes { ops } => {
                out.push(8);
                put_uvar(&mut out, ops.len() as u64);
                for op in ops {
                    let (tag, c) = match op {
                        LaneOp::Pass => (0, None),
                        LaneOp::Relu => (1, None),
                        LaneOp::AtLeast(c) => (2, Some(c)),
                        LaneOp::Below(c) => (3, Some(c)),
                        LaneOp::Equal(c) => (4, Some(c)),
                        LaneOp::NotEqual(c) => (5, Some(c)),
                    };
                    out.push(tag);
                    if let Some(c) = c {
                        put_svar(&mut out, *c);
                    }
                }
            }
            Layer::Piecewise(p) => {
                out.push(10);
                put_piecewise(&mut out, p);
            }
            Layer::PiecewiseSoftmax(p) => {
                out.push(11);
                put_piecewise(&mut out, p);
            }
            Layer::Trees(ensemble) => {
                out.push(9);
                put_uvar(&mut out, ensemble.outputs as u64);
                put_uvar(&mut out, ensemble.trees.len() as u64);
                for tree in &ensemble.trees {
                    put_uvar(&mut out, tree.splits.len() as u64);
                    for split in &tree.splits {
                        put_uvar(&mut out, u64::from(split.feature));
                        put_svar(&mut out, split.threshold);
                        for child in [split.left, split.right] {
                            put_uvar(&mut out, child_code(child));
                        }
                    }
                    tree.leaves.iter().for_each(|v| put_svar(&mut out, *v));
                }
                ensemble.base.iter().for_each(|v| put_svar(&mut out, *v));
            }
        }
    }
    match &model.decision {
        Decision::Threshold { index, threshold } => {
            out.push(0);
            put_uvar(&mut out, *index as u64);
            put_svar(&mut out, *threshold);
        }
        Decision::ArgMax { labels } => {
            out.push(1);
            put_uvar(&mut out, labels.len() as u64);
            labels.iter().for_each(|l| put_str(&mut out, l));
        }
    }
    out
}

fn varint_error(e: VarintError, what: &'static str) -> CodecError {
    match e {
        VarintError::Truncated => CodecError::Truncated(what),
        VarintError::NonCanonical => CodecError::Invalid(what),
    }
}

/// A cursor over model bytes that never reads past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn u8(&mut self, what: &'static str) -> Result<u8, CodecError> {
        let b = *self.bytes.get(self.pos).ok_or(CodecError::Truncated(what))?;
        self.pos += 1;
        Ok(b)
    }

    fn uvar(&mut self, what: &'static str) -> Result<u64, CodecError> {
        let mut rest = &self.bytes[self.pos..];
        let v = read_uvar(&mut rest).map_err(|e| varint_error(e, what))?;
        self.pos = self.bytes.len() - rest.len();
        Ok(v)
    }

    fn svar(&mut self, what: &'static str) -> Result<i64, CodecError> {
        let mut rest = &self.bytes[self.pos..];
        let v = read_svar(&mut rest).map_err(|e| varint_error(e, what))?;
        self.pos = self.bytes.len() - rest.len();
        Ok(v)
    }

    /// A varint that must be at most `max`.
    fn len(&mut self, what: &'static str, max: usize) -> Result<usize, CodecError> {
        let v = self.uvar(what)?;
        usize::try_from(v).ok().filter(|v| *v <= max).ok_or(CodecError::Invalid(what))
    }

    /// Bytes not read yet.
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// A count of elements that take at least one byte each: at most `max` and at
    /// most the remaining input, so that it can size an allocation.
    fn count(&mut self, what: &'static str, max: usize) -> Result<usize, CodecError> {
        let n = self.len(what, max)?;
        if n > self.remaining() {
            return Err(CodecError::Truncated(what));
        }
        Ok(n)
    }

    fn str(&mut self, what: &'static str) -> Result<String, CodecError> {
        let n = self.len(what, MAX_STR)?;
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or(CodecError::Truncated(what))?;
        let s = core::str::from_utf8(&self.bytes[self.pos..end]).map_err(|_| CodecError::Invalid(what))?;
        self.pos = end;
        Ok(s.to_owned())
    }

    /// The function of a `Piecewise` or `PiecewiseSoftmax` layer.
    fn piecewise(&mut self) -> Result<Piecewise, CodecError> {
        let k = self.count("breakpoint count", MAX_BREAKPOINTS)?;
        let breakpoints = self.svars(k, "breakpoints")?;
        let slopes = self.svars(k + 1, "slopes")?;
        let offsets = self.svars(k + 1, "offsets")?;
        Ok(Piecewise { breakpoints, slopes, offsets })
    }

    /// One lane of a `Lanes` layer.
    fn lane(&mut self) -> Result<LaneOp, CodecError> {
        Ok(match self.u8("lane tag")? {
            0 => LaneOp::Pass,
            1 => LaneOp::Relu,
            2 => LaneOp::AtLeast(self.svar("lane constant")?),
            3 => LaneOp::Below(self.svar("lane constant")?),
            4 => LaneOp::Equal(self.svar("lane constant")?),
            5 => LaneOp::NotEqual(self.svar("lane constant")?),
            _ => return Err(CodecError::Invalid("lane tag")),
        })
    }

    /// `n` items read by `item`, in a vector of exactly `n` (the caller checked `n`
    /// against the remaining input: collecting through `Result` would over-allocate).
    fn exactly<T>(
        &mut self,
        n: usize,
        mut item: impl FnMut(&mut Self) -> Result<T, CodecError>,
    ) -> Result<Vec<T>, CodecError> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }

    /// One tree of an ensemble with `outputs` outputs.
    fn tree(&mut self, outputs: usize) -> Result<Tree, CodecError> {
        // Each split takes at least four bytes.
        let n = self.count("split count", MAX_PARAMS)?;
        let splits = self.exactly(n, Self::split)?;
        let values =
            (n + 1).checked_mul(outputs).filter(|v| *v <= MAX_PARAMS).ok_or(CodecError::Invalid("leaf count"))?;
        Ok(Tree { splits, leaves: self.svars(values, "leaf values")? })
    }

    /// One split of a tree.
    fn split(&mut self) -> Result<Split, CodecError> {
        // MAX_WIDTH < 2^32.
        let feature = self.len("split feature", MAX_WIDTH)? as u32;
        let threshold = self.svar("split threshold")?;
        Ok(Split { feature, threshold, left: self.child()?, right: self.child()? })
    }

    /// A child reference: `2·i` for split `i`, `2·i + 1` for leaf `i`.
    fn child(&mut self) -> Result<Child, CodecError> {
        let code = self.uvar("split child")?;
        let i = u32::try_from(code >> 1).map_err(|_| CodecError::Invalid("split child"))?;
        Ok(if code & 1 == 0 { Child::Split(i) } else { Child::Leaf(i) })
    }

    /// `n` signed varints; each takes at least one byte, so `n` is checked
    /// against the remaining input before allocating.
    fn svars(&mut self, n: usize, what: &'static str) -> Result<Vec<i64>, CodecError> {
        if n > self.remaining() {
            return Err(CodecError::Truncated(what));
        }
        self.exactly(n, |r| r.svar(what))
    }
}

/// The encoding of a child reference (see the module documentation).
fn child_code(child: Child) -> u64 {
    match child {
        Child::Split(i) => u64::from(i) << 1,
        Child::Leaf(i) => (u64::from(i) << 1) | 1,
    }
}

/// Decodes and validates a model; rejects trailing bytes.
pub fn decode(bytes: &[u8]) -> Result<Model, CodecError> {
    let mut r = Reader { bytes, pos: 0 };
    let scale_bits = u32::from(r.u8("scale")?);
    let input_len = r.len("input length", MAX_WIDTH)?;
    let input_bound = i64::try_from(r.uvar("input bound")?).map_err(|_| CodecError::Invalid("input bound"))?;
    // Each run takes at least five bytes and covers at least one input.
    let num_runs = r.count("domain run count", input_len)?;
    let mut runs = Vec::with_capacity(num_runs);
    for _ in 0..num_runs {
        let first = r.len("domain run start", MAX_WIDTH)?;
        let count = r.len("domain run length", MAX_WIDTH - 1)? + 1;
        let domain = match r.u8("domain kind")? {
            0 => InputDomain::Interval { lo: r.svar("domain lo")?, hi: r.svar("domain hi")? },
            1 => InputDomain::Integers { lo: r.svar("domain lo")?, hi: r.svar("domain hi")? },
            _ => return Err(CodecError::Invalid("domain kind")),
        };
        if first + count > input_len {
            return Err(CodecError::Invalid("domain run end"));
        }
        runs.push((first..first + count, domain));
    }
    // Runs are increasing, disjoint and maximal.
    let input_domains = InputDomains::from_runs(runs).map_err(CodecError::Invalid)?;
    // Each layer takes at least its tag byte.
    let num_layers = r.count("layer count", MAX_LAYERS)?;
    let mut layers = Vec::with_capacity(num_layers);
    for _ in 0..num_layers {
        let layer = match r.u8("layer tag")? {
            0 => {
                let in_dim = r.len("dense input width", MAX_WIDTH)?;
                let out_dim = r.len("dense output width", MAX_WIDTH)?;
                let n = in_dim.checked_mul(out_dim).filter(|n| *n <= MAX_PARAMS);
                let n = n.ok_or(CodecError::Invalid("dense shape"))?;
                let weights = r.svars(n, "dense weights")?;
                let bias = r.svars(out_dim, "dense bias")?;
                Layer::Dense { in_dim, out_dim, weights, bias }
            }
            1 => Layer::Relu,
            2 => Layer::LeakyRelu { alpha: r.svar("leaky relu alpha")? },
            3 => Layer::Clip { min: r.svar("clip min")?, max: r.svar("clip max")? },
            4 => Layer::Sigmoid,
            5 => Layer::Tanh,
            6 => Layer::Softmax,
            7 => Layer::ArgMax,
            8 => {
                // Each lane takes at least its tag byte.
                let n = r.count("lane count", MAX_WIDTH)?;
                let ops = r.exactly(n, Reader::lane)?;
                Layer::Lanes { ops }
            }
            9 => {
                let outputs = r.len("tree outputs", MAX_WIDTH)?;
                // Each tree takes at least its split count and one leaf value.
                let n = r.count("tree count", MAX_PARAMS)?;
                let trees = r.exactly(n, |r| r.tree(outputs))?;
                let base = r.svars(outputs, "tree base values")?;
                Layer::Trees(TreeEnsemble { outputs, trees, base })
            }
            10 => Layer::Piecewise(r.piecewise()?),
            11 => Layer::PiecewiseSoftmax(r.piecewise()?),
            _ => return Err(CodecError::Invalid("layer tag")),
        };
        layers.push(layer);
    }
    let decision = match r.u8("decision tag")? {
        0 => {
            Decision::Threshold { index: r.len("decision index", MAX_WIDTH)?, threshold: r.svar("decision threshold")? }
        }
        1 => {
            // Each label takes at least its length byte.
            let n = r.count("label count", MAX_WIDTH)?;
            Decision::ArgMax { labels: r.exactly(n, |r| r.str("label"))? }
        }
        _ => return Err(CodecError::Invalid("decision tag")),
    };
    if r.pos != bytes.len() {
        return Err(CodecError::Trailing(bytes.len() - r.pos));
    }
    let model = Model { scale_bits, input_len, input_bound, input_domains, layers, decision };
    model.validate()?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Model {
        Model {
            scale_bits: 8,
            input_len: 2,
            input_bound: 1 << 12,
            input_domains: [
                (0, InputDomain::Interval { lo: -10, hi: 300 }),
                (1, InputDomain::Integers { lo: 0, hi: 1 }),
            ]
            .into_iter()
            .collect(),
            layers: vec![
                Layer::Dense {
                    in_dim: 2,
                    out_dim: 3,
                    weights: vec![1, -2, 300, -70000, 0, 5],
                    bias: vec![-1, 0, 1 << 20],
                },
                Layer::Relu,
                Layer::LeakyRelu { alpha: 25 },
                Layer::Clip { min: -256, max: 256 },
                Layer::Lanes { ops: vec![LaneOp::Relu, LaneOp::AtLeast(-7), LaneOp::Equal(1 << 40)] },
                Layer::Lanes { ops: vec![LaneOp::Pass; 3] },
                Layer::Dense { in_dim: 3, out_dim: 2, weights: vec![1, 2, 3, 4, 5, 6], bias: vec![0, 0] },
                Layer::Lanes { ops: vec![LaneOp::Below(300), LaneOp::NotEqual(-1)] },
                Layer::Softmax,
            ],
            decision: Decision::ArgMax { labels: vec!["allow".into(), "block".into()] },
        }
    }

    #[test]
    fn roundtrip_is_identity() {
        let m = sample();
        m.validate().unwrap();
        let bytes = encode(&m);
        assert_eq!(decode(&bytes).unwrap(), m);
        assert_eq!(encode(&decode(&bytes).unwrap()), bytes);
    }

    #[test]
    fn every_truncation_and_extension_is_rejected() {
        let bytes = encode(&sample());
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_err(), "prefix of {n} bytes accepted");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(decode(&long), Err(CodecError::Trailing(1)));
    }

    #[test]
    fn every_byte_flip_is_rejected_or_changes_the_model() {
        let m = sample();
        let bytes = encode(&m);
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                // Never panics; a flip either fails to decode or yields another model.
                if let Ok(other) = decode(&b) {
                    assert_ne!(other, m);
                }
            }
        }
    }

    #[test]
    fn domains_are_canonical_and_validated() {
        let mut m = sample();
        m.input_len = 5;
        m.layers[0] = Layer::Dense { in_dim: 5, out_dim: 3, weights: vec![1; 15], bias: vec![0; 3] };
        let flag = InputDomain::Integers { lo: 0, hi: 1 };
        m.input_domains =
            [(0, InputDomain::Interval { lo: -10, hi: 300 }), (1, flag), (2, flag), (4, flag)].into_iter().collect();
        let bytes = encode(&m);
        assert_eq!(decode(&bytes).unwrap(), m);
        // scale 8, 5 inputs, bound 2^12 (two bytes), 3 runs: input 0 (one) kind 0
        // [-10, 300], inputs 1..=2 kind 1 [0, 1], input 4 kind 1 [0, 1].
        let runs = [3, 0, 0, 0, 19, 0xd8, 0x04, 1, 1, 1, 0, 2, 4, 0, 1, 0, 2];
        assert_eq!(bytes[..5], [8, 5, 0x80, 0x20, 3]);
        assert_eq!(bytes[4..4 + runs.len()], runs);
        let with_runs = |runs: &[u8]| [&bytes[..4], runs, &bytes[4 + 17..]].concat();
        assert_eq!(decode(&with_runs(&runs)).unwrap(), m);
        // Overlapping or decreasing runs, adjacent runs of one domain, a run beyond the
        // inputs, an unknown kind, more runs than inputs.
        let bad =
            |runs: [u8; 17], err| assert_eq!(decode(&with_runs(&runs)), Err(CodecError::Invalid(err)), "{runs:?}");
        bad([3, 0, 0, 0, 19, 0xd8, 0x04, 0, 1, 1, 0, 2, 4, 0, 1, 0, 2], "domain run order");
        bad([3, 0, 0, 0, 19, 0xd8, 0x04, 1, 1, 1, 0, 2, 3, 0, 1, 0, 2], "domain runs");
        bad([3, 0, 0, 0, 19, 0xd8, 0x04, 1, 1, 1, 0, 2, 4, 1, 1, 0, 2], "domain run end");
        bad([3, 0, 0, 0, 19, 0xd8, 0x04, 1, 1, 2, 0, 2, 4, 0, 1, 0, 2], "domain kind");
        bad([6, 0, 0, 0, 19, 0xd8, 0x04, 1, 1, 1, 0, 2, 4, 0, 1, 0, 2], "domain run count");
        // Reversed ends, and the default domain declared, fail validation.
        let mut reversed = m.clone();
        reversed.input_domains.insert(0, InputDomain::Interval { lo: 300, hi: -10 });
        assert!(matches!(decode(&encode(&reversed)), Err(CodecError::Model(_))));
        let mut default = m.clone();
        default.input_domains.insert(3, InputDomain::default_for(m.input_bound));
        assert!(matches!(decode(&encode(&default)), Err(CodecError::Model(_))));
    }

    #[test]
    fn huge_lengths_are_rejected_before_allocating() {
        // A dense layer claiming 2^20 x 2^20 weights is rejected before allocating.
        let mut bytes = Vec::new();
        bytes.push(8);
        put_uvar(&mut bytes, 4);
        put_uvar(&mut bytes, 1 << 12);
        put_uvar(&mut bytes, 0);
        put_uvar(&mut bytes, 1);
        bytes.push(0);
        put_uvar(&mut bytes, 1 << 20);
        put_uvar(&mut bytes, 1 << 20);
        assert_eq!(decode(&bytes), Err(CodecError::Invalid("dense shape")));
    }

    #[test]
    fn trees_round_trip_and_bad_children_are_refused() {
        use crate::frontend::model::trees::{Child, Split, Tree, TreeEnsemble};
        let split = |threshold, left, right| Split { feature: 1, threshold, left, right };
        let tree = Tree {
            splits: vec![split(-7, Child::Split(1), Child::Leaf(2)), split(1 << 40, Child::Leaf(0), Child::Leaf(1))],
            leaves: vec![1, -2, 3, 0, 5, 6],
        };
        let single = Tree { splits: vec![], leaves: vec![9, -9] };
        let ensemble = TreeEnsemble { outputs: 2, trees: vec![tree, single], base: vec![-1, 1] };
        let m = Model {
            scale_bits: 4,
            input_len: 2,
            input_bound: 100,
            input_domains: Default::default(),
            layers: vec![Layer::Trees(ensemble), Layer::Softmax],
            decision: Decision::ArgMax { labels: vec![] },
        };
        let bytes = encode(&m);
        assert_eq!(decode(&bytes).unwrap(), m);
        // Layer tag 9, 2 outputs, 2 trees, 2 splits, then split 0: feature 1, threshold -7
        // (zigzag 13), left child code 2 (split 1). Pointing it at split 0 breaks the tree.
        let at = bytes.windows(7).position(|w| w == [9, 2, 2, 2, 1, 13, 2]).unwrap() + 6;
        let mut bad = bytes.clone();
        bad[at] = 0;
        let err = decode(&bad).unwrap_err().to_string();
        assert!(err.contains("layer 0 (Trees): tree 0: split 0 leads to Split(0)"), "{err}");
        // A leaf count beyond the limits, and a child index beyond u32.
        let mut bad = bytes[..at - 3].to_vec();
        put_uvar(&mut bad, 1 << 26);
        assert_eq!(decode(&bad), Err(CodecError::Truncated("split count")));
        let mut bad = bytes[..at].to_vec();
        put_uvar(&mut bad, 1 << 40);
        assert_eq!(decode(&bad), Err(CodecError::Invalid("split child")));
    }

    #[test]
    fn piecewise_round_trips_and_is_validated() {
        use crate::frontend::model::piecewise::{Approximated, Piecewise};
        let dense = Layer::Dense { in_dim: 1, out_dim: 2, weights: vec![16, -16], bias: vec![0, 0] };
        let mut m = Model {
            scale_bits: 4,
            input_len: 1,
            input_bound: 100,
            input_domains: Default::default(),
            layers: vec![
                dense,
                Layer::Relu,
                Layer::Dense { in_dim: 2, out_dim: 1, weights: vec![16, 16], bias: vec![0] },
            ],
            decision: Decision::ArgMax { labels: vec![] },
        };
        // Every approximated function, in the body and in the head.
        for f in [
            Approximated::Tanh,
            Approximated::Gelu,
            Approximated::Softplus,
            Approximated::Elu { alpha: -2.5 },
            Approximated::HardSwish,
            Approximated::Exp { top: 12 },
        ] {
            let p = Layer::Piecewise(Piecewise::approximate(f, 4));
            m.layers[1] = p.clone();
            m.layers.truncate(3);
            m.layers.push(p);
            assert_eq!(decode(&encode(&m)).unwrap(), m, "{f:?}");
        }
        let mut bad = Piecewise::approximate(Approximated::Tanh, 4);
        bad.breakpoints.reverse();
        m.layers[1] = Layer::Piecewise(bad);
        let err = decode(&encode(&m)).unwrap_err().to_string();
        assert!(err.contains("layer 1 (Piecewise): breakpoints are not strictly increasing"), "{err}");
    }

    #[test]
    fn piecewise_softmax_round_trips_and_hostile_exponentials_are_refused() {
        use crate::frontend::model::softmax;
        let p = softmax::exp_table(4);
        let mut m = Model {
            scale_bits: 4,
            input_len: 3,
            input_bound: 100,
            input_domains: Default::default(),
            layers: vec![
                Layer::PiecewiseSoftmax(p.clone()),
                Layer::Dense { in_dim: 3, out_dim: 1, weights: vec![16, -16, 3], bias: vec![0] },
                Layer::PiecewiseSoftmax(p.clone()),
            ],
            decision: Decision::Threshold { index: 0, threshold: 8 },
        };
        let bytes = encode(&m);
        assert_eq!(decode(&bytes).unwrap(), m);
        // Tag 11, then the same fields as a Piecewise layer (tag 10).
        let mut as_piecewise = m.clone();
        as_piecewise.layers[0] = Layer::Piecewise(p.clone());
        let other = encode(&as_piecewise);
        let diff: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] != other[i]).collect();
        assert_eq!((diff.len(), bytes[diff[0]], other[diff[0]]), (1, 11, 10));
        // What a Piecewise may hold but a softmax's exponential may not: refused after decoding.
        type Edit = fn(&mut Piecewise);
        let hostile: [(Edit, &str); 3] = [
            (|p| p.slopes[0] = -1, "below the first breakpoint; it must be 0"),
            (|p| *p.breakpoints.last_mut().unwrap() = 5, "a breakpoint at or above 0"),
            (|p| *p.offsets.last_mut().unwrap() = -(1 << 30), "outside [0, 2^60 − 1]"),
        ];
        for (edit, what) in hostile {
            let mut bad = p.clone();
            edit(&mut bad);
            m.layers[0] = Layer::PiecewiseSoftmax(bad);
            let err = decode(&encode(&m)).unwrap_err().to_string();
            assert!(err.contains("layer 0 (PiecewiseSoftmax): ") && err.contains(what), "{err}");
        }
    }

    #[test]
    fn lanes_are_validated() {
        let mut m = sample();
        let lanes_at = |m: &Model| m.layers.iter().position(|l| matches!(l, Layer::Lanes { .. })).unwrap();
        let i = lanes_at(&m);
        // A lane count that is not the layer's width, refused by validation after decoding.
        m.layers[i] = Layer::Lanes { ops: vec![LaneOp::Pass; 2] };
        assert!(matches!(decode(&encode(&m)), Err(CodecError::Model(_))));
        // A constant beyond ±(2^60 - 1).
        m.layers[i] = Layer::Lanes { ops: vec![LaneOp::Pass, LaneOp::Below(1 << 60), LaneOp::Pass] };
        let err = decode(&encode(&m)).unwrap_err().to_string();
        assert!(err.contains("lane 1 compares with"), "{err}");
        // An unknown lane tag, and a lane count beyond the input.
        let good = encode(&sample());
        let tag = good.windows(2).position(|w| w == [8, 3]).unwrap();
        let mut bad = good.clone();
        bad[tag + 2] = 6;
        assert_eq!(decode(&bad), Err(CodecError::Invalid("lane tag")));
        let mut bad = good[..tag + 1].to_vec();
        put_uvar(&mut bad, 1 << 19);
        assert_eq!(decode(&bad), Err(CodecError::Truncated("lane count")));
    }
}
