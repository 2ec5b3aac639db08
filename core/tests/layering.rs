//! The layers of `core/src` import only downwards: the proof system (`snark/`)
//! knows nothing of the policy front end (`frontend/`) or the product
//! (`policy/`), and the front end nothing of the product.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The places in the files of layer `layer` that name a module of `above`.
fn upward_imports(layer: &str, above: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(layer);
    let files = sources(&root);
    assert!(files.len() > 3, "no sources found under {}", root.display());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for module in above {
                for prefix in ["crate::", "zkpolicy_core::"] {
                    if line.contains(&format!("{prefix}{module}")) {
                        found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_proof_system_imports_neither_the_front_end_nor_the_product() {
    let found = upward_imports("snark", &["frontend", "policy"]);
    assert!(found.is_empty(), "snark/ names an upper layer:\n{}", found.join("\n"));
}

#[test]
fn the_front_end_does_not_import_the_product() {
    let found = upward_imports("frontend", &["policy"]);
    assert!(found.is_empty(), "frontend/ names the product layer:\n{}", found.join("\n"));
}
