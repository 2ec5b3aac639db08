//! Fuzzing the prover's inputs (issue 12 §6): the request input JSON
//! (`zkpolicy::input`), the issuer's openings file (`policy::Openings`, which
//! `prove --blinds` and `commit --blinds` read), the visibility spec, and every key and proof decoder
//! again with keys and proofs of the three seed models in `models/` (set up and
//! proved at run time). The engine is `core/tests/fuzz/mod.rs`.
//!
//! ```sh
//! ZKPOLICY_FUZZ_CASES=20000 cargo test -p zkpolicy-cli --release --test fuzz_inputs -- --nocapture
//! ```

#[path = "../../core/tests/fuzz/mod.rs"]
mod fuzz;

use ark_bn254::Fr;
use fuzz::targets::{standard_targets, ModelSpec, Pool};
use fuzz::*;
use zkpolicy::input::parse_input;
use zkpolicy_core::frontend::model::Model;
use zkpolicy_core::policy::{hex_digest, Openings};
use zkpolicy_core::snark::encoding::scalar_hex;

#[global_allocator]
static ALLOC: Counting = Counting;

/// Inputs when `ZKPOLICY_FUZZ_CASES` is unset: a few seconds in a debug build.
const DEFAULT_CASES: u64 = 10_000;

const SEED_MODELS: [&str; 3] = ["whitelist", "simple_velocity", "business_hours"];

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The seed models with their sample requests (quantized) and two visibilities each.
fn seed_models() -> (Vec<ModelSpec>, Vec<String>) {
    let mut specs = Vec::new();
    let mut texts = Vec::new();
    for name in SEED_MODELS {
        let dir = root().join("models").join(name);
        let imported =
            zkpolicy::load_onnx(dir.join(format!("{name}.onnx")), &Default::default()).expect("seed model imports");
        let model = imported.model;
        let mut inputs = Vec::new();
        for sample in ["approve.json", "deny.json"] {
            let text = std::fs::read_to_string(dir.join(sample)).unwrap();
            let real = parse_input(&text, &[]).unwrap();
            inputs.push(model.quantize(&real).unwrap());
            texts.push(text);
        }
        let n = model.input_len;
        let mixed = format!("public=0..{},committed={}", (n / 2).max(1), n - 1);
        specs.push(ModelSpec { name: name.into(), model, specs: vec!["all-private".into(), mixed], inputs });
    }
    (specs, texts)
}

/// `zkpolicy::input::parse_input`, then `Model::quantize` for every seed model of that width.
fn input_json<'a>(weight: u64, texts: &[String], models: &'a [Model]) -> Target<'a> {
    let seeds: Vec<Seed> = texts.iter().map(|t| Seed::plain(t.clone().into_bytes())).collect();
    let widths: Vec<usize> = models.iter().map(|m| m.input_len).collect();
    Target {
        name: "input_json",
        weight,
        bound: "64·len + 64 KiB (serde_json values: ≤32 B per ≥2 input bytes, Vec growth)".into(),
        gen: Box::new(move |rng| {
            if rng.chance(1, 2) {
                let (b, i) = mutate_text(rng, &seeds);
                return Case::new(b, i);
            }
            // A structured request: numbers of every kind, wrong types, both layouts.
            let n = match rng.below(4) {
                0 => *rng.pick(&widths),
                1 => rng.pick(&widths).wrapping_add(*rng.pick(&[1, usize::MAX])),
                _ => rng.small_len(300),
            };
            let values: Vec<String> = (0..n)
                .map(|_| match rng.below(10) {
                    0..=4 => format!("{}", (rng.next() as i64 as f64) / 2f64.powi(rng.below(80) as i32)),
                    5 => rng.pick(NUMBER_SNIPPETS).to_string(),
                    6 if rng.chance(1, 4) => weird_json(rng),
                    _ => format!("{}", rng.below(3)),
                })
                .collect();
            let array = format!("[{}]", values.join(","));
            let (key, value) = match rng.below(6) {
                0 => ("input_data", format!("[{array}]")),
                1 => ("input_data", format!("[{array},{array}]")),
                2 => ("input_data", array.clone()),
                3 if rng.chance(1, 3) => ("input", weird_json(rng)),
                _ => ("input", array),
            };
            let mut fields = vec![(key.to_string(), value)];
            if rng.chance(1, 4) {
                fields.push(((*rng.pick(&["input", "input_data", "other"])).to_string(), weird_json(rng)));
            }
            let shuffle = rng.chance(1, 4);
            Case::new(write_object(rng, fields, shuffle).into_bytes(), 0)
        }),
        check: Box::new(|case, probe| {
            let text = case.text();
            let r = probe.measure("parse", 64 * case.bytes.len() + 64 * 1024, || parse_input(&text, &[]));
            if let Ok(values) = &r {
                if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                    return Err(fail(format!("input value {i} is not finite: {}", values[i])));
                }
                for m in models.iter().filter(|m| m.input_len == values.len()) {
                    // Out-of-range values are refused (not clamped); whatever quantizes is in range.
                    let q = match m.quantize(values) {
                        Ok(q) => q,
                        Err(zkpolicy_core::frontend::model::EvalError::OutOfRange { .. }) => continue,
                        Err(e) => return Err(fail(format!("a parsed input does not quantize: {e}"))),
                    };
                    if q.iter().any(|x| x.unsigned_abs() > m.input_bound as u64) {
                        return Err(fail("a quantized input exceeds the model's input bound"));
                    }
                }
            }
            Ok(if r.is_ok() { Outcome::Accepted } else { Outcome::Rejected })
        }),
    }
}

/// One openings-file seed: key index, proof index (which fixes input and blinds), JSON.
struct OpeningsSeed {
    key: usize,
    proof: usize,
    json: serde_json::Value,
}

/// A JSON openings document from a seed, with field-level mutations.
fn openings_case(rng: &mut Rng, pool: &Pool, seed: &OpeningsSeed, all: &[OpeningsSeed]) -> String {
    let doc = seed.json.as_object().unwrap();
    let touch = rng.chance(3, 4);
    let mut entries: Vec<serde_json::Map<String, serde_json::Value>> =
        doc["committed"].as_array().unwrap().iter().map(|e| e.as_object().unwrap().clone()).collect();
    let other = rng.pick(all);
    let mut raw_entries = Vec::new();
    if touch && !entries.is_empty() {
        match rng.below(6) {
            0 => {
                let i = rng.below(entries.len());
                entries.remove(i);
            }
            1 => {
                let e = entries[rng.below(entries.len())].clone();
                entries.push(e);
            }
            2 => entries.reverse(),
            3 => {
                // An entry of another openings file (same or other key).
                if let Some(o) = other.json["committed"].as_array().and_then(|a| a.first()) {
                    let i = rng.below(entries.len());
                    entries[i] = o.as_object().unwrap().clone();
                }
            }
            _ => {}
        }
    }
    for e in &entries {
        let mut fields = Vec::new();
        for (k, v) in e {
            let orig = v.to_string();
            let raw = if !touch || !rng.chance(1, 3) {
                orig
            } else {
                match k.as_str() {
                    "input" | "quantized" => match rng.below(3) {
                        0 => (v.as_i64().unwrap_or(0) + *rng.pick(&[-1i64, 1, 2])).to_string(),
                        1 => rng.pick(NUMBER_SNIPPETS).to_string(),
                        _ => weird_json(rng),
                    },
                    "blind" | "commitment" => {
                        let s = v.as_str().unwrap_or_default().to_string();
                        let mut b = s.clone().into_bytes();
                        match rng.below(8) {
                            0 => jstr(&s.to_ascii_uppercase()),
                            1 if !b.is_empty() => {
                                let at = 2 * rng.below(b.len() / 2);
                                b[at] = b'+';
                                jstr(&String::from_utf8_lossy(&b))
                            }
                            2 if !b.is_empty() => {
                                let at = rng.below(b.len());
                                b[at] = *rng.pick(b"0fg -");
                                jstr(&String::from_utf8_lossy(&b))
                            }
                            3 => jstr(&format!("{s}0")),
                            4 => jstr(&s[..s.len().saturating_sub(1)]),
                            5 => jstr(&scalar_hex(&-Fr::from(1u64))),
                            6 => jstr(&format!("{}é", &s[..s.len().saturating_sub(2)])),
                            _ => weird_json(rng),
                        }
                    }
                    _ => weird_json(rng),
                }
            };
            fields.push((k.clone(), raw));
        }
        let shuffle = touch && rng.chance(1, 5);
        raw_entries.push(write_object(rng, fields, shuffle));
    }
    let mut fields = Vec::new();
    for (k, v) in doc {
        let raw = match k.as_str() {
            "committed" => format!("[{}]", raw_entries.join(",")),
            "vk_digest" if touch && rng.chance(1, 6) => match rng.below(3) {
                0 => jstr(&v.as_str().unwrap_or_default().to_ascii_uppercase()),
                1 => jstr(&hex_digest(&pool.keys[rng.below(pool.keys.len())].vk.digest())),
                _ => weird_json(rng),
            },
            _ => v.to_string(),
        };
        fields.push((k.clone(), raw));
    }
    let shuffle = touch && rng.chance(1, 6);
    write_object(rng, fields, shuffle)
}

/// `Openings::from_json` and `Openings::blinds` (the `prove --blinds` and `commit --blinds` parser).
fn openings<'a>(weight: u64, pool: &'a Pool) -> Target<'a> {
    let mut seeds = Vec::new();
    for (ki, k) in pool.keys.iter().enumerate() {
        if k.pk.num_committed() == 0 {
            continue;
        }
        for (pi, blinds) in k.blinds.iter().enumerate() {
            let o = Openings::new(&k.vk, &k.inputs[pi], blinds);
            let json = serde_json::to_value(&o).unwrap();
            seeds.push(OpeningsSeed { key: ki, proof: pi, json });
        }
    }
    let text_seeds: Vec<Seed> =
        seeds.iter().map(|s| Seed::plain(serde_json::to_vec_pretty(&s.json).unwrap())).collect();
    let ids: Vec<(usize, usize)> = seeds.iter().map(|s| (s.key, s.proof)).collect();
    Target {
        name: "openings",
        weight,
        bound: "64·len + 64 KiB (serde_json document, blinds)".into(),
        gen: Box::new(move |rng| {
            let i = rng.below(seeds.len());
            let mut case = if rng.chance(1, 2) {
                Case::new(openings_case(rng, pool, &seeds[i], &seeds).into_bytes(), i)
            } else {
                let (b, j) = mutate_text(rng, &text_seeds);
                Case::new(b, j)
            };
            // Sometimes the request itself differs from the one the issuer committed to.
            if rng.chance(1, 8) {
                case.note = format!("input change {}", rng.below(64));
            }
            case
        }),
        check: Box::new(move |case, probe| {
            let (key, proof) = ids[case.meta];
            let k = &pool.keys[key];
            let mut input = k.inputs[proof].clone();
            if let Some(n) = case.note.strip_prefix("input change ") {
                let i: usize = n.parse().unwrap();
                let j = i % input.len();
                input[j] = input[j].saturating_add(1 + (i as i64 % 3));
            }
            let r = probe.measure("parse", 64 * case.bytes.len() + 64 * 1024, || {
                Openings::from_json(&case.bytes).and_then(|o| o.blinds(&k.vk, &input))
            });
            if let Ok(blinds) = &r {
                if !k.blinds.iter().any(|b| b == blinds) {
                    return Err(fail("accepted openings whose blinds are not the issuer's"));
                }
                // Every blind must be written canonically (64 hex digits of that scalar).
                // (Parsed as `Openings` again: serde ignores unknown fields without
                // validating them, e.g. a lone surrogate escape that `Value` rejects.)
                let doc: Openings = serde_json::from_slice(&case.bytes).map_err(|e| fail(format!("re-parse: {e}")))?;
                for (o, b) in doc.committed.iter().zip(blinds) {
                    let text = o.blind.as_str();
                    if !text.eq_ignore_ascii_case(&scalar_hex(b)) {
                        return Err(fail(format!(
                            "accepted the blind {text:?}, which is not the hex of {}",
                            scalar_hex(b)
                        )));
                    }
                }
            }
            Ok(if r.is_ok() { Outcome::Accepted } else { Outcome::Rejected })
        }),
    }
}

#[test]
fn fuzz_inputs() {
    let cfg = Config::from_env(DEFAULT_CASES);
    let _ = zkpolicy_core::snark::pedersen::generators::message_generators(1 << 10);
    let (specs, texts) = seed_models();
    let pool = Pool::build(&specs, 43);
    pool.print_summary("prover-cli");
    let mut targets = vec![input_json(30, &texts, &pool.models), openings(16, &pool)];
    targets.extend(standard_targets(&pool, "seed_", 1, 1));
    assert!(run("prover-cli", &targets, &cfg), "fuzzing found failures (see the report above)");
}
