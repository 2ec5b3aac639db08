//! The `#[wasm_bindgen]` exports: argument checks and conversion of results to
//! plain JavaScript objects. All verification logic is in the crate root.

use js_sys::{ArrayBuffer, Reflect, Symbol, TypeError, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::ProofInput;

/// A proof argument copied out of JavaScript.
enum ProofArg {
    Bytes(Vec<u8>),
    Text(String),
}

impl ProofArg {
    fn as_input(&self) -> ProofInput<'_> {
        match self {
            ProofArg::Bytes(b) => ProofInput::Bytes(b),
            ProofArg::Text(s) => ProofInput::Json(s),
        }
    }
}

/// A `TypeError` with `code = "ERR_INVALID_ARG_TYPE"`, like Node's own.
fn invalid_arg(name: &str, expected: &str, value: &JsValue) -> JsValue {
    let got = if value.is_null() { "null".to_owned() } else { value.js_typeof().as_string().unwrap_or_default() };
    let err = TypeError::new(&format!("The \"{name}\" argument must be {expected}, received {got}"));
    // Setting a property on a fresh error object cannot fail.
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str("ERR_INVALID_ARG_TYPE"));
    err.into()
}

/// Whether `value` is a `Uint8Array` (or a subclass such as Node's `Buffer`),
/// also when it comes from another realm (iframe, `vm` context).
fn is_uint8_array(value: &JsValue) -> bool {
    ArrayBuffer::is_view(value)
        && Reflect::get(value, &Symbol::to_string_tag()).ok().and_then(|t| t.as_string()).as_deref() == Some("Uint8Array")
}

fn bytes_arg(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if is_uint8_array(value) {
        Ok(value.unchecked_ref::<Uint8Array>().to_vec())
    } else {
        Err(invalid_arg(name, "a Uint8Array", value))
    }
}

fn proof_arg(value: &JsValue) -> Result<ProofArg, JsValue> {
    if let Some(text) = value.as_string() {
        Ok(ProofArg::Text(text))
    } else if is_uint8_array(value) {
        Ok(ProofArg::Bytes(value.unchecked_ref::<Uint8Array>().to_vec()))
    } else {
        Err(invalid_arg("proof", "a Uint8Array or a string", value))
    }
}

/// Converts a result to a plain object; absent optional fields become `null`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).map_err(JsValue::from)
}

/// `verify(proof: Uint8Array | string, vk: Uint8Array): VerifyResult`.
#[wasm_bindgen(js_name = verify, skip_typescript)]
pub fn verify(proof: JsValue, vk: JsValue) -> Result<JsValue, JsValue> {
    let proof = proof_arg(&proof)?;
    let vk = bytes_arg(&vk, "vk")?;
    to_js(&crate::check(proof.as_input(), &vk))
}

/// `inspectVerifierKey(vk: Uint8Array): KeyInspection`.
#[wasm_bindgen(js_name = inspectVerifierKey, skip_typescript)]
pub fn inspect_verifier_key(vk: JsValue) -> Result<JsValue, JsValue> {
    to_js(&crate::inspect_key(&bytes_arg(&vk, "vk")?))
}

/// `inspectProof(proof: Uint8Array | string): ProofInspection`.
#[wasm_bindgen(js_name = inspectProof, skip_typescript)]
pub fn inspect_proof(proof: JsValue) -> Result<JsValue, JsValue> {
    to_js(&crate::inspect_proof(proof_arg(&proof)?.as_input()))
}
