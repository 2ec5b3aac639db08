//! Key files of models that `setup` refuses (hostile keys), or built without running
//! it (the generated-key fuzz target, which compares them with `setup`'s), written by
//! the library's one writer of the layout, [`files::encode_key_file`]. Included by path
//! from `support/mod.rs`, `fuzz/mod.rs` and `prover-cli/tests/hardening.rs`.

use zkpolicy_core::frontend::model::{codec, Model};
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{files, InputNames, Profile};

/// A key file under `magic` (a verifier or a proving key) as `setup` would write it
/// for `model`, `visibility` and the policy name `name`: inputs named by index, the
/// `small` profile.
pub(crate) fn key_file(magic: &[u8; 4], model: &Model, visibility: &InputVisibility, name: &str) -> Vec<u8> {
    let inputs = InputNames::indexed(model.input_len);
    files::encode_key_file(magic, &codec::encode(model), visibility, &inputs, Profile::Small, name)
}
