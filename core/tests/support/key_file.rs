//! Key files built by hand from the documented layout (`policy::files`), for tests
//! whose models `setup` refuses (hostile keys) or that build keys without running it
//! (the generated-key fuzz target, which compares these bytes with `to_bytes`). The
//! one copy of the layout in the tests, included by path from `support/mod.rs`,
//! `fuzz/mod.rs` and `prover-cli/tests/hardening.rs`.

use zkpolicy_core::frontend::model::{codec, Model};
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{InputNames, Profile};
use zkpolicy_core::snark::encoding::write_header;
use zkpolicy_core::snark::varint::write_uvar;

/// A key file under `magic` (a verifier or a proving key) as `setup` would write it
/// for `model`, `visibility` and the policy name `name`: inputs named by index, the
/// `small` profile.
pub(crate) fn key_file(magic: &[u8; 4], model: &Model, visibility: &InputVisibility, name: &str) -> Vec<u8> {
    let model_bytes = codec::encode(model);
    let mut out = Vec::new();
    write_header(&mut out, magic);
    out.extend_from_slice(&(model_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&model_bytes);
    visibility.write(&mut out);
    InputNames::indexed(model.input_len).write(&mut out);
    out.push(Profile::Small.code());
    write_uvar(&mut out, name.len() as u64);
    out.extend_from_slice(name.as_bytes());
    out
}
