//! Completeness, soundness (single-value tampering, exhaustive search on tiny
//! models) and determinism of the circuit compiler.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;
use crate::frontend::model::trees::{Child, Split, Tree, TreeEnsemble};
use crate::frontend::model::{Decision, Layer, Model};
use crate::snark::r1cs::fr_from_i64;

fn model(s: u32, input_len: usize, input_bound: i64, layers: Vec<Layer>) -> Model {
    Model {
        scale_bits: s,
        input_len,
        input_bound,
        input_domains: Default::default(),
        layers,
        decision: Decision::Threshold { index: 0, threshold: 0 },
    }
}

/// A random `Dense` layer; about a quarter of the weights are zero.
fn dense(rng: &mut StdRng, in_dim: usize, out_dim: usize, w_max: i64, b_max: i64) -> Layer {
    let weights = (0..in_dim * out_dim)
        .map(|_| if rng.gen_range(0..4) == 0 { 0 } else { rng.gen_range(-w_max..=w_max) })
        .collect();
    let bias = (0..out_dim).map(|_| rng.gen_range(-b_max..=b_max)).collect();
    Layer::Dense { in_dim, out_dim, weights, bias }
}

/// A model `widths[0] → widths[1] → …` with `act` after every hidden `Dense`.
fn mlp(rng: &mut StdRng, s: u32, input_bound: i64, widths: &[usize], act: Option<Layer>) -> Model {
    let one = 1i64 << s;
    let mut layers = Vec::new();
    for (i, pair) in widths.windows(2).enumerate() {
        if i > 0 {
            layers.extend(act.clone());
        }
        layers.push(dense(rng, pair[0], pair[1], one, one * one));
    }
    model(s, widths[0], input_bound, layers)
}

/// Compiles, evaluates and builds the witness; asserts it satisfies the circuit.
fn satisfied(m: &Model, input: &[i64]) -> (Circuit, Vec<Fr>, Vec<Fr>) {
    let circuit = compile(m).expect("compile");
    let trace = m.eval(input).expect("eval");
    let public = public_values(&trace.input, trace.logits());
    let witness = circuit.witness(m, &trace).expect("witness");
    assert_eq!(circuit.check(&public, &witness), Ok(()), "model {m:?} input {input:?}");
    assert_eq!(circuit.r1cs.check_shape(), Ok(()));
    (circuit, public, witness)
}

fn inputs(rng: &mut StdRng, m: &Model) -> Vec<Vec<i64>> {
    let b = m.input_bound;
    let n = m.input_len;
    vec![
        vec![0; n],
        vec![b; n],
        vec![-b; n],
        (0..n).map(|i| if i % 2 == 0 { b } else { -b }).collect(),
        (0..n).map(|_| rng.gen_range(-b..=b)).collect(),
        (0..n).map(|_| rng.gen_range(-b..=b) >> rng.gen_range(0..20)).collect(),
    ]
}

fn activations(s: u32) -> Vec<Option<Layer>> {
    let one = 1i64 << s;
    vec![
        None,
        Some(Layer::Relu),
        Some(Layer::LeakyRelu { alpha: one / 10 }),
        Some(Layer::LeakyRelu { alpha: -3 * one }),
        Some(Layer::Clip { min: 0, max: 6 * one }),
        Some(Layer::Clip { min: -one, max: one }),
        Some(Layer::Clip { min: -(1 << 50), max: 3 }),
        Some(Layer::Clip { min: -5, max: 1 << 50 }),
    ]
}

#[test]
fn completeness_random_models() {
    let mut rng = StdRng::seed_from_u64(1);
    let shapes: &[&[usize]] = &[&[1, 1], &[5, 8, 2], &[3, 4, 4, 1], &[7, 6, 5, 4, 3], &[35, 16, 1]];
    for s in [1u32, 4, 12] {
        for act in activations(s) {
            for widths in shapes {
                for input_bound in [1i64, 1 << s, 1 << 20] {
                    let m = mlp(&mut rng, s, input_bound, widths, act.clone());
                    for input in inputs(&mut rng, &m) {
                        satisfied(&m, &input);
                    }
                }
            }
        }
    }
}

#[test]
fn completeness_activation_placements() {
    let mut rng = StdRng::seed_from_u64(2);
    let s = 6;
    let one = 1i64 << s;
    let d = |rng: &mut StdRng, i, o| dense(rng, i, o, one, one * one);
    let bodies = vec![
        // Activations on the public input, chained activations, Dense→Dense, a head.
        vec![Layer::Relu, d(&mut rng, 4, 3)],
        vec![Layer::LeakyRelu { alpha: one / 4 }, d(&mut rng, 4, 3), Layer::Sigmoid],
        vec![Layer::Clip { min: -one, max: 2 * one }, d(&mut rng, 4, 2), Layer::ArgMax],
        vec![d(&mut rng, 4, 5), Layer::Relu, Layer::Relu, d(&mut rng, 5, 2), Layer::Softmax],
        vec![d(&mut rng, 4, 5), d(&mut rng, 5, 5), d(&mut rng, 5, 1), Layer::Tanh],
        vec![d(&mut rng, 4, 5), Layer::Clip { min: -100, max: 100 }, Layer::Relu, d(&mut rng, 5, 2)],
        vec![d(&mut rng, 4, 5), Layer::Relu, Layer::LeakyRelu { alpha: 7 }, d(&mut rng, 5, 2)],
        vec![d(&mut rng, 4, 5), Layer::Clip { min: -(1 << 50), max: 1 << 50 }, d(&mut rng, 5, 2)],
    ];
    for layers in bodies {
        let m = model(s, 4, 1000, layers);
        for input in inputs(&mut rng, &m) {
            satisfied(&m, &input);
        }
    }
}

#[test]
fn zero_weights_and_extreme_values() {
    let s = 12;
    let zero = Layer::Dense { in_dim: 3, out_dim: 2, weights: vec![0; 6], bias: vec![0, -(1 << 30)] };
    let big = Layer::Dense {
        in_dim: 2,
        out_dim: 1,
        weights: vec![i64::from(i32::MAX), i64::from(i32::MIN)],
        bias: vec![i64::MAX],
    };
    let m = model(s, 3, 1 << 40, vec![zero, Layer::Relu, big]);
    for input in [[0, 0, 0], [1 << 40, -(1 << 40), 7]] {
        satisfied(&m, &input);
    }
}

#[test]
fn deterministic() {
    let mut rng = StdRng::seed_from_u64(3);
    let m = mlp(&mut rng, 12, 1 << 20, &[10, 6, 3], Some(Layer::Relu));
    assert_eq!(compile(&m).unwrap(), compile(&m).unwrap());
}

#[test]
fn unsupported_and_invalid() {
    let mut rng = StdRng::seed_from_u64(4);
    for act in [Layer::Sigmoid, Layer::Tanh, Layer::Softmax] {
        let m = mlp(&mut rng, 8, 100, &[3, 3, 2], Some(act.clone()));
        let err = compile(&m).unwrap_err();
        assert!(matches!(err, CircuitError::Unsupported { layer: 1, op, .. } if op == act.name()), "{err}");
        assert!(err.to_string().starts_with(&format!("layer 1 ({}) cannot be proved", act.name())));
    }
    let mut m = mlp(&mut rng, 8, 100, &[3, 2], None);
    m.input_len = 4;
    assert!(matches!(compile(&m), Err(CircuitError::Model(_))));
}

#[test]
fn witness_rejects_foreign_trace() {
    let mut rng = StdRng::seed_from_u64(5);
    let a = mlp(&mut rng, 8, 100, &[3, 4, 2], Some(Layer::Relu));
    let b = mlp(&mut rng, 8, 100, &[3, 5, 2], Some(Layer::Relu));
    let circuit = compile(&a).unwrap();
    let trace = b.eval(&[1, 2, 3]).unwrap();
    // Either the trace does not fit, or its witness fails the check: never a panic.
    if let Ok(w) = circuit.witness(&b, &trace) {
        let public = public_values(&trace.input, trace.logits());
        assert!(circuit.check(&public, &w).is_err());
    }
    let short = b.eval(&[1, 2, 3]).map(|mut t| {
        t.layers.truncate(1);
        t
    });
    assert!(circuit.witness(&a, &short.unwrap()).is_err());
    assert!(matches!(circuit.check(&[], &[]), Err(CircuitError::Length { .. })));
}

/// The failing row after a tampering.
fn failure(circuit: &Circuit, public: &[Fr], witness: &[Fr]) -> Label<Constraint> {
    match circuit.check(public, witness) {
        Err(CircuitError::Unsatisfied { label, row }) => {
            assert_eq!(circuit.r1cs.is_satisfied(public, witness), Err(row));
            label
        }
        other => panic!("tampered assignment accepted or mislabelled: {other:?}"),
    }
}

/// Models exercising every gadget, with inputs whose signs vary.
fn tamper_models() -> Vec<(Model, Vec<i64>)> {
    let mut rng = StdRng::seed_from_u64(6);
    let s = 5;
    let one = 1i64 << s;
    let mut out = Vec::new();
    for act in activations(s).into_iter().flatten() {
        let mut m = mlp(&mut rng, s, 1 << 10, &[5, 8, 2], Some(act.clone()));
        m.layers.insert(0, act);
        let input = vec![1 << 10, -(1 << 10), 3 * one, -one, 0];
        out.push((m, input));
    }
    out
}

#[test]
fn every_single_witness_change_is_caught_at_its_neuron() {
    for (m, input) in tamper_models() {
        let (circuit, public, witness) = satisfied(&m, &input);
        for (i, col) in circuit.column_labels().iter().enumerate() {
            for delta in [Fr::ONE, -Fr::ONE, Fr::from(1u64 << m.scale_bits)] {
                let mut w = witness.clone();
                w[i] += delta;
                let row = failure(&circuit, &public, &w);
                assert_eq!((row.layer, row.neuron), (col.layer, col.neuron), "column {col} row {row}");
                if let Column::Bit { of, k, .. } = col.role {
                    let changed = witness[i] + delta;
                    let expect = if changed == Fr::ZERO || changed == Fr::ONE {
                        Constraint::Sum { of }
                    } else {
                        Constraint::Boolean { of, k }
                    };
                    assert_eq!(row.role, expect, "column {col}");
                }
            }
        }
    }
}

#[test]
fn flipped_bits_break_the_sum() {
    for (m, input) in tamper_models() {
        let (circuit, public, witness) = satisfied(&m, &input);
        for (i, col) in circuit.column_labels().iter().enumerate() {
            if let Column::Bit { of, .. } = col.role {
                let mut w = witness.clone();
                w[i] = Fr::ONE - w[i];
                let row = failure(&circuit, &public, &w);
                assert_eq!(row, Label { layer: col.layer, neuron: col.neuron, role: Constraint::Sum { of } });
            }
        }
    }
}

/// Indices of the bit columns of one decomposition.
fn bits_of(circuit: &Circuit, layer: u32, neuron: u32, of: Decomposition) -> Vec<usize> {
    (0..circuit.r1cs.num_witness)
        .filter(|&i| {
            let l = circuit.column_label(i).unwrap();
            (l.layer, l.neuron) == (layer, neuron) && matches!(l.role, Column::Bit { of: o, .. } if o == of)
        })
        .collect()
}

fn index_of(circuit: &Circuit, layer: u32, neuron: u32, role: Column) -> usize {
    circuit.column_labels().iter().position(|l| *l == Label { layer, neuron, role }).unwrap()
}

/// Integer value of `Σ 2^k·w[bits[k]]` for boolean `w`.
fn bits_value(witness: &[Fr], bits: &[usize]) -> i128 {
    bits.iter().enumerate().map(|(k, &i)| if witness[i] == Fr::ONE { 1i128 << k } else { 0 }).sum()
}

fn set_bits(witness: &mut [Fr], bits: &[usize], v: i128) {
    for (k, &i) in bits.iter().enumerate() {
        witness[i] = if (v >> k) & 1 == 1 { Fr::ONE } else { Fr::ZERO };
    }
}

/// Dense(4→3) + ReLU + Dense(3→2) at s = 4.
fn relu_model() -> (Model, Vec<i64>) {
    let d1 = Layer::Dense {
        in_dim: 4,
        out_dim: 3,
        weights: vec![16, -8, 3, 0, -16, 5, 0, 7, 9, 9, -9, 1],
        bias: vec![100, -37, 0],
    };
    let d2 = Layer::Dense { in_dim: 3, out_dim: 2, weights: vec![5, -16, 3, 8, 8, -1], bias: vec![-12, 300] };
    (model(4, 4, 200, vec![d1, Layer::Relu, d2]), vec![37, -150, 200, 3])
}

#[test]
fn shifting_q_and_remainder_needs_a_non_boolean_bit() {
    let (m, input) = relu_model();
    let s = m.scale_bits;
    let (circuit, public, witness) = satisfied(&m, &input);
    let trace = m.eval(&input).unwrap();
    for neuron in 0..3u32 {
        let bits = bits_of(&circuit, 0, neuron, Decomposition::Requantize);
        let (low, high) = bits.split_at(s as usize);
        let (r, h) = (bits_value(&witness, low), bits_value(&witness, high));
        // q + 1 with r - 2^s keeps acc + 2^(s-1) = q·2^s + r; r - 2^s < 0 has no
        // s-bit encoding, so the cheat puts it into bit 0 as a field element.
        let mut w = witness.clone();
        set_bits(&mut w, high, h + 1);
        w[low[0]] -= Fr::from(1u64 << s);
        let q = trace.layers[0].output[neuron as usize] + 1;
        w[index_of(&circuit, 1, neuron, Column::Relu)] = fr_from_i64(q.max(0));
        assert_eq!(bits_value(&witness, low), r);
        let row = failure(&circuit, &public, &w);
        assert_eq!(row, Label { layer: 0, neuron, role: Constraint::Boolean { of: Decomposition::Requantize, k: 0 } });
        // Same with q - 1 and r + 2^s.
        let mut w = witness.clone();
        set_bits(&mut w, high, h - 1);
        w[low[0]] += Fr::from(1u64 << s);
        let row = failure(&circuit, &public, &w);
        assert_eq!(row.role, Constraint::Boolean { of: Decomposition::Requantize, k: 0 });
        assert_eq!((row.layer, row.neuron), (0, neuron));
    }
}

#[test]
fn flipping_the_relu_sign_needs_a_non_boolean_bit() {
    let (m, input) = relu_model();
    let (circuit, public, witness) = satisfied(&m, &input);
    let trace = m.eval(&input).unwrap();
    for neuron in 0..3u32 {
        let bits = bits_of(&circuit, 0, neuron, Decomposition::Requantize);
        let top = bits.len() - 1;
        let q = trace.layers[0].output[neuron as usize];
        let mut w = witness.clone();
        // Flip the sign bit and restore the linear relation with bit top-1 (±2):
        let flip = if witness[bits[top]] == Fr::ONE { -Fr::ONE } else { Fr::ONE };
        w[bits[top]] += flip;
        w[bits[top - 1]] -= flip.double();
        // The cheater's ReLU output under the flipped sign: sign·q.
        let y = index_of(&circuit, 1, neuron, Column::Relu);
        w[y] = if q >= 0 { Fr::ZERO } else { fr_from_i64(q) };
        let row = failure(&circuit, &public, &w);
        assert_eq!(
            row,
            Label { layer: 0, neuron, role: Constraint::Boolean { of: Decomposition::Requantize, k: top as u32 - 1 } }
        );
        // Flipping only the sign and the ReLU output breaks the sum.
        let mut w = witness.clone();
        w[bits[top]] += flip;
        w[y] = if q >= 0 { Fr::ZERO } else { fr_from_i64(q) };
        assert_eq!(failure(&circuit, &public, &w).role, Constraint::Sum { of: Decomposition::Requantize });
    }
}

#[test]
fn changed_public_values_are_rejected() {
    for (m, input) in tamper_models().into_iter().chain([relu_model()]) {
        let (circuit, public, witness) = satisfied(&m, &input);
        let last = (m.body_len() - 1) as u32;
        for (i, _) in public.iter().enumerate() {
            for delta in [Fr::ONE, -Fr::ONE] {
                let mut p = public.clone();
                p[i] += delta;
                let row = failure(&circuit, &p, &witness);
                if i >= m.input_len {
                    let neuron = (i - m.input_len) as u32;
                    assert_eq!(row, Label { layer: last, neuron, role: Constraint::Logit });
                } else {
                    assert_eq!(row.layer, 0, "input change caught at {row}");
                    if !matches!(m.layers[0], Layer::Dense { .. }) {
                        assert_eq!(row.neuron as usize, i, "input change caught at {row}");
                    }
                }
            }
        }
    }
}

#[test]
fn error_names_layer_neuron_and_role() {
    let (m, input) = relu_model();
    let (circuit, public, mut witness) = satisfied(&m, &input);
    let i = bits_of(&circuit, 2, 1, Decomposition::Requantize)[5];
    witness[i] = Fr::from(2u64);
    let err = circuit.check(&public, &witness).unwrap_err().to_string();
    assert!(err.starts_with("layer 2 neuron 1: booleanity of bit 5 of the requantization fails (constraint "), "{err}");
}

/// A row's entries in A, B, C and the variable position after which it is decidable.
type Row = (usize, [Vec<(usize, Fr)>; 3]);

/// Every logit in `[-window, window]` that some witness (see [`exhaustive`]) proves for
/// `input`, the one public input of a one-output model.
fn exhaustive_logits(m: &Model, input: i64, window: i64) -> Vec<i64> {
    assert_eq!((m.input_len, m.logits_len()), (1, 1));
    // The input is z column 1, the logit column 2.
    exhaustive(&compile(m).unwrap(), &[(1, input)], window, &[2]).into_iter().map(|v| v[0]).collect()
}

/// Every satisfying assignment of `circuit` with the `fixed` columns set (domains:
/// `{0, 1}` for bit columns, `[-window, window]` for the other witness columns and for
/// the public columns not fixed). Depth-first in column order; a row is checked as
/// soon as the last column it reads is assigned, which prunes without losing
/// completeness. Returns, for each assignment found, the values of the `report` columns.
fn exhaustive(circuit: &Circuit, fixed: &[(usize, i64)], window: i64, report: &[usize]) -> Vec<Vec<i64>> {
    let r1cs = &circuit.r1cs;
    let range: Vec<i64> = (-window..=window).collect();
    // Variables: the witness columns in order, then the public columns not fixed.
    let mut vars: Vec<(usize, Vec<i64>)> = circuit
        .column_labels()
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let domain = if matches!(l.role, Column::Bit { .. }) { vec![0, 1] } else { range.clone() };
            (r1cs.witness_col(i), domain)
        })
        .collect();
    vars.extend((1..=r1cs.num_public).filter(|c| fixed.iter().all(|(f, _)| f != c)).map(|c| (c, range.clone())));
    let position = |col: usize| vars.iter().position(|(c, _)| *c == col);
    let mut rows: Vec<Row> = (0..r1cs.num_constraints).map(|_| (0, Default::default())).collect();
    for (k, mat) in [&r1cs.a, &r1cs.b, &r1cs.c].into_iter().enumerate() {
        for e in &mat.entries {
            rows[e.row].1[k].push((e.col, e.val));
            rows[e.row].0 = rows[e.row].0.max(position(e.col).unwrap_or(0));
        }
    }
    // z as field elements, and the same assignment as integers.
    let mut z = vec![Fr::ZERO; r1cs.num_columns()];
    let mut ints = vec![0i64; r1cs.num_columns()];
    z[0] = Fr::ONE;
    for &(col, v) in fixed {
        (z[col], ints[col]) = (fr_from_i64(v), v);
    }
    let mut found = Vec::new();
    struct Search<'a> {
        vars: &'a [(usize, Vec<i64>)],
        rows: &'a [Row],
        report: &'a [usize],
    }
    fn dfs(p: usize, s: &Search<'_>, z: &mut Vec<Fr>, ints: &mut Vec<i64>, found: &mut Vec<Vec<i64>>) {
        let Some((col, domain)) = s.vars.get(p) else {
            found.push(s.report.iter().map(|c| ints[*c]).collect());
            return;
        };
        for v in domain {
            (z[*col], ints[*col]) = (fr_from_i64(*v), *v);
            let ok = s.rows.iter().filter(|(ready, _)| *ready == p).all(|(_, [a, b, c])| {
                let dot = |t: &[(usize, Fr)]| t.iter().map(|(c, v)| *v * z[*c]).sum::<Fr>();
                dot(a) * dot(b) == dot(c)
            });
            if ok {
                dfs(p + 1, s, z, ints, found);
            }
        }
        z[*col] = Fr::ZERO;
    }
    dfs(0, &Search { vars: &vars, rows: &rows, report }, &mut z, &mut ints, &mut found);
    found
}

#[test]
fn exhaustive_tiny_models_have_exactly_the_evaluators_logit() {
    let s = 1;
    let d = |w: i64, b: i64| Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![w], bias: vec![b] };
    let bodies = vec![
        vec![d(3, 1)],
        vec![d(3, 1), Layer::Relu, d(-2, 2)],
        vec![Layer::Relu, d(-3, 1)],
        vec![d(3, -1), Layer::LeakyRelu { alpha: 1 }, d(2, 0)],
        vec![d(3, 1), Layer::Clip { min: -1, max: 2 }, d(2, 1)],
    ];
    for layers in bodies {
        let m = model(s, 1, 3, layers);
        for input in -3..=3 {
            let expected = m.eval(&[input]).unwrap().logits()[0];
            assert_eq!(exhaustive_logits(&m, input, 12), vec![expected], "model {:?} input {input}", m.layers);
        }
    }
}

/// Constraint and witness counts for the reference shapes (s = 12, input bound 2^20).
#[test]
fn sizes() {
    let mut rng = StdRng::seed_from_u64(7);
    for widths in [&[102usize, 64, 32, 1][..], &[5, 8, 2], &[35, 16, 1]] {
        let m = mlp(&mut rng, 12, 1 << 20, widths, Some(Layer::Relu));
        let c = compile(&m).unwrap();
        let nnz = c.r1cs.a.entries.len() + c.r1cs.b.entries.len() + c.r1cs.c.entries.len();
        eprintln!(
            "{widths:?}: {} constraints, {} public, {} witness, {nnz} nonzeros",
            c.r1cs.num_constraints, c.r1cs.num_public, c.r1cs.num_witness
        );
        let mut rng_in = StdRng::seed_from_u64(8);
        for input in inputs(&mut rng_in, &m) {
            satisfied(&m, &input);
        }
    }
}

/// Entries per matrix of a compiled circuit (before canonicalization).
fn entries(r: &crate::snark::r1cs::R1cs) -> [u64; 3] {
    [&r.a, &r.b, &r.c].map(|m| m.entries.len() as u64)
}

/// The estimate of `circuit_size` against the compiled circuit: exact rows, public
/// and witness counts; an upper bound on the entries that over-counts at most one
/// constant per row and matrix.
fn assert_size_matches(m: &Model, vis: &InputVisibility) {
    let size = circuit_size(m, vis).expect("size");
    let c = compile_with(m, vis).expect("compile");
    let r = &c.r1cs;
    assert_eq!(size.constraints, r.num_constraints as u64, "constraints of {m:?}");
    assert_eq!(size.public, r.num_public as u64, "public values of {m:?}");
    assert_eq!(size.witness, r.num_witness as u64, "witness values of {m:?}");
    for (i, (est, got)) in size.nonzeros.iter().zip(entries(r)).enumerate() {
        assert!(*est >= got, "matrix {i}: estimate {est} < {got} entries for {m:?}");
        assert!(*est <= got + r.num_constraints as u64, "matrix {i}: estimate {est} far above {got} for {m:?}");
    }
    // Canonicalization never merges (no row names a column twice) beyond dropping zeros.
    let mut canonical = c.r1cs.clone();
    canonical.canonicalize();
    assert_eq!(entries(&canonical), entries(r));
}

#[test]
fn size_estimate_matches_the_compiled_circuit() {
    let mut rng = StdRng::seed_from_u64(9);
    let shapes: &[&[usize]] = &[&[1, 1], &[5, 8, 2], &[3, 4, 4, 1], &[7, 6, 5, 4, 3]];
    for s in [1u32, 4, 12] {
        for act in activations(s).into_iter().chain([Some(Layer::LeakyRelu { alpha: 0 })]) {
            for widths in shapes {
                for input_bound in [1i64, 1 << s, 1 << 40] {
                    let m = mlp(&mut rng, s, input_bound, widths, act.clone());
                    let n = m.input_len;
                    for spec in ["all-public", "all-private", "all-committed", "public=0"] {
                        assert_size_matches(&m, &InputVisibility::parse(spec, n).unwrap());
                    }
                }
            }
        }
    }
    // Activations on the inputs, chained activations, Dense→Dense, a head.
    let s = 6;
    let one = 1i64 << s;
    let d = |rng: &mut StdRng, i, o| dense(rng, i, o, one, one * one);
    let bodies = vec![
        vec![Layer::Relu, d(&mut rng, 4, 3)],
        vec![Layer::LeakyRelu { alpha: one / 4 }, d(&mut rng, 4, 3), Layer::Sigmoid],
        vec![Layer::Clip { min: -one, max: 2 * one }, d(&mut rng, 4, 2), Layer::ArgMax],
        vec![Layer::Clip { min: 0, max: 2 * one }, Layer::Relu, Layer::Clip { min: -one, max: 0 }, d(&mut rng, 4, 2)],
        vec![d(&mut rng, 4, 5), Layer::Relu, Layer::Relu, d(&mut rng, 5, 2), Layer::Softmax],
        vec![d(&mut rng, 4, 5), d(&mut rng, 5, 5), d(&mut rng, 5, 1), Layer::Tanh],
        vec![d(&mut rng, 4, 5), Layer::Clip { min: -100, max: 100 }, Layer::Relu, d(&mut rng, 5, 2)],
        vec![d(&mut rng, 4, 5), Layer::Clip { min: -100, max: 0 }, d(&mut rng, 5, 2)],
        vec![d(&mut rng, 4, 5), Layer::Relu, Layer::LeakyRelu { alpha: 7 }, d(&mut rng, 5, 2)],
        vec![d(&mut rng, 4, 5), Layer::Clip { min: -(1 << 50), max: 1 << 50 }, d(&mut rng, 5, 2)],
        vec![Layer::Dense { in_dim: 4, out_dim: 2, weights: vec![0; 8], bias: vec![-(one / 2), 0] }],
    ];
    for layers in bodies {
        let m = model(s, 4, 1000, layers);
        for spec in ["all-public", "all-private", "public=1..3,committed=0"] {
            assert_size_matches(&m, &InputVisibility::parse(spec, 4).unwrap());
        }
    }
}

#[test]
fn circuits_above_the_limits_are_refused_before_building() {
    // 1 public input, Dense 1→4096, then 1000 ReLUs (each a 40-bit sign decomposition
    // per neuron), then Dense 4096→1: 8 K weights, ~50 M constraints.
    let width = 4096;
    let mut layers = vec![Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1; width], bias: vec![0; width] }];
    layers.extend(core::iter::repeat_n(Layer::Relu, 1000));
    layers.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
    let m = model(12, 1, 1 << 20, layers);
    let vis = InputVisibility::all(Visibility::Public, 1);
    let size = circuit_size(&m, &vis).unwrap();
    assert!(size.constraints > 10 * MAX_CONSTRAINTS as u64, "{size:?}");
    let start = std::time::Instant::now();
    let err = compile_with(&m, &vis).unwrap_err();
    assert!(start.elapsed() < std::time::Duration::from_secs(1), "refusal took {:?}", start.elapsed());
    assert_eq!(
        err,
        CircuitError::TooLarge { what: "constraints", value: size.constraints, limit: MAX_CONSTRAINTS as u64 }
    );
    assert!(err.to_string().starts_with("the model's circuit is too large: "), "{err}");

    // Each limit on its own.
    let base = CircuitSize { constraints: 10, public: 1, witness: 10, nonzeros: [10, 10, 10] };
    assert_eq!(base.check_limits(), Ok(()));
    let at_limits = CircuitSize {
        constraints: MAX_CONSTRAINTS as u64,
        public: MAX_PUBLIC as u64,
        witness: MAX_WITNESS as u64,
        nonzeros: [MAX_NONZEROS as u64 - 2, 1, 1],
    };
    assert_eq!(at_limits.check_limits(), Ok(()));
    let over = |f: fn(&mut CircuitSize)| {
        let mut s = at_limits;
        f(&mut s);
        match s.check_limits() {
            Err(CircuitError::TooLarge { what, .. }) => what,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(over(|s| s.constraints += 1), "constraints");
    assert_eq!(over(|s| s.witness += 1), "witness values");
    assert_eq!(over(|s| s.public += 1), "public values");
    assert_eq!(over(|s| s.nonzeros[2] += 1), "nonzero matrix entries");
    // Too many public values: 2^19 public inputs.
    let n = 1 << 19;
    let m = model(12, n, 1 << 12, vec![Layer::Dense { in_dim: n, out_dim: 1, weights: vec![1; n], bias: vec![0] }]);
    let err = compile_with(&m, &InputVisibility::all(Visibility::Public, n)).unwrap_err();
    assert!(matches!(err, CircuitError::TooLarge { what: "public values", .. }), "{err}");
}

/// The limits are exactly Spartan's: a circuit at the limits is accepted by
/// `spartan::preprocess`, one more row or witness value is refused.
#[test]
fn limits_agree_with_spartan() {
    use crate::snark::r1cs::R1cs;
    let r1cs = |num_constraints: usize, num_public: usize, num_witness: usize| R1cs {
        num_constraints,
        num_public,
        num_witness,
        ..Default::default()
    };
    let accepted =
        |r1cs| crate::snark::spartan::preprocess(r1cs, crate::snark::spartan::Profile::Small, Some([0; 32])).is_ok();
    assert!(accepted(r1cs(MAX_CONSTRAINTS, 1, 1)));
    assert!(!accepted(r1cs(MAX_CONSTRAINTS + 1, 1, 1)));
    assert!(accepted(r1cs(1, MAX_PUBLIC, 1)));
    assert!(!accepted(r1cs(1, MAX_PUBLIC + 1, 1)));
    assert!(accepted(r1cs(1, 1, MAX_WITNESS)));
    assert!(!accepted(r1cs(1, 1, MAX_WITNESS + 1)));
}

/// The builder refuses to pass the limits itself, whatever estimate it was given.
#[test]
fn builder_enforces_the_limits() {
    // Witness: hidden inputs cost 1 + 42 columns each at bound 2^40.
    let mut b = builder::Builder::new(12, 0, &CircuitSize::default());
    let hidden: Vec<usize> = (0..MAX_WITNESS / 43 + 1).collect();
    let default = Some(crate::frontend::model::InputDomain::default_for(1 << 40).lattice(12));
    let err = b.private_inputs(&hidden, &vec![default; hidden.len()]).unwrap_err();
    assert_eq!(
        err,
        CircuitError::TooLarge { what: "witness values", value: MAX_WITNESS as u64 + 1, limit: MAX_WITNESS as u64 }
    );
    // Constraints: a logit row costs no column.
    let mut b = builder::Builder::new(12, 1, &CircuitSize::default());
    let x = b.public_wire(0);
    let err = (0..=MAX_CONSTRAINTS as u32).try_for_each(|j| b.logit(0, j, &x, 0)).unwrap_err();
    assert_eq!(
        err,
        CircuitError::TooLarge {
            what: "constraints",
            value: MAX_CONSTRAINTS as u64 + 1,
            limit: MAX_CONSTRAINTS as u64
        }
    );
}

/// `Lanes` layers: every lane kind, on inputs, after a `Dense` (multi-term wires,
/// copied first) and after another `Lanes` (wires with constants).
fn lanes_bodies(s: u32) -> Vec<Vec<Layer>> {
    use crate::frontend::model::lanes::LaneOp::*;
    let one = 1i64 << s;
    let d = |o: usize, w: i64| Layer::Dense {
        in_dim: 3,
        out_dim: o,
        weights: (0..3 * o as i64).map(|k| (k % 3 - 1) * w).collect(),
        bias: (0..o as i64).map(|k| k * one * one / 2).collect(),
    };
    vec![
        vec![Layer::Lanes { ops: vec![AtLeast(2), Below(-1), Equal(0)] }, d(1, one)],
        vec![Layer::Lanes { ops: vec![Pass, NotEqual(3), Relu] }, d(2, one)],
        vec![d(3, 2 * one), Layer::Lanes { ops: vec![AtLeast(0), Equal(one / 2), Relu] }, d(1, one)],
        vec![
            Layer::Lanes { ops: vec![Below(1), Pass, Equal(-2)] },
            Layer::Lanes { ops: vec![Pass, AtLeast(-(1 << 40)), NotEqual(one)] },
            d(2, one),
        ],
        vec![d(3, one), Layer::Lanes { ops: vec![Relu, Below(1 << 50), Pass] }, d(3, one), Layer::Relu, d(1, one)],
    ]
}

#[test]
fn lanes_circuits_are_satisfied_by_the_evaluator_and_sized_exactly() {
    for s in [1u32, 4, 8] {
        for layers in lanes_bodies(s) {
            let m = model(s, 3, 4 << s, layers);
            for spec in ["all-public", "all-private", "public=1,committed=0..1,private=2"] {
                assert_size_matches(&m, &InputVisibility::parse(spec, 3).unwrap());
            }
            let b = m.input_bound;
            for x in [-b, -3, -2, -1, 0, 1, 2, 3, b / 2, b] {
                for input in [[x, 0, -x], [x, x, x], [1, x, 2], [-x, 3, x]] {
                    satisfied(&m, &input);
                }
            }
        }
    }
}

/// Soundness of the comparison gadgets: for every input of a one-input model, the
/// only logit an exhaustive search over the witness finds is the evaluator's.
#[test]
fn lanes_order_comparisons_admit_only_the_true_answer() {
    use crate::frontend::model::lanes::LaneOp::*;
    let s = 1;
    let sum = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![2], bias: vec![0] };
    for op in [AtLeast(0), AtLeast(2), Below(1), Below(-2), Relu] {
        let m = model(s, 1, 3, vec![Layer::Lanes { ops: vec![op] }, sum.clone()]);
        for input in -3..=3 {
            let expected = m.eval(&[input]).unwrap().logits()[0];
            assert_eq!(exhaustive_logits(&m, input, 6), vec![expected], "{op:?} on {input}");
        }
    }
}

/// Soundness of the is-zero gadget: flipping the equality bit of a satisfying
/// witness fails for every choice of the inverse column.
#[test]
fn lanes_equality_bits_cannot_be_flipped() {
    use crate::frontend::model::lanes::LaneOp::*;
    let s = 4;
    let sum = Layer::Dense { in_dim: 2, out_dim: 1, weights: vec![16, 16], bias: vec![0] };
    let m = model(s, 2, 64, vec![Layer::Lanes { ops: vec![Equal(5), NotEqual(-3)] }, sum]);
    for x in [-64, -3, 0, 4, 5, 6, 64] {
        let (circuit, public, witness) = satisfied(&m, &[x, x]);
        let col = |role: Column, neuron: u32| {
            circuit.column_labels().iter().position(|l| l.role == role && l.neuron == neuron).unwrap()
        };
        for neuron in 0..2 {
            let (e, inv) = (col(Column::Equal, neuron), col(Column::EqualInverse, neuron));
            let d = fr_from_i64(x - if neuron == 0 { 5 } else { -3 });
            for inv_value in [Fr::ZERO, Fr::ONE, -Fr::ONE, d.inverse().unwrap_or(Fr::ZERO), Fr::from(12345u64)] {
                let mut w = witness.clone();
                w[e] = Fr::ONE - w[e];
                w[inv] = inv_value;
                // The gadget's own rows object (they come before the Dense rows that read the bit).
                let err = circuit.check(&public, &w).unwrap_err();
                let CircuitError::Unsatisfied { label, .. } = err else { panic!("{err:?}") };
                assert!(
                    matches!(label.role, Constraint::EqualInverse | Constraint::EqualZero) && label.neuron == neuron,
                    "x={x} lane {neuron} flipped with inv {inv_value}: {label}"
                );
            }
        }
    }
}

/// A random tree over `features` inputs: up to `depth` splits deep, thresholds in
/// `±range`, leaf values in `±leaf` (about a third of them zero), `outputs` per leaf.
fn random_tree(rng: &mut StdRng, features: u32, depth: usize, range: i64, leaf: i64, outputs: usize) -> Tree {
    fn grow(rng: &mut StdRng, t: &mut Tree, depth: usize, p: (u32, i64, i64, usize)) -> Child {
        let (features, range, leaf, outputs) = p;
        if depth == 0 || rng.gen_range(0..4) == 0 {
            let i = (t.leaves.len() / outputs) as u32;
            t.leaves
                .extend((0..outputs).map(|_| if rng.gen_range(0..3) == 0 { 0 } else { rng.gen_range(-leaf..=leaf) }));
            return Child::Leaf(i);
        }
        let i = t.splits.len();
        let feature = rng.gen_range(0..features);
        let threshold = rng.gen_range(-range..=range);
        t.splits.push(Split { feature, threshold, left: Child::Leaf(0), right: Child::Leaf(0) });
        let left = grow(rng, t, depth - 1, p);
        let right = grow(rng, t, depth - 1, p);
        t.splits[i].left = left;
        t.splits[i].right = right;
        Child::Split(i as u32)
    }
    let mut t = Tree { splits: Vec::new(), leaves: Vec::new() };
    grow(rng, &mut t, depth, (features, range, leaf, outputs));
    t
}

fn ensemble(rng: &mut StdRng, trees: usize, features: u32, depth: usize, range: i64, outputs: usize) -> Layer {
    let leaf = 1 << 10;
    let trees = (0..trees).map(|_| random_tree(rng, features, depth, range, leaf, outputs)).collect();
    let base = (0..outputs).map(|_| rng.gen_range(-leaf..=leaf)).collect();
    Layer::Trees(TreeEnsemble { outputs, trees, base })
}

/// Inputs at, just below and just above every threshold of a `Trees` layer on the
/// inputs, and at the bounds.
fn threshold_inputs(m: &Model) -> Vec<Vec<i64>> {
    let Layer::Trees(e) = &m.layers[0] else { return vec![vec![0; m.input_len]] };
    let b = m.input_bound;
    let mut out = vec![vec![b; m.input_len], vec![-b; m.input_len]];
    for (f, ts) in e.thresholds_by_feature() {
        for t in ts {
            for x in [t - 1, t, t + 1] {
                let mut input = vec![x.clamp(-b, b); m.input_len];
                input[f as usize] = x.clamp(-b, b);
                input[(f as usize + 1) % m.input_len] = (-x).clamp(-b, b);
                out.push(input);
            }
        }
    }
    out
}

#[test]
fn trees_circuits_are_satisfied_by_the_evaluator_and_sized_exactly() {
    let mut rng = StdRng::seed_from_u64(16);
    for s in [1u32, 4, 12] {
        let one = 1i64 << s;
        for bound in [3i64, 5 << s, 1 << 40] {
            let range = (bound + 2).min(1 << 50);
            let d = |rng: &mut StdRng, i, o| dense(rng, i, o, one, one * one);
            let bodies = vec![
                vec![ensemble(&mut rng, 1, 1, 0, range, 1)],
                vec![ensemble(&mut rng, 3, 3, 3, range, 1)],
                // Thresholds far beyond the inputs' range: clamped in the circuit.
                vec![ensemble(&mut rng, 3, 3, 3, 1 << 59, 1)],
                vec![ensemble(&mut rng, 4, 3, 5, range, 3), Layer::Softmax],
                vec![ensemble(&mut rng, 2, 3, 2, range, 2), Layer::Relu, d(&mut rng, 2, 1)],
                vec![d(&mut rng, 3, 3), ensemble(&mut rng, 3, 3, 4, range, 2)],
            ];
            for layers in bodies {
                let m = model(s, 3, bound, layers);
                if m.validate().is_err() {
                    continue;
                }
                for spec in ["all-public", "all-private", "public=1,committed=0,private=2"] {
                    assert_size_matches(&m, &InputVisibility::parse(spec, 3).unwrap());
                }
                for input in threshold_inputs(&m).into_iter().chain(inputs(&mut rng, &m)) {
                    satisfied(&m, &input);
                }
            }
        }
    }
}

/// Soundness of the interval and path gadgets: for every input of a one-input
/// model, the only logit an exhaustive search over the witness finds is the evaluator's.
#[test]
fn trees_admit_only_the_true_leaf() {
    let s = 1;
    let split = |threshold, left, right| Split { feature: 0, threshold, left, right };
    let trees = vec![
        // x ≤ -1 ? 3 : (x ≤ 1 ? -2 : 1)
        Tree {
            splits: vec![split(-1, Child::Leaf(0), Child::Split(1)), split(1, Child::Leaf(1), Child::Leaf(2))],
            leaves: vec![3, -2, 1],
        },
        // x ≤ 0 ? (x ≤ -2 ? 1 : 2) : 0, thresholds shared with nothing
        Tree {
            splits: vec![split(0, Child::Split(1), Child::Leaf(2)), split(-2, Child::Leaf(0), Child::Leaf(1))],
            leaves: vec![1, 2, 0],
        },
    ];
    for (i, tree) in trees.iter().enumerate() {
        let one = TreeEnsemble { outputs: 1, trees: vec![tree.clone()], base: vec![0] };
        let both = TreeEnsemble { outputs: 1, trees: trees.clone(), base: vec![1] };
        for e in [one, both] {
            let m = model(s, 1, 3, vec![Layer::Trees(e)]);
            for input in -3..=3 {
                let expected = m.eval(&[input]).unwrap().logits()[0];
                assert_eq!(exhaustive_logits(&m, input, 6), vec![expected], "tree {i} on {input}");
            }
        }
    }
}

/// A hidden input that a first `Trees` layer compares has no range check of its own:
/// the interval checks bound it. An exhaustive search over the hidden input (beyond the
/// bound too) and the whole witness finds exactly the inputs within the bound, each
/// with the evaluator's logit. An input the trees do not compare keeps its range check.
#[test]
fn trees_bound_the_hidden_inputs_they_compare() {
    let split = |threshold, left, right| Split { feature: 0, threshold, left, right };
    // x ≤ -1 ? 3 : (x ≤ 1 ? -2 : 1), and a threshold beyond the bound (clamped).
    let tree = Tree {
        splits: vec![split(-1, Child::Leaf(0), Child::Split(1)), split(1, Child::Leaf(1), Child::Leaf(2))],
        leaves: vec![3, -2, 1],
    };
    let beyond = Tree { splits: vec![split(5, Child::Leaf(0), Child::Leaf(1))], leaves: vec![1, 0] };
    for trees in [vec![tree.clone()], vec![tree, beyond]] {
        let m = model(1, 1, 3, vec![Layer::Trees(TreeEnsemble { outputs: 1, trees, base: vec![0] })]);
        let circuit = compile_with(&m, &InputVisibility::all(Visibility::Private, 1)).unwrap();
        assert!(bits_of(&circuit, 0, 0, Decomposition::InputRange).is_empty());
        let input = circuit.r1cs.witness_col(0);
        let mut found = exhaustive(&circuit, &[], 6, &[input, 1]);
        found.sort();
        let expected: Vec<Vec<i64>> = (-3..=3).map(|x| vec![x, m.eval(&[x]).unwrap().logits()[0]]).collect();
        assert_eq!(found, expected);
    }
    // Feature 1 is not compared: it keeps its range check; feature 0 has none.
    let tree = Tree { splits: vec![split(0, Child::Leaf(0), Child::Leaf(1))], leaves: vec![1, 0] };
    let m = model(1, 2, 3, vec![Layer::Trees(TreeEnsemble { outputs: 1, trees: vec![tree], base: vec![0] })]);
    let circuit = compile_with(&m, &InputVisibility::all(Visibility::Private, 2)).unwrap();
    assert!(bits_of(&circuit, 0, 0, Decomposition::InputRange).is_empty());
    assert_eq!(bits_of(&circuit, 0, 1, Decomposition::InputRange).len(), domain_bits(6) as usize);
    // After a `Dense` the trees compare its outputs, not the inputs: both keep their checks.
    let m = model(1, 2, 3, vec![dense(&mut StdRng::seed_from_u64(3), 2, 1, 2, 2), m.layers[0].clone()]);
    let circuit = compile_with(&m, &InputVisibility::all(Visibility::Private, 2)).unwrap();
    for i in 0..2 {
        assert_eq!(bits_of(&circuit, 0, i, Decomposition::InputRange).len(), domain_bits(6) as usize);
    }
}

/// A hidden input with a declared domain: an exhaustive search over it (beyond the
/// domain too) and the whole witness finds exactly the domain's values, for an
/// interval, for integers (steps of `2^s`) and for two values (one product row);
/// the circuit's size is as estimated, also where the first layer would bound a
/// default-domain input itself.
#[test]
fn hidden_inputs_lie_in_their_declared_domains() {
    use crate::frontend::model::InputDomain;
    let s = 1;
    let d = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![2], bias: vec![0] };
    for (domain, values) in [
        (InputDomain::Interval { lo: -2, hi: 3 }, vec![-2, -1, 0, 1, 2, 3]),
        (InputDomain::Interval { lo: 1, hi: 2 }, vec![1, 2]),
        (InputDomain::Integers { lo: -1, hi: 2 }, vec![-2, 0, 2, 4]),
        (InputDomain::Integers { lo: 0, hi: 1 }, vec![0, 2]),
        (InputDomain::Integers { lo: 1, hi: 2 }, vec![2, 4]),
    ] {
        let mut m = model(s, 1, 6, vec![d.clone()]);
        m.input_domains.insert(0, domain);
        let vis = InputVisibility::all(Visibility::Private, 1);
        let circuit = compile_with(&m, &vis).unwrap();
        let input = circuit.r1cs.witness_col(0);
        // Values in the overlap of the two windows have two decompositions.
        let values_of = |circuit: &Circuit| {
            let mut found: Vec<i64> = exhaustive(circuit, &[], 8, &[input]).into_iter().map(|v| v[0]).collect();
            found.dedup();
            found
        };
        assert_eq!(values_of(&circuit), values, "{domain:?}");
        let choice = circuit.row_labels().iter().filter(|l| l.role == Constraint::InputChoice).count();
        assert_eq!(choice, usize::from(values.len() == 2), "{domain:?}");
        for &x in &values {
            satisfied(&m, &[x]);
        }
        assert_size_matches(&m, &vis);
        assert_size_matches(&m, &InputVisibility::all(Visibility::Committed, 1));
        // A first Trees layer bounds a default-domain input itself, never a declared one.
        let split = Split { feature: 0, threshold: 1, left: Child::Leaf(0), right: Child::Leaf(1) };
        let trees = Layer::Trees(TreeEnsemble {
            outputs: 1,
            trees: vec![Tree { splits: vec![split], leaves: vec![1, 0] }],
            base: vec![0],
        });
        m.layers = vec![trees];
        let circuit = compile_with(&m, &vis).unwrap();
        assert_eq!(circuit.r1cs.witness_col(0), input);
        assert_eq!(values_of(&circuit), values, "{domain:?} before trees");
        assert_size_matches(&m, &vis);
    }
}

/// The range check of a hidden input costs `bitlen(span) + 1` rows, two values one
/// row; a public input none.
#[test]
fn declared_domains_make_range_checks_cheaper() {
    use crate::frontend::model::InputDomain;
    let s = 12;
    let d = Layer::Dense { in_dim: 4, out_dim: 1, weights: vec![1, 2, 3, 4], bias: vec![0] };
    let mut m = model(s, 4, 256 << s, vec![d]);
    m.input_domains = [
        (1, InputDomain::Integers { lo: 0, hi: 1 }),
        (2, InputDomain::Interval { lo: 0, hi: 1 << s }),
        (3, InputDomain::Integers { lo: 0, hi: 23 }),
    ]
    .into_iter()
    .collect();
    let input_rows = |spec: &str| {
        let circuit = compile_with(&m, &InputVisibility::parse(spec, 4).unwrap()).unwrap();
        (0..4)
            .map(|i| {
                let checks = |l: &&Label<Constraint>| match l.role {
                    Constraint::Boolean { of, .. } | Constraint::Sum { of } => of == Decomposition::InputRange,
                    role => role == Constraint::InputChoice,
                };
                circuit.row_labels().iter().filter(|l| l.neuron == i && l.layer == 0).filter(checks).count()
            })
            .collect::<Vec<_>>()
    };
    // ±2^20: 22 bits and a sum row; a flag: one row; [0, 1] at scale 2^12: span 4096,
    // 13 bits; the hours 0..=23: span 23, 5 bits.
    assert_eq!(input_rows("all-private"), [23, 1, 14, 6]);
    assert_eq!(input_rows("public=0+2,committed=3"), [0, 1, 0, 6]);
    for spec in ["all-private", "all-committed", "public=1", "all-public"] {
        assert_size_matches(&m, &InputVisibility::parse(spec, 4).unwrap());
    }
}

/// Flipping any comparison or path bit of a satisfying witness fails.
#[test]
fn trees_bits_cannot_be_flipped() {
    let mut rng = StdRng::seed_from_u64(17);
    let m = model(4, 3, 64, vec![ensemble(&mut rng, 3, 3, 3, 70, 2)]);
    for input in threshold_inputs(&m) {
        let (circuit, public, witness) = satisfied(&m, &input);
        for (i, label) in circuit.column_labels().iter().enumerate() {
            if matches!(label.role, Column::Comparison { .. } | Column::TreePath { .. }) {
                let mut w = witness.clone();
                w[i] = Fr::ONE - w[i];
                assert!(circuit.check(&public, &w).is_err(), "{label} flipped on {input:?}");
            }
        }
    }
}

/// The range checks are sized from the interval analysis, which is tight at the corners of
/// the input box for the first layer: every corner (and random inputs) of deep models
/// satisfies the circuit, with hidden inputs too.
#[test]
fn deep_models_are_satisfied_at_every_corner_of_the_input_box() {
    let mut rng = StdRng::seed_from_u64(16);
    for act in activations(12).into_iter().flatten() {
        let m = mlp(&mut rng, 12, 1 << 20, &[4, 6, 6, 6, 6, 6, 6, 6, 2], Some(act.clone()));
        let bounds = m.validate_with_bounds().unwrap();
        let b = m.input_bound;
        let private = InputVisibility::all(Visibility::Private, m.input_len);
        let hidden = compile_with(&m, &private).unwrap();
        let mut reached = 0i128;
        for mask in 0..16u32 {
            let x: Vec<i64> = (0..4).map(|i| if mask >> i & 1 == 1 { b } else { -b }).collect();
            satisfied(&m, &x);
            let trace = m.eval(&x).unwrap();
            let witness = hidden.witness(&m, &trace).unwrap();
            assert_eq!(hidden.check(&public_values(&[], trace.logits()), &witness), Ok(()), "{act:?} {x:?}");
            reached = reached.max(trace.layers[0].output.iter().map(|v| (*v as i128).abs()).max().unwrap());
        }
        assert_eq!(reached, bounds[0].output, "{act:?}: the first layer's bound is reached at a corner");
        for x in inputs(&mut rng, &m) {
            satisfied(&m, &x);
        }
    }
}

/// `Piecewise` layers: the approximations of `Approximated` and a random function,
/// on inputs, after a `Dense` (multi-term wires), after another `Piecewise`, before a
/// `Dense`, and in the head.
fn piecewise_bodies(rng: &mut StdRng, s: u32) -> Vec<Vec<Layer>> {
    use crate::frontend::model::piecewise::{Approximated, Piecewise};
    let one = 1i64 << s;
    let random = {
        let mut breakpoints: Vec<i64> = (0..5).map(|_| rng.gen_range(-4 * one..=4 * one)).collect();
        breakpoints.sort_unstable();
        breakpoints.dedup();
        let k = breakpoints.len();
        let slopes = (0..=k).map(|_| rng.gen_range(-2 * one..=2 * one)).collect();
        let offsets = (0..=k).map(|_| rng.gen_range(-one * one..=one * one)).collect();
        Layer::Piecewise(Piecewise { breakpoints, slopes, offsets })
    };
    let sigmoid = Layer::Piecewise(Piecewise::approximate(Approximated::Sigmoid, s));
    let tanh = Layer::Piecewise(Piecewise::approximate(Approximated::Tanh, s));
    let approximate = |f| Layer::Piecewise(Piecewise::approximate(f, s));
    let d = |rng: &mut StdRng, i, o| dense(rng, i, o, one, one * one);
    vec![
        vec![approximate(Approximated::HardSwish), d(rng, 3, 1), approximate(Approximated::Exp { top: 4 })],
        vec![
            d(rng, 3, 3),
            approximate(Approximated::Gelu),
            approximate(Approximated::Elu { alpha: 1.5 }),
            d(rng, 3, 1),
        ],
        vec![approximate(Approximated::Softplus), approximate(Approximated::GeluTanh), d(rng, 3, 1)],
        vec![random.clone(), d(rng, 3, 1)],
        vec![d(rng, 3, 4), tanh, d(rng, 4, 2)],
        vec![d(rng, 3, 2), sigmoid, d(rng, 2, 1), Layer::Sigmoid],
        vec![d(rng, 3, 3), random, Layer::Relu, d(rng, 3, 1)],
    ]
}

#[test]
fn piecewise_circuits_are_satisfied_by_the_evaluator_and_sized_exactly() {
    let mut rng = StdRng::seed_from_u64(18);
    for s in [4u32, 8, 12] {
        for bound in [5i64, 6 << s, 1 << 30] {
            for layers in piecewise_bodies(&mut rng, s) {
                let m = model(s, 3, bound, layers);
                if m.validate().is_err() {
                    continue;
                }
                for spec in ["all-public", "all-private", "public=1,committed=0,private=2"] {
                    assert_size_matches(&m, &InputVisibility::parse(spec, 3).unwrap());
                }
                let breakpoints: Vec<i64> = match &m.layers[0] {
                    Layer::Piecewise(p) => p.breakpoints.clone(),
                    _ => vec![0],
                };
                for t in breakpoints.iter().take(12) {
                    for x in [t - 1, *t, t + 1] {
                        let x = x.clamp(-bound, bound);
                        satisfied(&m, &[x, -x, x / 2]);
                    }
                }
                for input in inputs(&mut rng, &m) {
                    satisfied(&m, &input);
                }
            }
        }
    }
}

/// Soundness: for every input of a one-input model, the only logit an exhaustive
/// search over the witness finds is the evaluator's (a segment other than the
/// input's cannot be chosen).
#[test]
fn piecewise_admits_only_the_true_segment() {
    use crate::frontend::model::piecewise::Piecewise;
    let s = 1;
    let f = Piecewise { breakpoints: vec![-1, 1], slopes: vec![2, -2, 1], offsets: vec![1, 0, -3] };
    let sum = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![2], bias: vec![0] };
    let m = model(s, 1, 3, vec![Layer::Piecewise(f), sum]);
    for input in -3..=3 {
        let expected = m.eval(&[input]).unwrap().logits()[0];
        assert_eq!(exhaustive_logits(&m, input, 8), vec![expected], "input {input}");
    }
}

/// The rows per element of each approximated function that `docs/PROTOCOL.md` §2.1
/// states: a first `Piecewise` layer at `s = 12` on inputs within `±(2^22 − 1)` (exp:
/// within `±max(top, 1)`), counted on the compiled circuit.
#[test]
fn piecewise_costs_are_as_documented() {
    use crate::frontend::model::piecewise::{Approximated, Piecewise};
    let s = 12;
    let documented = [
        (Approximated::Sigmoid, 139),
        (Approximated::Tanh, 139),
        (Approximated::Gelu, 149),
        (Approximated::Softplus, 150),
        (Approximated::Elu { alpha: 1.0 }, 149),
        (Approximated::HardSwish, 133),
        (Approximated::Exp { top: 0 }, 216),
        (Approximated::Exp { top: 4 }, 277),
    ];
    for (f, rows) in documented {
        let bound = match f {
            Approximated::Exp { top } => i64::from(top.max(1)) << s,
            _ => (1i64 << 22) - 1,
        };
        let identity = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![1 << s], bias: vec![0] };
        let m = model(s, 1, bound, vec![Layer::Piecewise(Piecewise::approximate(f, s)), identity]);
        let circuit = compile(&m).unwrap();
        assert_eq!(circuit.row_labels().iter().filter(|l| l.layer == 0).count(), rows, "{f:?}");
    }
}

/// `PiecewiseSoftmax` layers: on the inputs, after a `Dense` (multi-term wires), of
/// width 1, after a `ReLU`, twice in a row, before a head softmax, and with a
/// constant exponential (every output the mean).
fn softmax_bodies(rng: &mut StdRng, s: u32) -> Vec<Vec<Layer>> {
    use crate::frontend::model::piecewise::Piecewise;
    use crate::frontend::model::softmax::exp_table;
    let one = 1i64 << s;
    let sm = Layer::PiecewiseSoftmax(exp_table(s));
    let flat = Layer::PiecewiseSoftmax(Piecewise { breakpoints: vec![-1], slopes: vec![0, 0], offsets: vec![1, 1] });
    let d = |rng: &mut StdRng, i, o| dense(rng, i, o, one, one * one);
    vec![
        vec![sm.clone(), d(rng, 3, 1)],
        vec![d(rng, 3, 4), sm.clone(), d(rng, 4, 2)],
        vec![d(rng, 3, 1), sm.clone(), d(rng, 1, 1)],
        vec![d(rng, 3, 5), Layer::Relu, sm.clone(), d(rng, 5, 2), Layer::Softmax],
        vec![sm.clone(), sm, d(rng, 3, 2)],
        vec![flat, d(rng, 3, 1)],
    ]
}

#[test]
fn softmax_circuits_are_satisfied_by_the_evaluator_and_sized_exactly() {
    let mut rng = StdRng::seed_from_u64(41);
    for s in [2u32, 4, 8, 12] {
        for bound in [5i64, 6 << s, 1 << 30] {
            for layers in softmax_bodies(&mut rng, s) {
                let m = model(s, 3, bound, layers);
                m.validate().unwrap();
                for spec in ["all-public", "all-private", "public=1,committed=0,private=2"] {
                    assert_size_matches(&m, &InputVisibility::parse(spec, 3).unwrap());
                }
                let ties = vec![vec![bound; 3], vec![-bound; 3], vec![0, 0, -bound], vec![bound, -bound, bound]];
                for input in inputs(&mut rng, &m).into_iter().chain(ties) {
                    satisfied(&m, &input);
                }
            }
        }
    }
}

/// A width-2 softmax on the inputs at `s = 1`, its outputs read through an identity
/// `Dense`: every satisfying assignment an exhaustive search finds has the
/// evaluator's outputs, for every pair of inputs (ties included), with two small
/// exponentials (the importer's, with 20 breakpoints at this scale, makes the search
/// too long; it is covered by the completeness and tampering tests).
#[test]
fn softmax_admits_only_the_true_outputs() {
    use crate::frontend::model::piecewise::Piecewise;
    let s = 1;
    let identity = Layer::Dense { in_dim: 2, out_dim: 2, weights: vec![2, 0, 0, 2], bias: vec![0, 0] };
    let small = Piecewise { breakpoints: vec![-2], slopes: vec![0, 1], offsets: vec![1, 4] };
    let three = Piecewise { breakpoints: vec![-3, -2, -1], slopes: vec![0, 1, 1, 2], offsets: vec![1, 4, 4, 5] };
    for p in [small, three] {
        let m = model(s, 2, 2, vec![Layer::PiecewiseSoftmax(p), identity.clone()]);
        let circuit = compile(&m).unwrap();
        for a in -2..=2 {
            for b in -2..=2 {
                let expected = m.eval(&[a, b]).unwrap().logits().to_vec();
                let found = exhaustive(&circuit, &[(1, a), (2, b)], 16, &[3, 4]);
                assert_eq!(found, vec![expected], "inputs {a}, {b}");
            }
        }
    }
}

/// Every witness value of a softmax layer, changed by ±1 or `2^s`, and every bit of
/// it flipped, breaks a row of that layer (the layer's own rows come first).
#[test]
fn softmax_witness_changes_break_the_layer() {
    use crate::frontend::model::softmax::exp_table;
    let mut rng = StdRng::seed_from_u64(42);
    let s = 4;
    let one = 1i64 << s;
    let layers = vec![
        dense(&mut rng, 3, 3, one, one * one),
        Layer::PiecewiseSoftmax(exp_table(s)),
        dense(&mut rng, 3, 1, one, 0),
    ];
    let m = model(s, 3, 4 * one, layers);
    for input in [vec![one, -one, 3 * one], vec![0, 0, 0], vec![4 * one, -4 * one, 0]] {
        let (circuit, public, witness) = satisfied(&m, &input);
        let mut seen = 0;
        for (i, col) in circuit.column_labels().iter().enumerate().filter(|(_, l)| l.layer == 1) {
            seen += 1;
            for delta in [Fr::ONE, -Fr::ONE, Fr::from(1u64 << s)] {
                let mut w = witness.clone();
                w[i] += delta;
                assert_eq!(failure(&circuit, &public, &w).layer, 1, "column {col} + {delta}");
            }
            if let Column::Bit { .. } = col.role {
                let mut w = witness.clone();
                w[i] = Fr::ONE - w[i];
                assert_eq!(failure(&circuit, &public, &w).layer, 1, "column {col} flipped");
            }
        }
        assert!(seen > 200, "{seen} columns");
    }
}

/// The rows per element of a body softmax that `docs/PROTOCOL.md` §2.1 states: a first
/// `PiecewiseSoftmax` layer at `s = 12` on inputs within `±(2^22 − 1)`, counted on the
/// compiled circuit (the layer's rows), and the circuit of the model minus that of the
/// model without the layer.
#[test]
fn softmax_costs_are_as_documented() {
    use crate::frontend::model::softmax::exp_table;
    let s = 12;
    for (n, per_element, difference) in [(4usize, 281, 1119), (16, 285, 4567)] {
        let sum = Layer::Dense { in_dim: n, out_dim: 1, weights: vec![1 << s; n], bias: vec![0] };
        let with = model(s, n, (1 << 22) - 1, vec![Layer::PiecewiseSoftmax(exp_table(s)), sum.clone()]);
        let without = model(s, n, (1 << 22) - 1, vec![sum]);
        let rows = compile(&with).unwrap().row_labels().iter().filter(|l| l.layer == 0).count();
        let total = |m: &Model| compile(m).unwrap().r1cs.num_constraints as i64;
        let delta = total(&with) - total(&without);
        eprintln!("softmax width {n}: {rows} rows in the layer, {} per element; {delta} more than without", rows / n);
        assert_eq!((rows / n, delta), (per_element, difference), "width {n}");
    }
}
