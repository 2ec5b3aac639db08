//! The decoders replayed on wasm32, one id each: `run(id, arg, bytes)` decodes and
//! returns `None` for `Err`, or `Some(h)` with `h` an FNV-1a hash of the decoded
//! value re-encoded canonically, so that native and wasm32 answers compare exactly.
//! Compiled natively by the fuzz tests (to dump inputs with their answers) and for
//! wasm32 by this crate.

use zkpolicy_core::frontend::model::codec;
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{PolicyProof, VerifierKey};
use zkpolicy_core::snark::encoding::{read_r1cs, scalar_from_hex, scalar_hex, write_r1cs};
use zkpolicy_core::snark::error::FormatError;
use zkpolicy_core::snark::spartan;

/// Target names of the fuzz tests with their ids here (`arg` as the tests set it).
pub(crate) const TARGETS: &[(&str, u8)] = &[
    ("model_codec", 0),
    ("visibility_read", 1),
    ("r1cs", 2),
    ("spartan_vk", 3),
    ("spartan_proof", 4),
    ("policy_proof", 5),
    ("policy_proof_json", 6),
    ("policy_proof_any", 6),
    ("verifier_key", 7),
    ("generated_keys", 7),
    ("scalar_from_hex", 8),
    ("visibility_parse", 9),
];

pub(crate) fn fnv(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ *b as u32).wrapping_mul(0x0100_0193))
}

fn vis_bytes(v: &InputVisibility) -> Vec<u8> {
    let mut out = Vec::new();
    v.write(&mut out);
    out
}

/// Decodes `bytes` with decoder `id`; `arg` is the visibility limit (1), the shape
/// mode (2: 1 = Spartan's limits), unused otherwise.
pub(crate) fn run(id: u8, arg: u32, bytes: &[u8]) -> Option<u32> {
    let h = |b: Vec<u8>| Some(fnv(&b));
    match id {
        0 => codec::decode(bytes).ok().and_then(|m| h(codec::encode(&m))),
        1 => {
            let mut rest = bytes;
            let v = InputVisibility::read(&mut rest, arg as usize).ok()?;
            let mut out = vis_bytes(&v);
            out.extend((rest.len() as u32).to_le_bytes());
            h(out)
        }
        2 => {
            let limits = arg == 1;
            let shape = move |c: usize, p: usize, w: usize| {
                let (c, p, w) = (c as u64, p as u64, w as u64);
                if limits && (c + 3 > 1 << 20 || w + 4 > 1 << 19 || p > (1 << 19) - 1) {
                    Err(FormatError::TooLarge { what: "shape", value: 0, limit: 0 })
                } else {
                    Ok(())
                }
            };
            let mut rest = bytes;
            let r = read_r1cs(&mut rest, shape).ok()?;
            let mut out = Vec::new();
            write_r1cs(&mut out, &r);
            out.extend((rest.len() as u32).to_le_bytes());
            h(out)
        }
        3 => spartan::VerifyingKey::from_bytes(bytes).ok().and_then(|k| h(k.to_bytes())),
        4 => spartan::Proof::from_bytes(bytes).ok().and_then(|p| h(p.to_bytes())),
        5 => PolicyProof::from_bytes(bytes).ok().and_then(|p| h(p.to_bytes())),
        6 => PolicyProof::from_any(bytes).ok().and_then(|p| h(p.to_bytes())),
        7 => VerifierKey::from_bytes(bytes).ok().and_then(|k| h(k.to_bytes())),
        8 => {
            let text = core::str::from_utf8(bytes).ok()?;
            scalar_from_hex(text, "scalar").ok().and_then(|v| h(scalar_hex(&v).into_bytes()))
        }
        9 => {
            if bytes.len() < 4 {
                return None;
            }
            let n = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize % ((1 << 20) + 2);
            let spec = core::str::from_utf8(&bytes[4..]).ok()?;
            InputVisibility::parse(spec, n).ok().and_then(|v| h(vis_bytes(&v)))
        }
        _ => None,
    }
}
