//! The `zkpolicy` command-line tool; every command lives in its own module under `cli/`.

mod cli;

fn main() -> std::process::ExitCode {
    if let Some(missing) = missing_cpu_features() {
        eprintln!(
            "zkpolicy: this binary was built for x86-64 CPUs with {missing} (.cargo/config.toml: Intel since \
             2014, AMD since 2017), which this CPU lacks. Rebuild it for this CPU with \
             RUSTFLAGS=\"-C target-cpu=native\" cargo build --release -p zkpolicy-cli"
        );
        return std::process::ExitCode::from(2);
    }
    cli::main()
}

/// The instruction-set extensions this build was compiled to use (ark-ff's assembly
/// field multiplication needs BMI2 and ADX) that the CPU does not report, if any.
/// `is_x86_feature_detected!` would answer "yes" for a feature enabled at compile time,
/// so this asks CPUID itself (leaf 7: EBX bit 8 is BMI2, bit 19 ADX).
fn missing_cpu_features() -> Option<&'static str> {
    #[cfg(all(target_arch = "x86_64", target_feature = "bmi2", target_feature = "adx"))]
    {
        // CPUID exists on every x86-64 CPU (older Rust versions declare the intrinsic unsafe).
        #[allow(unused_unsafe, unsafe_code)]
        let leaf7 = unsafe { core::arch::x86_64::__cpuid_count(7, 0) };
        if leaf7.ebx & (1 << 8) == 0 || leaf7.ebx & (1 << 19) == 0 {
            return Some("BMI2 and ADX");
        }
    }
    None
}
