//! `js/reports.d.ts`, the TypeScript declarations of the results of
//! `@zkpolicy/verifier`, is generated from the core's report types
//! (`zkpolicy_core::policy::report`, through `ts-rs`). This test fails when the
//! committed file differs from what the types give; run it with
//! `ZKPOLICY_UPDATE_TYPES=1` to rewrite the file.

use std::path::Path;

use ts_rs::{Config, TS};
use zkpolicy_core::frontend::visibility::Visibility;
use zkpolicy_core::policy::report::{
    DecisionRule, DomainInfo, ErrorCode, KeyReport, ModelInfo, ProofEncoding, ProofReport, VerifyReport,
};

const HEADER: &str = "\
// Generated from the Rust report types (zkpolicy_core::policy::report) by
// `ZKPOLICY_UPDATE_TYPES=1 cargo test -p zkpolicy-verifier-wasm --test typescript`;
// do not edit. docs/REPORTS.md describes every report, field and code.
";

/// The declarations of the report types and of every type they use.
struct Declarations {
    cfg: Config,
    text: String,
    declared: Vec<String>,
    used: Vec<String>,
}

impl Declarations {
    fn add<T: TS + 'static>(mut self) -> Self {
        self.declared.push(T::ident(&self.cfg));
        self.used.extend(T::dependencies(&self.cfg).into_iter().map(|d| d.ts_name));
        let decl = format!("{}export {}", T::docs().unwrap_or_default(), T::decl(&self.cfg));
        self.text.push('\n');
        self.text.push_str(&format_declaration(&decl));
        self
    }
}

fn reports_d_ts() -> String {
    let all = Declarations { cfg: Config::new(), text: HEADER.to_owned(), declared: Vec::new(), used: Vec::new() }
        .add::<VerifyReport>()
        .add::<KeyReport>()
        .add::<ProofReport>()
        .add::<ErrorCode>()
        .add::<ModelInfo>()
        .add::<DecisionRule>()
        .add::<DomainInfo>()
        .add::<Visibility>()
        .add::<ProofEncoding>();
    for name in &all.used {
        assert!(all.declared.contains(name), "the reports use {name}: declare it too");
    }
    all.text
}

/// Lays out one declaration as `ts-rs` writes it on one line: a line per field, two
/// spaces per level of braces, a one-line doc comment as `/** text */`, and a long
/// union of literals as one alternative per line.
fn format_declaration(decl: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut depth = 0usize;
    let mut angles = 0usize;
    let flush = |out: &mut String, line: &mut String, depth: usize| {
        let text = line.trim();
        if !text.is_empty() {
            out.push_str(&"  ".repeat(depth));
            out.push_str(text);
            out.push('\n');
        }
        line.clear();
    };
    let mut rest = decl;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/**") {
            flush(&mut out, &mut line, depth);
            let end = rest.find("*/").expect("a doc comment ends") + 2;
            out.push_str(&format_comment(&rest[..end], depth));
            rest = &rest[end..];
            continue;
        }
        // String literals, and the empty object type `{}` (as in `string & {}`), are kept as they are.
        let literal = match c {
            '"' => Some(rest[1..].find('"').expect("a string literal ends") + 2),
            '{' if rest.starts_with("{}") => Some(2),
            _ => None,
        };
        if let Some(end) = literal {
            line.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '{' => {
                line.push('{');
                flush(&mut out, &mut line, depth);
                depth += 1;
            }
            '}' => {
                flush(&mut out, &mut line, depth);
                depth -= 1;
                line.push('}');
            }
            '<' => {
                angles += 1;
                line.push('<');
            }
            '>' => {
                angles -= 1;
                line.push('>');
            }
            ',' if depth > 0 && angles == 0 => {
                line.push(',');
                flush(&mut out, &mut line, depth);
            }
            '\n' => line.push(' '),
            c => line.push(c),
        }
    }
    flush(&mut out, &mut line, depth);
    out.lines().map(split_union).collect()
}

/// A line of more than 100 characters `type X = A | B | ...;` as `type X =` and one
/// `| A` line per alternative; other lines as they are.
fn split_union(line: &str) -> String {
    match line.split_once(" = ") {
        Some((head, union)) if line.len() > 100 && !line.contains('{') => {
            let alternatives: String = union.split(" | ").map(|a| format!("\n  | {a}")).collect();
            format!("{head} ={alternatives}\n")
        }
        _ => format!("{line}\n"),
    }
}

/// A `/** ... */` comment at `depth`: one line if its text is one line.
fn format_comment(comment: &str, depth: usize) -> String {
    let indent = "  ".repeat(depth);
    let body = comment.trim_start_matches("/**").trim_end_matches("*/");
    let text: Vec<&str> = body
        .lines()
        .map(|l| l.trim().trim_start_matches('*'))
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .skip_while(|l| l.is_empty())
        .collect();
    let text = &text[..text.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1)];
    if let [one] = text {
        return format!("{indent}/** {one} */\n");
    }
    let lines: String =
        text.iter().map(|l| if l.is_empty() { format!("{indent} *\n") } else { format!("{indent} * {l}\n") }).collect();
    format!("{indent}/**\n{lines}{indent} */\n")
}

#[test]
fn reports_d_ts_is_generated_from_the_report_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("js/reports.d.ts");
    let generated = reports_d_ts();
    if std::env::var_os("ZKPOLICY_UPDATE_TYPES").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `ZKPOLICY_UPDATE_TYPES=1 cargo test -p zkpolicy-verifier-wasm --test typescript` \
         and commit it. Generated:\n{generated}",
        path.display()
    );
}
