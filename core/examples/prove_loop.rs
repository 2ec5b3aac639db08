//! Temporary profiling harness (not committed): prove_loop KEY.pk INPUT.json N
#![allow(missing_docs)]
use std::time::Instant;
use zkpolicy_core::policy::ProvingKey;

fn cpu_ns() -> u64 {
    let mut total = 0;
    for t in std::fs::read_dir("/proc/self/task").unwrap() {
        if let Ok(s) = std::fs::read_to_string(t.unwrap().path().join("schedstat")) {
            total += s.split_whitespace().next().unwrap().parse::<u64>().unwrap();
        }
    }
    total
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pk = ProvingKey::from_bytes(&std::fs::read(&args[1]).unwrap()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&args[2]).unwrap()).unwrap();
    let real: Vec<f64> = json["input"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let n: usize = args[3].parse().unwrap();
    let input = pk.model().quantize(&real).unwrap();
    let a = pk.assign(&input).unwrap();
    for _ in 0..3 {
        pk.prove_assignment(&a, &[], None).unwrap();
    }
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    let c0 = cpu_ns();
    for _ in 0..n {
        let (t, c) = (Instant::now(), cpu_ns());
        std::hint::black_box(pk.prove_assignment(&a, &[], None).unwrap());
        walls.push(t.elapsed().as_secs_f64() * 1e3);
        cpus.push((cpu_ns() - c) as f64 / 1e6);
    }
    let cpu_mean = (cpu_ns() - c0) as f64 / 1e6 / n as f64;
    if std::env::var_os("SPLIT").is_some() {
        let (mut offt, mut ont) = (0u64, 0u64);
        let (mut off, mut on, mut offc, mut onc) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut phases = vec![Vec::new(); 7];
        for _ in 0..n {
            let (t, c) = (Instant::now(), cpu_ns());
            let pre = pk.precompute();
            off.push(t.elapsed().as_secs_f64() * 1e3);
            offc.push((cpu_ns() - c) as f64 / 1e6);
            offt += cpu_ns() - c;
            let (t, c) = (Instant::now(), cpu_ns());
            let mut lap = Instant::now();
            let mut i = 0;
            std::hint::black_box(
                pk.prove_precomputed(pre, &a, &[], None, &mut |_| {
                    phases[i].push(lap.elapsed().as_secs_f64() * 1e3);
                    lap = Instant::now();
                    i += 1;
                })
                .unwrap(),
            );
            on.push(t.elapsed().as_secs_f64() * 1e3);
            onc.push((cpu_ns() - c) as f64 / 1e6);
            ont += cpu_ns() - c;
        }
        for v in [&mut off, &mut on, &mut offc, &mut onc] {
            v.sort_by(f64::total_cmp);
        }
        let ph: Vec<String> = phases
            .iter_mut()
            .map(|v| {
                v.sort_by(f64::total_cmp);
                format!("{:.2}", v[n / 2])
            })
            .collect();
        println!(
            "  offline wall {:.2} cpu(mean) {:.2}; online wall {:.2} cpu(mean) {:.2}; phases {}",
            off[n / 2],
            offt as f64 / 1e6 / n as f64,
            on[n / 2],
            ont as f64 / 1e6 / n as f64,
            ph.join(" ")
        );
    }
    walls.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    println!("{}: wall median {:.2} ms, cpu mean {:.2} ms (n={n})", args[1], walls[n / 2], cpu_mean);
}
